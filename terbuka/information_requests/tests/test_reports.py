"""The PPID's periodic service report, the live dashboard and the register exports
(RULES.md "Periodic reporting" and the register columns of "Information requests").

A year of requests in two OPDs is registered through the services with the clock moved, and
decided on chosen dates; working days use the demo Pemda's real 2026 calendar.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from terbuka.core import clock
from terbuka.information_requests import services
from terbuka.information_requests.exports import REGISTER_COLUMNS
from terbuka.information_requests.models import Decision, InformationRequest
from terbuka.information_requests.reports import (
    annual_report_due,
    filtered_register,
    live_dashboard,
    period_label,
    report_period,
    service_report,
)
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.access import Scope, build_scope
from terbuka.organizations.models import Opd, Pemda, User

URLS = "terbuka.information_requests.tests.urls_reports_test"
WIB = ZoneInfo("Asia/Jakarta")
D = dt.date
TODAY = D(2026, 12, 1)
NIK = "3325011501900001"
REQUESTER = Requester(
    kind="perorangan",
    name="Budi Santoso",
    nik=NIK,
    address="Jl. Melati 3, Batang",
    occupation="Wiraswasta",
    phone="+6281234567890",
    email="budi@example.com",
)
ASKED = Asked(
    information="Data izin usaha mikro 2025 per kecamatan",
    purpose="Penelitian skripsi",
    obtain_methods=("salinan_elektronik",),
    delivery_method="surel",
)
OFFICER = {"dpmptsp": "ppid.dpmptsp", "dinsos": "ppid.dinsos"}


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 1, 5, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def user(username: str) -> User:
    return User.objects.get(username=username)


def scope_for(username: str) -> Scope:
    return build_scope(user(username), TODAY)


class Desk:
    """Registers and decides requests on chosen days (10:00 WIB)."""

    def __init__(self, pemda: Pemda, at: list[dt.datetime]) -> None:
        self.pemda, self.at = pemda, at

    def on(self, day: dt.date) -> None:
        self.at[0] = dt.datetime.combine(day, dt.time(10), tzinfo=WIB)

    def register(self, opd: str, channel: str, day: dt.date) -> InformationRequest:
        self.on(day)
        return services.request_register(
            pemda=self.pemda,
            opd=Opd.objects.get(code=opd),
            requester=REQUESTER,
            asked=ASKED,
            channel=channel,
        )

    def decide(
        self, item: InformationRequest, day: dt.date, decision: str, **details: object
    ) -> None:
        self.on(day)
        services.request_decide(
            request=item,
            actor=user(OFFICER[item.handling_opd.code]),
            decision=decision,
            **details,  # type: ignore[arg-type]
        )

    def extend(self, item: InformationRequest, day: dt.date, working_days: int) -> None:
        self.on(day)
        services.request_extend(
            request=item,
            actor=user(OFFICER[item.handling_opd.code]),
            working_days=working_days,
            reason="Data tersebar di beberapa bidang",
        )


@pytest.fixture
def year_2026(demo: Pemda, at: list[dt.datetime]) -> dict[str, InformationRequest]:
    """Ten requests across 2026; working days taken are in the comments."""
    desk = Desk(demo, at)
    made = {
        "a": desk.register("dpmptsp", "situs", D(2026, 1, 5)),
        "b": desk.register("dpmptsp", "surel", D(2026, 1, 13)),
        "c": desk.register("dinsos", "langsung", D(2026, 2, 2)),
        "d": desk.register("dinsos", "surat", D(2026, 3, 4)),
        "e": desk.register("dpmptsp", "situs", D(2026, 4, 7)),
        "f": desk.register("dpmptsp", "situs", D(2026, 5, 6)),
        "g": desk.register("dinsos", "situs", D(2026, 7, 1)),
        "h": desk.register("dpmptsp", "telepon", D(2026, 8, 3)),
        "i": desk.register("dinsos", "surel", D(2026, 9, 7)),
        "j": desk.register("dpmptsp", "situs", D(2026, 11, 30)),
    }
    # a: 4 working days, granted within 10
    desk.decide(made["a"], D(2026, 1, 9), Decision.GRANTED)
    # b: 9 (16 January, Isra Mikraj, is a holiday), granted within 10
    desk.decide(made["b"], D(2026, 1, 27), Decision.GRANTED)
    # c: due 18 February (Imlek and its cuti bersama), extended by 5 to 25 February;
    # refused on ground h on 24 February: 14 working days, within the extension
    desk.extend(made["c"], D(2026, 2, 10), 5)
    desk.decide(made["c"], D(2026, 2, 24), Decision.REFUSED, refusal_grounds=["h"])
    # d: 3, granted in part on ground i
    desk.decide(
        made["d"],
        D(2026, 3, 9),
        Decision.PARTIAL,
        refusal_grounds=["i"],
        withheld_parts="Nama penerima bantuan",
    )
    # e: 5, refused on grounds h and i
    desk.decide(made["e"], D(2026, 4, 14), Decision.REFUSED, refusal_grounds=["h", "i"])
    # f: withdrawn
    desk.on(D(2026, 5, 8))
    services.request_withdraw(request=made["f"], actor=user("ppid.dpmptsp"), reason="Sudah ada")
    # g: never answered, due 15 July: overdue
    # h: due 18 August (17 August is a holiday), not held, noticed 20 August: 12, late
    desk.decide(made["h"], D(2026, 8, 20), Decision.NOT_HELD)
    # i: due 21 September, extended by 7 to 30 September, noticed 5 October: 20, late
    desk.extend(made["i"], D(2026, 9, 15), 7)
    desk.decide(made["i"], D(2026, 10, 5), Decision.OTHER_BODY, other_body="BPS Kabupaten")
    # j: received the day before "today", still within its deadline
    desk.on(TODAY)
    return made


# Periods ---------------------------------------------------------------------------------------


def test_report_periods_are_quarters_semesters_and_years() -> None:
    assert report_period("quarter", 2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    assert report_period("quarter", 2026, 2) == (D(2026, 4, 1), D(2026, 6, 30))
    assert report_period("quarter", 2024, 1) == (D(2024, 1, 1), D(2024, 3, 31))
    assert report_period("quarter", 2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))
    assert report_period("semester", 2026, 1) == (D(2026, 1, 1), D(2026, 6, 30))
    assert report_period("semester", 2026, 2) == (D(2026, 7, 1), D(2026, 12, 31))
    assert report_period("year", 2026) == (D(2026, 1, 1), D(2026, 12, 31))
    assert period_label("quarter", 2026, 3) == "Triwulan III Tahun 2026"
    assert period_label("semester", 2026, 2) == "Semester II Tahun 2026"
    for kind, number in (("quarter", 5), ("semester", 3), ("quarter", 0), ("bulan", 1)):
        with pytest.raises(ValueError, match=r"\w"):
            report_period(kind, 2026, number)


def test_annual_report_is_due_by_31_march_of_the_next_year() -> None:
    assert annual_report_due(2026) == D(2027, 3, 31)
    assert annual_report_due(2027) == D(2028, 3, 31)


# The report ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_annual_report_tables(year_2026: dict[str, InformationRequest]) -> None:
    report = service_report(scope_for("kabid.ikp"), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert report.received == 10
    assert {row.key: row.count for row in report.by_channel} == {
        "situs": 5,
        "langsung": 1,
        "surat": 1,
        "surel": 2,
        "telepon": 1,
    }
    assert [
        (r.name, r.received, r.decided, r.granted, r.refused, r.withdrawn, r.open, r.overdue)
        for r in report.by_opd
    ] == [
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 6, 4, 2, 1, 1, 1, 0),
        ("Dinas Sosial", 4, 3, 1, 1, 0, 1, 1),
    ]
    assert [r.median_days for r in report.by_opd] == [7.0, 14.0]  # (4, 5, 9, 12) and (3, 14, 20)
    assert {row.key: row.count for row in report.outcomes} == {
        "dikabulkan": 2,
        "sebagian": 1,
        "ditolak": 2,
        "tidak_dikuasai": 1,
        "badan_lain": 1,
        "ditarik": 1,
        "belum_selesai": 2,
        "terlambat": 1,
    }
    # working days: 3, 4, 5, 9, 12, 14, 20
    days = report.days
    assert (days.count, days.median, days.p90, days.max) == (7, 9.0, 20, 20)
    assert {b.key: b.count for b in days.buckets} == {"0-5": 3, "6-10": 1, "11-17": 2, "18+": 1}
    assert {g.letter: (g.refused, g.partial) for g in report.grounds if g.total} == {
        "h": (2, 0),
        "i": (1, 1),
    }
    assert [g.letter for g in report.grounds] == list("abcdefghij")
    t = report.timeliness
    assert (t.decided, t.within_notice, t.within_extension, t.late, t.extended) == (7, 4, 1, 2, 2)


@pytest.mark.django_db
def test_a_quarter_counts_the_requests_received_in_it(
    year_2026: dict[str, InformationRequest],
) -> None:
    start, end = report_period("quarter", 2026, 1)
    report = service_report(scope_for("kabid.ikp"), start, end, today=TODAY)
    assert report.received == 4  # a, b, c, d
    assert (report.outcome("dikabulkan"), report.outcome("sebagian")) == (2, 1)
    assert report.outcome("ditolak") == 1
    assert (report.days.median, report.days.max) == (6.5, 14)  # 3, 4, 9, 14
    start, end = report_period("semester", 2026, 2)
    report = service_report(scope_for("kabid.ikp"), start, end, today=TODAY)
    assert report.received == 4  # g, h, i, j
    assert (report.outcome("belum_selesai"), report.outcome("terlambat")) == (2, 1)
    assert (report.timeliness.late, report.timeliness.within_notice) == (2, 0)


@pytest.mark.django_db
def test_a_ppid_pelaksana_reports_on_its_own_opd_only(
    year_2026: dict[str, InformationRequest],
) -> None:
    report = service_report(scope_for("ppid.dinsos"), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert report.received == 4
    assert [r.name for r in report.by_opd] == ["Dinas Sosial"]
    assert report.days.count == 3


# The live dashboard ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_live_dashboard_reconciles_every_ppid_pelaksana(
    year_2026: dict[str, InformationRequest],
) -> None:
    dashboard = live_dashboard(scope_for("kabid.ikp"), TODAY)
    rows = {
        r.name: (r.received, r.open, r.overdue, r.decided, r.median_days) for r in dashboard.rows
    }
    assert rows == {
        "Dinas Komunikasi dan Informatika": (0, 0, 0, 0, None),
        "Badan Perencanaan Pembangunan Daerah": (0, 0, 0, 0, None),
        "Dinas Kesehatan": (0, 0, 0, 0, None),
        "Dinas Pendidikan dan Kebudayaan": (0, 0, 0, 0, None),
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": (6, 1, 0, 4, 7.0),
        "Dinas Sosial": (4, 1, 1, 3, 14.0),
    }
    assert dashboard.rows[0].is_utama  # the PPID Utama's desk comes first
    total = dashboard.total
    assert (total.received, total.open, total.overdue, total.decided) == (10, 2, 1, 7)
    assert total.median_days == 9.0


@pytest.mark.django_db
def test_live_dashboard_counts_open_requests_of_last_year_but_not_their_receipt(
    demo: Pemda, at: list[dt.datetime]
) -> None:
    desk = Desk(demo, at)
    desk.register("dinsos", "situs", D(2026, 12, 22))
    new_year = D(2027, 1, 4)
    desk.on(new_year)
    row = next(
        r for r in live_dashboard(scope_for("kabid.ikp"), new_year).rows if r.name == "Dinas Sosial"
    )
    assert (row.received, row.open, row.overdue, row.decided) == (0, 1, 0, 0)


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_live_dashboard_is_for_the_ppid_utama_atasan_ppid_and_operators(
    year_2026: dict[str, InformationRequest], client: Client
) -> None:
    for username in ("kadis.dpmptsp", "ppid.dpmptsp", "staf.humas"):
        client.force_login(user(username))
        assert client.get(reverse("ppid_reports:live")).status_code == 404, username
    for username in ("kabid.ikp", "sekda", "operator"):
        client.force_login(user(username))
        page = client.get(reverse("ppid_reports:live"))
        assert page.status_code == 200, username
        assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in page.content.decode()
        assert "<svg" in page.content.decode()


# The report page and files ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_report_page_draws_charts_and_links_its_files(
    year_2026: dict[str, InformationRequest], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    page = client.get(reverse("ppid_reports:report") + "?jenis=tahunan&tahun=2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Laporan Layanan Informasi Publik Tahun 2026" in text
    assert text.count("<svg") == 4
    assert 'data-key="ditolak">2<' in text
    assert "31 Maret 2027" in text  # the annual report's due date
    assert reverse("ppid_reports:report_pdf") + "?jenis=tahunan&amp;tahun=2026" in text
    assert reverse("ppid_reports:report_xlsx") + "?jenis=tahunan&amp;tahun=2026" in text
    assert "cdn" not in text.lower().replace("cdn.jsdelivr", "")  # no chart library
    quarter = client.get(reverse("ppid_reports:report") + "?jenis=triwulan&tahun=2026&ke=1")
    assert "Triwulan I Tahun 2026" in quarter.content.decode()
    bad = client.get(reverse("ppid_reports:report") + "?jenis=semester&tahun=2026&ke=3")
    assert "Semester hanya 1 atau 2." in bad.content.decode()
    assert client.get(reverse("ppid_reports:report_pdf") + "?jenis=x").status_code == 404


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_report_xlsx_and_pdf(year_2026: dict[str, InformationRequest], client: Client) -> None:
    client.force_login(user("kabid.ikp"))
    query = "?jenis=tahunan&tahun=2026"
    response = client.get(reverse("ppid_reports:report_xlsx") + query)
    assert response["Content-Disposition"] == 'attachment; filename="laporan-ppid-2026.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Per cara permohonan",
        "Per perangkat daerah",
        "Waktu layanan",
        "Alasan penolakan",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=6, values_only=True)}
    assert summary["Permohonan diterima"] == 10
    assert summary["Ditolak"] == 2
    assert summary["dalam masa perpanjangan"] == 1
    opds = list(book["Per perangkat daerah"].iter_rows(min_row=2, values_only=True))
    assert opds[1] == ("Dinas Sosial", 4, 3, 1, 1, 0, 1, 1, 14)
    grounds = list(book["Alasan penolakan"].iter_rows(min_row=2, values_only=True))
    assert [g[1:] for g in grounds if g[0].startswith(("h.", "i."))] == [(2, 0, 2), (1, 1, 2)]
    pdf = client.get(reverse("ppid_reports:report_pdf") + query)
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Laporan Layanan Informasi Publik Tahun 2026" in text
    assert "Alasan penolakan" in text


# The register ----------------------------------------------------------------------------------


def register_sheet(client: Client, query: str = "") -> list[tuple[object, ...]]:
    response = client.get(reverse("ppid_reports:register_xlsx") + query)
    assert response.status_code == 200
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_register_xlsx_has_every_column_and_masks_contact_details_for_other_roles(
    year_2026: dict[str, InformationRequest], client: Client
) -> None:
    headers = [str(header) for header, _width, _mm in REGISTER_COLUMNS]
    for column in (
        "No",
        "Tanggal permohonan",
        "Nama",
        "Alamat",
        "Nomor telepon/surel",
        "Pekerjaan",
        "Informasi yang dimohon",
        "Tujuan penggunaan informasi",
        "Status informasi",
        "Bentuk informasi yang dikuasai",
        "Jenis permohonan",
        "Keputusan",
        "Alasan penolakan",
        "Tanggal pemberitahuan tertulis",
        "Biaya (Rp)",
        "Cara pembayaran",
    ):
        assert column in headers
    client.force_login(user("kadis.dpmptsp"))  # head of the OPD, not a PPID role
    rows = register_sheet(client)
    assert list(rows[2]) == headers
    body = rows[3:]
    assert [r[1] for r in body] == [year_2026[k].number for k in "abefhj"]  # oldest first
    first = dict(zip(headers, body[0], strict=True))
    assert first["No"] == 1
    assert first["Alamat"] == "•••"
    assert first["Nomor telepon/surel"] == "+62••••••••890, b•••@example.com"
    assert first["Tanggal permohonan"] == dt.datetime(2026, 1, 5)
    assert first["Jenis permohonan"] == "Situs web"
    assert first["Status informasi"] == "Dikuasai"
    assert first["Tanggal pemberitahuan tertulis"] == dt.datetime(2026, 1, 9)
    cells = " ".join(str(c) for r in rows for c in r)
    assert "Melati" not in cells
    assert NIK not in cells
    refused = dict(zip(headers, body[2], strict=True))  # e
    assert refused["Keputusan"] == "Ditolak"
    assert str(refused["Alasan penolakan"]).startswith("h. mengungkap rahasia pribadi; i. memo")
    assert dict(zip(headers, body[3], strict=True))["Keputusan"] == "Ditarik pemohon"

    client.force_login(user("ppid.dinsos"))  # the PPID Pelaksana sees their own requesters
    body = register_sheet(client)[3:]
    assert [r[1] for r in body] == [year_2026[k].number for k in "cdgi"]
    row = dict(zip(headers, body[3], strict=True))
    assert (row["Alamat"], row["Nomor telepon/surel"]) == (
        "Jl. Melati 3, Batang",
        "+6281234567890, budi@example.com",
    )
    assert row["Status informasi"] == "Dikuasai badan publik lain: BPS Kabupaten"


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_register_exports_use_the_register_pages_filters(
    year_2026: dict[str, InformationRequest], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    numbers = lambda query: [r[1] for r in register_sheet(client, query)[3:]]  # noqa: E731
    assert numbers("?saluran=surel") == [year_2026["b"].number, year_2026["i"].number]
    assert numbers("?terlambat=1") == [year_2026["g"].number]
    assert numbers("?status=ditarik") == [year_2026["f"].number]
    assert numbers("?dari=2026-07-01&sampai=2026-09-30&saluran=bukan") == [
        year_2026[k].number for k in "ghi"
    ]
    dinsos = Opd.objects.get(code="dinsos")
    assert numbers(f"?opd={dinsos.pk}&dari=salah") == [year_2026[k].number for k in "cdgi"]
    assert str(register_sheet(client, "?saluran=surel")[1][0]).startswith("Cara permohonan: Surel")
    # the same selector, for the register page
    items = filtered_register(scope_for("kabid.ikp"), {"terlambat": "1"}, TODAY)
    assert [item.number for item in items] == [year_2026["g"].number]


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_register_pdf_shows_every_column(
    year_2026: dict[str, InformationRequest], client: Client
) -> None:
    client.force_login(user("kadis.dpmptsp"))
    response = client.get(reverse("ppid_reports:register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Buku Register Permohonan Informasi Publik" in text
    for header, _width, _mm in REGISTER_COLUMNS:
        assert all(word in text for word in re.split(r"[\s/]+", str(header))), header
    assert year_2026["a"].number in text.replace("/ ", "/")  # wrapped after a slash
    assert "Melati" not in text
    assert "•••" in text


def pdf_text(pdf: bytes) -> str:
    """The PDF's text (poppler's ``pdftotext``) with whitespace collapsed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext not found: install poppler-utils")
    done = subprocess.run(  # noqa: S603 - fixed tool, no shell
        [tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


# Query counts ----------------------------------------------------------------------------------


def count_queries(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context.captured_queries)


def add_requests(desk: Desk, count: int, first: int) -> None:
    """Requests in both OPDs across the year; two of three decided, one of those refused."""
    for n in range(first, first + count):
        item = desk.register(("dpmptsp", "dinsos")[n % 2], "situs", D(2026, 1 + n % 10, 6 + n % 3))
        if n % 3:
            desk.decide(
                item,
                D(2026, 1 + n % 10, 12 + n % 3),
                Decision.REFUSED if n % 3 == 2 else Decision.GRANTED,
                refusal_grounds=["h"],
            )


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_query_counts_do_not_grow_with_requests(
    demo: Pemda, at: list[dt.datetime], client: Client
) -> None:
    desk = Desk(demo, at)
    utama = scope_for("kabid.ikp")
    client.force_login(user("kabid.ikp"))
    year = D(2026, 1, 1), D(2026, 12, 31)

    def reads() -> list[int]:
        desk.on(TODAY)
        return [
            count_queries(lambda: service_report(utama, *year, today=TODAY)),
            count_queries(lambda: live_dashboard(utama, TODAY)),
            count_queries(lambda: client.get(reverse("ppid_reports:report") + "?jenis=tahunan")),
            count_queries(lambda: client.get(reverse("ppid_reports:live"))),
            count_queries(lambda: client.get(reverse("ppid_reports:register_xlsx"))),
        ]

    add_requests(desk, 3, 0)
    few = reads()
    add_requests(desk, 6, 3)
    assert InformationRequest.objects.count() == 9
    assert reads() == few
