from __future__ import annotations

import pytest

from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.demo import demo_load
from terbuka.organizations.models import Pemda
from terbuka.procedures.library import library_load
from terbuka.workcalendar.services import calendar_seed_year


@pytest.fixture
def demo(db: None) -> Pemda:
    """The demo Pemda with its SOP library and the 2026–2027 holidays."""
    demo_load()
    pemda = Pemda.objects.get()
    library_load(pemda=pemda)
    for year in (2026, 2027):
        calendar_seed_year(pemda=pemda, year=year)
    return pemda


@pytest.fixture
def citizen() -> Requester:
    return Requester(
        kind="perorangan",
        name="Budi Santoso",
        nik="3325011501900001",
        address="Jl. Melati 3, Batang",
        occupation="Wiraswasta",
        phone="+6281234567890",
        email="budi@example.com",
    )


@pytest.fixture
def asked() -> Asked:
    return Asked(
        information="Data izin usaha mikro yang terbit tahun 2025 per kecamatan",
        purpose="Penelitian skripsi",
        obtain_methods=("salinan_elektronik",),
        delivery_method="surel",
    )
