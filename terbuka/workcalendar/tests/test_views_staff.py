import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Pemda, Role
from terbuka.organizations.tests.factories import staff_member
from terbuka.workcalendar.models import NonWorkingDay, OfficeHours


@pytest.fixture
def operator_client(client: Client, opd: Opd) -> Client:
    client.force_login(staff_member(opd, Role.OPERATOR))
    return client


@pytest.mark.django_db
def test_holiday_with_an_invalid_date_is_refused_with_a_clear_message(
    operator_client: Client, pemda: Pemda
) -> None:
    response = operator_client.post(
        reverse("workcalendar:day_add"),
        {"date": "30-02-2026", "name": "Hari Jadi", "kind": "libur_daerah"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tanggal tidak valid" in page
    assert 'value="Hari Jadi"' in page  # nothing typed is lost
    assert not NonWorkingDay.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_operator_adds_renames_and_removes_a_regional_holiday(
    operator_client: Client, pemda: Pemda
) -> None:
    response = operator_client.post(
        reverse("workcalendar:day_add"),
        {"date": "10-07-2026", "name": "Hari Jadi", "kind": "libur_daerah"},
    )
    assert response.status_code == 302
    day = NonWorkingDay.objects.get(date=dt.date(2026, 7, 10))
    operator_client.post(
        reverse("workcalendar:day_edit", args=[day.pk]),
        {"name": "Hari Jadi Kabupaten ke-200", "kind": "libur_daerah"},
    )
    operator_client.post(reverse("workcalendar:day_remove", args=[day.pk]))
    page = operator_client.get(reverse("workcalendar:year") + "?tahun=2026").content.decode()
    assert "Hari Jadi Kabupaten ke-200" in page  # listed under removed days
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "workcalendar.day_added",
        "workcalendar.day_renamed",
        "workcalendar.day_removed",
    ]


@pytest.mark.django_db
def test_duplicate_date_is_refused_on_the_date_field(operator_client: Client, pemda: Pemda) -> None:
    data = {"date": "2026-07-10", "name": "Hari Jadi", "kind": "libur_daerah"}
    operator_client.post(reverse("workcalendar:day_add"), data)
    response = operator_client.post(reverse("workcalendar:day_add"), data)
    assert "sudah tercatat" in response.content.decode()
    assert NonWorkingDay.objects.count() == 1


@pytest.mark.django_db
def test_seed_button_fills_the_year(operator_client: Client, pemda: Pemda) -> None:
    operator_client.post(reverse("workcalendar:seed"), {"year": 2027})
    assert NonWorkingDay.objects.filter(date__year=2027).count() > 15


@pytest.mark.django_db
def test_office_hours_form_refuses_closing_before_opening(
    operator_client: Client, pemda: Pemda
) -> None:
    data = {f"opens_{d}": "07:30" for d in range(5)} | {f"closes_{d}": "16:00" for d in range(5)}
    data["closes_0"] = "06:00"
    response = operator_client.post(reverse("workcalendar:office_hours"), data)
    assert "Jam tutup harus setelah jam buka." in response.content.decode()
    assert not OfficeHours.objects.exists()
    data["closes_0"] = "16:00"
    assert operator_client.post(reverse("workcalendar:office_hours"), data).status_code == 302
    assert OfficeHours.objects.filter(pemda=pemda, opd__isnull=True).count() == 5


@pytest.mark.django_db
def test_calendar_pages_are_for_operators_only(client: Client, opd: Opd, pemda: Pemda) -> None:
    client.force_login(staff_member(opd, Role.PPID_UTAMA))
    assert client.get(reverse("workcalendar:year")).status_code == 404
    response = client.post(
        reverse("workcalendar:day_add"), {"date": "2026-07-10", "name": "X", "kind": "libur_daerah"}
    )
    assert response.status_code == 404
    assert not NonWorkingDay.objects.exists()
