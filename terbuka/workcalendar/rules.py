"""Working-day rules: pure functions of dates, moments and a calendar.

The rules (docs/RULES.md, "Working days"):

* Government works Monday–Friday, during office hours (by default Mon–Thu 07:30–16:00 and
  Fri 07:30–16:30 local time). A weekday without office hours is not a working day.
* National and regional holidays are never working days.
* Cuti bersama (joint leave) days are not working days by default (Perpres 21/2023 art. 6);
  each Pemda may decide that they count as working days. The strict (earlier) date, where
  cuti bersama counts, is always available as the internal target via
  :meth:`WorkCalendar.strict`.
* A deadline of N working days counts from the day after receipt: day 1 is the first working
  day after the receipt date.
* A request received outside office hours (at or after closing) or on a non-working day
  counts as received on the next working day; one received before opening on a working day
  counts as received that day. This is configurable per Pemda
  (``after_hours_counts_next_day``); when it is off, the receipt date is the local date.
* All moments are interpreted in the Pemda's own zone (WIB ``Asia/Jakarta``, WITA
  ``Asia/Makassar`` or WIT ``Asia/Jayapura``), never the server's. Naive datetimes are
  rejected.

This module imports no Django code and never reads the clock: callers pass the moments.
"""

from __future__ import annotations

import dataclasses
import datetime
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "OfficeHours",
    "WorkCalendar",
    "add_working_days",
    "add_working_duration",
    "deadline",
    "is_working_day",
    "next_working_day",
    "next_working_moment",
    "receipt_date",
    "working_day_on_or_after",
    "working_days_between",
    "working_duration_between",
]

# A search for a working day gives up after this many consecutive days (about ten years),
# so that a calendar without any working day fails loudly instead of looping forever.
MAX_SEARCH_DAYS = 3660

_UTC = datetime.UTC
_ZERO = datetime.timedelta(0)
_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class OfficeHours:
    """Opening hours on one weekday, as local wall-clock times of the Pemda's zone."""

    opens: datetime.time
    closes: datetime.time

    def __post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("Office hours are local wall-clock times; pass naive times.")
        if self.closes <= self.opens:
            raise ValueError(f"Office hours close ({self.closes}) before they open ({self.opens}).")


class _OfficeHoursTable(Mapping[int, OfficeHours]):
    """An immutable, hashable weekday -> office hours mapping (0 = Monday .. 6 = Sunday)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[int, OfficeHours]) -> None:
        table: dict[int, OfficeHours] = {}
        for weekday, hours in data.items():
            if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
                raise ValueError(f"Weekday must be an int from 0 (Monday) to 6, not {weekday!r}.")
            if not isinstance(hours, OfficeHours):
                raise TypeError(f"Office hours for weekday {weekday} must be OfficeHours.")
            table[weekday] = hours
        self._data = table
        self._hash = hash(frozenset(table.items()))

    def __getitem__(self, weekday: int) -> OfficeHours:
        return self._data[weekday]

    def __iter__(self) -> Iterator[int]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


_MON_THU = OfficeHours(datetime.time(7, 30), datetime.time(16, 0))
_FRI = OfficeHours(datetime.time(7, 30), datetime.time(16, 30))

DEFAULT_OFFICE_HOURS: Mapping[int, OfficeHours] = _OfficeHoursTable(
    {0: _MON_THU, 1: _MON_THU, 2: _MON_THU, 3: _MON_THU, 4: _FRI}
)


@dataclass(frozen=True)
class WorkCalendar:
    """A Pemda's working calendar. Immutable and hashable."""

    tz: ZoneInfo
    holidays: frozenset[datetime.date] = frozenset()
    cuti_bersama: frozenset[datetime.date] = frozenset()
    cuti_bersama_is_working_day: bool = False
    office_hours: Mapping[int, OfficeHours] = DEFAULT_OFFICE_HOURS
    after_hours_counts_next_day: bool = True

    # Derived lookups, rebuilt by __post_init__ (also on dataclasses.replace).
    _closed: frozenset[datetime.date] = field(
        init=False, repr=False, compare=False, default=frozenset()
    )
    _closed_sorted: tuple[datetime.date, ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        if not isinstance(self.tz, ZoneInfo):
            raise TypeError("WorkCalendar.tz must be a zoneinfo.ZoneInfo.")
        holidays = _date_set(self.holidays, "holidays")
        cuti_bersama = _date_set(self.cuti_bersama, "cuti_bersama")
        office_hours = (
            self.office_hours
            if isinstance(self.office_hours, _OfficeHoursTable)
            else _OfficeHoursTable(self.office_hours)
        )
        closed = holidays if self.cuti_bersama_is_working_day else holidays | cuti_bersama
        # Only closed days that fall on an office weekday change the working-day count.
        closed_sorted = tuple(sorted(d for d in closed if d.weekday() in office_hours))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "cuti_bersama", cuti_bersama)
        object.__setattr__(self, "office_hours", office_hours)
        object.__setattr__(self, "_closed", closed)
        object.__setattr__(self, "_closed_sorted", closed_sorted)

    def strict(self) -> WorkCalendar:
        """This calendar with cuti bersama counted as working days: the earlier target."""
        if self.cuti_bersama_is_working_day:
            return self
        return dataclasses.replace(self, cuti_bersama_is_working_day=True)


def _date_set(values: frozenset[datetime.date], name: str) -> frozenset[datetime.date]:
    result = frozenset(values)
    for value in result:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise TypeError(f"WorkCalendar.{name} must hold dates, not {value!r}.")
    return result


def _require_aware(moment: datetime.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"A timezone-aware datetime is required, got naive {moment!r}.")


# --- Days ------------------------------------------------------------------------------------


def is_working_day(cal: WorkCalendar, day: datetime.date) -> bool:
    """Whether ``day`` has office hours and is neither a holiday nor a counted cuti bersama."""
    return day.weekday() in cal.office_hours and day not in cal._closed


def next_working_day(cal: WorkCalendar, day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    candidate = day
    for _ in range(MAX_SEARCH_DAYS):
        candidate += _ONE_DAY
        if is_working_day(cal, candidate):
            return candidate
    raise ValueError(f"No working day within {MAX_SEARCH_DAYS} days after {day.isoformat()}.")


def working_day_on_or_after(cal: WorkCalendar, day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, otherwise the next working day."""
    if is_working_day(cal, day):
        return day
    return next_working_day(cal, day)


def add_working_days(cal: WorkCalendar, start: datetime.date, n: int) -> datetime.date:
    """The date of the ``n``-th working day after ``start`` (``start`` itself when n == 0).

    Counting starts the day after ``start``: ``start`` never counts, even if it is a
    working day.
    """
    if n < 0:
        raise ValueError(f"The number of working days must not be negative, got {n}.")
    day = start
    for _ in range(n):
        day = next_working_day(cal, day)
    return day


def working_days_between(cal: WorkCalendar, start: datetime.date, end: datetime.date) -> int:
    """The number of working days d with start < d <= end (negated when end < start)."""
    if end < start:
        return -working_days_between(cal, end, start)
    full_weeks, rest = divmod((end - start).days, 7)
    office_weekdays = cal.office_hours.keys()
    count = full_weeks * len(office_weekdays)
    first_weekday = start.weekday()
    count += sum(1 for i in range(1, rest + 1) if (first_weekday + i) % 7 in office_weekdays)
    closed = cal._closed_sorted
    count -= bisect_right(closed, end) - bisect_right(closed, start)
    return count


# --- Receipt and deadlines -----------------------------------------------------------------


def _window(
    cal: WorkCalendar, day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """Office hours of ``day`` as a UTC (opens, closes) pair, or None on a non-working day."""
    if not is_working_day(cal, day):
        return None
    hours = cal.office_hours[day.weekday()]
    opens = datetime.datetime.combine(day, hours.opens, tzinfo=cal.tz).astimezone(_UTC)
    closes = datetime.datetime.combine(day, hours.closes, tzinfo=cal.tz).astimezone(_UTC)
    return opens, closes


def _opening(cal: WorkCalendar, day: datetime.date) -> datetime.datetime:
    """Opening moment (UTC) of a day known to be a working day."""
    hours = cal.office_hours[day.weekday()]
    return datetime.datetime.combine(day, hours.opens, tzinfo=cal.tz).astimezone(_UTC)


def receipt_date(cal: WorkCalendar, moment: datetime.datetime) -> datetime.date:
    """The date a submission made at ``moment`` counts as received.

    On a working day before opening: that day. At or after closing, or on a non-working
    day: the next working day. Without ``after_hours_counts_next_day``: the local date.
    """
    _require_aware(moment)
    day = moment.astimezone(cal.tz).date()
    if not cal.after_hours_counts_next_day:
        return day
    window = _window(cal, day)
    if window is None or moment.astimezone(_UTC) >= window[1]:
        return next_working_day(cal, day)
    return day


def deadline(cal: WorkCalendar, received_at: datetime.datetime, n: int) -> datetime.date:
    """The last day of a period of ``n`` working days for a submission at ``received_at``."""
    return add_working_days(cal, receipt_date(cal, received_at), n)


# --- Office-hours durations ----------------------------------------------------------------


def next_working_moment(cal: WorkCalendar, moment: datetime.datetime) -> datetime.datetime:
    """``moment`` if it is within office hours of a working day, else the next opening time.

    Office hours are the half-open interval [opens, closes): closing time itself is not a
    working moment. The result is in ``cal.tz``.
    """
    _require_aware(moment)
    return _next_working_moment_utc(cal, moment, closing_counts=False).astimezone(cal.tz)


def _next_working_moment_utc(
    cal: WorkCalendar, moment: datetime.datetime, *, closing_counts: bool
) -> datetime.datetime:
    utc = moment.astimezone(_UTC)
    day = moment.astimezone(cal.tz).date()
    window = _window(cal, day)
    if window is not None:
        opens, closes = window
        if utc < opens:
            return opens
        if utc < closes or (closing_counts and utc == closes):
            return utc
    return _opening(cal, next_working_day(cal, day))


def add_working_duration(
    cal: WorkCalendar, moment: datetime.datetime, duration: datetime.timedelta
) -> datetime.datetime:
    """``moment`` plus ``duration`` of office-hours time, in ``cal.tz``.

    The clock starts at ``next_working_moment(moment)`` and only runs during office hours of
    working days. A result exactly at closing time stays there (it does not roll to the next
    opening). Likewise a ``moment`` exactly at closing time is kept as the start, so that
    adding zero returns it unchanged and adding in steps equals adding the sum.
    """
    _require_aware(moment)
    if duration < _ZERO:
        raise ValueError(f"The duration must not be negative, got {duration}.")
    current = _next_working_moment_utc(cal, moment, closing_counts=True)
    remaining = duration
    day = current.astimezone(cal.tz).date()
    closes = _closing_utc(cal, day)
    while remaining > closes - current:
        remaining -= closes - current
        day = next_working_day(cal, day)
        current = _opening(cal, day)
        closes = _closing_utc(cal, day)
    return (current + remaining).astimezone(cal.tz)


def _closing_utc(cal: WorkCalendar, day: datetime.date) -> datetime.datetime:
    hours = cal.office_hours[day.weekday()]
    return datetime.datetime.combine(day, hours.closes, tzinfo=cal.tz).astimezone(_UTC)


def working_duration_between(
    cal: WorkCalendar, start: datetime.datetime, end: datetime.datetime
) -> datetime.timedelta:
    """Office-hours time elapsed from ``start`` to ``end`` (zero if end <= start)."""
    _require_aware(start)
    _require_aware(end)
    start_utc = start.astimezone(_UTC)
    end_utc = end.astimezone(_UTC)
    if end_utc <= start_utc:
        return _ZERO
    total = _ZERO
    day = start.astimezone(cal.tz).date()
    last = end.astimezone(cal.tz).date()
    while day <= last:
        window = _window(cal, day)
        if window is not None:
            lower = max(window[0], start_utc)
            upper = min(window[1], end_utc)
            if upper > lower:
                total += upper - lower
        day += _ONE_DAY
    return total
