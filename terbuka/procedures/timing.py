"""Due times and elapsed times of SOP steps, measured the way each time standard says.

Pure functions of a :class:`TimeStandard`, moments and a :class:`WorkCalendar`:

* office minutes run only inside office hours of working days;
* working days count from the day the step started (as a receipt: a step started after
  office hours counts from the next working day) and the step is due at closing time of the
  last working day;
* calendar months and days are wall-clock, in the Pemda's zone;
* standards without a due time (Tentatif, Real Time, by Sistem, blank) give ``None``.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from terbuka.procedures.definition import DurationUnit, TimeStandard
from terbuka.workcalendar import rules
from terbuka.workcalendar.rules import WorkCalendar


def _closing(cal: WorkCalendar, day: dt.date) -> dt.datetime:
    hours = cal.office_hours[day.weekday()]
    return dt.datetime.combine(day, hours.closes, tzinfo=cal.tz)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, month_calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _months_between(start: dt.datetime, end: dt.datetime) -> float:
    whole = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, whole) > end:
        whole -= 1
    anchor = _add_months(start, whole)
    following = _add_months(start, whole + 1)
    return whole + (end - anchor) / (following - anchor)


def due_at(
    standard: TimeStandard, started_at: dt.datetime, cal: WorkCalendar, items: int = 1
) -> dt.datetime | None:
    """When a step started at ``started_at`` is due under ``standard``."""
    duration = standard.as_duration(items=items)
    if duration is None:
        return None
    unit, amount = duration
    local = started_at.astimezone(cal.tz)
    match unit:
        case DurationUnit.OFFICE_MINUTES:
            return rules.add_working_duration(cal, local, dt.timedelta(minutes=amount))
        case DurationUnit.CLOCK_MINUTES:
            return local + dt.timedelta(minutes=amount)
        case DurationUnit.WORKING_DAYS:
            day = rules.add_working_days(cal, rules.receipt_date(cal, local), amount)
            return _closing(cal, rules.working_day_on_or_after(cal, day))
        case DurationUnit.CALENDAR_DAYS:
            return local + dt.timedelta(days=amount)
        case DurationUnit.CALENDAR_MONTHS:
            return _add_months(local, amount)
    raise AssertionError(unit)  # pragma: no cover - every unit is matched above


def elapsed(
    standard: TimeStandard, started_at: dt.datetime, finished_at: dt.datetime, cal: WorkCalendar
) -> float | None:
    """Time taken, in the unit the standard is counted in (office minutes, working days...)."""
    duration = standard.as_duration()
    if duration is None:
        return None
    start, end = started_at.astimezone(cal.tz), finished_at.astimezone(cal.tz)
    match duration[0]:
        case DurationUnit.OFFICE_MINUTES:
            return rules.working_duration_between(cal, start, end).total_seconds() / 60
        case DurationUnit.CLOCK_MINUTES:
            return max((end - start).total_seconds(), 0) / 60
        case DurationUnit.WORKING_DAYS:
            return float(
                max(rules.working_days_between(cal, rules.receipt_date(cal, start), end.date()), 0)
            )
        case DurationUnit.CALENDAR_DAYS:
            return max((end - start).total_seconds(), 0) / 86400
        case DurationUnit.CALENDAR_MONTHS:
            return max(_months_between(start, end), 0.0)
    raise AssertionError(duration)  # pragma: no cover


def standard_amount(standard: TimeStandard, items: int = 1) -> float | None:
    """The standard in the same unit that :func:`elapsed` returns."""
    duration = standard.as_duration(items=items)
    return float(duration[1]) if duration else None
