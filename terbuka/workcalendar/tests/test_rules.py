"""Table tests of the working-day rules on real Indonesian calendars, 2025–2027.

Every moment is built aware in an explicit zone: the suite runs in Pacific/Honolulu.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from terbuka.workcalendar.rules import (
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    WorkCalendar,
    add_working_days,
    add_working_duration,
    deadline,
    is_working_day,
    next_working_day,
    next_working_moment,
    receipt_date,
    working_day_on_or_after,
    working_days_between,
    working_duration_between,
)
from terbuka.workcalendar.tests.skb import CUTI_BERSAMA, NATIONAL_HOLIDAYS

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
UTC = ZoneInfo("UTC")

# National holidays and cuti bersama 2025–2027: skb.py beside this file (SKB 3 Menteri).

CAL_WIB = WorkCalendar(tz=WIB, holidays=NATIONAL_HOLIDAYS, cuti_bersama=CUTI_BERSAMA)
CAL_WITA = dataclasses.replace(CAL_WIB, tz=WITA)
CAL_WIT = dataclasses.replace(CAL_WIB, tz=WIT)
CAL_WIB_CUTI_COUNTS = dataclasses.replace(CAL_WIB, cuti_bersama_is_working_day=True)
CAL_WIB_LOCAL_DATE = dataclasses.replace(CAL_WIB, after_hours_counts_next_day=False)
CAL_WIT_LOCAL_DATE = dataclasses.replace(CAL_WIT, after_hours_counts_next_day=False)

# Tuesday 17 March 2026, 10:00 WIB: just before the Nyepi / Idul Fitri 2026 run of days off.
BEFORE_LEBARAN_2026 = datetime(2026, 3, 17, 10, 0, tzinfo=WIB)


def wib(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


# --- Cuti bersama -----------------------------------------------------------------------------


def test_perpres_21_2023_art6_cuti_bersama_not_working_by_default() -> None:
    for day in (date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert not is_working_day(CAL_WIB, day)
    # Day 1 is 25 March (18, 20, 23, 24 Mar cuti bersama; 19 Mar Nyepi; 21–22 Mar weekend
    # and Idul Fitri); Good Friday 3 April is skipped too.
    assert deadline(CAL_WIB, BEFORE_LEBARAN_2026, 10) == date(2026, 4, 8)


def test_cuti_bersama_counts_as_working_day_when_pemda_says_so() -> None:
    for day in (date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert is_working_day(CAL_WIB_CUTI_COUNTS, day)
    assert not is_working_day(CAL_WIB_CUTI_COUNTS, date(2026, 3, 19))  # Nyepi still off
    assert deadline(CAL_WIB_CUTI_COUNTS, BEFORE_LEBARAN_2026, 10) == date(2026, 4, 1)


def test_strict_calendar_is_the_earlier_internal_target() -> None:
    strict = CAL_WIB.strict()
    assert strict == CAL_WIB_CUTI_COUNTS
    assert strict.strict() == strict
    assert CAL_WIB.cuti_bersama_is_working_day is False  # the original is unchanged
    assert deadline(strict, BEFORE_LEBARAN_2026, 10) == date(2026, 4, 1)
    assert deadline(strict, BEFORE_LEBARAN_2026, 10) < deadline(CAL_WIB, BEFORE_LEBARAN_2026, 10)


def test_holidays_are_never_working_whatever_the_cuti_bersama_setting() -> None:
    # Nyepi, Good Friday and Christmas are holidays whatever the cuti bersama setting.
    for cal in (CAL_WIB, CAL_WIB_CUTI_COUNTS):
        for day in (date(2026, 3, 19), date(2026, 4, 3), date(2025, 12, 25)):
            assert not is_working_day(cal, day)


def test_regional_holiday_is_not_working() -> None:
    # A hypothetical regional holiday (libur daerah) on Wednesday 29 April 2026.
    cal = dataclasses.replace(CAL_WIB, holidays=NATIONAL_HOLIDAYS | {date(2026, 4, 29)})
    assert is_working_day(CAL_WIB, date(2026, 4, 29))
    assert not is_working_day(cal, date(2026, 4, 29))
    assert next_working_day(cal, date(2026, 4, 28)) == date(2026, 4, 30)


# --- Receipt outside office hours -------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(wib(2026, 3, 13, 16, 30), date(2026, 3, 16), id="fri-at-16:30-close-monday"),
        pytest.param(wib(2026, 3, 13, 18, 0), date(2026, 3, 16), id="fri-evening-monday"),
        pytest.param(wib(2026, 3, 13, 16, 29, 59), date(2026, 3, 13), id="fri-16:29:59-same-day"),
        pytest.param(wib(2026, 3, 12, 16, 0), date(2026, 3, 13), id="thu-at-16:00-close-friday"),
        pytest.param(wib(2026, 3, 12, 15, 59), date(2026, 3, 12), id="thu-15:59-same-day"),
        pytest.param(wib(2026, 3, 14, 10, 0), date(2026, 3, 16), id="saturday-monday"),
        pytest.param(wib(2026, 3, 15, 23, 59), date(2026, 3, 16), id="sunday-night-monday"),
        pytest.param(wib(2026, 3, 16, 6, 0), date(2026, 3, 16), id="before-opening-same-day"),
        pytest.param(wib(2026, 3, 16, 0, 0), date(2026, 3, 16), id="midnight-same-day"),
        pytest.param(wib(2026, 3, 17, 16, 0), date(2026, 3, 25), id="tue-close-before-lebaran"),
        pytest.param(wib(2026, 3, 19, 9, 0), date(2026, 3, 25), id="on-nyepi-2026"),
        pytest.param(wib(2026, 4, 3, 9, 0), date(2026, 4, 6), id="on-good-friday-2026"),
        pytest.param(wib(2025, 12, 25, 10, 0), date(2025, 12, 29), id="on-christmas-2025"),
    ],
)
def test_received_outside_office_hours_counts_from_next_working_day(
    moment: datetime, expected: date
) -> None:
    assert receipt_date(CAL_WIB, moment) == expected


def test_received_on_saturday_deadline_counts_from_monday() -> None:
    # Saturday 14 Mar 2026 counts as received Monday 16 Mar; day 1 is Tuesday 17 Mar.
    assert deadline(CAL_WIB, wib(2026, 3, 14, 10, 0), 1) == date(2026, 3, 17)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(wib(2026, 3, 13, 18, 0), date(2026, 3, 13), id="fri-evening"),
        pytest.param(wib(2026, 3, 14, 10, 0), date(2026, 3, 14), id="saturday"),
        pytest.param(wib(2026, 3, 19, 9, 0), date(2026, 3, 19), id="nyepi"),
        pytest.param(wib(2026, 3, 16, 6, 0), date(2026, 3, 16), id="before-opening"),
    ],
)
def test_receipt_is_local_date_when_after_hours_rule_is_off(
    moment: datetime, expected: date
) -> None:
    assert receipt_date(CAL_WIB_LOCAL_DATE, moment) == expected


def test_after_hours_rule_off_counts_from_day_after_a_saturday() -> None:
    # Received Saturday 14 Mar 2026: day 1 is the first working day after it, Monday.
    assert deadline(CAL_WIB_LOCAL_DATE, wib(2026, 3, 14, 10, 0), 1) == date(2026, 3, 16)


# --- Time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "moment", "expected"),
    [
        # Thursday 12 Mar 2026 08:30 UTC = 15:30 WIB (open) = 16:30 WITA = 17:30 WIT (closed).
        pytest.param(
            CAL_WIB, datetime(2026, 3, 12, 8, 30, tzinfo=UTC), date(2026, 3, 12), id="wib-open"
        ),
        pytest.param(
            CAL_WITA, datetime(2026, 3, 12, 8, 30, tzinfo=UTC), date(2026, 3, 13), id="wita-closed"
        ),
        pytest.param(
            CAL_WIT, datetime(2026, 3, 12, 8, 30, tzinfo=UTC), date(2026, 3, 13), id="wit-closed"
        ),
        # Friday 13 Mar 2026 09:00 UTC = 16:00 WIB (open until 16:30) = 18:00 WIT.
        pytest.param(
            CAL_WIB, datetime(2026, 3, 13, 9, 0, tzinfo=UTC), date(2026, 3, 13), id="fri-wib-open"
        ),
        pytest.param(
            CAL_WIT, datetime(2026, 3, 13, 9, 0, tzinfo=UTC), date(2026, 3, 16), id="fri-wit-monday"
        ),
        # Thursday 12 Mar 2026 09:30 UTC = 16:30 WIB (after Mon–Thu close) = 18:30 WIT.
        pytest.param(
            CAL_WIB,
            datetime(2026, 3, 12, 9, 30, tzinfo=UTC),
            date(2026, 3, 13),
            id="thu-wib-after-close",
        ),
        pytest.param(
            CAL_WIT,
            datetime(2026, 3, 12, 9, 30, tzinfo=UTC),
            date(2026, 3, 13),
            id="thu-wit-after-close",
        ),
        # Thursday 12 Mar 2026 16:30 UTC = 23:30 WIB on the 12th = 01:30 WIT on the 13th.
        pytest.param(
            CAL_WIB_LOCAL_DATE,
            datetime(2026, 3, 12, 16, 30, tzinfo=UTC),
            date(2026, 3, 12),
            id="local-date-wib",
        ),
        pytest.param(
            CAL_WIT_LOCAL_DATE,
            datetime(2026, 3, 12, 16, 30, tzinfo=UTC),
            date(2026, 3, 13),
            id="local-date-wit",
        ),
        # A moment given in another Indonesian zone is converted to the Pemda's zone.
        pytest.param(
            CAL_WIB,
            datetime(2026, 3, 12, 16, 30, tzinfo=WITA),
            date(2026, 3, 12),
            id="wita-input-wib-open",
        ),
    ],
)
def test_receipt_date_uses_pemda_time_zone(
    cal: WorkCalendar, moment: datetime, expected: date
) -> None:
    assert receipt_date(cal, moment) == expected


def test_same_utc_instant_gives_different_deadlines_by_zone() -> None:
    instant = datetime(2026, 3, 12, 8, 30, tzinfo=UTC)  # 15:30 WIB, 17:30 WIT
    assert deadline(CAL_WIB, instant, 1) == date(2026, 3, 13)
    assert deadline(CAL_WIT, instant, 1) == date(2026, 3, 16)


# --- Deadlines over holiday periods ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "received_at", "n", "expected"),
    [
        pytest.param(CAL_WIB, wib(2026, 3, 17, 10, 0), 0, date(2026, 3, 17), id="n0-receipt-day"),
        pytest.param(
            CAL_WIB, wib(2026, 3, 17, 10, 0), 1, date(2026, 3, 25), id="lebaran-2026-day1"
        ),
        pytest.param(CAL_WIB, wib(2026, 3, 17, 10, 0), 10, date(2026, 4, 8), id="lebaran-2026-10"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 3, 17, 10, 0),
            10,
            date(2026, 4, 1),
            id="lebaran-2026-10-cuti-counts",
        ),
        # Christmas 2025 (Thu), cuti bersama Fri 26 Dec, New Year (Thu) 2026.
        pytest.param(
            CAL_WIB, wib(2025, 12, 24, 10, 0), 3, date(2025, 12, 31), id="year-end-2025-3"
        ),
        pytest.param(CAL_WIB, wib(2025, 12, 24, 10, 0), 5, date(2026, 1, 5), id="year-end-2025-5"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2025, 12, 24, 10, 0),
            5,
            date(2026, 1, 2),
            id="year-end-2025-5-cuti-counts",
        ),
        # Cuti bersama Thu 24 Dec 2026, Christmas (Fri), New Year (Fri) 2027.
        pytest.param(CAL_WIB, wib(2026, 12, 23, 10, 0), 5, date(2027, 1, 4), id="year-end-2026-5"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 12, 23, 10, 0),
            5,
            date(2026, 12, 31),
            id="year-end-2026-5-cuti-counts",
        ),
        pytest.param(
            CAL_WIB, wib(2026, 12, 23, 16, 0), 1, date(2026, 12, 29), id="year-end-2026-after-close"
        ),
        # Idul Fitri 2025: cuti bersama 28 Mar, Nyepi 29 Mar, Idul Fitri 31 Mar–1 Apr,
        # cuti bersama 2, 3, 4, 7 Apr; Good Friday 18 Apr.
        pytest.param(CAL_WIB, wib(2025, 3, 27, 10, 0), 5, date(2025, 4, 14), id="lebaran-2025-5"),
        pytest.param(CAL_WIB, wib(2025, 3, 27, 10, 0), 10, date(2025, 4, 22), id="lebaran-2025-10"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2025, 3, 27, 10, 0),
            5,
            date(2025, 4, 7),
            id="lebaran-2025-5-cuti-counts",
        ),
        # Idul Fitri 2027 (estimated): Nyepi 8 Mar, cuti bersama 9, 12, 15 Mar, Idul Fitri
        # 10–11 Mar.
        pytest.param(CAL_WIB, wib(2027, 3, 5, 10, 0), 5, date(2027, 3, 22), id="lebaran-2027-5"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2027, 3, 5, 10, 0),
            5,
            date(2027, 3, 17),
            id="lebaran-2027-5-cuti-counts",
        ),
        # Friday 5 Mar 2027 09:00 UTC = 18:00 WIT, after closing: received Tuesday 16 Mar.
        pytest.param(
            CAL_WIT,
            datetime(2027, 3, 5, 9, 0, tzinfo=UTC),
            5,
            date(2027, 3, 23),
            id="lebaran-2027-wit-after-close",
        ),
    ],
)
def test_deadline_counts_working_days_from_day_after_receipt(
    cal: WorkCalendar, received_at: datetime, n: int, expected: date
) -> None:
    assert deadline(cal, received_at, n) == expected


@pytest.mark.parametrize(
    ("cal", "received_at", "notice_due", "extended_due"),
    [
        pytest.param(
            CAL_WIB, wib(2026, 3, 17, 10, 0), date(2026, 4, 8), date(2026, 4, 17), id="lebaran-2026"
        ),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 3, 17, 10, 0),
            date(2026, 4, 1),
            date(2026, 4, 13),
            id="lebaran-2026-cuti-counts",
        ),
        pytest.param(
            CAL_WIB,
            wib(2025, 12, 10, 10, 0),
            date(2025, 12, 24),
            date(2026, 1, 7),
            id="year-end-2025",
        ),
    ],
)
def test_uu_14_2008_art22_notice_in_10_working_days_extension_of_7(
    cal: WorkCalendar, received_at: datetime, notice_due: date, extended_due: date
) -> None:
    assert deadline(cal, received_at, 10) == notice_due
    assert add_working_days(cal, notice_due, 7) == extended_due
    assert deadline(cal, received_at, 17) == extended_due


@pytest.mark.parametrize(
    ("cal", "start", "end", "expected"),
    [
        pytest.param(CAL_WIB, date(2026, 3, 17), date(2026, 4, 8), 10, id="lebaran-2026"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            date(2026, 3, 17),
            date(2026, 4, 8),
            14,
            id="lebaran-2026-cuti-counts",
        ),
        pytest.param(CAL_WIB, date(2026, 3, 17), date(2026, 3, 24), 0, id="inside-lebaran-2026"),
        pytest.param(CAL_WIB, date(2025, 12, 24), date(2026, 1, 5), 5, id="year-end-2025"),
        pytest.param(
            CAL_WIB, date(2026, 1, 5), date(2025, 12, 24), -5, id="year-end-2025-reversed"
        ),
        pytest.param(CAL_WIB, date(2026, 12, 23), date(2027, 1, 4), 5, id="year-end-2026"),
        pytest.param(CAL_WIB, date(2025, 3, 27), date(2025, 4, 14), 5, id="lebaran-2025"),
        pytest.param(CAL_WIB, date(2027, 3, 5), date(2027, 3, 22), 5, id="lebaran-2027"),
        pytest.param(CAL_WIB, date(2026, 3, 17), date(2026, 3, 17), 0, id="same-day"),
        pytest.param(CAL_WIB, date(2026, 3, 14), date(2026, 3, 16), 1, id="saturday-to-monday"),
        # 2026 has 261 weekdays, 13 weekday holidays and 8 weekday cuti bersama.
        pytest.param(CAL_WIB, date(2025, 12, 31), date(2026, 12, 31), 240, id="year-2026"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            date(2025, 12, 31),
            date(2026, 12, 31),
            248,
            id="year-2026-cuti-counts",
        ),
    ],
)
def test_working_days_between_counts_days_after_start_up_to_end(
    cal: WorkCalendar, start: date, end: date, expected: int
) -> None:
    assert working_days_between(cal, start, end) == expected
    # Agrees with a plain day walk.
    low, high = min(start, end), max(start, end)
    walked = sum(
        is_working_day(cal, low + timedelta(days=i)) for i in range(1, (high - low).days + 1)
    )
    assert abs(expected) == walked


def test_working_day_on_or_after() -> None:
    assert working_day_on_or_after(CAL_WIB, date(2026, 3, 17)) == date(2026, 3, 17)
    assert working_day_on_or_after(CAL_WIB, date(2026, 3, 18)) == date(2026, 3, 25)
    assert working_day_on_or_after(CAL_WIB_CUTI_COUNTS, date(2026, 3, 18)) == date(2026, 3, 18)
    assert next_working_day(CAL_WIB, date(2026, 12, 31)) == date(2027, 1, 4)


# --- Office-hours time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cal", "moment", "expected"),
    [
        pytest.param(
            CAL_WIB, wib(2026, 3, 16, 10, 15), wib(2026, 3, 16, 10, 15), id="within-hours"
        ),
        pytest.param(CAL_WIB, wib(2026, 3, 16, 6, 0), wib(2026, 3, 16, 7, 30), id="before-opening"),
        pytest.param(CAL_WIB, wib(2026, 3, 16, 7, 30), wib(2026, 3, 16, 7, 30), id="at-opening"),
        pytest.param(CAL_WIB, wib(2026, 3, 13, 16, 30), wib(2026, 3, 16, 7, 30), id="fri-at-close"),
        pytest.param(CAL_WIB, wib(2026, 3, 14, 12, 0), wib(2026, 3, 16, 7, 30), id="weekend"),
        pytest.param(
            CAL_WIB, wib(2026, 4, 2, 18, 0), wib(2026, 4, 6, 7, 30), id="good-friday-and-weekend"
        ),
        pytest.param(CAL_WIB, wib(2026, 3, 17, 16, 0), wib(2026, 3, 25, 7, 30), id="lebaran-2026"),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 3, 17, 16, 0),
            wib(2026, 3, 18, 7, 30),
            id="lebaran-2026-cuti-counts",
        ),
        pytest.param(
            CAL_WIB, wib(2025, 12, 24, 16, 0), wib(2025, 12, 29, 7, 30), id="christmas-2025"
        ),
        # Friday 13 Mar 2026 09:45 UTC = 16:45 WIB, after Friday closing.
        pytest.param(
            CAL_WIB,
            datetime(2026, 3, 13, 9, 45, tzinfo=UTC),
            wib(2026, 3, 16, 7, 30),
            id="utc-input",
        ),
        # Friday 13 Mar 2026 00:00 UTC = 09:00 WIT, within hours.
        pytest.param(
            CAL_WIT,
            datetime(2026, 3, 13, 0, 0, tzinfo=UTC),
            datetime(2026, 3, 13, 9, 0, tzinfo=WIT),
            id="wit-within-hours",
        ),
    ],
)
def test_next_working_moment_skips_closed_hours_weekends_and_holidays(
    cal: WorkCalendar, moment: datetime, expected: datetime
) -> None:
    result = next_working_moment(cal, moment)
    assert result == expected
    assert result.tzinfo == cal.tz
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("cal", "moment", "duration", "expected"),
    [
        # 1 h left on Tuesday, then 18–24 Mar are off: 1 h more on Wednesday 25 Mar.
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 17, 15, 0),
            timedelta(hours=2),
            wib(2026, 3, 25, 8, 30),
            id="2h-before-lebaran-2026",
        ),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 3, 17, 15, 0),
            timedelta(hours=2),
            wib(2026, 3, 18, 8, 30),
            id="2h-before-lebaran-2026-cuti-counts",
        ),
        # Monday 09:00–16:00 is 7 h; the other 5 h run from Tuesday 07:30.
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 16, 9, 0),
            timedelta(minutes=720),
            wib(2026, 3, 17, 12, 30),
            id="720min-two-days",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 13, 14, 30),
            timedelta(hours=2),
            wib(2026, 3, 13, 16, 30),
            id="ends-at-fri-close",
        ),
        # Thursday 09:00–16:00 (7 h) plus all of Friday 07:30–16:30 (9 h).
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 12, 9, 0),
            timedelta(hours=16),
            wib(2026, 3, 13, 16, 30),
            id="16h-ends-at-fri-close",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 13, 14, 30),
            timedelta(hours=2, seconds=1),
            wib(2026, 3, 16, 7, 30, 1),
            id="one-second-past-fri-close",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 14, 10, 0),
            timedelta(hours=1),
            wib(2026, 3, 16, 8, 30),
            id="from-saturday",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 16, 10, 0),
            timedelta(0),
            wib(2026, 3, 16, 10, 0),
            id="zero-within-hours",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 14, 10, 0),
            timedelta(0),
            wib(2026, 3, 16, 7, 30),
            id="zero-from-saturday",
        ),
        pytest.param(
            CAL_WIB,
            wib(2025, 12, 24, 15, 30),
            timedelta(hours=1),
            wib(2025, 12, 29, 8, 0),
            id="christmas-2025",
        ),
        # Friday 13 Mar 2026 06:00 UTC = 15:00 WIT: 1.5 h to closing, 0.5 h on Monday.
        pytest.param(
            CAL_WIT,
            datetime(2026, 3, 13, 6, 0, tzinfo=UTC),
            timedelta(hours=2),
            datetime(2026, 3, 16, 8, 0, tzinfo=WIT),
            id="wit-over-weekend",
        ),
    ],
)
def test_add_working_duration_runs_only_in_office_hours(
    cal: WorkCalendar, moment: datetime, duration: timedelta, expected: datetime
) -> None:
    result = add_working_duration(cal, moment, duration)
    assert result == expected
    assert result.tzinfo == cal.tz
    assert working_duration_between(cal, moment, result) == duration


@pytest.mark.parametrize(
    ("cal", "start", "end", "expected"),
    [
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 17, 15, 0),
            wib(2026, 3, 25, 8, 30),
            timedelta(hours=2),
            id="over-lebaran-2026",
        ),
        pytest.param(
            CAL_WIB_CUTI_COUNTS,
            wib(2026, 3, 17, 15, 0),
            wib(2026, 3, 25, 8, 30),
            timedelta(hours=36, minutes=30),
            id="over-lebaran-2026-cuti-counts",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 16, 9, 0),
            wib(2026, 3, 17, 12, 30),
            timedelta(hours=12),
            id="two-days",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 13, 17, 0),
            wib(2026, 3, 16, 7, 30),
            timedelta(0),
            id="weekend-only",
        ),
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 17, 12, 0),
            wib(2026, 3, 16, 12, 0),
            timedelta(0),
            id="end-before-start",
        ),
        # Mon–Thu 8.5 h each, Friday 9 h.
        pytest.param(
            CAL_WIB,
            wib(2026, 3, 9, 0, 0),
            wib(2026, 3, 14, 0, 0),
            timedelta(hours=43),
            id="full-week",
        ),
        pytest.param(
            CAL_WIB,
            datetime(2026, 3, 16, 0, 0, tzinfo=UTC),
            datetime(2026, 3, 16, 2, 0, tzinfo=UTC),
            timedelta(hours=1, minutes=30),
            id="utc-inputs",
        ),
    ],
)
def test_working_duration_between_counts_office_hours_only(
    cal: WorkCalendar, start: datetime, end: datetime, expected: timedelta
) -> None:
    assert working_duration_between(cal, start, end) == expected


# --- Invalid input -------------------------------------------------------------------------

NAIVE = datetime(2026, 3, 17, 10, 0)  # deliberately naive


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: receipt_date(CAL_WIB, NAIVE), id="receipt_date"),
        pytest.param(lambda: deadline(CAL_WIB, NAIVE, 10), id="deadline"),
        pytest.param(lambda: next_working_moment(CAL_WIB, NAIVE), id="next_working_moment"),
        pytest.param(
            lambda: add_working_duration(CAL_WIB, NAIVE, timedelta(hours=1)),
            id="add_working_duration",
        ),
        pytest.param(
            lambda: working_duration_between(CAL_WIB, NAIVE, BEFORE_LEBARAN_2026),
            id="working_duration_between-start",
        ),
        pytest.param(
            lambda: working_duration_between(CAL_WIB, BEFORE_LEBARAN_2026, NAIVE),
            id="working_duration_between-end",
        ),
    ],
)
def test_naive_datetime_is_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_negative_working_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(CAL_WIB, date(2026, 3, 17), -1)
    with pytest.raises(ValueError, match="must not be negative"):
        deadline(CAL_WIB, BEFORE_LEBARAN_2026, -1)


def test_negative_duration_is_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_duration(CAL_WIB, BEFORE_LEBARAN_2026, timedelta(seconds=-1))


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        pytest.param(time(16, 0), time(7, 30), id="closes-before-opening"),
        pytest.param(time(7, 30), time(7, 30), id="closes-at-opening"),
    ],
)
def test_office_hours_must_close_after_opening(opens: time, closes: time) -> None:
    with pytest.raises(ValueError, match="close"):
        OfficeHours(opens, closes)


def test_calendar_without_working_days_fails_instead_of_looping() -> None:
    cal = WorkCalendar(tz=WIB, office_hours={})
    with pytest.raises(ValueError, match="No working day"):
        next_working_day(cal, date(2026, 3, 17))
    with pytest.raises(ValueError, match="No working day"):
        deadline(cal, BEFORE_LEBARAN_2026, 1)
    with pytest.raises(ValueError, match="No working day"):
        next_working_moment(cal, BEFORE_LEBARAN_2026)


# --- The calendar value ------------------------------------------------------------------


def test_calendar_is_immutable_and_hashable() -> None:
    custom_hours = {weekday: DEFAULT_OFFICE_HOURS[weekday] for weekday in range(5)}
    cal = WorkCalendar(
        tz=WIB,
        holidays=NATIONAL_HOLIDAYS,
        cuti_bersama=CUTI_BERSAMA,
        office_hours=custom_hours,
    )
    assert cal == CAL_WIB
    assert hash(cal) == hash(CAL_WIB)
    assert {CAL_WIB, cal, CAL_WIB.strict()} == {CAL_WIB, CAL_WIB.strict()}
    custom_hours[5] = OfficeHours(time(8, 0), time(12, 0))  # the calendar kept its own copy
    assert not is_working_day(cal, date(2026, 3, 14))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cal.cuti_bersama_is_working_day = True  # type: ignore[misc]
