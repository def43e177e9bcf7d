"""Property tests of the working-day rules on random calendars within 2025–2027."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.workcalendar.rules import (
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    WorkCalendar,
    add_working_days,
    add_working_duration,
    deadline,
    is_working_day,
    next_working_moment,
    receipt_date,
    working_days_between,
    working_duration_between,
)

# No example database: the suite must not write a .hypothesis directory into the tree.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = ZoneInfo("UTC")

FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2027, 12, 31)

# Default hours, and a Pemda that also opens on Saturday mornings.
WITH_SATURDAY = {
    **DEFAULT_OFFICE_HOURS,
    5: OfficeHours(time(8, 0), time(12, 0)),
}

days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
day_sets = st.frozensets(days, max_size=60)

calendars = st.builds(
    WorkCalendar,
    tz=st.sampled_from([WIB, WITA, WIT]),
    holidays=day_sets,
    cuti_bersama=day_sets,
    cuti_bersama_is_working_day=st.booleans(),
    office_hours=st.sampled_from([DEFAULT_OFFICE_HOURS, WITH_SATURDAY]),
    after_hours_counts_next_day=st.booleans(),
)
working_day_counts = st.integers(min_value=0, max_value=60)
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([WIB, WITA, WIT, UTC]),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))


# --- Working days ------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(cal=calendars, start=days, n=working_day_counts)
def test_add_working_days_lands_on_a_working_day_after_start(
    cal: WorkCalendar, start: date, n: int
) -> None:
    result = add_working_days(cal, start, n)
    if n == 0:
        assert result == start
    else:
        assert result > start
        assert is_working_day(cal, result)


@PROPERTY_SETTINGS
@given(cal=calendars, start=days, n=working_day_counts, m=working_day_counts)
def test_add_working_days_is_monotone_in_n(cal: WorkCalendar, start: date, n: int, m: int) -> None:
    low, high = sorted((n, m))
    assert add_working_days(cal, start, low) <= add_working_days(cal, start, high)
    if low < high:
        assert add_working_days(cal, start, low) < add_working_days(cal, start, high)


@PROPERTY_SETTINGS
@given(cal=calendars, start=days, n=working_day_counts)
def test_working_days_between_inverts_add_working_days(
    cal: WorkCalendar, start: date, n: int
) -> None:
    end = add_working_days(cal, start, n)
    assert working_days_between(cal, start, end) == n
    assert working_days_between(cal, end, start) == -n


@PROPERTY_SETTINGS
@given(cal=calendars, a=days, b=days, c=days)
def test_working_days_between_matches_a_day_walk_and_adds_up(
    cal: WorkCalendar, a: date, b: date, c: date
) -> None:
    low, high = min(a, b), max(a, b)
    walked = sum(
        is_working_day(cal, low + timedelta(days=i)) for i in range(1, (high - low).days + 1)
    )
    assert working_days_between(cal, low, high) == walked
    assert working_days_between(cal, a, c) == (
        working_days_between(cal, a, b) + working_days_between(cal, b, c)
    )


@PROPERTY_SETTINGS
@given(cal=calendars, start=days, n=working_day_counts)
def test_strict_calendar_is_never_later(cal: WorkCalendar, start: date, n: int) -> None:
    assert add_working_days(cal.strict(), start, n) <= add_working_days(cal, start, n)


@PROPERTY_SETTINGS
@given(cal=calendars, moment=moments, n=working_day_counts)
def test_receipt_and_deadline(cal: WorkCalendar, moment: datetime, n: int) -> None:
    local_date = moment.astimezone(cal.tz).date()
    received = receipt_date(cal, moment)
    if cal.after_hours_counts_next_day:
        assert is_working_day(cal, received)
        assert local_date <= received
    else:
        assert received == local_date
    assert deadline(cal, moment, n) == add_working_days(cal, received, n)
    assert deadline(cal.strict(), moment, n) <= deadline(cal, moment, n)


# --- Office-hours time ---------------------------------------------------------------------


def _within_office_hours_or_at_closing(cal: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(cal.tz)
    if not is_working_day(cal, local.date()):
        return False
    hours = cal.office_hours[local.weekday()]
    return hours.opens <= local.time() <= hours.closes


@PROPERTY_SETTINGS
@given(cal=calendars, moment=moments)
def test_next_working_moment_is_a_working_moment_not_before_moment(
    cal: WorkCalendar, moment: datetime
) -> None:
    result = next_working_moment(cal, moment)
    assert result >= moment
    assert result.tzinfo == cal.tz
    local = result.astimezone(cal.tz)
    hours = cal.office_hours[local.weekday()]
    assert is_working_day(cal, local.date())
    assert hours.opens <= local.time() < hours.closes
    assert next_working_moment(cal, result) == result
    assert working_duration_between(cal, moment, result) == timedelta(0)


@PROPERTY_SETTINGS
@given(cal=calendars, moment=moments, duration=durations)
def test_add_working_duration_lands_in_office_hours(
    cal: WorkCalendar, moment: datetime, duration: timedelta
) -> None:
    result = add_working_duration(cal, moment, duration)
    assert result >= moment
    if duration > timedelta(0):
        assert result > next_working_moment(cal, moment)
    assert result.tzinfo == cal.tz
    assert _within_office_hours_or_at_closing(cal, result)


@PROPERTY_SETTINGS
@given(cal=calendars, moment=moments, duration=durations)
def test_working_duration_between_inverts_add_working_duration(
    cal: WorkCalendar, moment: datetime, duration: timedelta
) -> None:
    start = next_working_moment(cal, moment)
    assert working_duration_between(cal, start, add_working_duration(cal, start, duration)) == (
        duration
    )
    # Time outside office hours before the first working moment adds nothing.
    assert working_duration_between(cal, moment, add_working_duration(cal, moment, duration)) == (
        duration
    )


@PROPERTY_SETTINGS
@given(cal=calendars, moment=moments, first=durations, second=durations)
def test_add_working_duration_is_additive(
    cal: WorkCalendar, moment: datetime, first: timedelta, second: timedelta
) -> None:
    start = next_working_moment(cal, moment)
    in_two_steps = add_working_duration(cal, add_working_duration(cal, start, first), second)
    assert in_two_steps == add_working_duration(cal, start, first + second)


@PROPERTY_SETTINGS
@given(cal=calendars, a=moments, b=moments)
def test_working_duration_between_is_bounded_by_elapsed_time(
    cal: WorkCalendar, a: datetime, b: datetime
) -> None:
    elapsed = working_duration_between(cal, a, b)
    assert timedelta(0) <= elapsed <= max(b - a, timedelta(0))
    if b <= a:
        assert elapsed == timedelta(0)
