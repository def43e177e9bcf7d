"""Reads for SOPs, cases and inboxes."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import overload

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet

from terbuka.core import clock
from terbuka.organizations.access import Scope
from terbuka.organizations.models import PEMDA_WIDE_ROLES, Opd, Position, Role, Unit
from terbuka.procedures.definition import Lane, LaneKind, SopDefinition, load_sop_text
from terbuka.procedures.models import Case, Sop, SopVersion, StepRun, StepRunStatus


@lru_cache(maxsize=256)
def _parsed(version_id: int, definition_hash: str, source: str, name: str) -> SopDefinition:
    return load_sop_text(source, name)


def definition_of(version: SopVersion) -> SopDefinition:
    """The parsed definition of a stored version (parsed once per process)."""
    return _parsed(version.pk, version.definition_hash, version.source, f"{version.sop.code}.yaml")


def _unit_chain(unit: Unit | None) -> list[int]:
    chain: list[int] = []
    while unit is not None:
        chain.append(unit.pk)
        unit = unit.parent
    return chain


def _matches_hint(position: Position, hint: str) -> bool:
    if position.unit is None:
        return False
    unit, wanted = position.unit.name.casefold().strip(), hint.casefold().strip()
    return unit == wanted or wanted in unit or unit in wanted


def lane_position(lane: Lane, opd: Opd, unit: Unit | None) -> Position | None:
    """The position that acts for an internal lane in a case of ``opd``/``unit``.

    Among the positions with the lane's role the closest wins: one in the unit the lane names
    (``unit_hint``), then one in the case's unit or the units above it, then any in the OPD;
    for Pemda-wide roles (PPID Utama, walidata, Atasan PPID) anywhere in the Pemda.
    """
    if lane.kind != LaneKind.INTERNAL or lane.role is None:
        return None
    candidates = Position.objects.filter(role=lane.role).select_related("unit")
    if lane.role in PEMDA_WIDE_ROLES:
        own = candidates.filter(opd=opd).order_by("id").first()
        return own or candidates.filter(opd__pemda_id=opd.pemda_id).order_by("id").first()
    pool = list(candidates.filter(opd=opd).order_by("id"))
    if lane.unit_hint:
        pool = [p for p in pool if _matches_hint(p, lane.unit_hint)] or pool
    for unit_id in _unit_chain(unit):
        for position in pool:
            if position.unit_id == unit_id:
                return position
    return pool[0] if pool else None


def sops_for(scope: Scope) -> QuerySet[Sop]:
    """SOPs this person may run: library SOPs of their Pemda and their OPDs' own."""
    queryset = Sop.objects.select_related("current_version", "opd").exclude(
        current_version__isnull=True
    )
    if scope.is_superuser:
        return queryset
    pemdas = {seat.pemda_id for seat in scope.seats}
    if scope.sees_all_opds:
        return queryset.filter(pemda_id__in=pemdas)
    return queryset.filter(pemda_id__in=pemdas).filter(
        Q(opd__isnull=True) | Q(opd_id__in=scope.opd_ids)
    )


def _with_overdue(queryset: QuerySet[StepRun], moment: dt.datetime) -> QuerySet[StepRun]:
    """Mark each run ``is_overdue``: open and past its due time. The one definition of
    overdue that pages, exports and reports share."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(
            Q(status=StepRunStatus.OPEN, due_at__isnull=False, due_at__lt=moment),
            output_field=BooleanField(),
        )
    )


def with_steps(runs: Iterable[StepRun]) -> list[StepRun]:
    """Attach each run's step definition (``run.step``) for display; no queries when the
    runs were loaded with their case's version."""
    result = list(runs)
    for run in result:
        run.step = definition_of(run.case.version).step(run.step_id)  # type: ignore[attr-defined]
    return result


_DISPLAY_RELATIONS = ("case__version__sop", "position", "assignee", "opd")


def _due_order(run: tuple[dt.datetime | None, int]) -> tuple[bool, dt.datetime | None, int]:
    due_at, run_id = run
    return (due_at is None, due_at, run_id)


class Inbox:
    """The open steps waiting for one person, soonest due first (no due time last).

    Two halves, each served by its own index: the steps assigned to the person, and the
    unclaimed steps of the positions they hold. A page is cut from both halves' ids, merged,
    and only its rows are loaded — the cost follows the page, not the table. It behaves as
    a sequence, so Django's Paginator pages it.
    """

    def __init__(self, scope: Scope, at: dt.datetime) -> None:
        self.moment = at
        open_steps = StepRun.objects.filter(status=StepRunStatus.OPEN)
        positions = [seat.position_id for seat in scope.seats]
        self.halves = (
            open_steps.filter(assignee_id=scope.user_id),
            open_steps.filter(assignee__isnull=True, position_id__in=positions),
        )

    def count(self) -> int:
        return sum(half.count() for half in self.halves)

    def __len__(self) -> int:
        return self.count()

    def counts(self) -> tuple[int, int]:
        """(waiting, overdue)."""
        waiting = overdue = 0
        for half in self.halves:
            totals = half.aggregate(
                waiting=Count("id"), overdue=Count("id", filter=Q(due_at__lt=self.moment))
            )
            waiting += totals["waiting"]
            overdue += totals["overdue"]
        return waiting, overdue

    def __iter__(self) -> Iterator[StepRun]:
        return iter(self[:])

    @overload
    def __getitem__(self, window: int) -> StepRun: ...

    @overload
    def __getitem__(self, window: slice) -> list[StepRun]: ...

    def __getitem__(self, window: int | slice) -> StepRun | list[StepRun]:
        if isinstance(window, int):
            return self[window : window + 1][0]
        start, stop = window.start or 0, window.stop
        if stop is None:
            stop = self.count()
        order = (F("due_at").asc(nulls_last=True), "id")
        candidates = heapq.merge(
            *(
                list(half.order_by(*order).values_list("due_at", "id")[:stop])
                for half in self.halves
            ),
            key=_due_order,
        )
        ids = [run_id for _due, run_id in list(candidates)[start:stop]]
        if not ids:
            return []
        rows = _with_overdue(
            StepRun.objects.filter(id__in=ids).select_related(*_DISPLAY_RELATIONS), self.moment
        )
        by_id = {run.pk: run for run in rows}
        return [by_id[run_id] for run_id in ids]


def inbox(scope: Scope, at: dt.datetime | None = None) -> Inbox:
    """Open steps waiting for this person: assigned to them, or to a position they hold and
    not yet claimed by someone."""
    return Inbox(scope, at or clock.now())


def inbox_counts(scope: Scope, at: dt.datetime | None = None) -> tuple[int, int]:
    """(waiting, overdue) in this person's inbox."""
    return inbox(scope, at).counts()


def overdue(scope: Scope, at: dt.datetime | None = None) -> QuerySet[StepRun]:
    """Open steps past their due time in the OPDs this person sees."""
    moment = at or clock.now()
    queryset = StepRun.objects.filter(status=StepRunStatus.OPEN, due_at__lt=moment)
    queryset = (
        scope.filter(queryset, field="opd")
        .select_related(*_DISPLAY_RELATIONS)
        .order_by("due_at", "id")
    )
    return _with_overdue(queryset, moment)


def can_act(scope: Scope, run: StepRun) -> bool:
    """Whether this person may complete, claim or hand on this step."""
    if run.status != StepRunStatus.OPEN:
        return False
    if run.assignee_id is not None:
        return run.assignee_id == scope.user_id or scope.has_role(Role.KEPALA, opd_id=run.opd_id)
    if run.position_id is not None:
        held = {seat.position_id for seat in scope.seats}
        return run.position_id in held or scope.has_role(Role.KEPALA, opd_id=run.opd_id)
    # Nobody holds the lane's position: the OPD's head and structure admins step in.
    return scope.is_operator or scope.has_role(Role.KEPALA, Role.ADMIN_OPD, opd_id=run.opd_id)


def cases_visible(scope: Scope) -> QuerySet[Case]:
    return scope.filter(Case.objects.select_related("version__sop", "opd"), field="opd")
