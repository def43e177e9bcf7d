"""The DIP in its official columns as XLSX and PDF: columns, grouping, the staff and public
variants, who exports what, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from terbuka.core import clock
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import exports, models
from terbuka.public_information.models import Category, ConsequenceTest, DipEntry, EntryStatus
from terbuka.public_information.tests.conftest import MakeEntry

pytestmark = pytest.mark.django_db

STAFF_HEADERS = [
    "No.",
    "Ringkasan isi informasi",
    "Pejabat/unit yang menguasai informasi",
    "Penanggung jawab pembuatan/penerbitan informasi",
    "Waktu dan tempat pembuatan informasi",
    "Bentuk informasi yang tersedia",
    "Jangka waktu penyimpanan",
    "Kategori",
    "Dasar hukum",
    "Tahun",
    "Status dan keterangan",
]


def user(username: str) -> User:
    return User.objects.get(username=username)


def rows_of(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def exempt_test(demo: Pemda, opd: str = "dpmptsp") -> ConsequenceTest:
    return ConsequenceTest.objects.create(
        pemda=demo,
        opd=Opd.objects.get(code=opd),
        number="001/PPID/UK/2026",
        information="Data pribadi pemohon izin",
        grounds=["h"],
        harm="Mengungkap rahasia pribadi",
        public_interest="Tidak ada kepentingan publik yang lebih besar",
        result=models.TestResult.CLOSE,
        exempt_until=dt.date(2028, 12, 31),
        decided_by=user("kabid.ikp"),
        decided_by_position="PPID Utama",
        decided_on=dt.date(2026, 2, 2),
        place="Nusa Harapan",
        approved_on=dt.date(2026, 2, 3),
        created_at=clock.now(),
    )


@pytest.fixture
def dip(demo: Pemda, make_entry: MakeEntry) -> dict[str, DipEntry]:
    """Entries of DPMPTSP and Diskominfo in every category, a draft and an exempt entry."""
    return {
        "renstra": make_entry(
            title="Rencana Strategis DPMPTSP",
            summary="Tujuan, sasaran dan program lima tahun",
            category=Category.BERKALA,
            legal_basis="Permendagri 86/2017",
            formats=["cetak", "elektronik"],
        ),
        "izin": make_entry(title="Daftar izin usaha yang terbit"),
        "gangguan": make_entry(title="Gangguan layanan daring", category=Category.SERTA_MERTA),
        "draf": make_entry(title="Standar pelayanan baru", status=EntryStatus.DRAFT),
        "pribadi": make_entry(
            title="Data pribadi pemohon izin",
            category=Category.DIKECUALIKAN,
            exemption=exempt_test(demo),
        ),
        "kominfo": make_entry("diskominfo", title="Rencana kerja Diskominfo"),
    }


def test_the_staff_xlsx_has_the_official_columns_grouped_by_body_and_category(
    dip: dict[str, DipEntry], client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))  # PPID Utama: every OPD
    response = client.get(reverse("dip:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="dip-petugas-20260317.xlsx"'
    rows = rows_of(response.content)
    assert rows[0][0] == "Daftar Informasi Publik — Pemerintah Kabupaten Nusa Harapan"
    assert "Salinan petugas" in rows[1][0]
    assert list(rows[2]) == STAFF_HEADERS
    body = [(row[0], row[1]) for row in rows[3:]]
    assert body == [
        ("Dinas Komunikasi dan Informatika", None),
        ("C. Informasi yang wajib tersedia setiap saat", None),
        (1, "Rencana kerja Diskominfo\nRekap izin usaha per kecamatan"),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", None),
        ("A. Informasi yang wajib disediakan dan diumumkan secara berkala", None),
        (1, "Rencana Strategis DPMPTSP\nTujuan, sasaran dan program lima tahun"),
        ("B. Informasi yang wajib diumumkan secara serta merta", None),
        (2, "Gangguan layanan daring\nRekap izin usaha per kecamatan"),
        ("C. Informasi yang wajib tersedia setiap saat", None),
        (3, "Daftar izin usaha yang terbit\nRekap izin usaha per kecamatan"),
        (4, "Standar pelayanan baru\nRekap izin usaha per kecamatan"),
        ("D. Informasi yang dikecualikan", None),
        (5, "Data pribadi pemohon izin\nRekap izin usaha per kecamatan"),
    ]
    renstra = next(row for row in rows if row[0] == 1 and "Strategis" in row[1])
    assert renstra[2:] == (
        "Bidang Perizinan",
        "Kepala Bidang Perizinan",
        "2026, Nusa Harapan",
        "Tercetak (hardcopy), Elektronik (softcopy)",
        "5 tahun",
        "Berkala",
        "Permendagri 86/2017",
        2026,
        "Ditetapkan PPID",
    )
    exempt = next(row for row in rows if row[0] == 5)
    assert exempt[10] == (
        "Ditetapkan PPID; dikecualikan berdasarkan pasal 17 huruf h sampai 31-12-2028 "
        "(uji konsekuensi 001/PPID/UK/2026)"
    )
    draft = next(row for row in rows if row[0] == 4)
    assert draft[10] == "Draf OPD"


def test_the_public_variant_holds_established_entries_that_are_not_exempt(
    dip: dict[str, DipEntry], client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))
    response = client.get(reverse("dip:export_xlsx"), {"publik": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="dip-publik-20260317.xlsx"'
    rows = rows_of(response.content)
    assert len(rows[2]) == 10
    assert rows[2][-1] == "Tahun"
    text = " ".join(str(cell) for row in rows for cell in row if cell)
    assert "Rencana Strategis DPMPTSP" in text
    assert "Rencana kerja Diskominfo" in text
    assert "Data pribadi pemohon izin" not in text
    assert "Standar pelayanan baru" not in text
    assert "D. Informasi yang dikecualikan" not in text
    assert "Salinan petugas" not in rows[1][0]


def test_the_portal_gets_the_public_dip_of_a_pemda(
    dip: dict[str, DipEntry], demo: Pemda, at: list[dt.datetime]
) -> None:
    rows = rows_of(exports.dip_public_xlsx(demo))
    titles = [row[1].split("\n")[0] for row in rows[3:] if isinstance(row[0], int)]
    assert sorted(titles) == [
        "Daftar izin usaha yang terbit",
        "Gangguan layanan daring",
        "Rencana Strategis DPMPTSP",
        "Rencana kerja Diskominfo",
    ]


def test_the_pdf_holds_the_entries_and_exempt_ones_only_for_staff(
    dip: dict[str, DipEntry], client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))
    response = client.get(reverse("dip:export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for title in ("Rencana Strategis DPMPTSP", "Rencana kerja Diskominfo", "Standar pelayanan"):
        assert title in text
    assert "Data pribadi pemohon izin" in text
    assert "A. Informasi yang wajib disediakan dan diumumkan secara berkala" in text
    assert PdfReader(io.BytesIO(response.content)).pages[0].mediabox.width > 800  # landscape

    public = pdf_text(client.get(reverse("dip:export_pdf"), {"publik": "1"}).content)
    assert "Rencana Strategis DPMPTSP" in public
    assert "Data pribadi pemohon izin" not in public
    assert "Standar pelayanan baru" not in public


def test_the_export_takes_the_entry_lists_filters_and_scope(
    dip: dict[str, DipEntry], client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))  # DPMPTSP's team: its own entries
    rows = rows_of(client.get(reverse("dip:export_xlsx")).content)
    text = " ".join(str(cell) for row in rows for cell in row if cell)
    assert "Rencana Strategis DPMPTSP" in text
    assert "Rencana kerja Diskominfo" not in text
    berkala = rows_of(client.get(reverse("dip:export_xlsx"), {"kategori": "berkala"}).content)
    numbered = [row[1] for row in berkala if isinstance(row[0], int)]
    assert numbered == ["Rencana Strategis DPMPTSP\nTujuan, sasaran dan program lima tahun"]
    assert "Kategori: Berkala" in berkala[1][0]
    drafts = rows_of(client.get(reverse("dip:export_xlsx"), {"status": "draf"}).content)
    assert [row[1].split("\n")[0] for row in drafts if isinstance(row[0], int)] == [
        "Standar pelayanan baru"
    ]

    client.force_login(user("kadis.dpmptsp"))  # no part in the DIP
    assert client.get(reverse("dip:export_xlsx")).status_code == 404
    assert client.get(reverse("dip:export_pdf")).status_code == 404
    assert client.get(reverse("dip:reports")).status_code == 404


def test_the_page_of_exports_and_reports(
    dip: dict[str, DipEntry], client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    listed = client.get(reverse("dip:entry_list"), {"kategori": "berkala"}).content.decode()
    assert f"{reverse('dip:reports')}?kategori=berkala" in listed
    page = client.get(reverse("dip:reports"), {"kategori": "berkala"}).content.decode()
    assert '<option value="berkala" selected>' in page
    for name in ("export_pdf", "report_monthly", "report_monitoring", "import"):
        assert reverse(f"dip:{name}") in page


def count_queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context.captured_queries)


def test_the_export_costs_the_same_queries_however_many_entries(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))
    make_entry(title="Satu", category=Category.DIKECUALIKAN, exemption=exempt_test(demo))

    def export(name: str) -> Callable[[], Any]:
        return lambda: client.get(reverse(f"dip:{name}"))

    few = {name: count_queries(export(name)) for name in ("export_xlsx", "export_pdf")}
    for number, opd in enumerate(["dpmptsp", "diskominfo", "dinsos", "bappeda"] * 3):
        make_entry(opd, title=f"Entri {number}", category=Category.BERKALA)
        make_entry(
            opd,
            title=f"Dikecualikan {number}",
            category=Category.DIKECUALIKAN,
            exemption=exempt_test(demo, opd),
        )
    many = {name: count_queries(export(name)) for name in ("export_xlsx", "export_pdf")}
    assert many == few
