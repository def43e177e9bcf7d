"""Measuring SOPs against their mutu baku (time standard): reads only.

Every figure comes from the step runs as stored: ``elapsed`` and ``within_standard`` are
written once when a step is completed, in the unit of that step's standard (office minutes,
working days, calendar months...), so nothing here recomputes times.

* :func:`step_measures` — per SOP and step: runs, median and 90th percentile of the time
  taken, the standard and the share of runs within it.
* :func:`sop_measures` — per SOP: cases started / completed / cancelled / open, the share of
  completed steps within standard, open steps overdue and steps late by more than a week.
* :func:`open_work` — open and overdue steps by OPD and by person.
* :func:`monitoring_sheet` — the 6-monthly monitoring form of PermenPAN-RB 35/2012, prefilled
  from the figures above with the rule of :func:`runs_well`.

Percentiles: the median is :func:`statistics.median` (the mean of the two middle values for
an even count); the 90th percentile is the **nearest-rank** one: the ``ceil(0.9 × n)``-th
smallest value, always a time that was actually taken ("90% of runs took at most this").

Each function costs a fixed number of queries however many SOPs, cases and steps there are.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from terbuka.core import clock
from terbuka.organizations.access import Scope
from terbuka.organizations.models import PositionHolding
from terbuka.organizations.selectors import pemda_zone, primary_pemda
from terbuka.procedures.definition import DurationUnit, SopDefinition, Step
from terbuka.procedures.models import Case, CaseStatus, Sop, SopVersion, StepRun, StepRunStatus
from terbuka.procedures.selectors import definition_of

GOOD_SHARE = 0.8
"""Monitoring: the share of timed steps that must be within standard for "runs well"."""
LATE_GRACE = dt.timedelta(days=7)
"""Monitoring: a step open this long past its due time counts as late."""
P90_RANK = 0.9


def unit_label(unit: DurationUnit | None) -> str:
    """The unit a standard and its elapsed times are counted in, as people read it."""
    labels = {
        DurationUnit.OFFICE_MINUTES: _("menit kerja"),
        DurationUnit.CLOCK_MINUTES: _("menit"),
        DurationUnit.WORKING_DAYS: _("hari kerja"),
        DurationUnit.CALENDAR_DAYS: _("hari"),
        DurationUnit.CALENDAR_MONTHS: _("bulan"),
    }
    return labels[unit] if unit is not None else ""


def percentile_nearest_rank(ordered: Sequence[float], rank: float = P90_RANK) -> float | None:
    """The nearest-rank percentile of values sorted ascending: the ``ceil(rank × n)``-th."""
    if not ordered:
        return None
    return ordered[max(math.ceil(rank * len(ordered)), 1) - 1]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


# Periods ------------------------------------------------------------------------------------


def _bounds(
    start: dt.date | None, end: dt.date | None, tz: dt.tzinfo | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive local dates as [start, end) moments in ``tz`` (the primary Pemda's zone when
    not given)."""
    if start is None and end is None:
        return None, None
    zone = tz or pemda_zone(primary_pemda())
    lower = dt.datetime.combine(start, dt.time(), tzinfo=zone) if start else None
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone) if end else None
    return lower, upper


def _in_period(prefix: str, lower: dt.datetime | None, upper: dt.datetime | None, column: str) -> Q:
    condition = Q()
    if lower is not None:
        condition &= Q(**{f"{prefix}{column}__gte": lower})
    if upper is not None:
        condition &= Q(**{f"{prefix}{column}__lt": upper})
    return condition


def _step_runs(scope: Scope, sop: Sop | None) -> QuerySet[StepRun]:
    queryset = StepRun.objects.all()
    if sop is not None:
        queryset = queryset.filter(case__version__sop=sop)
    return scope.filter(queryset, field="opd")


# Per step -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepMeasure:
    """Completed runs of one step of one SOP, against the step's standard."""

    sop_id: int
    sop_name: str
    step_id: str
    step_no: int | None
    activity: str
    runs: int
    """Completed runs (with or without a standard)."""
    median: float | None
    p90: float | None
    unit: DurationUnit | None
    unit_label: str
    standard: float | None
    """The standard in ``unit`` (per item for a per-item standard)."""
    standard_raw: str
    """The waktu as written on the sheet."""
    within: int
    measured: int
    """Runs that had a standard to meet (``within_standard`` is set)."""

    @property
    def within_share(self) -> float | None:
        return _share(self.within, self.measured)

    @property
    def within_percent(self) -> float | None:
        return _percent(self.within_share)

    @property
    def ratio(self) -> float | None:
        """Median over standard: above 1 means the typical run is slower than the standard."""
        if self.median is None or not self.standard:
            return None
        return self.median / self.standard

    @property
    def beyond_standard(self) -> bool:
        return self.ratio is not None and self.ratio > 1


@dataclass
class _StepTally:
    runs: int = 0
    within: int = 0
    measured: int = 0
    values: list[float] = field(default_factory=list)
    describing: SopVersion | None = None


def _step_order(definition: SopDefinition, step_id: str) -> int:
    for index, step in enumerate(definition.steps):
        if step.id == step_id:
            return index
    return len(definition.steps)


def step_measures(
    scope: Scope,
    *,
    sop: Sop | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    tz: dt.tzinfo | None = None,
) -> list[StepMeasure]:
    """Per SOP and step, the step runs completed in the period (local dates, inclusive) in the
    OPDs ``scope`` sees. Two queries: the runs' few columns in order, then their versions.

    Runs are grouped by (SOP, step id, unit of the standard): a revision that changes a step's
    unit starts a new row rather than mixing minutes with days. The step is described (name,
    standard, waktu) by the newest version among its runs.
    """
    lower, upper = _bounds(period_start, period_end, tz)
    rows = (
        _step_runs(scope, sop)
        .filter(_in_period("", lower, upper, "completed_at"), status=StepRunStatus.DONE)
        .order_by("case__version__sop_id", "step_id", F("elapsed").asc(nulls_last=True))
        .values_list(
            "case__version__sop_id", "case__version_id", "step_id", "elapsed", "within_standard"
        )
    )
    fetched = list(rows)
    versions = {
        version.pk: version
        for version in SopVersion.objects.filter(
            pk__in={version_id for _sop, version_id, *_rest in fetched}
        ).select_related("sop")
    }
    tallies: dict[tuple[int, str, DurationUnit | None], _StepTally] = defaultdict(_StepTally)
    definitions = {pk: definition_of(version) for pk, version in versions.items()}
    for sop_id, version_id, step_id, elapsed, within in fetched:
        version = versions[version_id]
        step = definitions[version_id].step(step_id)
        duration = step.standard.as_duration()
        tally = tallies[(sop_id, step_id, duration[0] if duration else None)]
        tally.runs += 1
        if elapsed is not None:
            tally.values.append(elapsed)  # arrives sorted ascending
        if within is not None:
            tally.measured += 1
            tally.within += int(within)
        if tally.describing is None or version.number > tally.describing.number:
            tally.describing = version

    measures: list[tuple[tuple[str, int, int, str], StepMeasure]] = []
    for (sop_id, step_id, unit), tally in tallies.items():
        assert tally.describing is not None
        definition = definitions[tally.describing.pk]
        described: Step = definition.step(step_id)
        duration = described.standard.as_duration()
        measure = StepMeasure(
            sop_id=sop_id,
            sop_name=tally.describing.sop.name,
            step_id=step_id,
            step_no=described.no,
            activity=described.activity,
            runs=tally.runs,
            median=statistics.median(tally.values) if tally.values else None,
            p90=percentile_nearest_rank(tally.values),
            unit=unit,
            unit_label=unit_label(unit),
            standard=float(duration[1]) if duration else None,
            standard_raw=described.standard.raw or "",
            within=tally.within,
            measured=tally.measured,
        )
        order = (measure.sop_name, sop_id, _step_order(definition, step_id), step_id)
        measures.append((order, measure))
    return [measure for _order, measure in sorted(measures, key=lambda item: item[0])]


# Per SOP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SopMeasure:
    """Cases of one SOP started in the period, and its steps completed in the period."""

    sop_id: int
    sop_name: str
    started: int = 0
    completed: int = 0
    cancelled: int = 0
    open: int = 0
    steps_completed: int = 0
    within: int = 0
    measured: int = 0
    overdue: int = 0
    """Open steps past their due time at ``at``."""
    late: int = 0
    """Steps that at ``at`` had been open more than :data:`LATE_GRACE` past their due time."""

    @property
    def within_share(self) -> float | None:
        return _share(self.within, self.measured)

    @property
    def within_percent(self) -> float | None:
        return _percent(self.within_share)

    @property
    def has_activity(self) -> bool:
        """Something to judge: a case started, a step completed or a step late."""
        return bool(self.started or self.steps_completed or self.late)


def sop_measures(
    scope: Scope,
    *,
    sop: Sop | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    at: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> list[SopMeasure]:
    """Per SOP, in the OPDs ``scope`` sees: the cases started in the period by their status
    now; the steps completed in the period and how many met their standard; the open steps
    overdue at ``at`` (now by default) and those late by more than a week. Two queries."""
    moment = at or clock.now()
    lower, upper = _bounds(period_start, period_end, tz)
    cases = Case.objects.filter(_in_period("", lower, upper, "started_at"))
    if sop is not None:
        cases = cases.filter(version__sop=sop)
    case_rows = (
        scope.filter(cases, field="opd")
        .order_by()
        .values("version__sop_id", "version__sop__name")
        .annotate(
            started=Count("id"),
            completed=Count("id", filter=Q(status=CaseStatus.COMPLETED)),
            cancelled=Count("id", filter=Q(status=CaseStatus.CANCELLED)),
            open=Count("id", filter=Q(status=CaseStatus.OPEN)),
        )
    )
    done_in_period = Q(status=StepRunStatus.DONE) & _in_period("", lower, upper, "completed_at")
    late = Q(due_at__lt=moment - LATE_GRACE) & (
        Q(completed_at__isnull=True) | Q(completed_at__gt=moment)
    )
    step_rows = (
        _step_runs(scope, sop)
        .filter(status__in=[StepRunStatus.DONE, StepRunStatus.OPEN])
        .order_by()
        .values("case__version__sop_id", "case__version__sop__name")
        .annotate(
            steps_completed=Count("id", filter=done_in_period),
            within=Count("id", filter=done_in_period & Q(within_standard=True)),
            measured=Count("id", filter=done_in_period & Q(within_standard__isnull=False)),
            overdue=Count("id", filter=Q(status=StepRunStatus.OPEN, due_at__lt=moment)),
            late=Count("id", filter=late),
        )
    )
    names: dict[int, str] = {}
    by_sop: dict[int, dict[str, int]] = defaultdict(dict)
    for row in case_rows:
        names[row["version__sop_id"]] = row["version__sop__name"]
        by_sop[row["version__sop_id"]].update(
            {key: row[key] for key in ("started", "completed", "cancelled", "open")}
        )
    for row in step_rows:
        names[row["case__version__sop_id"]] = row["case__version__sop__name"]
        by_sop[row["case__version__sop_id"]].update(
            {key: row[key] for key in ("steps_completed", "within", "measured", "overdue", "late")}
        )
    measures = [
        SopMeasure(sop_id=sop_id, sop_name=names[sop_id], **counts)
        for sop_id, counts in by_sop.items()
    ]
    return sorted(
        (m for m in measures if m.has_activity or m.open or m.overdue),
        key=lambda m: (m.sop_name, m.sop_id),
    )


# Open work ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadRow:
    """Open steps waiting in one OPD, or for one person or position in it."""

    opd_id: int
    opd_name: str
    label: str
    open: int
    overdue: int
    kind: str = "opd"
    """``opd``, ``person`` (the assignee), ``position`` (unclaimed) or ``none``."""
    holders: tuple[str, ...] = ()
    """For an unclaimed position: who holds it today."""


@dataclass(frozen=True)
class OpenWork:
    at: dt.datetime
    by_opd: list[WorkloadRow]
    by_person: list[WorkloadRow]

    @property
    def open(self) -> int:
        return sum(row.open for row in self.by_opd)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.by_opd)


@dataclass
class _WorkTally:
    label: str
    open: int = 0
    overdue: int = 0

    def add(self, open_: int, overdue: int) -> None:
        self.open += open_
        self.overdue += overdue


def _holders(
    positions: dict[int, dt.date],
) -> dict[int, tuple[str, ...]]:
    """Names of who holds each position on its day (one query)."""
    if not positions:
        return {}
    first, last = min(positions.values()), max(positions.values())
    holdings = (
        PositionHolding.objects.filter(position_id__in=positions, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("user")
        .order_by("position_id", "starts_on", "id")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for holding in holdings:
        if holding.is_active_on(positions[holding.position_id]):
            names[holding.position_id].append(holding.user.display_name)
    return {position: tuple(people) for position, people in names.items()}


def _workload_sorted(rows: Iterable[WorkloadRow]) -> list[WorkloadRow]:
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.opd_name, r.label))


def open_work(scope: Scope, at: dt.datetime | None = None) -> OpenWork:
    """Open steps and those overdue at ``at``, by OPD and by person: the assignee, or for an
    unclaimed step its position (with who holds it today), or "no executor". Two queries."""
    moment = at or clock.now()
    rows = (
        scope.filter(StepRun.objects.filter(status=StepRunStatus.OPEN), field="opd")
        .order_by()
        .values(
            "opd_id",
            "opd__name",
            "opd__pemda__time_zone",
            "assignee_id",
            "assignee__full_name",
            "assignee__username",
            "position_id",
            "position__title",
        )
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=moment)))
    )
    opds: dict[int, _WorkTally] = {}
    people: dict[tuple[str, int, int | None], _WorkTally] = {}
    position_days: dict[int, dt.date] = {}
    for row in rows:
        opd_id: int = row["opd_id"]
        opds.setdefault(opd_id, _WorkTally(row["opd__name"])).add(row["open"], row["overdue"])
        ident: int | None
        if row["assignee_id"] is not None:
            kind, ident = "person", row["assignee_id"]
            label = row["assignee__full_name"] or row["assignee__username"]
        elif row["position_id"] is not None:
            kind, ident, label = "position", row["position_id"], row["position__title"]
            zone = ZoneInfo(row["opd__pemda__time_zone"])
            position_days[row["position_id"]] = moment.astimezone(zone).date()
        else:
            kind, ident, label = "none", None, _("Belum ada pelaksana")
        people.setdefault((kind, opd_id, ident), _WorkTally(label)).add(row["open"], row["overdue"])
    holders = _holders(position_days)
    return OpenWork(
        at=moment,
        by_opd=_workload_sorted(
            WorkloadRow(
                opd_id=opd_id,
                opd_name=tally.label,
                label=tally.label,
                open=tally.open,
                overdue=tally.overdue,
            )
            for opd_id, tally in opds.items()
        ),
        by_person=_workload_sorted(
            WorkloadRow(
                opd_id=opd_id,
                opd_name=opds[opd_id].label,
                label=tally.label,
                open=tally.open,
                overdue=tally.overdue,
                kind=kind,
                holders=holders.get(ident, ()) if kind == "position" and ident else (),
            )
            for (kind, opd_id, ident), tally in people.items()
        ),
    )


# The 6-monthly monitoring form ---------------------------------------------------------------


def semester_dates(year: int, semester: int) -> tuple[dt.date, dt.date]:
    """First and last day of semester 1 (January–June) or 2 (July–December)."""
    if semester == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def runs_well(measure: SopMeasure) -> bool | None:
    """The monitoring rule. ``None``: nothing to judge (no case started and no step completed
    in the semester). Otherwise the SOP "runs well" when both hold:

    * at least :data:`GOOD_SHARE` (80%) of the steps completed in the semester that had a time
      standard met it (vacuously true when none had one), and
    * no step was late by more than :data:`LATE_GRACE` (7 days) at the end of the semester
      (or today, for the running semester): still open more than 7 days past its due time.
    """
    if not measure.has_activity:
        return None
    share = measure.within_share
    return (share is None or share >= GOOD_SHARE) and measure.late == 0


@dataclass(frozen=True)
class MonitoringRow:
    no: int
    sop_id: int
    sop_name: str
    runs_well: bool | None
    assessment: str
    notes: str
    action: str
    measure: SopMeasure
    slowest: StepMeasure | None


@dataclass(frozen=True)
class MonitoringSheet:
    year: int
    semester: int
    start: dt.date
    end: dt.date
    cutoff: dt.datetime
    rows: list[MonitoringRow]


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    rounded = round(value, 1)
    return number_format(rounded, decimal_pos=0 if rounded == int(rounded) else 1)


def _slowest(steps: Iterable[StepMeasure]) -> StepMeasure | None:
    """The step whose median is furthest above (or least below) its standard."""
    timed = [step for step in steps if step.ratio is not None]
    if not timed:
        return None
    return max(timed, key=lambda s: (s.ratio, -(s.within_share or 0.0)))


def assessment_label(verdict: bool | None) -> str:
    if verdict is None:
        return _("Belum dapat dinilai")
    return _("Berjalan dengan baik") if verdict else _("Tidak berjalan dengan baik")


def _notes(measure: SopMeasure, slowest: StepMeasure | None) -> str:
    if not measure.has_activity:
        return _("Tidak ada kasus pada semester ini.")
    parts = [
        _(
            "%(started)s kasus dimulai (%(completed)s selesai, %(open)s berjalan, "
            "%(cancelled)s dibatalkan)."
        )
        % {
            "started": measure.started,
            "completed": measure.completed,
            "open": measure.open,
            "cancelled": measure.cancelled,
        }
    ]
    if measure.measured:
        parts.append(
            _("%(percent)s%% langkah selesai dalam standar waktu (%(within)s dari %(measured)s).")
            % {
                "percent": _number(measure.within_percent),
                "within": measure.within,
                "measured": measure.measured,
            }
        )
    else:
        parts.append(_("Tidak ada langkah bermutu baku waktu yang selesai."))
    if slowest is not None:
        parts.append(
            _(
                "Langkah paling lambat: %(no)s. %(activity)s — median %(median)s %(unit)s, "
                "standar %(standard)s %(unit)s."
            )
            % {
                "no": slowest.step_no or "-",
                "activity": slowest.activity,
                "median": _number(slowest.median),
                "standard": _number(slowest.standard),
                "unit": slowest.unit_label,
            }
        )
    if measure.late:
        parts.append(
            _("%(late)s langkah terlambat lebih dari 7 hari dari tenggat.") % {"late": measure.late}
        )
    return " ".join(parts)


def _action(measure: SopMeasure, verdict: bool | None, slowest: StepMeasure | None) -> str:
    if verdict is not False:
        return "-"
    parts = []
    if slowest is not None and slowest.beyond_standard:
        parts.append(
            _(
                "Tinjau langkah %(no)s (%(activity)s): median %(median)s %(unit)s melebihi "
                "standar %(standard)s %(unit)s; periksa beban kerja pelaksana atau revisi "
                "mutu baku waktu."
            )
            % {
                "no": slowest.step_no or "-",
                "activity": slowest.activity,
                "median": _number(slowest.median),
                "standard": _number(slowest.standard),
                "unit": slowest.unit_label,
            }
        )
    elif slowest is not None:
        parts.append(
            _(
                "Tinjau langkah %(no)s (%(activity)s): hanya %(percent)s%% selesai dalam "
                "standar; periksa beban kerja pelaksana atau revisi mutu baku waktu."
            )
            % {
                "no": slowest.step_no or "-",
                "activity": slowest.activity,
                "percent": _number(slowest.within_percent),
            }
        )
    if measure.late:
        parts.append(
            _("Selesaikan %(late)s langkah yang terlambat lebih dari 7 hari.")
            % {"late": measure.late}
        )
    return " ".join(parts) or _("Tinjau pelaksanaan SOP ini bersama pelaksananya.")


def monitoring_sheet(
    scope: Scope,
    *,
    year: int,
    semester: int,
    at: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> MonitoringSheet:
    """One row per procedure for the semester: the SOPs run in the OPDs ``scope`` sees, and
    the SOPs those OPDs own even if not run (to be judged "not yet assessable")."""
    zone = tz or pemda_zone(primary_pemda())
    start, end = semester_dates(year, semester)
    cutoff = min(
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
        at or clock.now(),
    )
    measures = {
        m.sop_id: m
        for m in sop_measures(scope, period_start=start, period_end=end, at=cutoff, tz=zone)
        if m.has_activity
    }
    owned = scope.filter(Sop.objects.filter(opd__isnull=False), field="opd").values_list(
        "id", "name"
    )
    for sop_id, name in owned:
        measures.setdefault(sop_id, SopMeasure(sop_id=sop_id, sop_name=name))
    steps: dict[int, list[StepMeasure]] = defaultdict(list)
    for step in step_measures(scope, period_start=start, period_end=end, tz=zone):
        steps[step.sop_id].append(step)
    rows = []
    for number, measure in enumerate(
        sorted(measures.values(), key=lambda m: (m.sop_name, m.sop_id)), start=1
    ):
        verdict = runs_well(measure)
        slowest = _slowest(steps[measure.sop_id])
        rows.append(
            MonitoringRow(
                no=number,
                sop_id=measure.sop_id,
                sop_name=measure.sop_name,
                runs_well=verdict,
                assessment=assessment_label(verdict),
                notes=_notes(measure, slowest),
                action=_action(measure, verdict, slowest),
                measure=measure,
                slowest=slowest,
            )
        )
    return MonitoringSheet(
        year=year, semester=semester, start=start, end=end, cutoff=cutoff, rows=rows
    )
