"""Reads for the PPID's periodic reports and the PPID Utama's live dashboard (RULES.md,
"Periodic reporting"; SOP "Penyusunan Laporan Pelayanan Informasi Secara Online Oleh PPID").

* :func:`report_period` / :func:`period_label` — the dates and name of a quarterly, semester
  or annual report; :func:`annual_report_due` — the annual report is due by 31 March.
* :func:`service_report` — the report's tables over the requests **received** in the period
  (their outcome as it stands on ``today``): by channel, by handling OPD, outcomes, working
  days taken to the written notice, art. 17 refusal grounds, and timeliness.
* :func:`live_dashboard` — per OPD, in real time: received and decided this year, open and
  overdue now, median working days to the written notice.
* :func:`filtered_register` — the register page's filters, shared by its exports.

Objections and disputes (UU 14/2008 art. 35–38) are part of the report too
(:class:`ObjectionTables`, :class:`DisputeTables`): the objections **filed** in the period by
ground a–g, by the Atasan PPID's answer (or its absence, and whether its 30 working days have
lapsed) and answered within those 30 working days; the disputes **taken to the Komisi
Informasi** in the period by the furthest stage recorded. :func:`objections_visible` is the
objection register's rows, shared by its page and exports.

Each function costs a fixed number of queries however many requests there are: a few
aggregates (one more each for objections and disputes), one ``values_list`` of dates computed
in Python on the Pemda's working calendar, and the calendar itself (two queries per Pemda).

Percentiles follow :mod:`terbuka.procedures.measurement`: the median is
:func:`statistics.median`, the 90th percentile the nearest-rank one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terbuka.information_requests.deadlines import OBJECTION_GROUND_LABELS, ObjectionGround
from terbuka.information_requests.forms import REFUSAL_GROUND_CHOICES
from terbuka.information_requests.models import (
    Channel,
    Decision,
    Dispute,
    InformationRequest,
    Objection,
    ObjectionDecision,
    Status,
)
from terbuka.information_requests.selectors import OPEN_STATUSES, overdue_q, requests_visible
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd, Pemda, Position, Role
from terbuka.organizations.selectors import local_today, opds_visible
from terbuka.procedures.measurement import percentile_nearest_rank
from terbuka.workcalendar.rules import WorkCalendar, working_days_between
from terbuka.workcalendar.selectors import calendar_for

QUARTER, SEMESTER, YEAR = "quarter", "semester", "year"
PERIOD_KINDS = (QUARTER, SEMESTER, YEAR)
ROMAN = ("I", "II", "III", "IV")

#: Working days from receipt to the written notice, as the report groups them: within the
#: 5 days of good practice, within the 10 of art. 22(7), within 10 + the 7 of an extension
#: (art. 22(8)), and beyond.
DAY_BUCKETS: tuple[tuple[str, int | None, Promise], ...] = (
    ("0-5", 5, gettext_lazy("≤ 5 hari kerja")),
    ("6-10", 10, gettext_lazy("6–10 hari kerja")),
    ("11-17", 17, gettext_lazy("11–17 hari kerja")),
    ("18+", None, gettext_lazy("> 17 hari kerja")),
)
OPEN = "belum_selesai"
OUTCOME_LABELS: tuple[tuple[str, str | Promise], ...] = (
    (Decision.GRANTED, Decision.GRANTED.label),
    (Decision.PARTIAL, Decision.PARTIAL.label),
    (Decision.REFUSED, Decision.REFUSED.label),
    (Decision.NOT_HELD, Decision.NOT_HELD.label),
    (Decision.OTHER_BODY, Decision.OTHER_BODY.label),
    (Status.WITHDRAWN, Status.WITHDRAWN.label),
    (OPEN, gettext_lazy("Belum diberitahukan")),
)
OVERDUE = "terlambat"
OVERDUE_LABEL = gettext_lazy("di antaranya melewati batas waktu")

#: The Atasan PPID's answers to objections (UU 14/2008 art. 36(2)), then those not answered;
#: the last line, "terlambat", is part of the one before: unanswered after the 30 working days.
UNANSWERED = "belum_dijawab"
OBJECTION_OUTCOME_LABELS: tuple[tuple[str, str | Promise], ...] = (
    *((d.value, d.label) for d in ObjectionDecision),
    (UNANSWERED, gettext_lazy("Belum dijawab")),
    (OVERDUE, gettext_lazy("di antaranya melewati 30 hari kerja")),
)

#: The stages of a dispute before the Komisi Informasi (art. 37–38), in order; a dispute is
#: counted once, at the furthest stage whose date (or register number) is recorded.
DISPUTE_STAGES: tuple[tuple[str, Promise], ...] = (
    ("diajukan", gettext_lazy("Diajukan, belum teregistrasi")),
    ("teregistrasi", gettext_lazy("Teregistrasi di Komisi Informasi")),
    ("mediasi", gettext_lazy("Mediasi dijadwalkan/berjalan")),
    ("ajudikasi", gettext_lazy("Ajudikasi nonlitigasi dijadwalkan/berjalan")),
    ("diputus", gettext_lazy("Diputus, belum dilaksanakan")),
    ("dilaksanakan", gettext_lazy("Putusan telah dilaksanakan")),
)


# Periods --------------------------------------------------------------------------------------


def report_period(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """First and last day of quarter ``number`` (1–4), semester ``number`` (1–2) or ``year``.

    Raises ValueError for another kind or a number out of range.
    """
    if kind == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = {QUARTER: 3, SEMESTER: 6}.get(kind)
    if months is None:
        raise ValueError(f"Unknown report period {kind!r}.")
    if not 1 <= number <= 12 // months:
        raise ValueError(f"A {kind} is numbered 1 to {12 // months}, got {number}.")
    first_month = (number - 1) * months + 1
    start = dt.date(year, first_month, 1)
    last_month = first_month + months - 1
    end = (
        dt.date(year, 12, 31)
        if last_month == 12
        else dt.date(year, last_month + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


def period_label(kind: str, year: int, number: int = 1) -> str:
    """ "Triwulan I 2026", "Semester II 2026" or "Tahun 2026"."""
    report_period(kind, year, number)  # validates
    if kind == QUARTER:
        return _("Triwulan %(no)s Tahun %(year)s") % {"no": ROMAN[number - 1], "year": year}
    if kind == SEMESTER:
        return _("Semester %(no)s Tahun %(year)s") % {"no": ROMAN[number - 1], "year": year}
    return _("Tahun %(year)s") % {"year": year}


def annual_report_due(year: int) -> dt.date:
    """The annual report on the information service of ``year`` is due by 31 March of the
    next year (RULES.md, "Periodic reporting")."""
    return dt.date(year + 1, 3, 31)


# The report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """One line of a count table."""

    key: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class OpdRow:
    """Requests received in the period by the OPD now handling them, and how they ended."""

    opd_id: int
    name: str
    received: int
    decided: int
    granted: int  # fully or partly
    refused: int
    withdrawn: int
    open: int
    overdue: int
    median_days: float | None


@dataclass(frozen=True)
class DaysTaken:
    """Working days from receipt to the written notice, over the requests decided."""

    count: int
    median: float | None
    p90: int | None
    max: int | None
    buckets: tuple[Tally, ...]


@dataclass(frozen=True)
class GroundRow:
    """How often a ground of UU 14/2008 art. 17 was cited, in refusals and partial grants."""

    letter: str
    label: str | Promise
    refused: int
    partial: int

    @property
    def total(self) -> int:
        return self.refused + self.partial


@dataclass(frozen=True)
class Timeliness:
    """Decided requests against their deadlines as registered (art. 22(7)–(8))."""

    decided: int
    within_notice: int  # notice on or before the 10-working-day deadline
    within_extension: int  # after it, on or before the extended deadline
    late: int
    extended: int  # requests given the one extension (decided or not)


@dataclass(frozen=True)
class ObjectionTables:
    """Objections to the Atasan PPID filed in the period (UU 14/2008 art. 35–36)."""

    filed: int
    by_ground: tuple[Tally, ...]  # a–g, every ground listed
    outcomes: tuple[Tally, ...]  # the last line, "terlambat", is part of the one before
    answered: int
    answered_in_time: int  # on or before the 30-working-day deadline (art. 36(2))

    @property
    def answered_late(self) -> int:
        return self.answered - self.answered_in_time

    def outcome(self, key: str) -> int:
        return next((row.count for row in self.outcomes if row.key == key), 0)


@dataclass(frozen=True)
class DisputeTables:
    """Disputes taken to the Komisi Informasi in the period (art. 37–38), by stage."""

    filed: int
    stages: tuple[Tally, ...]  # each dispute once, at its furthest stage; they sum to filed


@dataclass(frozen=True)
class ServiceReport:
    start: dt.date
    end: dt.date
    today: dt.date
    received: int
    by_channel: tuple[Tally, ...]
    by_opd: tuple[OpdRow, ...]
    outcomes: tuple[Tally, ...]  # the last line, "terlambat", is part of the one before
    days: DaysTaken
    grounds: tuple[GroundRow, ...]
    timeliness: Timeliness
    objections: ObjectionTables
    disputes: DisputeTables

    def outcome(self, key: str) -> int:
        return next((row.count for row in self.outcomes if row.key == key), 0)


def _calendars(pemda_ids: Iterable[int]) -> dict[int, WorkCalendar]:
    ids = set(pemda_ids)
    if not ids:
        return {}
    return {pemda.pk: calendar_for(pemda) for pemda in Pemda.objects.filter(pk__in=ids)}


def _days(rows: Iterable[tuple[int, dt.date, dt.date | None]]) -> list[int]:
    """Working days taken per (pemda_id, received_on, noticed_on) of decided requests, on
    each Pemda's calendar. Each distinct triple is counted once, however often it occurs."""
    rows = list(rows)
    calendars = _calendars(pemda_id for pemda_id, _r, _n in rows)
    taken: dict[tuple[int, dt.date, dt.date], int] = {}
    days = []
    for pemda_id, received, noticed in rows:
        assert noticed is not None  # callers pass decided requests only
        key = (pemda_id, received, noticed)
        if key not in taken:
            taken[key] = working_days_between(calendars[pemda_id], received, noticed)
        days.append(taken[key])
    return days


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _days_taken(values: list[int]) -> DaysTaken:
    ordered = sorted(values)
    counts = dict.fromkeys((key for key, _upper, _label in DAY_BUCKETS), 0)
    for value in ordered:
        key = next(k for k, upper, _l in DAY_BUCKETS if upper is None or value <= upper)
        counts[key] += 1
    p90 = percentile_nearest_rank(ordered)
    return DaysTaken(
        count=len(ordered),
        median=_median(ordered),
        p90=None if p90 is None else int(p90),
        max=ordered[-1] if ordered else None,
        buckets=tuple(Tally(key, label, counts[key]) for key, _upper, label in DAY_BUCKETS),
    )


def _outcome_counts(today: dt.date) -> dict[str, Count]:
    open_ = Q(status__in=OPEN_STATUSES)
    return {
        **{f"d_{d}": Count("pk", filter=Q(decision=d)) for d in Decision.values},
        "withdrawn": Count("pk", filter=Q(status=Status.WITHDRAWN)),
        "open": Count("pk", filter=open_),
        "overdue": Count("pk", filter=open_ & overdue_q(today)),
        "decided": Count("pk", filter=Q(noticed_on__isnull=False)),
    }


def _report_counts(today: dt.date) -> dict[str, Count]:
    """Every count of the report, per handling OPD; the totals are their sums."""
    within_notice = Q(noticed_on__isnull=False, noticed_on__lte=F("notice_due_on"))
    within_extension = Q(
        noticed_on__gt=F("notice_due_on"),
        extended_due_on__isnull=False,
        noticed_on__lte=F("extended_due_on"),
    )
    return {
        "received": Count("pk"),
        **{f"c_{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values},
        **_outcome_counts(today),
        "within_notice": Count("pk", filter=within_notice),
        "within_extension": Count("pk", filter=within_extension),
        "extended": Count("pk", filter=Q(extended_due_on__isnull=False)),
    }


def service_report(
    scope: Scope, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> ServiceReport:
    """The tables of the periodic report over the requests received from ``start`` to ``end``
    that ``scope`` may see. "Open" and "overdue" are as of ``today`` (the Pemda's today by
    default). Working days count from the receipt date (exclusive) to the written notice.

    The year's requests are read in three grouped queries, never row by row: the counts per
    handling OPD (the totals are their sums), the decided requests per (OPD, receipt date,
    notice date) and the cited art. 17 grounds per (decision, grounds)."""
    today = today or local_today()
    received = requests_visible(scope).filter(received_on__range=(start, end)).order_by()

    per_opd = list(received.values("handling_opd_id").annotate(**_report_counts(today)).order_by())
    totals: dict[str, int] = defaultdict(int)
    for row in per_opd:
        for key, value in row.items():
            if key != "handling_opd_id":
                totals[key] += value
    names = dict(
        Opd.objects.filter(pk__in=[row["handling_opd_id"] for row in per_opd]).values_list(
            "pk", "name"
        )
    )

    decided_groups = list(
        received.filter(noticed_on__isnull=False)
        .values_list("handling_opd_id", "pemda_id", "received_on", "noticed_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    days_by_opd: dict[int, list[int]] = defaultdict(list)
    days: list[int] = []
    by_group = _days((pemda_id, got, noticed) for _o, pemda_id, got, noticed, _c in decided_groups)
    for (opd_id, _p, _r, _n, count), value in zip(decided_groups, by_group, strict=True):
        days_by_opd[opd_id].extend([value] * count)
        days.extend([value] * count)

    grounds: dict[tuple[str, str], int] = defaultdict(int)
    cited_groups = (
        received.filter(decision__in=(Decision.REFUSED, Decision.PARTIAL))
        .values_list("decision", "refusal_grounds")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for decision, cited, count in cited_groups:
        for letter in set(cited or ()):
            grounds[(decision, letter)] += count

    decided_count = totals["decided"]
    outcome_counts = {
        **{d: totals[f"d_{d}"] for d in Decision.values},
        Status.WITHDRAWN.value: totals["withdrawn"],
        OPEN: totals["open"],
    }
    return ServiceReport(
        start=start,
        end=end,
        today=today,
        received=totals["received"],
        by_channel=tuple(Tally(c.value, c.label, totals[f"c_{c.value}"]) for c in Channel),
        by_opd=tuple(
            sorted(
                (
                    OpdRow(
                        opd_id=row["handling_opd_id"],
                        name=names[row["handling_opd_id"]],
                        received=row["received"],
                        decided=row["decided"],
                        granted=row[f"d_{Decision.GRANTED}"] + row[f"d_{Decision.PARTIAL}"],
                        refused=row[f"d_{Decision.REFUSED}"],
                        withdrawn=row["withdrawn"],
                        open=row["open"],
                        overdue=row["overdue"],
                        median_days=_median(days_by_opd.get(row["handling_opd_id"], [])),
                    )
                    for row in per_opd
                ),
                key=lambda row: (row.name, row.opd_id),
            )
        ),
        outcomes=(
            *(Tally(key, label, outcome_counts[key]) for key, label in OUTCOME_LABELS),
            Tally(OVERDUE, OVERDUE_LABEL, totals["overdue"]),
        ),
        days=_days_taken(days),
        grounds=tuple(
            GroundRow(
                letter=letter,
                label=label,
                refused=grounds[(Decision.REFUSED, letter)],
                partial=grounds[(Decision.PARTIAL, letter)],
            )
            for letter, label in REFUSAL_GROUND_CHOICES
        ),
        timeliness=Timeliness(
            decided=decided_count,
            within_notice=totals["within_notice"],
            within_extension=totals["within_extension"],
            late=decided_count - totals["within_notice"] - totals["within_extension"],
            extended=totals["extended"],
        ),
        objections=objection_tables(scope, start, end, today=today),
        disputes=dispute_tables(scope, start, end),
    )


# Objections and disputes ----------------------------------------------------------------------


def objections_visible(scope: Scope) -> QuerySet[Objection]:
    """Objections to the requests ``scope`` sees (through the OPD now handling them), newest
    first: the objection register's rows."""
    return scope.filter(
        Objection.objects.select_related("request", "request__handling_opd"),
        field="request__handling_opd",
    ).order_by("-filed_at", "-id")


def objection_tables(
    scope: Scope, start: dt.date, end: dt.date, *, today: dt.date
) -> ObjectionTables:
    """The objections filed (received) from ``start`` to ``end``, in one aggregate query.
    "Unanswered" is as of ``today``; an answer counts as in time when it is dated on or
    before the answer deadline registered with the objection (30 working days)."""
    unanswered = Q(answered_on__isnull=True)
    totals = (
        objections_visible(scope)
        .filter(filed_on__range=(start, end))
        .order_by()
        .aggregate(
            filed=Count("pk"),
            **{f"g_{g.value}": Count("pk", filter=Q(ground=g.value)) for g in ObjectionGround},
            **{
                f"d_{d}": Count("pk", filter=Q(decision=d, answered_on__isnull=False))
                for d in ObjectionDecision.values
            },
            unanswered=Count("pk", filter=unanswered),
            overdue=Count("pk", filter=unanswered & Q(answer_due_on__lt=today)),
            answered=Count("pk", filter=~unanswered),
            in_time=Count("pk", filter=Q(answered_on__lte=F("answer_due_on"))),
        )
    )
    counts = {
        **{d: totals[f"d_{d}"] for d in ObjectionDecision.values},
        UNANSWERED: totals["unanswered"],
        OVERDUE: totals["overdue"],
    }
    return ObjectionTables(
        filed=totals["filed"],
        by_ground=tuple(
            Tally(g.value, f"{g.value}. {OBJECTION_GROUND_LABELS[g]}", totals[f"g_{g.value}"])
            for g in ObjectionGround
        ),
        outcomes=tuple(Tally(key, label, counts[key]) for key, label in OBJECTION_OUTCOME_LABELS),
        answered=totals["answered"],
        answered_in_time=totals["in_time"],
    )


def _dispute_stage_filters() -> dict[str, Q]:
    """One exclusive filter per stage of :data:`DISPUTE_STAGES`, furthest stage first."""
    reached = {
        "dilaksanakan": Q(complied_on__isnull=False),
        "diputus": Q(decided_on__isnull=False),
        "ajudikasi": Q(adjudication_on__isnull=False),
        "mediasi": Q(mediation_on__isnull=False),
        "teregistrasi": Q(registered_on__isnull=False) | ~Q(commission_number=""),
    }
    filters: dict[str, Q] = {}
    further: Q | None = None  # any stage beyond the one at hand
    for key, condition in reached.items():
        filters[key] = condition if further is None else condition & ~further
        further = condition if further is None else further | condition
    assert further is not None
    filters["diajukan"] = ~further
    return filters


def dispute_tables(scope: Scope, start: dt.date, end: dt.date) -> DisputeTables:
    """The disputes filed with the Komisi Informasi from ``start`` to ``end``, by the
    furthest stage recorded, in one aggregate query."""
    filters = _dispute_stage_filters()
    totals = (
        scope.filter(Dispute.objects.all(), field="objection__request__handling_opd")
        .filter(filed_on__range=(start, end))
        .order_by()
        .aggregate(
            filed=Count("pk"),
            **{f"s_{key}": Count("pk", filter=q) for key, q in filters.items()},
        )
    )
    return DisputeTables(
        filed=totals["filed"],
        stages=tuple(Tally(key, label, totals[f"s_{key}"]) for key, label in DISPUTE_STAGES),
    )


# The live dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveRow:
    opd_id: int
    name: str
    is_utama: bool
    received: int  # received this year, up to today
    open: int  # open now, whenever received
    overdue: int  # open now and past the deadline in force
    decided: int  # written notice given this year, up to today
    median_days: float | None  # working days to the notice, over those decided this year


@dataclass(frozen=True)
class LiveDashboard:
    today: dt.date
    year_start: dt.date
    rows: tuple[LiveRow, ...]
    total: LiveRow


PPID_DESK_ROLES = (Role.PPID_UTAMA, Role.PPID_PELAKSANA)


def live_dashboard(scope: Scope, today: dt.date) -> LiveDashboard:
    """Every PPID desk ``scope`` sees (OPDs with a PPID Utama or PPID Pelaksana position, and
    any other OPD handling requests), reconciled as of ``today``."""
    year_start = dt.date(today.year, 1, 1)
    this_year_received = Q(received_on__range=(year_start, today))
    this_year_decided = Q(noticed_on__range=(year_start, today))
    open_ = Q(status__in=OPEN_STATUSES)
    relevant = (
        requests_visible(scope).filter(this_year_received | this_year_decided | open_).order_by()
    )
    counts = {
        row["handling_opd_id"]: row
        for row in relevant.values("handling_opd_id").annotate(
            received=Count("pk", filter=this_year_received),
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & overdue_q(today)),
            decided=Count("pk", filter=this_year_decided),
        )
    }
    decided = list(
        relevant.filter(this_year_decided)
        .values_list("handling_opd_id", "pemda_id", "received_on", "noticed_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    days = _days((pemda_id, got, noticed) for _o, pemda_id, got, noticed, _c in decided)
    days_by_opd: dict[int, list[int]] = defaultdict(list)
    for (opd_id, _p, _r, _n, count), taken in zip(decided, days, strict=True):
        days_by_opd[opd_id].extend([taken] * count)

    desk = Position.objects.filter(opd=OuterRef("pk"))
    opds = (
        opds_visible(scope)
        .annotate(
            has_desk=Exists(desk.filter(role__in=PPID_DESK_ROLES)),
            is_utama=Exists(desk.filter(role=Role.PPID_UTAMA)),
        )
        .filter(Q(has_desk=True) | Q(pk__in=list(counts)))
        .order_by("-is_utama", "name")
    )
    rows = tuple(_live_row(opd, counts.get(opd.pk, {}), days_by_opd[opd.pk]) for opd in opds)
    total = LiveRow(
        opd_id=0,
        name=_("Jumlah"),
        is_utama=False,
        received=sum(r.received for r in rows),
        open=sum(r.open for r in rows),
        overdue=sum(r.overdue for r in rows),
        decided=sum(r.decided for r in rows),
        median_days=_median(days),
    )
    return LiveDashboard(today=today, year_start=year_start, rows=rows, total=total)


def _live_row(opd: Opd, counts: Mapping[str, int], days: list[int]) -> LiveRow:
    return LiveRow(
        opd_id=opd.pk,
        name=opd.name,
        is_utama=bool(opd.is_utama),  # type: ignore[attr-defined]
        received=counts.get("received", 0),
        open=counts.get("open", 0),
        overdue=counts.get("overdue", 0),
        decided=counts.get("decided", 0),
        median_days=_median(days),
    )


# The register's filters -----------------------------------------------------------------------

REGISTER_FILTERS = ("opd", "status", "saluran", "dari", "sampai", "terlambat")


def register_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The register's GET filters as given (empty when absent), for forms and links."""
    return {key: params.get(key, "") or "" for key in REGISTER_FILTERS}


def _in_wide_pemda(scope: Scope, opd_id: int) -> bool:
    return bool(scope.pemda_wide_ids) and (
        Opd.objects.filter(pk=opd_id, pemda_id__in=scope.pemda_wide_ids).exists()
    )


def filtered_register(
    scope: Scope, params: Mapping[str, str], today: dt.date
) -> QuerySet[InformationRequest]:
    """The register page's rows (newest first) under its GET filters: ``opd`` (handling OPD
    id), ``status``, ``saluran`` (channel), ``dari``/``sampai`` (receipt dates, ISO) and
    ``terlambat`` (overdue on ``today``). Values that do not parse are ignored."""
    filters = register_filters(params)
    items = requests_visible(scope).order_by("-received_on", "-received_at", "-id")
    if filters["opd"].isdigit():
        opd_id = int(filters["opd"])
        if scope.is_superuser or opd_id in scope.opd_ids or _in_wide_pemda(scope, opd_id):
            # One OPD the person may see: its own index serves the page. With the scope's
            # Pemda condition as well, SQLite may pick the Pemda's index and read every OPD.
            items = (
                InformationRequest.objects.select_related("handling_opd", "opd")
                .filter(handling_opd_id=opd_id)
                .order_by("-received_on", "-received_at", "-id")
            )
        else:
            items = items.none()
    if filters["status"] in Status.values:
        items = items.filter(status=filters["status"])
    if filters["saluran"] in Channel.values:
        items = items.filter(channel=filters["saluran"])
    for key, lookup in (("dari", "received_on__gte"), ("sampai", "received_on__lte")):
        with contextlib.suppress(ValueError):
            items = items.filter(**{lookup: dt.date.fromisoformat(filters[key])})
    if filters["terlambat"]:
        items = items.filter(overdue_q(today))
    return items
