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
from terbuka.information_requests import objections, services
from terbuka.information_requests.exports import OBJECTION_COLUMNS, REGISTER_COLUMNS
from terbuka.information_requests.models import Decision, InformationRequest, Objection
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
        "Keberatan per alasan",
        "Hasil keberatan",
        "Sengketa informasi",
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


# Objections and disputes (UU 14/2008 art. 35–38) -----------------------------------------------


def officer_for(item: InformationRequest) -> User:
    return user(OFFICER[item.handling_opd.code])


@pytest.fixture
def objections_2026(
    year_2026: dict[str, InformationRequest], at: list[dt.datetime]
) -> dict[int, Objection]:
    """Seven objections and six disputes across 2026 (RULES.md "Objections and disputes").

    | # | request | ground | filed     | answer                            | dispute stage  |
    | 1 | c       | a      | 2 March   | rejected, 13 March (in time)      | complied       |
    | 2 | d       | a      | 10 March  | partly upheld, 15 June (late)     | decided        |
    | 3 | e       | a      | 20 April  | upheld, 30 April                  | adjudication   |
    | 4 | e       | d      | 21 April  | settled by deliberation, 5 May    | mediation      |
    | 5 | g       | c      | 20 July   | none: overdue on 1 December       | filed only     |
    | 6 | i       | e      | 7 October | none: overdue on 1 December       | registered     |
    | 7 | j       | b      | 1 December| none, still within its 30 days    | —              |
    """
    desk = Desk(Pemda.objects.get(), at)
    filed: dict[int, Objection] = {}
    for no, (key, ground, day) in enumerate(
        (
            ("c", "a", D(2026, 3, 2)),
            ("d", "a", D(2026, 3, 10)),
            ("e", "a", D(2026, 4, 20)),
            ("e", "d", D(2026, 4, 21)),
            ("g", "c", D(2026, 7, 20)),
            ("i", "e", D(2026, 10, 7)),
            ("j", "b", D(2026, 12, 1)),
        ),
        start=1,
    ):
        desk.on(day)
        filed[no] = objections.objection_file(
            request=year_2026[key], ground=ground, case_position=f"Keberatan nomor {no}"
        )
    sekda = user("sekda")
    for no, decision, day in (
        (1, "ditolak", D(2026, 3, 13)),
        (2, "diterima_sebagian", D(2026, 6, 15)),
        (3, "diterima", D(2026, 4, 30)),
        (4, "musyawarah", D(2026, 5, 5)),
    ):
        desk.on(day)
        filed[no] = objections.objection_answer(
            objection=filed[no], actor=sekda, decision=decision, text=f"Jawaban {no}"
        )
    clerk = user("kabid.ikp")
    stages: dict[int, dict[str, object]] = {
        1: {
            "registered_on": D(2026, 3, 17),
            "mediation_on": D(2026, 4, 7),
            "outcome": "Mediasi berhasil",
            "decided_on": D(2026, 4, 7),
            "complied_on": D(2026, 4, 14),
        },
        2: {
            "registered_on": D(2026, 6, 19),
            "mediation_on": D(2026, 7, 1),
            "outcome": "Informasi dibuka sebagian",
            "decided_on": D(2026, 8, 3),
        },
        3: {
            "registered_on": D(2026, 5, 6),
            "mediation_on": D(2026, 5, 20),
            "adjudication_on": D(2026, 6, 3),
        },
        4: {"registered_on": D(2026, 5, 11), "mediation_on": D(2026, 5, 25)},
        5: {},
        6: {"commission_number": "012/XI/KI-NH-PS/2026"},
    }
    for no, fields in stages.items():
        objection = filed[no]
        after = objection.answered_on or objection.answer_due_on
        dispute = objections.dispute_record(
            objection=objection, filed_on=after + dt.timedelta(days=2)
        )
        if fields:
            objections.dispute_update(dispute=dispute, actor=clerk, **fields)
    desk.on(TODAY)
    for objection in filed.values():
        objection.refresh_from_db()
    return filed


@pytest.mark.django_db
def test_uu14_art35_36_report_counts_objections_by_ground_and_outcome(
    objections_2026: dict[int, Objection],
) -> None:
    # the late answer really is late, and the in-time ones are in time
    assert objections_2026[2].answered_on > objections_2026[2].answer_due_on  # type: ignore[operator]
    assert objections_2026[6].answer_due_on < TODAY < objections_2026[7].answer_due_on
    report = service_report(scope_for("kabid.ikp"), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    tables = report.objections
    assert tables.filed == 7
    assert {row.key: row.count for row in tables.by_ground} == {
        "a": 3,
        "b": 1,
        "c": 1,
        "d": 1,
        "e": 1,
        "f": 0,
        "g": 0,
    }
    assert str(tables.by_ground[2].label) == "c. Tidak ditanggapinya permintaan informasi"
    assert {row.key: row.count for row in tables.outcomes} == {
        "diterima": 1,
        "diterima_sebagian": 1,
        "ditolak": 1,
        "musyawarah": 1,
        "belum_dijawab": 3,
        "terlambat": 2,
    }
    assert (tables.answered, tables.answered_in_time, tables.answered_late) == (4, 3, 1)


@pytest.mark.django_db
def test_uu14_art37_38_report_counts_disputes_at_their_furthest_stage(
    objections_2026: dict[int, Objection],
) -> None:
    report = service_report(scope_for("kabid.ikp"), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    disputes = report.disputes
    assert disputes.filed == 6
    assert [(row.key, row.count) for row in disputes.stages] == [
        ("diajukan", 1),
        ("teregistrasi", 1),  # by its register number alone
        ("mediasi", 1),
        ("ajudikasi", 1),
        ("diputus", 1),
        ("dilaksanakan", 1),
    ]


@pytest.mark.django_db
def test_objection_tables_follow_the_period_and_the_scope(
    objections_2026: dict[int, Objection],
) -> None:
    start, end = report_period("quarter", 2026, 1)
    report = service_report(scope_for("kabid.ikp"), start, end, today=TODAY)
    assert report.objections.filed == 2  # 1 and 2
    assert report.objections.outcome("ditolak") == 1
    assert report.objections.outcome("diterima_sebagian") == 1
    assert report.objections.outcome("belum_dijawab") == 0
    assert report.disputes.filed == 1  # 1's, filed 15 March; 2's went in June
    assert {r.key: r.count for r in report.disputes.stages}["dilaksanakan"] == 1
    # the PPID Pelaksana of Dinas Sosial: objections 1, 2, 5 and 6 and their disputes
    report = service_report(scope_for("ppid.dinsos"), D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert report.objections.filed == 4
    assert {r.key: r.count for r in report.objections.by_ground if r.count} == {
        "a": 2,
        "c": 1,
        "e": 1,
    }
    assert report.objections.outcome("belum_dijawab") == 2
    assert report.objections.outcome("terlambat") == 2
    assert report.disputes.filed == 4
    assert {r.key: r.count for r in report.disputes.stages} == {
        "diajukan": 1,
        "teregistrasi": 1,
        "mediasi": 0,
        "ajudikasi": 0,
        "diputus": 1,
        "dilaksanakan": 1,
    }


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_report_page_xlsx_and_pdf_show_objections_and_disputes(
    objections_2026: dict[int, Objection], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    query = "?jenis=tahunan&tahun=2026"
    text = client.get(reverse("ppid_reports:report") + query).content.decode()
    for key, count in (
        ("keberatan", 7),
        ("keberatan-a", 3),
        ("keberatan-f", 0),
        ("keberatan-musyawarah", 1),
        ("keberatan-belum_dijawab", 3),
        ("keberatan-terlambat", 2),
        ("keberatan-dijawab", 4),
        ("keberatan-tepat_waktu", 3),
        ("keberatan-dijawab_terlambat", 1),
        ("sengketa", 6),
        ("sengketa-dilaksanakan", 1),
    ):
        assert f'data-key="{key}">{count}<' in text, key
    assert "Sengketa informasi di Komisi Informasi" in text
    assert text.count("<svg") == 4

    book = load_workbook(BytesIO(client.get(reverse("ppid_reports:report_xlsx") + query).content))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=6, values_only=True)}
    assert summary["Keberatan yang diajukan"] == 7
    assert summary["Sengketa yang diajukan ke Komisi Informasi"] == 6
    grounds = list(book["Keberatan per alasan"].iter_rows(values_only=True))
    assert grounds[0] == ("Alasan keberatan (pasal 35 ayat 1 UU 14/2008)", "Jumlah")
    assert grounds[1] == (
        "a. Penolakan atas permintaan informasi berdasarkan alasan pengecualian "
        "sebagaimana dimaksud dalam Pasal 17",
        3,
    )
    assert [g[1] for g in grounds[1:]] == [3, 1, 1, 1, 1, 0, 0, 7]
    outcomes = dict(book["Hasil keberatan"].iter_rows(min_row=2, values_only=True))
    assert outcomes == {
        "Keberatan diterima": 1,
        "Keberatan diterima sebagian": 1,
        "Keberatan ditolak": 1,
        "Diselesaikan secara musyawarah": 1,
        "Belum dijawab": 3,
        "di antaranya melewati 30 hari kerja": 2,
        "Keberatan yang dijawab": 4,
        "dijawab dalam 30 hari kerja": 3,
        "dijawab melewati 30 hari kerja": 1,
    }
    disputes = list(book["Sengketa informasi"].iter_rows(min_row=2, values_only=True))
    assert disputes[0] == ("Sengketa yang diajukan ke Komisi Informasi", 6)
    assert [d[1] for d in disputes[1:]] == [1, 1, 1, 1, 1, 1]

    pdf = pdf_text(client.get(reverse("ppid_reports:report_pdf") + query).content)
    assert "Keberatan kepada Atasan PPID" in pdf
    assert "Diselesaikan secara musyawarah" in pdf
    assert "Putusan telah dilaksanakan" in pdf


@pytest.mark.django_db
def test_objection_and_dispute_tables_cost_a_fixed_number_of_queries(
    objections_2026: dict[int, Objection], at: list[dt.datetime]
) -> None:
    utama = scope_for("kabid.ikp")
    year = D(2026, 1, 1), D(2026, 12, 31)
    many = count_queries(lambda: service_report(utama, *year, today=TODAY))
    for objection in objections_2026.values():
        if hasattr(objection, "dispute"):
            objection.dispute.delete()
        objection.request.attachments.all().delete()
    Objection.objects.all().delete()
    assert count_queries(lambda: service_report(utama, *year, today=TODAY)) == many


# The objection register ------------------------------------------------------------------------


def objection_sheet(client: Client) -> list[tuple[object, ...]]:
    response = client.get(reverse("ppid_reports:objection_register_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-keberatan-')
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_objection_register_xlsx_has_the_rules_columns_and_masks_contacts(
    objections_2026: dict[int, Objection], client: Client
) -> None:
    headers = [str(header) for header, _width, _mm in OBJECTION_COLUMNS]
    assert headers == [
        "No",
        "Nomor registrasi keberatan",
        "Tanggal diterima",
        "Nama pemohon/kuasa",
        "Nomor telepon/surel",
        "Nomor pendaftaran permohonan",
        "Informasi yang dimohon",
        "Tujuan penggunaan informasi",
        "Alasan keberatan",
        "Keputusan Atasan PPID",
        "Tanggal tanggapan",
        "Nama dan jabatan Atasan PPID",
        "Tanggapan pemohon",
    ]
    client.force_login(user("kadis.dpmptsp"))  # head of the OPD, not a PPID role
    rows = objection_sheet(client)
    assert str(rows[0][0]).startswith("Register Keberatan Informasi Publik")
    assert list(rows[2]) == headers
    body = [dict(zip(headers, row, strict=True)) for row in rows[3:]]
    assert [r["Nomor registrasi keberatan"] for r in body] == [
        objections_2026[n].number for n in (3, 4, 7)
    ]  # the DPMPTSP's, oldest first
    first = body[0]
    assert first["No"] == 1
    assert first["Tanggal diterima"] == dt.datetime(2026, 4, 20)
    assert first["Nama pemohon/kuasa"] == "Budi Santoso"
    assert first["Nomor telepon/surel"] == "+62••••••••890, b•••@example.com"
    assert first["Nomor pendaftaran permohonan"] == objections_2026[3].request.number
    assert first["Informasi yang dimohon"] == ASKED.information
    assert first["Tujuan penggunaan informasi"] == "Penelitian skripsi"
    assert str(first["Alasan keberatan"]).startswith("a. Penolakan atas permintaan informasi")
    assert first["Keputusan Atasan PPID"] == "Keberatan diterima"
    assert first["Tanggal tanggapan"] == dt.datetime(2026, 4, 30)
    assert first["Nama dan jabatan Atasan PPID"] == "Dr. Ir. Hadi Purnomo, M.M., Atasan PPID"
    assert body[2]["Keputusan Atasan PPID"] == "Belum dijawab"
    assert body[2]["Tanggal tanggapan"] is None
    cells = " ".join(str(c) for r in rows for c in r)
    for secret in (NIK, "Melati", "+6281234567890", "budi@example.com"):
        assert secret not in cells

    client.force_login(user("ppid.dinsos"))  # the PPID Pelaksana sees their own requesters
    body = [dict(zip(headers, row, strict=True)) for row in objection_sheet(client)[3:]]
    assert [r["Nomor registrasi keberatan"] for r in body] == [
        objections_2026[n].number for n in (1, 2, 5, 6)
    ]
    assert body[0]["Nomor telepon/surel"] == "+6281234567890, budi@example.com"
    assert body[0]["Keputusan Atasan PPID"] == "Keberatan ditolak"
    assert NIK not in " ".join(str(v) for r in body for v in r.values())


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_objection_register_records_the_proxy_and_the_requesters_reaction(
    objections_2026: dict[int, Objection], client: Client
) -> None:
    objection = objections_2026[3]
    Objection.objects.filter(pk=objection.pk).update(proxy_name="Andi Wijaya")
    objections.objection_react(objection=objection, reaction="menerima")
    client.force_login(user("kabid.ikp"))
    rows = objection_sheet(client)
    headers = [str(h) for h in rows[2]]
    row = next(dict(zip(headers, r, strict=True)) for r in rows[3:] if r[1] == objection.number)
    assert row["Nama pemohon/kuasa"] == "Budi Santoso (kuasa: Andi Wijaya)"
    assert row["Tanggapan pemohon"] == "Menerima jawaban (01-12-2026)"


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_objection_register_pdf_and_the_links_from_its_page(
    objections_2026: dict[int, Objection], client: Client
) -> None:
    client.force_login(user("kadis.dpmptsp"))
    page = client.get(reverse("ppid:objections")).content.decode()
    assert reverse("ppid_reports:objection_register_xlsx") in page
    assert reverse("ppid_reports:objection_register_pdf") in page
    assert "d. Permintaan informasi ditanggapi tidak sebagaimana yang diminta" in page
    assert objections_2026[1].number not in page  # Dinas Sosial's
    response = client.get(reverse("ppid_reports:objection_register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Register Keberatan Informasi Publik" in text
    for header, _width, _mm in OBJECTION_COLUMNS:
        assert all(word in text for word in re.split(r"[\s/]+", str(header))), header
    joined = text.replace("/ ", "/")
    assert all(objections_2026[n].number in joined for n in (3, 4, 7))
    assert objections_2026[1].number not in joined
    assert "Diselesaikan secara musyawarah" in text
    for secret in (NIK, "Melati", "budi@example.com"):
        assert secret not in text
    assert "•••" in text


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_objection_register_exports_cost_a_fixed_number_of_queries(
    objections_2026: dict[int, Objection], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    url = reverse("ppid_reports:objection_register_xlsx")
    many = count_queries(lambda: client.get(url))
    Objection.objects.filter(pk__in=[objections_2026[7].pk]).delete()
    assert count_queries(lambda: client.get(url)) == many
