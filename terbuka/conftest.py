from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.tests.factories import OpdFactory, PemdaFactory


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Path) -> None:
    """Uploaded and private files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


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
