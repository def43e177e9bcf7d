"""Benchmark: the SOP inbox and the overdue listing with a million step runs.

Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/sop_inbox.py --database sqlite
    .venv/bin/python bench/sop_inbox.py --database postgres

It builds a throw-away database (never the developer's one): a fresh SQLite file
``var/bench/sop_inbox.sqlite3``, or the PostgreSQL database ``terbuka_bench`` on the test
server of ``scripts/test`` (dropped and created again through the maintenance database). Then:

1. ``migrate``, ``demo_load()`` and ``library_load()`` as the app does;
2. about ``--step-runs / 10`` cases over every (SOP, OPD) pair, about ten step runs each,
   written with raw ``bulk_create`` (most steps done, one open step per open case, due times
   in the past and the future, positions from the lanes, a few thousand open steps waiting for
   the measured user);
3. with ``django.test.Client`` in-process, GETs of a trivial view, the public about page, the
   inbox (page 1 and a deep page) and the overdue listing seen Pemda-wide, interleaved, after a
   warm-up: median and p95 latency, queries per request and the time spent in SQL;
4. the query plans of the inbox and overdue queries (EXPLAIN QUERY PLAN on SQLite,
   EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL);
5. a Markdown results table (also written to ``--markdown`` if given).

Django runs with ``terbuka.settings.default`` and ``DJANGO_DEBUG=0`` (as in production: no
query log; static files collected into ``var/bench/static``); ``--debug`` keeps DEBUG on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import (
    BENCH_DIR,
    QueryLog,
    analyze,
    database_size,
    explain,
    machine_facts,
    percentile,
    prepare_postgres,
    prepare_sqlite,
    readable_sql,
    setup_django,
)

SQLITE_PATH = BENCH_DIR / "sop_inbox.sqlite3"
# Tables whose long column lists the printed query plans shorten.
PLAN_TABLES = ("procedures_steprun",)
DEFAULT_POSTGRES_URL = "postgres://terbuka:terbuka@127.0.0.1:54329/terbuka_bench"

INBOX_USER = "petugas.ppid"  # Petugas Layanan PPID, Diskominfo
OVERDUE_USER = "kabid.ikp"  # holds PPID Utama: sees every OPD of the Pemda
PAGE_SIZE = 50  # the views' Paginator size
DEEP_PAGE = 20

# Shape of the generated data.
CASE_MIN_STEPS, CASE_MAX_STEPS = 6, 14  # mean 10
OPEN_SHARE = 0.20  # cases still running (each has exactly one open step)
CANCELLED_SHARE = 0.02
STEER_SHARE = 0.15  # of the open cases, steered so the open step waits for INBOX_USER
CLAIMED_SHARE = 0.10  # open internal steps already claimed by one holder
NO_DUE_SHARE = 0.05  # steps without a time standard
STUCK_SHARE = 0.05  # open steps forgotten for weeks or months
# Time standards of the steps (hours) and how common they are.
WINDOWS_H = (1, 4, 8, 24, 72, 120, 240)
WINDOW_WEIGHTS = (1, 2, 2, 4, 3, 2, 1)
CHUNK_RUNS = 50_000  # step runs per transaction
CASE_BATCH, RUN_BATCH = 2_000, 3_000  # rows per INSERT (SQLite caps these further)


# --------------------------------------------------------------------------------------------
# Database preparation and Django set-up
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass
class StepSpec:
    step_id: str
    lane_id: str
    kind: str  # "internal", "external", "system"
    position_id: int | None


@dataclass
class Combo:
    """One SOP run by one OPD: the steps with the positions their lanes resolve to."""

    version_id: int
    sop_name: str
    opd_id: int
    steps: list[StepSpec]
    waitable: list[int]  # step indices that can wait in an inbox (not system steps)
    targeted: list[int] = field(default_factory=list)  # those waiting for the measured user
    starters: list[int] = field(default_factory=list)


def load_fixtures() -> None:
    from django.core.management import call_command

    from terbuka.organizations.demo import demo_load
    from terbuka.organizations.models import Pemda
    from terbuka.procedures.library import library_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    demo_load()
    library_load(pemda=Pemda.objects.get())
    print(
        f"migrate {migrated - started:.1f} s, demo_load + library_load "
        f"{time.perf_counter() - migrated:.1f} s"
    )


def build_combos(inbox_user: Any) -> list[Combo]:
    from terbuka.organizations.access import build_scope
    from terbuka.organizations.models import Opd, PositionHolding
    from terbuka.organizations.selectors import local_today
    from terbuka.procedures.definition import LaneKind
    from terbuka.procedures.models import Sop
    from terbuka.procedures.selectors import definition_of, lane_position

    target_positions = {seat.position_id for seat in build_scope(inbox_user, local_today()).seats}
    starters: dict[int, list[int]] = {}
    for opd_id, user_id in PositionHolding.objects.values_list("position__opd_id", "user_id"):
        starters.setdefault(opd_id, [])
        if user_id not in starters[opd_id]:
            starters[opd_id].append(user_id)
    opds = list(Opd.objects.order_by("id"))
    combos = []
    for sop in Sop.objects.select_related("current_version").order_by("code"):
        assert sop.current_version is not None
        definition = definition_of(sop.current_version)
        for opd in opds:
            steps = []
            for step in definition.steps:
                lane = definition.lanes_by_id[step.lane]
                if step.by_system or lane.kind == LaneKind.SYSTEM:
                    kind, position_id = "system", None
                elif lane.kind == LaneKind.EXTERNAL:
                    kind, position_id = "external", None
                else:
                    position = lane_position(lane, opd, None)
                    kind, position_id = "internal", position.pk if position else None
                steps.append(StepSpec(step.id, lane.id, kind, position_id))
            waitable = [i for i, s in enumerate(steps) if s.kind != "system"]
            combos.append(
                Combo(
                    version_id=sop.current_version.pk,
                    sop_name=sop.name,
                    opd_id=opd.pk,
                    steps=steps,
                    waitable=waitable,
                    targeted=[i for i in waitable if steps[i].position_id in target_positions],
                    starters=starters.get(opd.pk, [inbox_user.pk]),
                )
            )
    return combos


def holders_by_position() -> dict[int, list[int]]:
    from terbuka.organizations.models import PositionHolding

    holders: dict[int, list[int]] = {}
    for position_id, user_id in PositionHolding.objects.values_list("position_id", "user_id"):
        holders.setdefault(position_id, []).append(user_id)
    return holders


def length_ending_at(rng: random.Random, n_steps: int, allowed: list[int]) -> int:
    """A case length (CASE_MIN..CASE_MAX) whose last run is one of the ``allowed`` steps
    (steps cycle through the SOP, as when approval loops are taken again)."""
    choices = [
        length
        for length in range(CASE_MIN_STEPS, CASE_MAX_STEPS + 1)
        if (length - 1) % n_steps in allowed
    ]
    if choices:
        return rng.choice(choices)
    return min(allowed) + 1  # a short SOP whose only waiting step comes early


def generate(args: argparse.Namespace, now: dt.datetime) -> dict[str, Any]:
    """Write about ``args.step_runs / 10`` cases and exactly ``args.step_runs`` step runs."""
    from django.db import transaction

    from terbuka.organizations.models import User
    from terbuka.procedures.models import Case, CaseStatus, StepRun, StepRunStatus

    rng = random.Random(args.seed)
    inbox_user = User.objects.get(username=INBOX_USER)
    combos = build_combos(inbox_user)
    openable = [c for c in combos if c.waitable]
    steered = [c for c in combos if c.targeted]
    holders = holders_by_position()
    if not steered:
        sys.exit(f"no SOP step resolves to a position of {INBOX_USER}")

    def window() -> dt.timedelta | None:
        if rng.random() < NO_DUE_SHARE:
            return None
        hours = rng.choices(WINDOWS_H, WINDOW_WEIGHTS)[0]
        return dt.timedelta(hours=hours * rng.uniform(0.8, 1.0))

    def duration() -> dt.timedelta:
        # Median about 4 hours, capped at two days.
        hours = min(rng.lognormvariate(math.log(4), 1.2), 48.0)
        return dt.timedelta(seconds=max(int(hours * 3600), 300))

    def done_run(spec: StepSpec, starter: int, start: dt.datetime, end: dt.datetime) -> dict:
        win = window()
        due = start + win if win is not None else None
        if spec.kind == "system":
            completed_by = None
        elif spec.kind == "external" or not holders.get(spec.position_id or 0):
            completed_by = starter
        else:
            completed_by = rng.choice(holders[spec.position_id or 0])
        return {
            "status": StepRunStatus.DONE,
            "assignee_id": starter if spec.kind == "external" else None,
            "started_at": start,
            "due_at": due,
            "completed_at": end,
            "completed_by_id": completed_by,
            "note": "Selesai." if rng.random() < 0.3 else "",
            "elapsed": round((end - start).total_seconds() / 3600, 2),
            "within_standard": None if due is None else end <= due,
        }

    remaining = args.step_runs
    totals: Counter[str] = Counter()
    pending: list[tuple[Case, list[tuple[StepSpec, dict]]]] = []
    pending_runs = 0
    written_cases = written_runs = 0
    started = time.perf_counter()
    case_number = 0

    def flush() -> None:
        nonlocal pending, pending_runs, written_cases, written_runs
        with transaction.atomic():
            cases = Case.objects.bulk_create([case for case, _ in pending], batch_size=CASE_BATCH)
            runs = []
            for case, (_, case_runs) in zip(cases, pending, strict=True):
                for sequence, (spec, values) in enumerate(case_runs, start=1):
                    runs.append(
                        StepRun(
                            case_id=case.pk,
                            sequence=sequence,
                            step_id=spec.step_id,
                            lane_id=spec.lane_id,
                            opd_id=case.opd_id,
                            position_id=spec.position_id,
                            **values,
                        )
                    )
            StepRun.objects.bulk_create(runs, batch_size=RUN_BATCH)
        written_cases += len(cases)
        written_runs += len(runs)
        elapsed = time.perf_counter() - started
        print(
            f"  {written_runs:>9,} step runs, {written_cases:>7,} cases, "
            f"{elapsed:6.1f} s, {written_runs / elapsed:,.0f} step runs/s",
            flush=True,
        )
        pending, pending_runs = [], 0

    while remaining > 0:
        case_number += 1
        draw = rng.random()
        last_case = remaining <= CASE_MAX_STEPS + CASE_MIN_STEPS
        if draw < OPEN_SHARE and not last_case:
            status = CaseStatus.OPEN
            if rng.random() < STEER_SHARE:
                combo = rng.choice(steered)
                length = length_ending_at(rng, len(combo.steps), combo.targeted)
                totals["steered"] += 1
            else:
                combo = rng.choice(openable)
                length = length_ending_at(rng, len(combo.steps), combo.waitable)
        else:
            status = (
                CaseStatus.CANCELLED
                if draw < OPEN_SHARE + CANCELLED_SHARE and not last_case
                else CaseStatus.COMPLETED
            )
            combo = rng.choice(combos)
            length = rng.randint(CASE_MIN_STEPS, CASE_MAX_STEPS)
            if last_case:
                length = remaining
        length = min(length, remaining)
        starter = rng.choice(combo.starters)
        specs = [combo.steps[k % len(combo.steps)] for k in range(length)]
        runs: list[tuple[StepSpec, dict]] = []
        if status == CaseStatus.OPEN:
            # The open step started recently (a few stuck for months); earlier ones go back.
            if rng.random() < STUCK_SHARE:
                age = dt.timedelta(days=rng.uniform(14, 180))
            else:
                age = dt.timedelta(hours=min(rng.expovariate(1 / 48), 24 * 14))
            open_start = now - age
            spec = specs[-1]
            win = window()
            assignee = None
            if spec.kind == "external":
                assignee = starter
            elif holders.get(spec.position_id or 0) and rng.random() < CLAIMED_SHARE:
                assignee = rng.choice(holders[spec.position_id or 0])
            open_due = open_start + win if win is not None else None
            open_values: dict[str, Any] = {
                "status": StepRunStatus.OPEN,
                "assignee_id": assignee,
                "started_at": open_start,
                "due_at": open_due,
            }
            end = open_start
            for spec_done in reversed(specs[:-1]):
                begin = end - duration()
                runs.append((spec_done, done_run(spec_done, starter, begin, end)))
                end = begin
            runs.reverse()
            runs.append((spec, open_values))
            case_start, case_end = end, None
            totals["open"] += 1
            if open_due is not None and open_due < now:
                totals["open_overdue"] += 1
        else:
            case_start = now - dt.timedelta(days=rng.uniform(45, 730))
            moment = case_start
            for spec_done in specs:
                end = moment + duration()
                runs.append((spec_done, done_run(spec_done, starter, moment, end)))
                moment = end
            if status == CaseStatus.CANCELLED:
                runs[-1][1].update(
                    status=StepRunStatus.CANCELLED,
                    completed_at=None,
                    completed_by_id=None,
                    elapsed=None,
                    within_standard=None,
                    note="",
                )
            case_end = moment
            totals[status] += 1
        case = Case(
            version_id=combo.version_id,
            opd_id=combo.opd_id,
            title=f"{combo.sop_name[:200]} #{case_number}",
            status=status,
            data={},
            started_at=case_start,
            started_by_id=starter,
            ended_at=case_end,
            cancel_reason="Dibatalkan pemohon." if status == CaseStatus.CANCELLED else "",
        )
        pending.append((case, runs))
        pending_runs += length
        remaining -= length
        if pending_runs >= CHUNK_RUNS:
            flush()
    if pending:
        flush()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cases": written_cases,
        "runs": written_runs,
        "rows_per_s": (written_cases + written_runs) / seconds,
        "runs_per_s": written_runs / seconds,
        "totals": totals,
    }


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    url: str
    client: Any
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    captured: list[tuple[str, Any, float]] = field(default_factory=list)  # sql, params, ms


def get(endpoint: Endpoint) -> None:
    response = endpoint.client.get(endpoint.url)
    if response.status_code != 200:
        sys.exit(f"GET {endpoint.url} answered {response.status_code}")
    response.content  # noqa: B018 - render fully


def measure(endpoints: list[Endpoint], requests: int, warmup: int) -> None:
    from django.db import connection

    for _ in range(warmup):
        for endpoint in endpoints:
            get(endpoint)
    # Interleaved so that every page sees the same machine noise.
    for _ in range(requests):
        for endpoint in endpoints:
            began = time.perf_counter()
            get(endpoint)
            endpoint.latencies.append((time.perf_counter() - began) * 1000)
    # Queries in a separate pass, so that logging them costs the timed requests nothing.
    for _ in range(max(requests // 10, 5)):
        for endpoint in endpoints:
            log = QueryLog()
            with connection.execute_wrapper(log):
                get(endpoint)
            endpoint.queries.append(len(log.entries))
            endpoint.sql_ms.append(sum(ms for _sql, _params, ms in log.entries))
            endpoint.captured = log.entries


def step_run_queries(endpoint: Endpoint) -> list[tuple[str, Any]]:
    return [(sql, params) for sql, params, _ms in endpoint.captured if "procedures_steprun" in sql]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def report(
    args: argparse.Namespace,
    vendor: str,
    endpoints: list[Endpoint],
    facts: dict[str, str],
    data: dict[str, Any],
    sizes: dict[str, Any],
    plans: list[tuple[str, str, str]],
) -> str:
    baseline = statistics.median(endpoints[0].latencies)
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]
    lines = [
        f"### {name}, {data['runs']:,} step runs ({facts['date']})",
        "",
        "```",
        " ".join(["python bench/sop_inbox.py", *sys.argv[1:]]),
        "```",
        "",
        f"Data: {data['cases']:,} cases, {data['runs']:,} step runs; "
        f"{sizes['open']:,} open steps, {sizes['overdue']:,} of them overdue; "
        f"database {sizes['db_size']}. Generated in {data['seconds']:.0f} s "
        f"({data['runs_per_s']:,.0f} step runs/s, {data['rows_per_s']:,.0f} rows/s with the "
        f"cases). {sizes['analyze']}.",
        "",
        f"Inbox of `{INBOX_USER}`: {sizes['inbox']:,} open steps ({sizes['inbox_overdue']:,} "
        f"overdue). Overdue listing seen by `{OVERDUE_USER}` (PPID Utama, all OPDs): "
        f"{sizes['overdue_visible']:,} steps.",
        "",
        f"{args.requests} timed requests per page after {args.warmup} warm-up requests, "
        "interleaved, in-process `django.test.Client`, "
        f"DEBUG={'on' if args.debug else 'off'}.",
        "",
        "| Page | Median ms | p95 ms | Median vs trivial | Queries/request | SQL ms (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for endpoint in endpoints:
        median = statistics.median(endpoint.latencies)
        queries = sorted(set(endpoint.queries))
        lines.append(
            f"| {endpoint.label} | {median:.1f} | {percentile(endpoint.latencies, 95):.1f} "
            f"| {median / baseline:.1f}× | {'/'.join(map(str, queries))} "
            f"| {statistics.median(endpoint.sql_ms):.1f} |"
        )
    lines += [
        "",
        "Machine: "
        + ", ".join(f"{key} {value}" for key, value in facts.items() if key != "date")
        + ".",
    ]
    if plans:
        lines += ["", "<details><summary>Query plans</summary>", ""]
        for label, sql_text, plan in plans:
            lines += [f"**{label}**", "", "```sql", sql_text, "```", "", "```", plan, "```", ""]
        lines += ["</details>"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--step-runs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--postgres-maintenance-db",
        default="terbuka",
        help="database to connect to while dropping/creating the benchmark one",
    )
    parser.add_argument(
        "--sqlite-analyze", action="store_true", help="run ANALYZE after loading (SQLite)"
    )
    parser.add_argument("--debug", action="store_true", help="run with DEBUG on")
    parser.add_argument("--markdown", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.step_runs < 2_000:
        parser.error("--step-runs must be at least 2000")

    if args.database == "sqlite":
        url = prepare_sqlite(SQLITE_PATH)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        url = prepare_postgres(args.postgres_url, args.postgres_maintenance_db)
    print(f"database: {url}")
    setup_django(url, args.debug, "sop_inbox")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from terbuka.core import clock
    from terbuka.organizations.access import build_scope
    from terbuka.organizations.models import User
    from terbuka.organizations.selectors import local_today
    from terbuka.procedures.models import StepRun, StepRunStatus
    from terbuka.procedures.selectors import inbox_counts, overdue

    vendor = connection.vendor
    load_fixtures()
    if not args.debug:
        call_command("collectstatic", interactive=False, verbosity=0)

    print(f"generating {args.step_runs:,} step runs ...", flush=True)
    data = generate(args, clock.now())
    print(
        f"generated {data['cases']:,} cases and {data['runs']:,} step runs in "
        f"{data['seconds']:.1f} s: {data['runs_per_s']:,.0f} step runs/s, "
        f"{data['rows_per_s']:,.0f} rows/s; {dict(data['totals'])}"
    )
    analyzed = analyze(vendor, args.sqlite_analyze)
    print(analyzed)

    inbox_user = User.objects.get(username=INBOX_USER)
    overdue_user = User.objects.get(username=OVERDUE_USER)
    now = clock.now()
    waiting, late = inbox_counts(build_scope(inbox_user, local_today()), now)
    sizes = {
        "open": StepRun.objects.filter(status=StepRunStatus.OPEN).count(),
        "overdue": StepRun.objects.filter(status=StepRunStatus.OPEN, due_at__lt=now).count(),
        "inbox": waiting,
        "inbox_overdue": late,
        "overdue_visible": overdue(build_scope(overdue_user, local_today()), now).count(),
        "db_size": database_size(vendor, SQLITE_PATH),
        "analyze": analyzed,
    }
    print(sizes)

    inbox_client = Client(HTTP_HOST="localhost")
    inbox_client.force_login(inbox_user)
    overdue_client = Client(HTTP_HOST="localhost")
    overdue_client.force_login(overdue_user)
    inbox_url, overdue_url = reverse("procedures:inbox"), reverse("procedures:overdue")
    endpoints = [
        Endpoint("trivial view (HttpResponse, signed in)", reverse("bench_trivial"), inbox_client),
        Endpoint("public about page (portal:about)", reverse("portal:about"), inbox_client),
        Endpoint(f"inbox page 1 (`{INBOX_USER}`)", inbox_url, inbox_client),
        Endpoint(
            f"inbox page {DEEP_PAGE} (`?halaman={DEEP_PAGE}`)",
            f"{inbox_url}?halaman={DEEP_PAGE}",
            inbox_client,
        ),
        Endpoint(f"overdue listing page 1 (`{OVERDUE_USER}`)", overdue_url, overdue_client),
    ]
    print(f"measuring: {args.warmup} warm-up + {args.requests} requests per page ...", flush=True)
    measure(endpoints, args.requests, args.warmup)

    plans = []
    for endpoint in endpoints[2:]:
        for sql_text, params in step_run_queries(endpoint):
            kind = "COUNT" if sql_text.startswith("SELECT COUNT") else "page"
            shown = readable_sql(vendor, sql_text, params, PLAN_TABLES)
            plan = explain(vendor, sql_text, params)
            plans.append((f"{endpoint.label}: {kind} query", shown, plan))
    for endpoint in endpoints:
        print(f"\n-- queries of {endpoint.label} (last request):")
        for sql_text, _params, ms in endpoint.captured:
            print(f"   {ms:7.2f} ms  {sql_text[:150]}")

    text = report(args, vendor, endpoints, machine_facts(vendor), data, sizes, plans)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
        print(f"\nwritten to {args.markdown}")


if __name__ == "__main__":
    main()
