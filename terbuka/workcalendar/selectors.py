"""Reads of the working calendar: build the pure :class:`WorkCalendar` from the database."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from terbuka.organizations.models import Opd, Pemda
from terbuka.workcalendar.models import DayKind, NonWorkingDay, OfficeHours
from terbuka.workcalendar.rules import DEFAULT_OFFICE_HOURS, WorkCalendar
from terbuka.workcalendar.rules import OfficeHours as Hours


def office_hours_for(pemda: Pemda, opd: Opd | None = None) -> dict[int, Hours]:
    """Hours per weekday: the OPD's own rows override the Pemda's, which override the default.

    A Pemda or OPD that sets any weekday sets its whole week (weekdays it leaves out are closed).
    """
    condition = Q(pemda=pemda, opd__isnull=True)
    if opd is not None:
        condition |= Q(opd=opd)
    rows = list(OfficeHours.objects.filter(condition))
    own = {row.weekday: Hours(row.opens, row.closes) for row in rows if row.opd_id is not None}
    if own:
        return own
    shared = {row.weekday: Hours(row.opens, row.closes) for row in rows if row.opd_id is None}
    return shared or dict(DEFAULT_OFFICE_HOURS)


def non_working_days(pemda: Pemda, year: int | None = None) -> QuerySet[NonWorkingDay]:
    queryset = NonWorkingDay.objects.in_force().filter(pemda=pemda)
    if year is not None:
        queryset = queryset.filter(date__year=year)
    return queryset.order_by("date")


def calendar_for(pemda: Pemda, opd: Opd | None = None) -> WorkCalendar:
    """The working calendar of ``pemda`` (and its OPD's office hours), ready for the rules."""
    holidays: set = set()
    cuti_bersama: set = set()
    for day, kind in non_working_days(pemda).values_list("date", "kind"):
        (cuti_bersama if kind == DayKind.CUTI_BERSAMA else holidays).add(day)
    return WorkCalendar(
        tz=ZoneInfo(pemda.time_zone),
        holidays=frozenset(holidays),
        cuti_bersama=frozenset(cuti_bersama),
        cuti_bersama_is_working_day=pemda.cuti_bersama_is_working_day,
        office_hours=office_hours_for(pemda, opd),
        after_hours_counts_next_day=pemda.after_hours_counts_next_day,
    )


def office_hours_rows(pemda: Pemda, opd: Opd | None = None) -> list[dict[str, object]]:
    """Hours of each open weekday with its Indonesian name, for display."""
    labels = dict(OfficeHours.Weekday.choices)
    return [
        {"label": labels[day], "opens": hours.opens, "closes": hours.closes}
        for day, hours in sorted(office_hours_for(pemda, opd).items())
    ]
