"""Import of an office's XLSX DIP: reading offices' sheets, the row-by-row check, the
all-or-nothing import as drafts, the template, and who may import where."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import actions, imports
from terbuka.public_information.imports import (
    ImportRejected,
    ImportRow,
    category_of,
    column_key,
    dip_import,
    formats_of,
    when_where_of,
)
from terbuka.public_information.models import Category, DipEntry, EntryStatus, Format, Topic
from terbuka.public_information.tests.conftest import MakeEntry

pytestmark = pytest.mark.django_db

HEADER = [
    "NO",
    "Ringkasan Isi Informasi",
    "Pejabat/Unit yang Menguasai Informasi",
    "Penanggungjawab Pembuatan atau  Penerbitan Informasi",
    "Waktu & Tempat Pembuatan Informasi",
    "BENTUK INFORMASI YANG TERSEDIA",
    "Jangka Waktu Penyimpanan / Retensi Arsip",
    "Dasar Hukum",
    " Tahun ",
]


def user(username: str) -> User:
    return User.objects.get(username=username)


def opd(code: str) -> Opd:
    return Opd.objects.get(code=code)


def xlsx(rows: Sequence[Sequence[Any]], name: str = "dip.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def office_sheet() -> list[list[Any]]:
    """A DIP as an office keeps it: a title block, its own header names, a row of column
    numbers, the categories as section rows, a sub-heading and a signature line."""
    return [
        ["DAFTAR INFORMASI PUBLIK"],
        ["DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"],
        ["KABUPATEN NUSA HARAPAN TAHUN 2026"],
        [],
        HEADER,
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ["A.", "Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala"],
        [
            1,
            "Rencana Strategis DPMPTSP 2026-2030",
            "Subbagian Perencanaan",
            "Sekretaris DPMPTSP",
            "Januari 2026, Sekretariat DPMPTSP",
            "Softcopy dan Hardcopy",
            "5 tahun",
            "Permendagri 86/2017",
            2026,
        ],
        [
            2,
            "Laporan Keuangan 2025",
            "Subbagian Keuangan",
            "Sekretaris DPMPTSP",
            "Maret 2026 di Kantor DPMPTSP",
            "Softcopy; situs web",
            "10 tahun",
            None,
            2025.0,
        ],
        ["B. Informasi yang Wajib Diumumkan Secara Serta Merta"],
        [
            3,
            "Pengumuman gangguan layanan perizinan daring",
            "Bidang Sistem Informasi",
            "Kepala Bidang Sistem Informasi",
            "Sewaktu-waktu / Nusa Harapan",
            "Situs web",
            "1 tahun",
            None,
            None,
        ],
        ["C.", "Informasi yang Wajib Tersedia Setiap Saat"],
        ["", "1.1 Perizinan"],
        [
            4,
            "Daftar izin usaha yang terbit\nRekap izin usaha per kecamatan dan jenis usaha",
            "Bidang Perizinan",
            "Kepala Bidang Perizinan",
            "2026",
            "Elektronik (softcopy)",
            "Selama berlaku",
            "PP 5/2021",
            "2026",
        ],
        [
            5,
            "Standar pelayanan perizinan",
            "Bidang Pengaduan",
            "Kepala DPMPTSP",
            "Januari 2026, Nusa Harapan",
            "hard copy, audio/visual",
            "Permanen",
            None,
            2026,
        ],
        [None, None, None, None, None, None, None, "Nusa Harapan, 5 Januari 2026"],
    ]


def check(client: Client, upload: SimpleUploadedFile, target: Opd) -> Any:
    return client.post(reverse("dip:import"), {"opd": target.pk, "file": upload})


def token_of(content: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', content)
    assert found, "no confirmation form"
    return found.group(1)


# --- reading offices' sheets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("No.", "no"),
        ("  NOMOR URUT ", "no"),
        ("Ringkasan Isi Informasi / Judul", "summary"),
        ("RINGKASAN ISI INFORMASI", "summary"),
        ("Judul Informasi", "title"),
        ("Pejabat atau Unit yang Menguasai Informasi", "holder"),
        ("Pejabat/Unit Yang Menguasai Informasi", "holder"),
        ("Penanggung Jawab Pembuatan atau Penerbitan", "responsible"),
        ("Penanggungjawab Pembuatan/Penerbitan Informasi", "responsible"),
        ("Waktu dan Tempat Pembuatan", "when_where"),
        ("Waktu & Tempat Pembuatan Informasi", "when_where"),
        ("Bentuk Informasi yang Tersedia", "formats"),
        ("Format Informasi", "formats"),
        ("Jangka Waktu Penyimpanan", "retention"),
        ("Jangka Waktu Penyimpanan atau Retensi Arsip", "retention"),
        ("Kategori Informasi", "category"),
        ("Klasifikasi", "category"),
        ("Dasar Hukum", "legal_basis"),
        ("TAHUN", "year"),
        ("Topik", "topics"),
        ("Keterangan", None),
        ("DAFTAR INFORMASI PUBLIK", None),
    ],
)
def test_header_names_are_recognised_in_their_common_variants(header: str, key: str | None) -> None:
    assert column_key(header) == key


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("A. Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala", Category.BERKALA),
        ("Informasi yang Wajib Diumumkan Secara Serta-Merta", Category.SERTA_MERTA),
        ("SETIAP SAAT", Category.SETIAP_SAAT),
        ("D. Informasi yang Dikecualikan", Category.DIKECUALIKAN),
        ("b", Category.SERTA_MERTA),
        ("Berkala dan setiap saat", None),
        ("Rahasia", None),
    ],
)
def test_category_from_a_cell_or_a_section_row(text: str, category: str | None) -> None:
    assert category_of(text) == category


def test_formats_and_when_where_are_read_from_free_text() -> None:
    assert formats_of("Softcopy dan Hardcopy") == ([Format.PRINTED, Format.ELECTRONIC], [])
    assert formats_of("situs web; audio/visual") == ([Format.WEBSITE, Format.AUDIOVISUAL], [])
    assert formats_of("softcopy, lisan") == ([Format.ELECTRONIC], ["lisan"])
    assert when_where_of("Januari 2026, Sekretariat") == ("Januari 2026", "Sekretariat")
    assert when_where_of("Setiap tahun di Bagian Umum") == ("Setiap tahun", "Bagian Umum")
    assert when_where_of("2026") == ("2026", "")


# --- the page -------------------------------------------------------------------------------


def test_an_office_sheet_imports_every_entry_as_a_draft(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    target = opd("dpmptsp")
    response = check(client, xlsx(office_sheet()), target)
    content = response.content.decode()
    assert response.status_code == 200
    assert "5 entri siap diimpor" in content
    assert "dilewati sebagai judul bagian: 1.1 Perizinan" in content
    assert DipEntry.objects.count() == 0  # the preview writes nothing

    done = client.post(reverse("dip:import"), {"token": token_of(content)})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("dip:entry_list"))
    entries = {entry.title: entry for entry in DipEntry.objects.filter(opd=target)}
    assert len(entries) == 5
    assert {entry.status for entry in entries.values()} == {EntryStatus.DRAFT}
    assert [entries[t].category for t in sorted(entries)] == [
        Category.SETIAP_SAAT,  # Daftar izin usaha yang terbit
        Category.BERKALA,  # Laporan Keuangan 2025
        Category.SERTA_MERTA,  # Pengumuman gangguan …
        Category.BERKALA,  # Rencana Strategis …
        Category.SETIAP_SAAT,  # Standar pelayanan perizinan
    ]
    renstra = entries["Rencana Strategis DPMPTSP 2026-2030"]
    assert renstra.summary == renstra.title
    assert (renstra.produced_when, renstra.produced_where) == (
        "Januari 2026",
        "Sekretariat DPMPTSP",
    )
    assert renstra.formats == [Format.PRINTED, Format.ELECTRONIC]
    assert renstra.legal_basis == "Permendagri 86/2017"
    assert renstra.refresh_due_on == dt.date(2026, 9, 17)  # berkala: six months from today
    izin = entries["Daftar izin usaha yang terbit"]
    assert izin.summary == "Rekap izin usaha per kecamatan dan jenis usaha"
    assert (izin.produced_when, izin.produced_where) == ("2026", target.name)
    assert entries["Laporan Keuangan 2025"].year == 2025
    assert entries["Laporan Keuangan 2025"].produced_where == "Kantor DPMPTSP"
    assert entries["Pengumuman gangguan layanan perizinan daring"].year == 2026  # this year
    assert entries["Standar pelayanan perizinan"].formats == [Format.PRINTED, Format.AUDIOVISUAL]

    again = client.post(reverse("dip:import"), {"token": token_of(content)})  # confirmed twice
    assert "sudah ada di DIP perangkat daerah ini" in again.content.decode()
    assert DipEntry.objects.filter(opd=target).count() == 5

    (event,) = AuditEvent.objects.filter(action=actions.IMPORTED)
    assert event.data["jumlah"] == 5
    assert event.data["berkas"] == "dip.xlsx"
    assert sorted(event.data["entri"]) == sorted(entry.pk for entry in entries.values())
    assert event.actor == user("admin.dpmptsp")
    assert event.opd_id == target.pk
    assert AuditEvent.objects.filter(action=actions.ENTRY_CREATED).count() == 5


def test_a_bad_row_is_listed_with_each_error_and_nothing_is_imported(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    good = ["Daftar izin", "Bidang Perizinan", "Kepala Bidang", "2026, Kantor", "Softcopy"]
    rows: list[list[Any]] = [
        ["Daftar Informasi Publik DPMPTSP"],
        ["No.", "Ringkasan Isi Informasi / Judul", "Pejabat atau Unit yang Menguasai Informasi",
         "Penanggung Jawab Pembuatan atau Penerbitan", "Waktu dan Tempat Pembuatan",
         "Bentuk Informasi yang Tersedia", "Jangka Waktu Penyimpanan", "Kategori", "Tahun"],
        [1, *good, "5 tahun", "Setiap saat", 2026],
        [2, None, "Bidang Perizinan", "Kepala Bidang", "2026, Kantor", "Softcopy", "5 tahun",
         "Sangat penting", "20x5"],
        [3, "Laporan kinerja", "Sekretariat", "Sekretaris", "2026, Kantor", "Softcopy",
         "5 tahun", "Berkala", 2026],
    ]  # fmt: skip
    client.force_login(user("admin.dpmptsp"))
    response = check(client, xlsx(rows), opd("dpmptsp"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada yang diimpor: 1 baris bermasalah." in content
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [
        (4, "Ringkasan Isi Informasi / Judul"),
        (4, "Kategori"),
        (4, "Tahun"),
    ]
    assert errors[0].message == "wajib diisi"
    assert "kategori 'Sangat penting' tidak dikenal" in errors[1].message
    assert errors[2].message == "'20x5' bukan tahun (tulis empat angka, mis. 2026)"
    assert 'name="token"' not in content  # nothing to confirm
    assert DipEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action=actions.IMPORTED).exists()


def test_a_file_that_is_not_xlsx_is_refused_by_its_content(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    png = SimpleUploadedFile("dip.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    client.force_login(user("admin.dpmptsp"))
    response = check(client, png, opd("dpmptsp"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Berkas dip.xlsx bukan XLSX (jenis dibaca dari isi berkas)."
    ]
    assert DipEntry.objects.count() == 0


def test_a_sheet_without_the_official_columns_is_refused(demo: Pemda) -> None:
    upload = xlsx([["Judul", "Keterangan"], ["Renstra", "ada"]])
    with pytest.raises(ImportRejected) as refused:
        imports.sheet_read(upload, opd=opd("dpmptsp"))
    assert "Baris judul kolom tidak ditemukan" in str(refused.value)
    header = ["No", "Ringkasan Isi Informasi", "Pejabat atau Unit yang Menguasai", "Kategori"]
    missing = xlsx([header, [1, "x"]])
    with pytest.raises(ImportRejected) as refused:
        imports.sheet_read(missing, opd=opd("dpmptsp"))
    assert {error.column for error in refused.value.errors} == {
        "Penanggung Jawab Pembuatan atau Penerbitan",
        "Waktu dan Tempat Pembuatan",
        "Bentuk Informasi yang Tersedia",
        "Jangka Waktu Penyimpanan",
    }


def test_an_opd_team_imports_into_its_own_opd_only(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    page = client.get(reverse("dip:import"))
    assert list(page.context["form"].fields["opd"].queryset) == [opd("dpmptsp")]
    response = check(client, xlsx(office_sheet()), opd("diskominfo"))
    assert response.context["form"].errors["opd"] == [
        "Anda tidak mengelola DIP perangkat daerah itu."
    ]
    assert 'name="token"' not in response.content.decode()
    assert DipEntry.objects.count() == 0

    # A checked sheet cannot be confirmed by someone else.
    client.force_login(user("ppid.dpmptsp"))
    token = token_of(check(client, xlsx(office_sheet()), opd("dpmptsp")).content.decode())
    client.force_login(user("admin.kominfo"))
    assert client.post(reverse("dip:import"), {"token": token}).status_code == 404
    assert DipEntry.objects.count() == 0

    client.force_login(user("kadis.dpmptsp"))  # head of the OPD, no DIP role
    assert client.get(reverse("dip:import")).status_code == 404
    assert client.get(reverse("dip:import_template")).status_code == 404


def test_the_ppid_utama_imports_into_any_opd(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))
    choices = client.get(reverse("dip:import")).context["form"].fields["opd"].queryset
    assert opd("diskominfo") in choices
    assert opd("dinsos") in choices
    token = token_of(check(client, xlsx(office_sheet()), opd("dinsos")).content.decode())
    client.post(reverse("dip:import"), {"token": token})
    assert DipEntry.objects.filter(opd=opd("dinsos")).count() == 5


def test_a_tampered_confirmation_is_refused(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    response = client.post(reverse("dip:import"), {"token": "bukan-token"})
    assert "Pratinjau impor sudah kedaluwarsa atau tidak sah" in response.content.decode()
    assert DipEntry.objects.count() == 0


def test_duplicates_within_the_file_and_in_the_dip_are_errors(
    demo: Pemda, make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    make_entry(title="Standar pelayanan perizinan", year=2026)
    sheet = office_sheet()
    sheet.append([6, "Rencana Strategis DPMPTSP 2026-2030", "Sekretariat", "Sekretaris",
                  "2026, Kantor", "Softcopy", "5 tahun", None, 2026])  # fmt: skip
    result = imports.sheet_read(xlsx(sheet), opd=opd("dpmptsp"))
    assert not result.ok
    assert [(error.row, error.message) for error in result.errors] == [
        (15, "entri dengan judul dan tahun ini sudah ada di DIP perangkat daerah ini"),
        (17, "judul dan tahun sama dengan baris 8"),
    ]


def test_topics_are_matched_by_name_and_unknown_ones_are_errors(
    demo: Pemda, at: list[dt.datetime]
) -> None:
    topic = Topic.objects.create(pemda=demo, name="Perizinan", slug="perizinan")
    header = [
        "No",
        "Ringkasan",
        "Pejabat atau unit yang menguasai informasi",
        "Penanggung jawab",
        "Waktu dan tempat pembuatan",
        "Bentuk informasi",
        "Retensi",
        "Kategori",
        "Topik",
    ]
    base = ["Bidang", "Kepala", "2026, Kantor", "Softcopy", "5 tahun", "Setiap saat"]
    sheet: list[list[Any]] = [
        header,
        [1, "Izin A", *base, "perizinan"],
        [2, "Izin B", *base, "Pajak, Perizinan"],
    ]
    result = imports.sheet_read(xlsx(sheet), opd=opd("dpmptsp"))
    assert result.rows[0].topic_ids == (topic.pk,)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Topik", "topik 'Pajak' belum ada; tambahkan dulu di halaman Topik")
    ]


def test_the_import_is_all_or_nothing(demo: Pemda, at: list[dt.datetime]) -> None:
    data: dict[str, Any] = {
        "title": "Rencana kerja",
        "summary": "Rencana kerja tahunan",
        "holder": "Sekretariat",
        "responsible": "Sekretaris",
        "produced_when": "2026",
        "produced_where": "Kantor",
        "formats": [Format.ELECTRONIC],
        "retention": "5 tahun",
        "category": Category.SETIAP_SAAT,
        "legal_basis": "",
        "year": 2026,
        "refreshed_on": None,
    }
    rows = [ImportRow(2, data), ImportRow(3, {**data, "title": "Lain", "formats": ["lisan"]})]
    with pytest.raises(ImportRejected) as refused:
        dip_import(opd=opd("dpmptsp"), actor=user("admin.dpmptsp"), rows=rows, filename="x.xlsx")
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (3, "Bentuk informasi tidak dikenal: lisan.")
    ]
    assert DipEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action=actions.IMPORTED).exists()


def test_the_template_has_the_official_headers_and_imports_as_it_is(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    response = client.get(reverse("dip:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="templat-dip.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (
        "No.",
        "Ringkasan Isi Informasi / Judul",
        "Pejabat atau Unit yang Menguasai Informasi",
        "Penanggung Jawab Pembuatan atau Penerbitan",
        "Waktu dan Tempat Pembuatan",
        "Bentuk Informasi yang Tersedia",
        "Jangka Waktu Penyimpanan",
        "Kategori",
        "Dasar Hukum",
        "Tahun",
        "Topik",
    )
    assert rows[1][0] == 1
    assert rows[1][7] == "Berkala"
    upload = SimpleUploadedFile("templat-dip.xlsx", response.content)
    result = imports.sheet_read(upload, opd=opd("dpmptsp"))
    assert result.ok, result.errors
    (row,) = result.rows
    assert row.data["title"] == "Rencana Strategis Perangkat Daerah 2026–2030"
    assert row.data["category"] == Category.BERKALA
    assert row.data["formats"] == [Format.PRINTED, Format.ELECTRONIC, Format.WEBSITE]


def test_a_sheet_that_inflates_too_far_is_refused(
    demo: Pemda, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1024)
    with pytest.raises(ImportRejected) as refused:
        imports.sheet_read(xlsx(office_sheet()), opd=opd("dpmptsp"))
    assert str(refused.value).startswith("Isi berkas terlalu besar setelah dibuka")
