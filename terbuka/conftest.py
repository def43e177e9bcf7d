from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.tests.factories import OpdFactory, PemdaFactory
from terbuka.public_information import catalog


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Path) -> None:
    """Uploaded and private files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_dip_catalogs() -> Iterator[None]:
    """The public list kept in memory never outlives the test database state it was read from."""
    catalog.forget()
    yield
    catalog.forget()


@pytest.fixture
def pemda(db: None) -> Pemda:
    return PemdaFactory.create(
        name="Pemerintah Kabupaten Uji", region_code="33.98", is_primary=True
    )


@pytest.fixture
def opd(pemda: Pemda) -> Opd:
    return OpdFactory.create(pemda=pemda, code="dinas-a", name="Dinas A", short_name="DinasA")


@pytest.fixture
def other_opd(pemda: Pemda) -> Opd:
    return OpdFactory.create(pemda=pemda, code="dinas-b", name="Dinas B", short_name="DinasB")


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (the project never downloads a browser)."""
    executable = os.environ.get("TERBUKA_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"Browser tests need Chromium at {executable}; scripts/test installs it.")
    # Playwright's sync API runs an event loop in this thread; the Django test client and ORM
    # calls made by the test itself are synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, live_server: Any) -> Iterator[Page]:
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
