"""Reads of the organisation structure."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from terbuka.core import clock
from terbuka.organizations.access import Scope, build_scope
from terbuka.organizations.models import Opd, Pemda, Position, PositionHolding, Unit


def primary_pemda() -> Pemda | None:
    return Pemda.objects.filter(is_primary=True).first() or Pemda.objects.order_by("id").first()


def pemda_zone(pemda: Pemda | None) -> ZoneInfo:
    return ZoneInfo(pemda.time_zone if pemda else settings.TIME_ZONE)


def local_today(pemda: Pemda | None = None) -> dt.date:
    """Today on the wall clock of the Pemda (the primary one by default)."""
    return clock.today_in(pemda_zone(pemda if pemda is not None else primary_pemda()))


def scope_of(request: HttpRequest) -> Scope:
    """The requesting person's scope, computed once per request."""
    cached: Scope | None = getattr(request, "_terbuka_scope", None)
    if cached is None:
        cached = build_scope(request.user, local_today())
        request._terbuka_scope = cached  # type: ignore[attr-defined]
    return cached


def opds_visible(scope: Scope) -> QuerySet[Opd]:
    queryset = Opd.objects.select_related("pemda").order_by("name")
    if scope.is_superuser:
        return queryset
    if scope.pemda_wide_ids:
        return queryset.filter(Q(pemda_id__in=scope.pemda_wide_ids) | Q(id__in=scope.opd_ids))
    return queryset.filter(id__in=scope.opd_ids)


def active_holdings(on: dt.date) -> QuerySet[PositionHolding]:
    return PositionHolding.objects.filter(
        Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    )


def opd_structure(opd: Opd, on: dt.date) -> tuple[list[Unit], list[Position]]:
    """Units in tree order (parents first) and positions with their holders of ``on``."""
    units = list(opd.units.order_by("code"))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in by_parent.get(parent_id, []):
            unit.depth = depth  # type: ignore[attr-defined]
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    positions: list[Position] = list(
        opd.positions.select_related("unit")
        .prefetch_related(
            Prefetch(
                "holdings",
                queryset=active_holdings(on).select_related("user").order_by("starts_on"),
                to_attr="current_holdings",
            )
        )
        .order_by("unit__code", "code")
    )
    return ordered, positions
