"""The DIP's monthly availability report and six-monthly monitoring: the numbers from known
data, period boundaries on the Pemda's wall clock, who sees which lines, the XLSX and PDF, and
a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from terbuka.core import audit, clock
from terbuka.organizations.access import build_scope
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import actions, models
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    DipEntry,
    Document,
    DocumentVersion,
    DownloadDay,
    EntryStatus,
    Submission,
    TextStatus,
)
from terbuka.public_information.reports import (
    availability_report,
    completeness_score,
    monitoring_report,
    month_period,
    report_opds,
    semester_period,
)
from terbuka.public_information.tests.conftest import MakeEntry

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def user(username: str) -> User:
    return User.objects.get(username=username)


def opd(code: str) -> Opd:
    return Opd.objects.get(code=code)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def link(entry: DipEntry) -> Document:
    return Document.objects.create(
        entry=entry, title=entry.title, url="https://contoh.example/dok", created_at=clock.now()
    )


def unreadable(entry: DipEntry) -> Document:
    document = Document.objects.create(entry=entry, title="Pindaian", created_at=clock.now())
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file="dip/2026/03/pindaian.pdf",
        name="pindaian.pdf",
        kind="pdf",
        size=10,
        sha256="0" * 64,
        text_status=TextStatus.FAILED,
        uploaded_at=clock.now(),
        uploaded_by=user("ppid.dpmptsp"),
    )
    document.current = version
    document.save(update_fields=["current"])
    return document


def closing_test(demo: Pemda, until: dt.date, code: str = "dpmptsp") -> ConsequenceTest:
    return ConsequenceTest.objects.create(
        pemda=demo,
        opd=opd(code),
        number=f"UK/{until:%Y%m%d}",
        information="Data pribadi",
        grounds=["h"],
        harm="Rahasia pribadi",
        public_interest="Tidak ada",
        result=models.TestResult.CLOSE,
        exempt_until=until,
        decided_by=user("kabid.ikp"),
        decided_by_position="PPID Utama",
        decided_on=dt.date(2026, 1, 5),
        place="Nusa Harapan",
        approved_on=dt.date(2026, 1, 6),
        created_at=clock.now(),
    )


@pytest.fixture
def dip(demo: Pemda, make_entry: MakeEntry, at: list[dt.datetime]) -> dict[str, DipEntry]:
    """DPMPTSP's DIP on 17 March 2026 (10:00 WIB), with entries established on either side of
    the month's boundaries in WIB, and one Diskominfo entry."""
    berkala = {"category": Category.BERKALA}
    entries = {
        # Established 1 March 00:30 WIB, which is still 28 February in UTC and in Honolulu.
        "maret": make_entry(
            title="Renstra", published_at=wib(2026, 3, 1, 0, 30), download_count=7, **berkala,
            refreshed_on=dt.date(2026, 3, 2), refresh_due_on=dt.date(2026, 9, 2),
        ),
        # Established 28 February 23:30 WIB.
        "februari": make_entry(
            title="LKjIP", published_at=wib(2026, 2, 28, 23, 30), download_count=5, **berkala,
            refreshed_on=dt.date(2025, 9, 10), refresh_due_on=dt.date(2026, 3, 10),
        ),
        "lama": make_entry(title="Daftar izin", published_at=wib(2025, 11, 3, 9, 0)),
        "tanpa_tanggal": make_entry(title="SOP perizinan", category=Category.SERTA_MERTA),
        "draf": make_entry(title="Standar pelayanan", status=EntryStatus.DRAFT, download_count=1),
        "dicabut": make_entry(title="Lama", status=EntryStatus.WITHDRAWN),
        "kominfo": make_entry("diskominfo", title="Rencana kerja", download_count=2),
    }  # fmt: skip
    link(entries["maret"])
    link(entries["maret"])
    link(entries["lama"])
    unreadable(entries["draf"])
    due = closing_test(demo, dt.date(2026, 4, 10))  # within 30 days of 17 March
    later = closing_test(demo, dt.date(2028, 12, 31))
    for title, test in (("Data pemohon", due), ("Data pegawai", due), ("Data usaha", later)):
        entries[title] = make_entry(
            title=title,
            category=Category.DIKECUALIKAN,
            exemption=test,
            published_at=wib(2026, 1, 20, 8, 0),
        )
    return entries


# --- the monthly availability report --------------------------------------------------------


def test_the_monthly_report_counts_a_body_s_dip(
    demo: Pemda, dip: dict[str, DipEntry], at: list[dt.datetime]
) -> None:
    march = month_period(2026, 3, demo)
    report = availability_report([opd("dpmptsp")], march, today=dt.date(2026, 3, 17))
    (row,) = report.rows
    assert (row.berkala, row.serta_merta, row.setiap_saat, row.dikecualikan) == (2, 1, 1, 3)
    assert row.in_dip == 7
    assert row.in_process == 1  # the draft
    assert row.established == 1  # published 1 March 00:30 WIB
    assert (row.online, row.offline, row.documents) == (2, 2, 3)
    assert row.downloads == 13  # 7 + 5 + the draft's 1: counted since first published
    assert row.refreshed == 1
    assert row.overdue == 1  # LKjIP: due 10 March
    assert row.text_failed == 1
    assert report.as_of == dt.date(2026, 3, 17)

    february = availability_report(
        [opd("dpmptsp")], month_period(2026, 2, demo), today=dt.date(2026, 3, 17)
    )
    (row,) = february.rows
    assert row.established == 1  # LKjIP, 28 February 23:30 WIB
    assert row.berkala == 1  # Renstra was established after February ended
    assert row.overdue == 0  # on 28 February LKjIP was not yet due
    assert row.refreshed == 0
    assert february.as_of == dt.date(2026, 2, 28)


def test_downloads_of_a_period_are_those_of_its_days(
    demo: Pemda, dip: dict[str, DipEntry], client: Client
) -> None:
    renstra = Document.objects.filter(entry=dip["maret"]).earliest("pk")
    old = Document.objects.get(entry=dip["lama"])
    kominfo = link(dip["kominfo"])
    for document, day, count in (
        (renstra, dt.date(2026, 2, 28), 4),  # the day before March
        (renstra, dt.date(2026, 3, 1), 3),
        (old, dt.date(2026, 3, 31), 2),
        (old, dt.date(2026, 4, 1), 5),  # the day after
        (kominfo, dt.date(2026, 3, 5), 6),  # another body's
        (kominfo, dt.date(2026, 7, 1), 1),  # the second semester
    ):
        DownloadDay.objects.create(document=document, day=day, count=count)
    bodies = [opd("dpmptsp"), opd("diskominfo")]
    march = availability_report(bodies, month_period(2026, 3, demo), today=dt.date(2026, 4, 9))
    assert [row.downloads_in_period for row in march.rows] == [5, 6]
    assert march.total.downloads_in_period == 11
    semester = monitoring_report(bodies, semester_period(2026, 1, demo), today=dt.date(2026, 7, 9))
    assert [row.downloads_in_period for row in semester.rows] == [14, 6]

    client.force_login(user("kabid.ikp"))
    page = client.get(reverse("dip:report_monthly"), {"bulan": "3", "tahun": "2026"})
    assert 'data-key="downloads_in_period">5<' in page.content.decode()
    xlsx = client.get(reverse("dip:report_monthly_xlsx"), {"bulan": "3", "tahun": "2026"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    headers = [cell.value for row in sheet.iter_rows(max_row=6) for cell in row]
    assert "Unduhan bulan ini" in headers


def test_month_and_semester_boundaries_are_the_pemdas_wall_clock(demo: Pemda) -> None:
    march = month_period(2026, 3, demo)
    assert march.starts_at == wib(2026, 3, 1)
    assert march.ends_at == wib(2026, 4, 1)
    assert march.starts_at.astimezone(dt.UTC) == dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC)
    assert month_period(2026, 12, demo).end == dt.date(2026, 12, 31)
    assert month_period(2028, 2, demo).end == dt.date(2028, 2, 29)
    second = semester_period(2026, 2, demo)
    assert (second.start, second.end) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert second.ends_at == wib(2027, 1, 1)
    assert second.label == "Semester II Tahun 2026"
    demo.time_zone = "Asia/Jayapura"
    assert month_period(2026, 3, demo).starts_at.utcoffset() == dt.timedelta(hours=9)
    with pytest.raises(ValueError, match="semester"):
        semester_period(2026, 3, demo)


def test_the_monthly_page_xlsx_and_pdf(
    demo: Pemda, dip: dict[str, DipEntry], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))  # PPID Utama: every OPD
    page = client.get(reverse("dip:report_monthly"))
    assert page.status_code == 200
    report = page.context["report"]
    assert report.period.label == "Maret 2026"
    assert len(report.rows) == Opd.objects.filter(pemda=demo, is_active=True).count()
    assert report.total.in_dip == 8  # DPMPTSP's 7 and Diskominfo's 1
    assert report.total.downloads == 15
    content = page.content.decode()
    assert "Laporan Bulanan Ketersediaan Informasi Publik Maret 2026" in content
    assert reverse("dip:report_monthly_pdf") in content

    february = client.get(reverse("dip:report_monthly"), {"bulan": "2", "tahun": "2026"})
    assert february.context["report"].total.established == 1

    xlsx = client.get(reverse("dip:report_monthly_xlsx"), {"bulan": "3", "tahun": "2026"})
    assert (
        xlsx["Content-Disposition"] == 'attachment; filename="ketersediaan-informasi-2026-03.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Laporan Bulanan Ketersediaan Informasi Publik Maret 2026"
    header = rows.index(next(r for r in rows if r[0] == "Badan publik"))
    line = next(r for r in rows[header:] if r[0] == opd("dpmptsp").name)
    assert line[1:5] == (2, 1, 1, 3)
    assert rows[-1][0] == "Jumlah"
    assert rows[-1][5] == 8

    pdf = client.get(reverse("dip:report_monthly_pdf"), {"bulan": "3", "tahun": "2026"})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Maret 2026" in " ".join(text.split())
    assert "Dinas Penanaman Modal" in " ".join(text.split())

    bad = client.get(reverse("dip:report_monthly"), {"bulan": "13"})
    assert bad.status_code == 200
    assert bad.context["form"].errors
    assert client.get(reverse("dip:report_monthly_xlsx"), {"bulan": "13"}).status_code == 404


# --- the six-monthly monitoring ---------------------------------------------------------------


def test_the_monitoring_report_scores_each_opd(
    demo: Pemda, dip: dict[str, DipEntry], at: list[dt.datetime]
) -> None:
    dpmptsp = opd("dpmptsp")
    submitter = user("ppid.dpmptsp")
    for moment, rounds in (
        (wib(2025, 12, 31, 23, 30), 1),  # the semester before, on the Pemda's clock
        (wib(2026, 1, 1, 0, 30), 2),
        (wib(2026, 3, 2, 9, 0), 1),
    ):
        Submission.objects.create(
            pemda=demo, opd=dpmptsp, submitted_at=moment, submitted_by=submitter, rounds=rounds
        )
    for moment in (wib(2025, 12, 31, 23, 0), wib(2026, 1, 2, 9, 0)):
        at[0] = moment
        audit.record(action=actions.RETURNED, actor=user("petugas.ppid"), opd_id=dpmptsp.pk)
    at[0] = wib(2026, 3, 17, 10, 0)

    report = monitoring_report(
        [dpmptsp, opd("dinsos")], semester_period(2026, 1, demo), today=dt.date(2026, 3, 17)
    )
    row, empty = report.rows
    assert row.in_dip == 7
    assert row.established == 5  # Renstra, LKjIP and the three exempt entries
    assert (row.public, row.with_documents) == (4, 2)
    assert (row.berkala, row.berkala_current) == (2, 1)
    assert (row.exempt, row.exempt_due, row.retest_due) == (3, 2, 1)
    assert (row.submissions, row.rounds, row.returns) == (2, 3, 1)
    assert row.downloads == 13
    # mean(2/4 with documents, 1/2 berkala up to date, 1/3 exempt not due) = 0.444…
    assert row.score == 44
    assert report.retest_by == dt.date(2026, 4, 16)
    assert empty.in_dip == 0
    assert empty.score == 0
    assert report.total.in_dip == 7
    assert report.total.score == 44


@pytest.mark.parametrize(
    ("counts", "score"),
    [
        ({"in_dip": 0}, 0),
        ({"in_dip": 3, "public": 3, "with_documents": 3}, 100),
        ({"in_dip": 4, "public": 4, "with_documents": 1}, 25),
        ({"in_dip": 2, "public": 2, "with_documents": 2, "berkala": 2, "overdue": 2}, 50),
        ({"in_dip": 1, "exempt": 1, "exempt_due": 0}, 100),
    ],
)
def test_completeness_score(counts: dict[str, int], score: int) -> None:
    values = dict.fromkeys(
        ("in_dip", "public", "with_documents", "berkala", "overdue", "exempt", "exempt_due"), 0
    )
    assert completeness_score(**(values | counts)) == score


def test_the_monitoring_page_chart_xlsx_and_pdf(
    demo: Pemda, dip: dict[str, DipEntry], client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    page = client.get(reverse("dip:report_monitoring"))
    assert page.status_code == 200
    assert page.context["report"].period.label == "Semester I Tahun 2026"
    content = page.content.decode()
    assert 'data-chart="skor"' in content
    assert "<svg" in content  # drawn on the server: no chart library, no CDN
    assert "chart.js" not in content.lower()
    assert "cdn" not in content.lower()
    assert f'data-bar="{opd("dpmptsp").pk}"' in content
    assert "44%" in content

    xlsx = client.get(reverse("dip:report_monitoring_xlsx"), {"semester": "1", "tahun": "2026"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="monev-dip-2026-s1.xlsx"'
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True))
    line = next(r for r in rows if r[0] == opd("dpmptsp").name)
    assert line[1] == 7
    assert line[-1] == 44

    pdf = client.get(reverse("dip:report_monitoring_pdf"), {"semester": "1", "tahun": "2026"})
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Semester I Tahun 2026" in text
    assert "Skor kelengkapan DIP per perangkat daerah" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height

    second = client.get(reverse("dip:report_monitoring"), {"semester": "2", "tahun": "2025"})
    assert second.context["report"].total.established == 1  # Daftar izin, November 2025
    assert client.get(reverse("dip:report_monitoring_pdf"), {"semester": "3"}).status_code == 404


# --- who sees which lines -------------------------------------------------------------------


def test_the_ppid_utama_sees_every_opd_and_a_team_its_own(
    demo: Pemda, dip: dict[str, DipEntry], client: Client
) -> None:
    everyone = report_opds(build_scope(user("kabid.ikp"), dt.date(2026, 3, 17)), demo)
    assert len(everyone) == Opd.objects.filter(pemda=demo, is_active=True).count()
    own = report_opds(build_scope(user("admin.dpmptsp"), dt.date(2026, 3, 17)), demo)
    assert own == [opd("dpmptsp")]

    client.force_login(user("ppid.dpmptsp"))
    for name in ("report_monthly", "report_monitoring"):
        rows = client.get(reverse(f"dip:{name}")).context["report"].rows
        assert [row.name for row in rows] == [opd("dpmptsp").name]
    client.force_login(user("kadis.dpmptsp"))  # no part in the DIP
    for name in ("report_monthly", "report_monthly_xlsx", "report_monitoring_pdf"):
        assert client.get(reverse(f"dip:{name}")).status_code == 404


def count_queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context.captured_queries)


def test_each_report_page_costs_the_same_queries_for_one_or_five_opds(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("kabid.ikp"))
    pages = ("report_monthly", "report_monitoring", "report_monthly_xlsx")

    def fill(codes: list[str]) -> None:
        for code in codes:
            entry = make_entry(code, title=f"Renstra {code}", published_at=wib(2026, 3, 2, 9))
            DownloadDay.objects.create(document=link(entry), day=dt.date(2026, 3, 3), count=2)
            make_entry(
                code,
                title=f"Data {code}",
                category=Category.DIKECUALIKAN,
                exemption=closing_test(demo, dt.date(2026, 4, 1), code),
            )
            Submission.objects.create(
                pemda=demo, opd=opd(code), submitted_at=clock.now(),
                submitted_by=user("kabid.ikp"), rounds=1,
            )  # fmt: skip

    def costs() -> dict[str, int]:
        return {name: count_queries(partial(client.get, reverse(f"dip:{name}"))) for name in pages}

    fill(["dpmptsp"])
    one = costs()
    fill(["diskominfo", "dinsos", "bappeda", "disdik"])
    five = costs()
    assert five == one
    report = client.get(reverse("dip:report_monitoring")).context["report"]
    assert sum(1 for row in report.rows if row.in_dip) == 5
