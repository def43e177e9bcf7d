"""Reads for SOPs, cases and inboxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

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
            Q(status=StepRunStatus.OPEN, due_at__lt=moment), output_field=BooleanField()
        )
    )


def with_steps(runs: Iterable[StepRun]) -> list[StepRun]:
    """Attach each run's step definition (``run.step``) for display; no queries when the
    runs were loaded with their case's version."""
    result = list(runs)
    for run in result:
        run.step = definition_of(run.case.version).step(run.step_id)  # type: ignore[attr-defined]
    return result


def inbox(scope: Scope, at: dt.datetime | None = None) -> QuerySet[StepRun]:
    """Open steps waiting for this person: assigned to them, or to a position they hold and
    not yet claimed by someone. Soonest due first; steps without a due time last."""
    positions = [seat.position_id for seat in scope.seats]
    mine = Q(assignee_id=scope.user_id) | Q(assignee__isnull=True, position_id__in=positions)
    queryset = (
        StepRun.objects.filter(mine, status=StepRunStatus.OPEN)
        .select_related("case__version__sop", "position", "assignee", "opd")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )
    return _with_overdue(queryset, at or clock.now())


def inbox_counts(scope: Scope, at: dt.datetime | None = None) -> tuple[int, int]:
    """(waiting, overdue) in this person's inbox, in one query."""
    moment = at or clock.now()
    totals = inbox(scope, moment).aggregate(
        waiting=Count("id"), overdue=Count("id", filter=Q(due_at__lt=moment))
    )
    return totals["waiting"], totals["overdue"]


def overdue(scope: Scope, at: dt.datetime | None = None) -> QuerySet[StepRun]:
    """Open steps past their due time in the OPDs this person sees."""
    moment = at or clock.now()
    queryset = StepRun.objects.filter(status=StepRunStatus.OPEN, due_at__lt=moment)
    queryset = (
        scope.filter(queryset, field="opd")
        .select_related("case__version__sop", "position", "assignee", "opd")
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
