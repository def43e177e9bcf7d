from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from terbuka.core import clock
from terbuka.organizations.demo import demo_load
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures.library import library_load
from terbuka.public_information import catalog
from terbuka.public_information.models import Category, DipEntry, EntryStatus
from terbuka.workcalendar.services import calendar_seed_year


@pytest.fixture
def demo(db: None) -> Pemda:
    """The demo Pemda (OPDs diskominfo, dpmptsp, setda, …) with its SOP library and the
    2026–2027 holidays. PPID Utama: kabid.ikp; secretariat: petugas.ppid; DPMPTSP's team:
    ppid.dpmptsp and admin.dpmptsp; Diskominfo's admin: admin.kominfo."""
    demo_load()
    pemda = Pemda.objects.get()
    library_load(pemda=pemda)
    for year in (2026, 2027):
        calendar_seed_year(pemda=pemda, year=year)
    return pemda


MakeEntry = Callable[..., DipEntry]


@pytest.fixture
def make_entry(demo: Pemda) -> MakeEntry:
    """A DIP entry written straight to the database (no service), for tests of reads."""

    def make(opd: str = "dpmptsp", **fields: Any) -> DipEntry:
        now = clock.now()
        values: dict[str, Any] = {
            "pemda": demo,
            "opd": Opd.objects.get(code=opd),
            "title": "Daftar izin usaha yang terbit",
            "summary": "Rekap izin usaha per kecamatan",
            "holder": "Bidang Perizinan",
            "responsible": "Kepala Bidang Perizinan",
            "produced_when": "2026",
            "produced_where": "Nusa Harapan",
            "formats": ["elektronik"],
            "retention": "5 tahun",
            "category": Category.SETIAP_SAAT,
            "year": 2026,
            "status": EntryStatus.ESTABLISHED,
            "created_at": now,
            "updated_at": now,
            "created_by": User.objects.get(username="ppid.dpmptsp"),
        }
        values.update(fields)
        topics = values.pop("topics", ())
        entry = DipEntry.objects.create(**values)
        entry.topics.set(topics)
        catalog.touch(entry.pemda_id)  # what every writing service does
        return entry

    return make


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """Freeze the clock at 17 March 2026, 10:00 WIB; move it by changing ``at[0]``."""
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments
