import re

import pytest
from django.test import Client
from django.urls import reverse

from terbuka.organizations.models import Pemda


@pytest.mark.django_db
def test_home_shows_the_pemda_name_and_its_opds(client: Client, pemda: Pemda, opd: object) -> None:
    page = client.get(reverse("portal:home")).content.decode()
    assert pemda.name in page
    assert "Dinas A" in page
    assert 'lang="id"' in page
    assert 'href="#konten"' in page  # skip link for keyboard users


@pytest.mark.django_db
def test_public_pages_work_without_an_account(client: Client, pemda: Pemda) -> None:
    for name in ("portal:home", "portal:about", "portal:contact"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_contact_page_lists_default_office_hours_in_the_pemdas_zone(
    client: Client, pemda: Pemda
) -> None:
    page = client.get(reverse("portal:contact")).content.decode()
    assert "Senin: 07.30–16.00 WIB" in page
    assert "Jumat: 07.30–16.30 WIB" in page
    assert "Sabtu" not in page


@pytest.mark.django_db
def test_static_assets_are_served_by_the_project_not_a_cdn(client: Client, pemda: Pemda) -> None:
    page = client.get(reverse("portal:home")).content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assets = re.findall(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"', page)
    assert assets
    assert [url for url in assets if not url.startswith(("/static/", "data:"))] == []


def test_home_without_any_pemda_still_renders(client: Client, db: None) -> None:
    assert client.get(reverse("portal:home")).status_code == 200
