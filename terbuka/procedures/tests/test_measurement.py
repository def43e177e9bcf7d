"""Measuring SOPs against their mutu baku from real runs: the figures per step and per SOP,
the open work, the dashboard, its XLSX, the monitoring form, who may see them, and query
counts that do not grow with the number of cases.

The runs (February 2026, WIB; no holiday from 3 to 13 February). Each case starts at 09:00;
step 1 "terima" (30 menit: office minutes) takes the minutes given, step 2 "periksa"
(2 hari: working days) ends at 10:00 on the day given, step 3 "arsip" (Tentatif) 5 minutes
later.

* SOP Uji Lambat, Diskominfo: (10, 4), (20, 5), (30, 5), (40, 6), (50, 10) and one case left
  at "periksa" after 60 minutes of "terima" (due 5 February 16:00);
  DPMPTSP: (100, 4), (200, 4).
* SOP Uji Cepat, Diskominfo: (10, 4), (10, 4), (20, 4), (40, 5), one case started 19
  February and left at "terima" (due 09:30), one cancelled.
* SOP Uji Kosong: owned by Diskominfo, never run.

The clock then stands at Friday 20 February 2026 10:00 WIB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from terbuka.core import clock
from terbuka.organizations.access import Scope, build_scope
from terbuka.organizations.demo import demo_load
from terbuka.organizations.models import Opd, Pemda, Position, PositionHolding, User
from terbuka.procedures import services
from terbuka.procedures.library import library_load, sop_save_version
from terbuka.procedures.measurement import (
    OpenWork,
    SopMeasure,
    StepMeasure,
    monitoring_sheet,
    open_work,
    percentile_nearest_rank,
    runs_well,
    sop_measures,
    step_measures,
)
from terbuka.procedures.models import Case, Sop, StepRun, StepRunStatus

WIB = ZoneInfo("Asia/Jakarta")
URLS = "terbuka.procedures.tests.urls_measurement_test"
NOW = dt.datetime(2026, 2, 20, 10, 0, tzinfo=WIB)

SOP_SOURCE = """\
format: terbuka-sop/1
id: {code}
name: {name}
agency:
  pemda: Pemerintah Kabupaten Nusa Harapan
  opd: Dinas Komunikasi dan Informatika
lanes:
  - {{id: staf, label: Staf, kind: internal, role: staf}}
  - {{id: kasi, label: Kepala Seksi, kind: internal, role: kepala_seksi}}
steps:
  - {{no: 1, id: terima, activity: Menerima berkas, lane: staf, symbol: start,
     time: 30 menit, next: periksa}}
  - {{no: 2, id: periksa, activity: Memeriksa berkas, lane: kasi, symbol: process,
     time: 2 hari, next: arsip}}
  - {{no: 3, id: arsip, activity: Mengarsipkan berkas, lane: staf, symbol: end,
     time: Tentatif}}
"""


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 2, day, hour, minute, tzinfo=WIB)


def user(username: str) -> User:
    return User.objects.get(username=username)


def scope_for(username: str) -> Scope:
    return build_scope(user(username), NOW.date())


class Clock:
    """Moves :func:`terbuka.core.clock.now` for the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = NOW
        monkeypatch.setattr(clock, "now", lambda: self.moment)


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def demo(db: None, moving_clock: Clock) -> Pemda:
    demo_load()
    pemda = Pemda.objects.get()
    library_load(pemda=pemda)
    return pemda


def make_sop(pemda: Pemda, code: str, name: str, opd: Opd | None = None) -> Sop:
    source = SOP_SOURCE.format(code=code, name=name)
    sop_save_version(pemda=pemda, source=source, actor=None, opd=opd, filename=f"{code}.yaml")
    return Sop.objects.get(pemda=pemda, code=code)


def open_run(case: Case) -> StepRun:
    return case.step_runs.get(status=StepRunStatus.OPEN)


def run_case(
    timer: Clock,
    sop: Sop,
    opd: str,
    *,
    terima: int | None,
    periksa_on: int | None = None,
    day: int = 3,
    minute: int = 0,
) -> Case:
    """Start at 09:``minute`` on ``day``; "terima" takes ``terima`` minutes and "periksa"
    ends at 10:00 on ``periksa_on``, "arsip" 5 minutes later. ``None`` leaves a step open."""
    actor = user("operator")
    timer.moment = at(day, 9, minute)
    case = services.case_start(
        sop=sop, opd=Opd.objects.get(code=opd), actor=actor, title=f"{sop.code} {opd}"
    )
    if terima is not None:
        timer.moment = at(day, 9, minute) + dt.timedelta(minutes=terima)
        services.step_complete(step_run=open_run(case), actor=actor)
        if periksa_on is not None:
            timer.moment = at(periksa_on, 10)
            services.step_complete(step_run=open_run(case), actor=actor)
            timer.moment += dt.timedelta(minutes=5)
            services.step_complete(step_run=open_run(case), actor=actor)
    timer.moment = NOW
    return case


@pytest.fixture
def runs(demo: Pemda, moving_clock: Clock) -> dict[str, Sop]:
    slow = make_sop(demo, "uji-lambat", "SOP Uji Lambat")
    fast = make_sop(demo, "uji-cepat", "SOP Uji Cepat")
    idle = make_sop(demo, "uji-kosong", "SOP Uji Kosong", opd=Opd.objects.get(code="diskominfo"))
    for terima, periksa_on in [(10, 4), (20, 5), (30, 5), (40, 6), (50, 10)]:
        run_case(moving_clock, slow, "diskominfo", terima=terima, periksa_on=periksa_on)
    run_case(moving_clock, slow, "diskominfo", terima=60)
    for terima in (100, 200):
        run_case(moving_clock, slow, "dpmptsp", terima=terima, periksa_on=4)
    for terima, periksa_on in [(10, 4), (10, 4), (20, 4), (40, 5)]:
        run_case(moving_clock, fast, "diskominfo", terima=terima, periksa_on=periksa_on)
    run_case(moving_clock, fast, "diskominfo", terima=None, day=19)
    cancelled = run_case(moving_clock, fast, "diskominfo", terima=None)
    services.case_cancel(case=cancelled, actor=user("operator"), reason="Salah input")
    return {"slow": slow, "fast": fast, "idle": idle}


def by_step(measures: list[StepMeasure], sop: Sop) -> dict[str, StepMeasure]:
    return {m.step_id: m for m in measures if m.sop_id == sop.pk}


def figures(m: StepMeasure) -> tuple[object, ...]:
    return (m.runs, m.median, m.p90, m.standard, m.unit_label, m.within, m.measured)


# Figures ---------------------------------------------------------------------------------------


def test_nearest_rank_percentile() -> None:
    assert percentile_nearest_rank([]) is None
    assert percentile_nearest_rank([7.0]) == 7.0
    assert percentile_nearest_rank([1.0, 2.0, 3.0, 4.0]) == 4.0  # ceil(3.6) = 4th
    values = [float(v) for v in range(1, 11)]
    assert percentile_nearest_rank(values) == 9.0  # ceil(9.0) = 9th
    assert percentile_nearest_rank([*values, 11.0]) == 10.0  # ceil(9.9) = 10th


@pytest.mark.django_db
def test_step_measures_of_an_opd_head(runs: dict[str, Sop]) -> None:
    measures = step_measures(scope_for("kadis.kominfo"))
    slow, fast = by_step(measures, runs["slow"]), by_step(measures, runs["fast"])
    assert list(slow) == ["terima", "periksa", "arsip"]  # in the SOP's order
    # terima: 10 20 30 40 50 60 office minutes; 3 of 6 within 30 minutes.
    assert figures(slow["terima"]) == (6, 35.0, 60.0, 30.0, "menit kerja", 3, 6)
    assert slow["terima"].within_percent == 50.0
    assert slow["terima"].standard_raw == "30 menit"
    # periksa: 1 2 2 3 5 working days; 3 of 5 within 2 days.
    assert figures(slow["periksa"]) == (5, 2.0, 5.0, 2.0, "hari kerja", 3, 5)
    assert slow["periksa"].within_percent == 60.0
    # arsip: Tentatif, no time measured.
    assert figures(slow["arsip"]) == (5, None, None, None, "", 0, 0)
    assert slow["arsip"].within_share is None
    assert slow["arsip"].standard_raw == "Tentatif"
    assert figures(fast["terima"]) == (4, 15.0, 40.0, 30.0, "menit kerja", 3, 4)
    assert figures(fast["periksa"]) == (4, 1.0, 2.0, 2.0, "hari kerja", 4, 4)
    assert [m.sop_name for m in measures][:1] == ["SOP Uji Cepat"]  # sorted by SOP name


@pytest.mark.django_db
def test_step_measures_across_the_pemda_and_filtered(runs: dict[str, Sop]) -> None:
    operator = scope_for("operator")
    slow = by_step(step_measures(operator, sop=runs["slow"]), runs["slow"])
    assert {m.sop_id for m in step_measures(operator, sop=runs["slow"])} == {runs["slow"].pk}
    # terima adds DPMPTSP's 100 and 200: 10 20 30 40 50 60 100 200.
    assert figures(slow["terima"]) == (8, 45.0, 200.0, 30.0, "menit kerja", 3, 8)
    # periksa adds 1 and 1: 1 1 1 2 2 3 5.
    assert figures(slow["periksa"]) == (7, 2.0, 5.0, 2.0, "hari kerja", 5, 7)
    # From 4 February (WIB) on, no "terima" was completed.
    later = step_measures(operator, sop=runs["slow"], period_start=dt.date(2026, 2, 4), tz=WIB)
    assert [m.step_id for m in later] == ["periksa", "arsip"]
    only_fifth = step_measures(
        operator,
        sop=runs["slow"],
        period_start=dt.date(2026, 2, 5),
        period_end=dt.date(2026, 2, 5),
        tz=WIB,
    )
    assert figures(only_fifth[0]) == (2, 2.0, 2.0, 2.0, "hari kerja", 2, 2)


@pytest.mark.django_db
def test_sop_measures(runs: dict[str, Sop]) -> None:
    measures = {m.sop_id: m for m in sop_measures(scope_for("operator"))}
    assert set(measures) == {runs["slow"].pk, runs["fast"].pk}
    slow, fast = measures[runs["slow"].pk], measures[runs["fast"].pk]
    assert (slow.started, slow.completed, slow.cancelled, slow.open) == (8, 7, 0, 1)
    # Diskominfo 3+3 of 6+5 timed steps, DPMPTSP 0+2 of 2+2.
    assert (slow.steps_completed, slow.within, slow.measured) == (22, 8, 15)
    assert (slow.overdue, slow.late) == (1, 1)  # periksa due 5 February 16:00
    assert (fast.started, fast.completed, fast.cancelled, fast.open) == (6, 4, 1, 1)
    assert (fast.steps_completed, fast.within, fast.measured) == (12, 7, 8)
    assert fast.within_percent == 87.5
    assert (fast.overdue, fast.late) == (1, 0)  # terima due 19 February 09:30: one day late

    head = {m.sop_id: m for m in sop_measures(scope_for("kadis.dpmptsp"))}
    assert list(head) == [runs["slow"].pk]
    assert (head[runs["slow"].pk].started, head[runs["slow"].pk].within) == (2, 2)
    # Cases started on 19 February or later: only the open fast one.
    recent = sop_measures(scope_for("operator"), period_start=dt.date(2026, 2, 19), tz=WIB)
    assert [(m.sop_name, m.started, m.open, m.steps_completed) for m in recent] == [
        ("SOP Uji Cepat", 1, 1, 0),
        ("SOP Uji Lambat", 0, 0, 0),  # listed for its overdue step
    ]


@pytest.mark.django_db
def test_open_work_by_opd_and_person(runs: dict[str, Sop], moving_clock: Clock) -> None:
    fast_open = open_run(Case.objects.get(version__sop=runs["fast"], status="berjalan"))
    services.step_claim(step_run=fast_open, actor=user("staf.humas"))
    run_case(moving_clock, runs["slow"], "dpmptsp", terima=None, day=20, minute=45)  # due 10:15

    work = open_work(scope_for("operator"), NOW)
    assert [(r.opd_name, r.open, r.overdue) for r in work.by_opd] == [
        ("Dinas Komunikasi dan Informatika", 2, 2),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 1, 0),
    ]
    assert (work.open, work.overdue) == (3, 2)
    rows = {(r.kind, r.label): r for r in work.by_person}
    assert set(rows) == {
        ("person", "Yoga Pratama"),
        ("position", "Kepala Seksi Pengelolaan Informasi Publik"),
        ("position", "Staf Pengolah Data Sekretariat"),
    }
    kasi = rows[("position", "Kepala Seksi Pengelolaan Informasi Publik")]
    assert (kasi.open, kasi.overdue, kasi.holders) == (1, 1, ("Hendra Gunawan, S.Kom.",))
    assert (rows[("person", "Yoga Pratama")].open, rows[("person", "Yoga Pratama")].overdue) == (
        1,
        1,
    )
    assert rows[("position", "Staf Pengolah Data Sekretariat")].holders == ("Siti Rahmawati",)

    head = open_work(scope_for("kadis.dpmptsp"), NOW)
    assert [(r.opd_name, r.open, r.overdue) for r in head.by_opd] == [
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 1, 0)
    ]
    assert open_work(scope_for("kadis.dpmptsp"), at(21, 9)).overdue == 1


# Monitoring rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, None),  # nothing happened: not assessable
        ({"started": 1}, True),  # no timed step yet, nothing late
        ({"started": 5, "steps_completed": 10, "within": 8, "measured": 10}, True),  # 80%
        ({"started": 5, "steps_completed": 10, "within": 7, "measured": 10}, False),  # 70%
        ({"started": 5, "steps_completed": 10, "within": 10, "measured": 10, "late": 1}, False),
        ({"late": 1}, False),  # a step stuck from an earlier semester
    ],
)
def test_runs_well_rule(counts: dict[str, int], expected: bool | None) -> None:
    assert runs_well(SopMeasure(sop_id=1, sop_name="x", **counts)) is expected


@pytest.mark.django_db
def test_monitoring_sheet_is_prefilled_from_the_figures(runs: dict[str, Sop]) -> None:
    sheet = monitoring_sheet(scope_for("kadis.kominfo"), year=2026, semester=1, tz=WIB)
    assert (sheet.start, sheet.end, sheet.cutoff) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        NOW,
    )
    rows = {row.sop_name: row for row in sheet.rows}
    assert [row.sop_name for row in sheet.rows] == [
        "SOP Uji Cepat",
        "SOP Uji Kosong",
        "SOP Uji Lambat",
    ]
    assert [row.no for row in sheet.rows] == [1, 2, 3]
    fast, idle, slow = rows["SOP Uji Cepat"], rows["SOP Uji Kosong"], rows["SOP Uji Lambat"]
    assert (fast.runs_well, fast.assessment, fast.action) == (True, "Berjalan dengan baik", "-")
    assert fast.notes == (
        "6 kasus dimulai (4 selesai, 1 berjalan, 1 dibatalkan). 87,5% langkah selesai dalam "
        "standar waktu (7 dari 8). Langkah paling lambat: 1. Menerima berkas — median 15 "
        "menit kerja, standar 30 menit kerja."
    )
    assert (slow.runs_well, slow.assessment) == (False, "Tidak berjalan dengan baik")
    assert slow.notes == (
        "6 kasus dimulai (5 selesai, 1 berjalan, 0 dibatalkan). 54,5% langkah selesai dalam "
        "standar waktu (6 dari 11). Langkah paling lambat: 1. Menerima berkas — median 35 "
        "menit kerja, standar 30 menit kerja. 1 langkah terlambat lebih dari 7 hari dari "
        "tenggat."
    )
    assert slow.action == (
        "Tinjau langkah 1 (Menerima berkas): median 35 menit kerja melebihi standar 30 menit "
        "kerja; periksa beban kerja pelaksana atau revisi mutu baku waktu. Selesaikan 1 "
        "langkah yang terlambat lebih dari 7 hari."
    )
    assert (idle.runs_well, idle.assessment, idle.notes, idle.action) == (
        None,
        "Belum dapat dinilai",
        "Tidak ada kasus pada semester ini.",
        "-",
    )
    # The semester before: nothing was run, the owned SOP is listed all the same.
    earlier = monitoring_sheet(scope_for("kadis.kominfo"), year=2025, semester=2, tz=WIB)
    assert [(r.sop_name, r.runs_well) for r in earlier.rows] == [("SOP Uji Kosong", None)]


# Pages -------------------------------------------------------------------------------------------


def page(client: Client, username: str, name: str, query: str = "") -> Any:
    client.force_login(user(username))
    return client.get(reverse(f"measurement:{name}") + query)


@pytest.mark.django_db
@pytest.mark.urls(URLS)
@pytest.mark.parametrize("username", ["staf.humas", "kasi.pip", "petugas.ppid", "admin.kominfo"])
@pytest.mark.parametrize("name", ["dashboard", "export", "monitoring"])
def test_staff_without_a_head_role_get_404(
    runs: dict[str, Sop], client: Client, username: str, name: str
) -> None:
    assert page(client, username, name).status_code == 404


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_dashboard_requires_sign_in(runs: dict[str, Sop], client: Client) -> None:
    response = client.get(reverse("measurement:dashboard"))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_an_opd_head_sees_only_their_opd(runs: dict[str, Sop], client: Client) -> None:
    response = page(client, "kadis.kominfo", "dashboard")
    assert response.status_code == 200
    shown = response.context["figures"]
    slow = by_step(shown.steps, runs["slow"])
    assert figures(slow["terima"]) == (6, 35.0, 60.0, 30.0, "menit kerja", 3, 6)
    assert [r.opd_name for r in shown.work.by_opd] == ["Dinas Komunikasi dan Informatika"]
    html = response.content.decode()
    assert "SOP Uji Lambat" in html
    assert "Staf Pengolah Data Sekretariat" not in html
    assert "Dinas Penanaman Modal" not in html.split('id="menu-petugas"')[1].split("<select")[0]

    dpmptsp = Opd.objects.get(code="dpmptsp")
    assert page(client, "kadis.kominfo", "dashboard", f"?opd={dpmptsp.pk}").status_code == 404
    idle = runs["idle"].pk
    assert page(client, "kadis.dpmptsp", "dashboard", f"?sop={idle}").status_code == 404
    assert page(client, "kadis.kominfo", "dashboard", f"?sop={idle}").status_code == 200

    # Holding another seat without a head role in DPMPTSP does not open its figures.
    PositionHolding.objects.create(
        position=Position.objects.get(opd=dpmptsp, code="staf-it"),
        user=user("kadis.kominfo"),
        starts_on=dt.date(2025, 1, 2),
    )
    again = page(client, "kadis.kominfo", "dashboard")
    slow = by_step(again.context["figures"].steps, runs["slow"])
    assert slow["terima"].runs == 6
    assert page(client, "kadis.kominfo", "dashboard", f"?opd={dpmptsp.pk}").status_code == 404


@pytest.mark.django_db
@pytest.mark.urls(URLS)
@pytest.mark.parametrize("username", ["operator", "kabid.ikp", "kabid.statistik"])
def test_operators_ppid_utama_and_walidata_see_every_opd(
    runs: dict[str, Sop], client: Client, username: str
) -> None:
    response = page(client, username, "dashboard")
    shown = response.context["figures"]
    assert by_step(shown.steps, runs["slow"])["terima"].runs == 8
    assert {m.sop_name: m.started for m in shown.sops} == {"SOP Uji Cepat": 6, "SOP Uji Lambat": 8}


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_dashboard_filters_by_sop_opd_and_period(runs: dict[str, Sop], client: Client) -> None:
    dpmptsp = Opd.objects.get(code="dpmptsp")
    response = page(
        client,
        "operator",
        "dashboard",
        f"?sop={runs['slow'].pk}&opd={dpmptsp.pk}&dari=2026-02-04&sampai=2026-02-04",
    )
    shown = response.context["figures"]
    assert [(m.step_id, m.runs, m.within) for m in shown.steps] == [
        ("periksa", 2, 2),
        ("arsip", 2, 0),
    ]
    # The cases started on 3 February; their steps completed on the 4th count.
    assert [(m.sop_name, m.started, m.steps_completed) for m in shown.sops] == [
        ("SOP Uji Lambat", 0, 4)
    ]
    assert shown.work.by_opd == []
    html = response.content.decode()
    assert "Memeriksa berkas" in html
    assert "Menerima berkas" not in html
    bad = page(client, "operator", "dashboard", "?dari=2026-02-10&sampai=2026-02-01")
    assert bad.context["figures"].start is None
    assert "Tanggal akhir harus sama atau sesudah tanggal awal." in bad.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_dashboard_shows_the_figures(runs: dict[str, Sop], client: Client) -> None:
    html = page(client, "kadis.kominfo", "dashboard").content.decode()
    slow_rows = html.split(f'data-sop="{runs["slow"].pk}"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in slow_rows.split("</td>")[:-1]]
    assert cells == ["6", "5", "0", "1", "16", "54,5%", "1"]
    terima = html.split(f'data-step="{runs["slow"].pk}:terima"')[1].split("</tr>")[0]
    assert "35 menit kerja" in terima
    assert "60 menit kerja" in terima
    assert "50%" in terima


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_xlsx_export_holds_the_same_figures(runs: dict[str, Sop], client: Client) -> None:
    response = page(client, "kadis.kominfo", "export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="kinerja-sop-20260220.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Per SOP", "Per langkah", "Beban kerja"]
    per_sop = list(book["Per SOP"].iter_rows(values_only=True))
    assert per_sop[0][0] == "SOP"
    assert per_sop[1:] == [
        ("SOP Uji Cepat", 6, 4, 1, 1, 12, 7, 8, 0.875, 1),
        ("SOP Uji Lambat", 6, 5, 0, 1, 16, 6, 11, 6 / 11, 1),
    ]
    per_step = list(book["Per langkah"].iter_rows(values_only=True))
    slow_terima = next(r for r in per_step if r[0] == "SOP Uji Lambat" and r[1] == 1)
    assert slow_terima == (
        "SOP Uji Lambat",
        1,
        "Menerima berkas",
        6,
        35,
        60,
        "menit kerja",
        30,
        "30 menit",
        3,
        6,
        0.5,
    )
    slow_arsip = next(r for r in per_step if r[0] == "SOP Uji Lambat" and r[1] == 3)
    assert slow_arsip == (
        "SOP Uji Lambat",
        3,
        "Mengarsipkan berkas",
        5,
        None,
        None,
        None,
        None,
        "Tentatif",
        0,
        0,
        None,
    )
    assert len(per_step) == 1 + 6
    workload = list(book["Beban kerja"].iter_rows(values_only=True))
    assert workload[1:] == [
        ("Per perangkat daerah", "Dinas Komunikasi dan Informatika", None, None, 2, 2),
        (
            "Per pelaksana",
            "Dinas Komunikasi dan Informatika",
            "Kepala Seksi Pengelolaan Informasi Publik",
            "Hendra Gunawan, S.Kom.",
            1,
            1,
        ),
        (
            "Per pelaksana",
            "Dinas Komunikasi dan Informatika",
            "Staf Seksi Komunikasi Publik",
            "Yoga Pratama",
            1,
            1,
        ),
    ]


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_monitoring_form_page_and_xlsx(runs: dict[str, Sop], client: Client) -> None:
    response = page(client, "kadis.kominfo", "monitoring", "?tahun=2026&semester=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Semester I Tahun 2026 (01-01-2026 – 30-06-2026)" in html

    def row(sop: Sop) -> str:
        return html.split(f'data-sop="{sop.pk}"')[1].split("</tr>")[0]

    assert "Berjalan dengan baik" in row(runs["fast"])
    assert "Tidak berjalan dengan baik" not in row(runs["fast"])
    assert "Tidak berjalan dengan baik" in row(runs["slow"])
    assert "54,5% langkah selesai dalam standar waktu (6 dari 11)" in row(runs["slow"])
    assert "median 35 menit kerja melebihi standar 30 menit kerja" in row(runs["slow"])
    assert "Belum dapat dinilai" in row(runs["idle"])
    # Without parameters: the running semester (the clock stands in February 2026).
    default = page(client, "kadis.kominfo", "monitoring")
    assert default.context["sheet"].semester == 1
    assert default.context["sheet"].year == 2026

    xlsx = page(client, "kadis.kominfo", "monitoring", "?tahun=2026&semester=1&format=xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="monitoring-sop-2026-s1.xlsx"'
    sheet = load_workbook(BytesIO(xlsx.content))["Monitoring SOP"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "FORMULIR MONITORING PELAKSANAAN SOP"
    assert rows[4] == (
        "No",
        "Nama SOP",
        "Penilaian",
        "Catatan hasil penilaian",
        "Tindakan yang harus diambil",
    )
    assert [(r[0], r[1], r[2]) for r in rows[5:]] == [
        (1, "SOP Uji Cepat", "Berjalan dengan baik"),
        (2, "SOP Uji Kosong", "Belum dapat dinilai"),
        (3, "SOP Uji Lambat", "Tidak berjalan dengan baik"),
    ]
    assert rows[7][3].startswith("6 kasus dimulai (5 selesai")
    dpmptsp = Opd.objects.get(code="dpmptsp")
    assert page(client, "kadis.kominfo", "monitoring", f"?opd={dpmptsp.pk}").status_code == 404


# Query counts ------------------------------------------------------------------------------------


def count_queries(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context.captured_queries)


def add_cases(timer: Clock, sops: list[Sop], count: int) -> None:
    """Cases over two SOPs and two OPDs: two of three complete, the others left open."""
    for number in range(count):
        opd = ("diskominfo", "dpmptsp")[number % 2]
        sop = sops[(number // 2) % 2]
        if number % 3 == 0:
            run_case(timer, sop, opd, terima=15 + number)
        else:
            run_case(timer, sop, opd, terima=15 + number, periksa_on=4 + number % 3)


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_query_counts_do_not_grow_with_cases(
    demo: Pemda, moving_clock: Clock, client: Client
) -> None:
    sops = [make_sop(demo, "uji-a", "SOP A"), make_sop(demo, "uji-b", "SOP B")]
    operator = scope_for("operator")
    client.force_login(user("operator"))

    def reads() -> list[int]:
        return [
            count_queries(lambda: step_measures(operator, tz=WIB)),
            count_queries(lambda: sop_measures(operator, tz=WIB)),
            count_queries(lambda: open_work(operator, NOW)),
            count_queries(lambda: client.get(reverse("measurement:dashboard"))),
            count_queries(lambda: client.get(reverse("measurement:export"))),
            count_queries(
                lambda: client.get(reverse("measurement:monitoring") + "?tahun=2026&semester=1")
            ),
        ]

    add_cases(moving_clock, sops, 2)
    few = reads()
    add_cases(moving_clock, sops, 8)
    many = reads()
    assert many == few
    assert few[:3] == [2, 2, 2]
    assert len(step_measures(operator)) == 6
    work: OpenWork = open_work(operator, NOW)
    assert work.open == 4  # cases 0 of both batches and 3 and 6 of the second
