"""A fictional Pemda, Kabupaten Nusa Harapan, staffed for every role the seed SOPs name."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from terbuka.organizations.demo.data import DEMO_OPDS, DEMO_PEMDA, DemoOpd
from terbuka.organizations.models import (
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Role,
    Unit,
    User,
)
from terbuka.organizations.selectors import local_today
from terbuka.workcalendar.services import calendar_seed_year

DEMO_PASSWORD = "terbuka-demo"  # noqa: S105 - printed for demo sign-in on purpose
DEMO_START = dt.date(2025, 1, 2)


def _user(username: str, full_name: str, nip: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "nip": nip, "email": f"{username}@nusaharapan.example"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _opd(pemda: Pemda, spec: DemoOpd) -> list[tuple[str, str]]:
    opd, _ = Opd.objects.get_or_create(
        pemda=pemda, code=spec.code, defaults={"name": spec.name, "short_name": spec.short_name}
    )
    units: dict[str, Unit] = {}
    for code, name, kind, parent in spec.units:
        units[code], _ = Unit.objects.get_or_create(
            opd=opd,
            code=code,
            defaults={"name": name, "kind": kind, "parent": units.get(parent) if parent else None},
        )
    logins = []
    for seat in spec.positions:
        position, _ = Position.objects.get_or_create(
            opd=opd,
            code=seat.code,
            defaults={
                "title": seat.title,
                "role": seat.role,
                "unit": units[seat.unit] if seat.unit else None,
            },
        )
        user = _user(seat.username, seat.person, seat.nip)
        PositionHolding.objects.get_or_create(
            position=position, user=user, kind=seat.kind, starts_on=DEMO_START
        )
        label = f"{seat.title} ({Role(seat.role).label}), {opd.short_name or opd.name}"
        if seat.kind != "definitif":
            label = f"{seat.kind.upper()} {label}"
        logins.append((seat.username, label))
    return logins


@transaction.atomic
def demo_load() -> list[tuple[str, str]]:
    """Create (or find) the demo Pemda and everything in it. Returns (username, description)."""
    pemda, created = Pemda.objects.get_or_create(
        region_code=DEMO_PEMDA["region_code"], defaults=DEMO_PEMDA
    )
    if created and not Pemda.objects.filter(is_primary=True).exists():
        pemda.is_primary = True
        pemda.save(update_fields=["is_primary"])
    logins: list[tuple[str, str]] = []
    for spec in DEMO_OPDS:
        logins.extend(_opd(pemda, spec))
    this_year = local_today(pemda).year
    for year in (this_year, this_year + 1):
        calendar_seed_year(pemda=pemda, year=year)
    seen: dict[str, str] = {}
    for username, label in logins:
        seen[username] = f"{seen[username]}; {label}" if username in seen else label
    return list(seen.items())
