import csv
import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest

from terbuka.core.models import AuditEvent
from terbuka.organizations.models import (
    HoldingKind,
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Role,
    Unit,
    User,
)
from terbuka.organizations.structure_import import (
    MAX_ROWS,
    ImportReport,
    StructureImportRejected,
    structure_import,
)

HEADER = [
    "kode_opd",
    "nama_opd",
    "singkatan_opd",
    "kode_unit",
    "nama_unit",
    "jenis_unit",
    "kode_unit_induk",
    "kode_jabatan",
    "nama_jabatan",
    "peran",
    "nip",
    "nama_pegawai",
    "email",
    "username",
    "jenis_penugasan",
    "mulai",
    "selesai",
]
NIP_BUDI = "198001012005011001"
NIP_SITI = "198202022006042002"


def row(**values: Any) -> list[Any]:
    return [values.get(column, "") for column in HEADER]


# The section comes before the bidang that is its parent; Budi holds two positions.
GOOD_ROWS = [
    row(
        kode_opd="diskominfo",
        nama_opd="Dinas Komunikasi dan Informatika",
        singkatan_opd="Diskominfo",
        kode_unit="seksi-ikp",
        nama_unit="Seksi Informasi dan Komunikasi Publik",
        jenis_unit="Seksi",
        kode_unit_induk="bidang-ikp",
        kode_jabatan="kasi-ikp",
        nama_jabatan="Kepala Seksi IKP",
        peran="Kepala Seksi",
        nip=NIP_BUDI,
        nama_pegawai="Budi Santoso",
        email="budi@example.go.id",
        mulai="2026-01-05",
    ),
    row(
        kode_opd="diskominfo",
        kode_unit="bidang-ikp",
        nama_unit="Bidang IKP",
        jenis_unit="bidang",
        kode_jabatan="kabid-ikp",
        nama_jabatan="Kepala Bidang IKP",
        peran="kepala_bidang",
        nip=NIP_SITI,
        nama_pegawai="Siti Aminah",
        jenis_penugasan="Plt",
        mulai="05/01/2026",
        selesai="30/06/2026",
    ),
    row(kode_opd="DISKOMINFO", kode_jabatan="kadis", nama_jabatan="Kepala Dinas", peran="kepala"),
    row(
        kode_opd="dinkes",
        nama_opd="Dinas Kesehatan",
        kode_jabatan="ppid-dinkes",
        nama_jabatan="PPID Pelaksana Dinas Kesehatan",
        peran="PPID Pelaksana",
        nip=NIP_BUDI,
        nama_pegawai="Budi Santoso",
        jenis_penugasan="plh",
        mulai=dt.date(2026, 2, 1),
    ),
]
CREATED = ImportReport(
    opds_created=2,
    units_created=2,
    positions_created=4,
    positions_updated=0,
    users_created=2,
    holdings_created=3,
)
MODELS = (Opd, Unit, Position, User, PositionHolding, AuditEvent)


def xlsx_file(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def csv_file(
    rows: list[list[Any]], header: list[str] = HEADER, delimiter: str = ";", bom: bool = True
) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([c.strftime("%d/%m/%Y") if isinstance(c, dt.date) else c for c in cells])
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode())


def comma_csv_file(rows: list[list[Any]]) -> io.BytesIO:
    return csv_file(rows, delimiter=",", bom=False)


def zip_file(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def pemda() -> Pemda:
    return Pemda.objects.create(
        name="Kabupaten Contoh", kind=Pemda.Kind.KABUPATEN, region_code="33.25"
    )


@pytest.fixture
def actor() -> User:
    return User.objects.create_user(username="operator", full_name="Operator Sistem")


def run(actor: User, pemda: Pemda, file: io.BytesIO, filename: str) -> ImportReport:
    return structure_import(actor=actor, pemda=pemda, uploaded_file=file, filename=filename)


def rejected(actor: User, pemda: Pemda, file: io.BytesIO, filename: str) -> StructureImportRejected:
    before = counts()
    with pytest.raises(StructureImportRejected) as info:
        run(actor, pemda, file, filename)
    assert counts() == before
    return info.value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "filename"),
    [(xlsx_file, "struktur.xlsx"), (csv_file, "struktur.csv"), (comma_csv_file, "s.csv")],
)
def test_import_creates_the_structure(actor, pemda, build, filename):
    report = run(actor, pemda, build(GOOD_ROWS), filename)

    assert report == CREATED
    diskominfo = Opd.objects.get(pemda=pemda, code="diskominfo")
    assert (diskominfo.name, diskominfo.short_name) == (
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
    )
    seksi = Unit.objects.get(opd=diskominfo, code="seksi-ikp")
    assert seksi.kind == Unit.Kind.SEKSI
    assert seksi.parent == Unit.objects.get(opd=diskominfo, code="bidang-ikp", parent=None)
    kasi = Position.objects.get(opd=diskominfo, code="kasi-ikp")
    assert (kasi.title, kasi.role, kasi.unit) == ("Kepala Seksi IKP", Role.KEPALA_SEKSI, seksi)
    assert Position.objects.get(opd=diskominfo, code="kadis").unit is None
    ppid = Position.objects.get(opd__code="dinkes", code="ppid-dinkes")
    assert ppid.role == Role.PPID_PELAKSANA
    budi = User.objects.get(username=NIP_BUDI)
    assert (budi.full_name, budi.nip, budi.email) == (
        "Budi Santoso",
        NIP_BUDI,
        "budi@example.go.id",
    )
    assert not budi.has_usable_password()
    holdings = {
        (h.position.code, h.user.username, h.kind, h.starts_on, h.ends_on)
        for h in PositionHolding.objects.select_related("position", "user")
    }
    assert holdings == {
        ("kasi-ikp", NIP_BUDI, HoldingKind.DEFINITIF, dt.date(2026, 1, 5), None),
        ("kabid-ikp", NIP_SITI, HoldingKind.PLT, dt.date(2026, 1, 5), dt.date(2026, 6, 30)),
        ("ppid-dinkes", NIP_BUDI, HoldingKind.PLH, dt.date(2026, 2, 1), None),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "filename"), [(xlsx_file, "struktur.xlsx"), (csv_file, "struktur.csv")]
)
def test_importing_twice_changes_nothing(actor, pemda, build, filename):
    run(actor, pemda, build(GOOD_ROWS), filename)
    before = counts()

    report = run(actor, pemda, build(GOOD_ROWS), filename)

    assert report == ImportReport()
    assert counts() == {**before, "AuditEvent": before["AuditEvent"] + 1}


@pytest.mark.django_db
def test_reimport_updates_a_changed_position_and_matches_users_by_nip(actor, pemda):
    budi = User.objects.create_user(username="budi", nip=NIP_BUDI, full_name="Budi Santoso")
    run(actor, pemda, xlsx_file(GOOD_ROWS), "struktur.xlsx")
    renamed = [row(**{**dict(zip(HEADER, GOOD_ROWS[2], strict=True)), "nama_jabatan": "Kadis"})]

    report = run(actor, pemda, xlsx_file(renamed), "struktur.xlsx")

    assert report == ImportReport(positions_updated=1)
    assert Position.objects.get(code="kadis").title == "Kadis"
    assert set(budi.holdings.values_list("position__code", flat=True)) == {
        "kasi-ikp",
        "ppid-dinkes",
    }
    assert not User.objects.filter(username=NIP_BUDI).exists()


@pytest.mark.django_db
def test_headers_ignore_case_and_spaces(actor, pemda):
    header = [f" {column.upper().replace('_', ' ')} " for column in HEADER]

    report = run(actor, pemda, xlsx_file(GOOD_ROWS, header), "struktur.xlsx")

    assert report == CREATED


@pytest.mark.django_db
def test_a_position_code_used_by_another_opd_is_fine(actor, pemda):
    other = Opd.objects.create(pemda=pemda, code="dinsos", name="Dinas Sosial")
    Position.objects.create(opd=other, code="kadis", title="Kepala Dinas Sosial", role=Role.KEPALA)

    report = run(actor, pemda, csv_file(GOOD_ROWS), "struktur.csv")

    assert report == CREATED
    assert Position.objects.filter(code="kadis").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("good_rows_first", [True, False])
def test_broken_rows_are_all_reported_and_nothing_is_written(actor, pemda, good_rows_first):
    broken = [
        row(kode_opd="diskominfo", kode_jabatan="a", nama_jabatan="A", peran="kadis"),
        row(
            kode_opd="diskominfo",
            kode_jabatan="b",
            nama_jabatan="B",
            peran="staf",
            nip="123",
            nama_pegawai="Andi",
            mulai="2026-01-05",
        ),
        row(
            kode_opd="diskominfo",
            kode_jabatan="c",
            nama_jabatan="C",
            peran="staf",
            nip="199001012015031003",
            nama_pegawai="Citra",
            mulai="31/02/2026",
        ),
        row(
            kode_opd="diskominfo",
            kode_unit="seksi-x",
            nama_unit="Seksi X",
            jenis_unit="seksi",
            kode_unit_induk="bidang-x",
            kode_jabatan="d",
            nama_jabatan="D",
            peran="staf",
        ),
        row(kode_opd="diskominfo", kode_jabatan="e", peran="staf"),
    ]
    rows = GOOD_ROWS + broken if good_rows_first else broken + GOOD_ROWS
    first_broken = 2 + (len(GOOD_ROWS) if good_rows_first else 0)

    error = rejected(actor, pemda, xlsx_file(rows), "struktur.xlsx")

    found = {(e.row - first_broken, e.column) for e in error.errors}
    assert found == {
        (0, "peran"),
        (1, "nip"),
        (2, "mulai"),
        (3, "kode_unit_induk"),
        (4, "nama_jabatan"),
    }
    assert str(error) == "Berkas tidak diimpor: 5 baris bermasalah."
    role_error = next(e for e in error.errors if e.column == "peran")
    assert role_error.message.startswith(
        "kolom 'peran': nilai 'kadis' tidak dikenal (pilihan: kepala, sekretaris,"
    )


@pytest.mark.django_db
def test_rows_that_contradict_each_other_are_reported(actor, pemda):
    rows = [
        row(
            kode_opd="baru",
            kode_unit="u1",
            nama_unit="U1",
            jenis_unit="bidang",
            kode_unit_induk="u2",
            kode_jabatan="p",
            nama_jabatan="P",
            peran="staf",
        ),
        row(
            kode_opd="baru",
            kode_unit="u2",
            nama_unit="U2",
            jenis_unit="bidang",
            kode_unit_induk="u1",
            kode_jabatan="p",
            nama_jabatan="Lain",
            peran="staf",
        ),
        row(
            kode_opd="diskominfo",
            nama_opd="Diskominfo",
            kode_jabatan="q",
            nama_jabatan="Q",
            peran="staf",
            nip=NIP_BUDI,
            nama_pegawai="Budi",
            email="bukan-surel",
            mulai="2026-03-01",
            selesai="2026-02-01",
        ),
        row(
            kode_opd="diskominfo",
            kode_jabatan="r",
            nama_jabatan="R",
            peran="staf",
            nip=NIP_BUDI,
            nama_pegawai="Budiman",
            mulai="2026-03-01",
        ),
    ]

    error = rejected(actor, pemda, csv_file(rows), "struktur.csv")

    assert {(e.row, e.column) for e in error.errors} == {
        (2, "nama_opd"),  # a new OPD needs a name
        (2, "kode_unit_induk"),  # u1 → u2 → u1
        (3, "kode_unit_induk"),
        (3, "nama_jabatan"),  # position p stated twice with different data
        (3, "kode_unit"),
        (4, "email"),
        (4, "selesai"),  # before mulai
        (5, "nama_pegawai"),  # one NIP, two names
    }


@pytest.mark.django_db
def test_a_missing_header_column_is_reported_as_row_1(actor, pemda):
    header = [column for column in HEADER if column != "peran"]

    error = rejected(actor, pemda, csv_file([r[:-1] for r in GOOD_ROWS], header), "s.csv")

    assert [(e.row, e.column) for e in error.errors] == [(1, "peran")]
    assert "kolom 'peran' tidak ada di baris judul" in error.errors[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", ";".join(HEADER).encode()])
def test_an_empty_file_is_refused(actor, pemda, content):
    error = rejected(actor, pemda, io.BytesIO(content), "struktur.csv")

    assert error.errors == []
    assert str(error).startswith("Berkas kosong")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 1 0 obj << /Type /Catalog >> endobj",
        b"\x00\x01\x02\xff\xfe binary",
        b"\xd0\xcf\x11\xe0 old xls",
        zip_file("word/document.xml"),
    ],
)
def test_content_that_is_not_a_spreadsheet_is_refused(actor, pemda, content):
    error = rejected(actor, pemda, io.BytesIO(content), "struktur.xlsx")

    assert str(error) == (
        "Berkas struktur.xlsx bukan lembar kerja XLSX atau CSV (UTF-8); simpan ulang dalam "
        "salah satu format itu."
    )


@pytest.mark.django_db
def test_an_oversize_file_is_refused_naming_the_limit(actor, pemda):
    error = rejected(actor, pemda, io.BytesIO(b"a" * (5 * 1024 * 1024 + 1)), "besar.csv")

    assert str(error) == "Berkas terlalu besar: batasnya 5 MB."


@pytest.mark.django_db
def test_too_many_rows_are_refused_naming_the_limit(actor, pemda):
    rows = [
        row(kode_opd="x", kode_jabatan=f"j{i}", nama_jabatan="J", peran="staf")
        for i in range(MAX_ROWS + 1)
    ]

    error = rejected(actor, pemda, csv_file(rows), "panjang.csv")

    assert str(error) == "Berkas terlalu panjang: batasnya 5000 baris data."


@pytest.mark.django_db
def test_one_audit_event_is_written_with_the_counts(actor, pemda):
    run(actor, pemda, xlsx_file(GOOD_ROWS), "struktur.xlsx")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == (
        "organization.structure_imported",
        actor,
        str(pemda.pk),
    )
    assert event.data == {
        "filename": "struktur.xlsx",
        "opds_created": 2,
        "units_created": 2,
        "positions_created": 4,
        "positions_updated": 0,
        "users_created": 2,
        "holdings_created": 3,
    }
