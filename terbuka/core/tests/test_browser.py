"""A staff member signs in, sees their positions, switches language and signs out."""

import re

import pytest
from playwright.sync_api import Page

from terbuka.organizations.models import Opd, Role
from terbuka.organizations.tests.factories import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_positions_language_switch_and_logout(page: Page, opd: Opd) -> None:
    user = staff_member(opd, Role.PPID_PELAKSANA)
    position = user.holdings.get().position

    page.goto("/staff/")
    page.wait_for_url("**/staff/masuk/**")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()
    assert "nama pengguna dan sandi" in page.locator(".alert-danger").inner_text().lower()
    page.get_by_label("Sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/staff/")
    positions = page.get_by_role("table")
    assert position.title in positions.inner_text()
    assert "PPID Pelaksana" in positions.inner_text()

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Your positions").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # back on the public home
    page.goto("/staff/")
    page.wait_for_url("**/staff/masuk/**")
    assert page.locator("html").get_attribute("lang") == "en"  # the choice is remembered
