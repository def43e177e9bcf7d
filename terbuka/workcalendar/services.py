"""Writes to the working calendar. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import holidays
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.workcalendar import actions
from terbuka.workcalendar.models import DayKind, DaySource, NonWorkingDay, OfficeHours
from terbuka.workcalendar.rules import OfficeHours as Hours

DAY_EXISTS = _("Tanggal %(date)s sudah tercatat sebagai %(name)s.")
DAY_NAME_REQUIRED = _("Nama hari libur wajib diisi.")
HOURS_INVALID = _("Jam tutup harus setelah jam buka (%(day)s).")

# In the `holidays` package, Indonesia's cuti bersama are in category "government" only.
_CATEGORY_PUBLIC = "public"
_CATEGORY_GOVERNMENT = "government"


def holidays_from_package(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, Indonesian name, kind) for one year from the ``holidays`` package."""
    public = holidays.country_holidays(
        "ID", years=year, categories=(_CATEGORY_PUBLIC,), language="id"
    )
    government = holidays.country_holidays(
        "ID", years=year, categories=(_CATEGORY_GOVERNMENT,), language="id"
    )
    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in public.items():
        days[day] = (name, DayKind.NATIONAL_HOLIDAY)
    for day, name in government.items():
        days.setdefault(day, (name, DayKind.CUTI_BERSAMA))
    return [(day, name, kind) for day, (name, kind) in sorted(days.items())]


def calendar_seed_year(*, pemda: Pemda, year: int, actor: User | None = None) -> int:
    """Add the year's national holidays and cuti bersama that the calendar has never held.

    Days an operator removed or renamed stay as the operator left them. Returns how many
    days were added; seeding the same year again adds none.
    """
    with transaction.atomic():
        known = set(
            NonWorkingDay.objects.filter(pemda=pemda, date__year=year).values_list(
                "date", flat=True
            )
        )
        new = [
            NonWorkingDay(pemda=pemda, date=day, name=name, kind=kind, source=DaySource.SEEDED)
            for day, name, kind in holidays_from_package(year)
            if day not in known
        ]
        NonWorkingDay.objects.bulk_create(new)
        if new:
            audit.record(
                action=actions.YEAR_SEEDED,
                actor=actor,
                obj=pemda,
                data={"tahun": year, "ditambahkan": [row.date.isoformat() for row in new]},
            )
    return len(new)


def day_add(*, pemda: Pemda, actor: User, date: dt.date, name: str, kind: str) -> NonWorkingDay:
    name = name.strip()
    if not name:
        raise DomainError(DAY_NAME_REQUIRED)
    with transaction.atomic():
        existing = NonWorkingDay.objects.select_for_update().filter(pemda=pemda, date=date).first()
        if existing is not None and existing.removed_at is None:
            raise DomainError(DAY_EXISTS, date=date.strftime("%d-%m-%Y"), name=existing.name)
        if existing is not None:
            existing.name, existing.kind, existing.removed_at = name, kind, None
            existing.source = DaySource.MANUAL
            existing.save(update_fields=["name", "kind", "removed_at", "source"])
            day = existing
            action = actions.DAY_RESTORED
        else:
            day = NonWorkingDay.objects.create(
                pemda=pemda, date=date, name=name, kind=kind, source=DaySource.MANUAL
            )
            action = actions.DAY_ADDED
        audit.record(
            action=action, actor=actor, obj=day, data={"tanggal": date, "nama": name, "jenis": kind}
        )
    return day


def day_rename(*, day: NonWorkingDay, actor: User, name: str, kind: str) -> NonWorkingDay:
    name = name.strip()
    if not name:
        raise DomainError(DAY_NAME_REQUIRED)
    with transaction.atomic():
        before = {"nama": day.name, "jenis": day.kind}
        day.name, day.kind = name, kind
        day.save(update_fields=["name", "kind"])
        audit.record(
            action=actions.DAY_RENAMED,
            actor=actor,
            obj=day,
            data={"dari": before, "ke": {"nama": name, "jenis": kind}},
        )
    return day


def day_remove(*, day: NonWorkingDay, actor: User) -> NonWorkingDay:
    with transaction.atomic():
        day.removed_at = clock.now()
        day.save(update_fields=["removed_at"])
        audit.record(
            action=actions.DAY_REMOVED,
            actor=actor,
            obj=day,
            data={"tanggal": day.date, "nama": day.name},
        )
    return day


def office_hours_set(
    *, pemda: Pemda, actor: User, hours: Mapping[int, Hours | None], opd: Opd | None = None
) -> None:
    """Replace the week's hours of ``pemda`` (or of one OPD). ``None`` closes a weekday."""
    labels = dict(OfficeHours.Weekday.choices)
    for weekday, value in hours.items():
        if value is not None and value.closes <= value.opens:
            raise DomainError(HOURS_INVALID, day=labels[weekday])
    with transaction.atomic():
        OfficeHours.objects.filter(pemda=pemda, opd=opd).delete()
        OfficeHours.objects.bulk_create(
            OfficeHours(pemda=pemda, opd=opd, weekday=day, opens=value.opens, closes=value.closes)
            for day, value in sorted(hours.items())
            if value is not None
        )
        audit.record(
            action=actions.HOURS_SET,
            actor=actor,
            obj=opd or pemda,
            opd_id=opd.pk if opd else None,
            data={
                str(day): (f"{v.opens:%H:%M}-{v.closes:%H:%M}" if v else None)
                for day, v in sorted(hours.items())
            },
        )
