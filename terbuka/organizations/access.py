"""Who may see and do what: positions held today give roles, scoped to OPDs.

Every app asks the same question the same way::

    scope = scope_of(request.user)
    queryset = scope.filter(Thing.objects.all(), field="opd")
    if not scope.can_view(opd_id): raise Http404

A person's roles come from the positions they hold today (definitive, Plt or Plh) and from
delegations made to them by holders who are on leave. Holders of a Pemda-wide role
(PPID Utama, walidata, Atasan PPID, operator) see every OPD of their Pemda.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from terbuka.organizations.models import (
    PEMDA_WIDE_ROLES,
    Delegation,
    PositionHolding,
    Role,
    User,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Seat:
    """One position a person may act in today."""

    position_id: int
    title: str
    role: str
    opd_id: int
    opd_name: str
    unit_id: int | None
    unit_name: str | None
    pemda_id: int
    kind: str  # definitif, plt, plh, or "delegasi"
    acting_for: str | None = None  # the holder a delegation acts for
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    seats: tuple[Seat, ...] = ()
    is_superuser: bool = False
    roles_by_opd: dict[int, frozenset[str]] = field(default_factory=dict)
    pemda_wide_ids: frozenset[int] = frozenset()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(seat.role for seat in self.seats)

    @property
    def is_operator(self) -> bool:
        return self.is_superuser or Role.OPERATOR in self.roles

    @property
    def sees_all_opds(self) -> bool:
        return self.is_superuser or bool(self.pemda_wide_ids)

    @property
    def opd_ids(self) -> frozenset[int]:
        return frozenset(self.roles_by_opd)

    def has_role(self, *roles: str, opd_id: int | None = None) -> bool:
        if opd_id is None:
            return bool(self.roles.intersection(roles))
        return bool(self.roles_by_opd.get(opd_id, frozenset()).intersection(roles))

    def can_view(self, opd_id: int | None) -> bool:
        if self.sees_all_opds:
            return True
        return opd_id is not None and opd_id in self.roles_by_opd

    def can_manage_structure(self, opd_id: int | None) -> bool:
        return self.is_operator or (
            opd_id is not None and self.has_role(Role.ADMIN_OPD, opd_id=opd_id)
        )

    def filter(self, queryset: QuerySet[M], field: str = "opd") -> QuerySet[M]:
        """Keep only the rows whose OPD (reached through ``field``) this person may see."""
        if self.is_superuser:
            return queryset
        if self.pemda_wide_ids:
            return queryset.filter(
                Q(**{f"{field}__pemda_id__in": self.pemda_wide_ids})
                | Q(**{f"{field}_id__in": self.opd_ids})
            )
        return queryset.filter(**{f"{field}_id__in": self.opd_ids})

    def filter_own_pemda(
        self, queryset: QuerySet[M], *, field: str = "opd", pemda_field: str = "pemda"
    ) -> QuerySet[M]:
        """:meth:`filter` for rows that carry their own Pemda as well as an OPD.

        A Pemda-wide scope is then a condition on the row's own ``pemda_field`` column,
        which an index on that column serves, instead of a condition on the joined OPD
        table; OPDs held outside those Pemdas are added to it."""
        if self.is_superuser or not self.pemda_wide_ids:
            return self.filter(queryset, field=field)
        visible = Q(**{f"{pemda_field}_id__in": self.pemda_wide_ids})
        elsewhere = {s.opd_id for s in self.seats if s.pemda_id not in self.pemda_wide_ids}
        if elsewhere:
            visible |= Q(**{f"{field}_id__in": elsewhere})
        return queryset.filter(visible)


ANONYMOUS = Scope(user_id=None)


def _holding_seat(holding: PositionHolding, kind: str, acting_for: str | None = None) -> Seat:
    position = holding.position
    return Seat(
        position_id=position.pk,
        title=position.title,
        role=position.role,
        opd_id=position.opd_id,
        opd_name=str(position.opd),
        unit_id=position.unit_id,
        unit_name=position.unit.name if position.unit else None,
        pemda_id=position.opd.pemda_id,
        kind=kind,
        acting_for=acting_for,
        ends_on=holding.ends_on,
    )


def seats_of(user: User, on: dt.date) -> list[Seat]:
    """The positions ``user`` may act in on ``on``: held ones, then delegated ones."""
    active = Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    related = ("position__opd", "position__unit")
    seats = [
        _holding_seat(holding, holding.kind)
        for holding in PositionHolding.objects.filter(active, user=user).select_related(*related)
    ]
    delegations: Iterable[Delegation] = Delegation.objects.filter(
        starts_on__lte=on, ends_on__gte=on, delegate=user
    ).select_related(*(f"holding__{name}" for name in related), "holding__user")
    for delegation in delegations:
        if delegation.holding.is_active_on(on):
            seats.append(
                _holding_seat(delegation.holding, "delegasi", str(delegation.holding.user))
            )
    return seats


def build_scope(user: Any, on: dt.date) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    seats = seats_of(user, on)
    roles_by_opd: dict[int, set[str]] = defaultdict(set)
    for seat in seats:
        roles_by_opd[seat.opd_id].add(seat.role)
    return Scope(
        user_id=user.pk,
        seats=tuple(seats),
        is_superuser=user.is_superuser,
        roles_by_opd={opd: frozenset(roles) for opd, roles in roles_by_opd.items()},
        pemda_wide_ids=frozenset(s.pemda_id for s in seats if s.role in PEMDA_WIDE_ROLES),
    )
