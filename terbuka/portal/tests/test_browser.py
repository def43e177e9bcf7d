"""What a person does on the public site, in a real browser."""

import pytest
from playwright.sync_api import Page

from terbuka.organizations.models import Pemda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_home_can_be_used_with_the_keyboard_only(page: Page, pemda: Pemda) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Langsung ke konten utama"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "konten"
    # Tab onwards through the header until the "Tentang" link, then follow it.
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Tentang":
            break
    else:
        pytest.fail("the Tentang link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tentang/")
    assert page.locator("h1").inner_text() == "Tentang"


def test_focus_is_visible_and_images_and_fields_are_labelled(page: Page, pemda: Pemda) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
             .length"""
    )
    assert unlabelled == 0
    assert page.evaluate("[...document.images].filter(i => !i.hasAttribute('alt')).length") == 0


def test_home_works_on_a_phone_sized_screen(page: Page, pemda: Pemda) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == pemda.name
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Kontak").first.click()
    page.wait_for_url("**/kontak/")
