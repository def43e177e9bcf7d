import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from terbuka.core.models import AuditEvent
from terbuka.organizations.models import HoldingKind, Opd, Role
from terbuka.organizations.tests.factories import UserFactory, staff_member


@pytest.mark.django_db
def test_login_then_dashboard_lists_the_persons_positions(client: Client, opd: Opd) -> None:
    user = staff_member(opd, Role.KEPALA, kind=HoldingKind.PLT, ends_on=dt.date(2099, 12, 31))
    response = client.post(
        reverse("staff:login"), {"username": user.username, "password": "rahasia-uji-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:dashboard")
    page = client.get(reverse("staff:dashboard")).content.decode()
    position = user.holdings.get().position
    assert position.title in page
    assert "Kepala Perangkat Daerah" in page
    assert "Pelaksana Tugas (Plt)" in page
    assert opd.short_name in page


@pytest.mark.django_db
def test_wrong_password_shows_an_indonesian_message(client: Client) -> None:
    user = UserFactory.create()
    response = client.post(reverse("staff:login"), {"username": user.username, "password": "x"})
    assert response.status_code == 200
    assert "nama pengguna dan sandi" in response.content.decode().lower()


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client: Client, opd: Opd) -> None:
    client.force_login(staff_member(opd))
    assert client.post(reverse("staff:logout")).status_code == 302
    assert client.get(reverse("staff:dashboard")).status_code == 302


@pytest.mark.django_db
def test_user_without_positions_is_told_so(client: Client) -> None:
    client.force_login(UserFactory.create())
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert "belum memangku jabatan" in page


@pytest.mark.django_db
def test_language_switch_renders_english(client: Client, opd: Opd) -> None:
    client.force_login(staff_member(opd))
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("staff:dashboard")}
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert "Your positions" in page
    assert "Sign out" in page


@pytest.mark.django_db
def test_audit_log_page_is_for_operators_only(client: Client, opd: Opd) -> None:
    client.force_login(staff_member(opd, Role.KEPALA))
    assert client.get(reverse("staff:audit_log")).status_code == 404
    client.force_login(staff_member(opd, Role.OPERATOR))
    AuditEvent.objects.create(occurred_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), action="x.y")
    assert "x.y" in client.get(reverse("staff:audit_log")).content.decode()


@pytest.mark.django_db
def test_indonesian_is_the_default_whatever_the_browser_asks(client: Client, pemda: object) -> None:
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "id"
    assert "Beranda" in page.content.decode()


@pytest.mark.django_db
def test_staff_language_choice_is_saved_and_follows_them_to_a_new_session(
    client: Client, opd: Opd
) -> None:
    user = staff_member(opd)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/"})
    user.refresh_from_db()
    assert user.language == "en"
    fresh = Client()
    fresh.force_login(user)
    assert "Your positions" in fresh.get(reverse("staff:dashboard")).content.decode()
    assert fresh.post(reverse("set_language"), {"language": "xx"}).status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
