"""Table tests of the statutory clock of information requests, named after the articles.

UU 14/2008 art. 22, 35–38 on the real 2026 calendar (and the 2027 estimates). Every moment is
built aware in an explicit zone: the suite runs in Pacific/Honolulu.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from terbuka.information_requests.deadlines import (
    COMMISSION_END_WORKING_DAYS,
    COMMISSION_REGISTER_WORKING_DAYS,
    COMMISSION_START_WORKING_DAYS,
    DISPUTE_FILING_WORKING_DAYS,
    EXTENSION_MAX_WORKING_DAYS,
    NOTICE_WORKING_DAYS,
    OBJECTION_ANSWER_WORKING_DAYS,
    OBJECTION_FILING_WORKING_DAYS,
    OBJECTION_GROUND_LABELS,
    SETTLEABLE_BY_DELIBERATION,
    CommissionDates,
    ObjectionGround,
    ObjectionWindow,
    RequestClock,
    commission_expected_dates,
    days_left,
    dispute_window,
    ground_date,
    objection_answer_due,
    objection_window,
    request_clock,
)
from terbuka.workcalendar.rules import WorkCalendar
from terbuka.workcalendar.tests.skb import CUTI_BERSAMA, NATIONAL_HOLIDAYS

WIB = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")
HONOLULU = ZoneInfo("Pacific/Honolulu")

# National holidays and cuti bersama: terbuka/workcalendar/tests/skb.py (SKB 3 Menteri).

# The default: cuti bersama are days off (Perpres 21/2023 art. 6).
CAL = WorkCalendar(tz=WIB, holidays=NATIONAL_HOLIDAYS, cuti_bersama=CUTI_BERSAMA)
# A Pemda that counts cuti bersama as working days; also the strict calendar of CAL.
CAL_CUTI_COUNTS = dataclasses.replace(CAL, cuti_bersama_is_working_day=True)


def wib(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


# Tuesday 17 March 2026, 10:00 WIB: just before Nyepi (19 Mar) and Idul Fitri (21–22 Mar),
# with cuti bersama on 18, 20, 23 and 24 March and Good Friday on 3 April.
BEFORE_LEBARAN_2026 = wib(2026, 3, 17, 10, 0)


def test_periods_are_the_statutory_numbers() -> None:
    assert NOTICE_WORKING_DAYS == 10  # UU 14/2008 art. 22(7)
    assert EXTENSION_MAX_WORKING_DAYS == 7  # art. 22(8)
    assert OBJECTION_FILING_WORKING_DAYS == 30  # art. 36(1)
    assert OBJECTION_ANSWER_WORKING_DAYS == 30  # art. 36(2)
    assert DISPUTE_FILING_WORKING_DAYS == 14  # art. 37(2)
    assert COMMISSION_REGISTER_WORKING_DAYS == 3  # Perki, dispute procedure
    assert COMMISSION_START_WORKING_DAYS == 14  # art. 38(1)
    assert COMMISSION_END_WORKING_DAYS == 100  # art. 38(2)


# --- UU 14/2008 art. 22(7): written notice within 10 working days -----------------------------


@pytest.mark.parametrize(
    ("received_at", "received_on", "notice_due", "strict_notice_due"),
    [
        # Day 1 is 25 March (18, 20, 23, 24 Mar cuti bersama; 19 Mar Nyepi; 21–22 Mar weekend
        # and Idul Fitri); Good Friday 3 April is skipped too. Strict: 18, 20, 23, 24 count.
        pytest.param(
            BEFORE_LEBARAN_2026,
            date(2026, 3, 17),
            date(2026, 4, 8),
            date(2026, 4, 1),
            id="tue-before-lebaran",
        ),
        # The same instant written in Honolulu time (Monday 16 Mar 17:00 HST).
        pytest.param(
            datetime(2026, 3, 16, 17, 0, tzinfo=HONOLULU),
            date(2026, 3, 17),
            date(2026, 4, 8),
            date(2026, 4, 1),
            id="same-instant-in-honolulu-time",
        ),
        # Friday 13 Mar 16:45 WIB is after the 16:30 Friday close: received Monday 16 Mar.
        pytest.param(
            wib(2026, 3, 13, 16, 45),
            date(2026, 3, 16),
            date(2026, 4, 7),
            date(2026, 3, 31),
            id="fri-16:45-counts-from-monday",
        ),
        # Tuesday 17 Mar 09:00 UTC = 16:00 WIB, closing time: received on the next working
        # day, 25 Mar; on the strict calendar, the cuti bersama of Wednesday 18 Mar.
        pytest.param(
            datetime(2026, 3, 17, 9, 0, tzinfo=UTC),
            date(2026, 3, 25),
            date(2026, 4, 9),
            date(2026, 4, 2),
            id="tue-16:00-wib-given-in-utc",
        ),
        # Received on the cuti bersama of Wednesday 18 Mar: 25 Mar, or 18 Mar when strict.
        pytest.param(
            wib(2026, 3, 18, 9, 0),
            date(2026, 3, 25),
            date(2026, 4, 9),
            date(2026, 4, 2),
            id="on-cuti-bersama",
        ),
        # Year end: 24 Dec cuti bersama, 25 Dec Natal, 1 Jan and 5 Jan 2027 holidays.
        pytest.param(
            wib(2026, 12, 23, 11, 0),
            date(2026, 12, 23),
            date(2027, 1, 12),
            date(2027, 1, 11),
            id="across-year-end",
        ),
    ],
)
def test_uu14_art22_7_notice_within_10_working_days(
    received_at: datetime, received_on: date, notice_due: date, strict_notice_due: date
) -> None:
    clock = request_clock(CAL, received_at)
    assert clock == RequestClock(
        received_on=received_on,
        notice_due=notice_due,
        strict_notice_due=strict_notice_due,
        extended_due=None,
        strict_extended_due=None,
    )
    assert clock.due == notice_due
    assert clock.strict_due == strict_notice_due
    # A Pemda that counts cuti bersama as working days has the strict date as its deadline.
    counting = request_clock(CAL_CUTI_COUNTS, received_at)
    assert counting.notice_due == counting.strict_notice_due == strict_notice_due


def test_uu14_art22_7_naive_receipt_moment_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        request_clock(CAL, datetime(2026, 3, 17, 10, 0))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(date(2026, 3, 17), 10, id="receipt-day"),
        pytest.param(date(2026, 3, 20), 10, id="cuti-bersama-does-not-count"),
        pytest.param(date(2026, 3, 25), 9, id="first-working-day"),
        pytest.param(date(2026, 4, 7), 1, id="day-before"),
        pytest.param(date(2026, 4, 8), 0, id="due-today"),
        pytest.param(date(2026, 4, 9), -1, id="one-working-day-late"),
        pytest.param(date(2026, 4, 11), -2, id="saturday-after"),
        pytest.param(date(2026, 4, 13), -3, id="monday-after"),
    ],
)
def test_uu14_art22_7_days_left_negative_when_overdue(today: date, expected: int) -> None:
    assert days_left(CAL, today, date(2026, 4, 8)) == expected


def test_uu14_art22_7_days_left_on_the_strict_calendar() -> None:
    strict_due = request_clock(CAL, BEFORE_LEBARAN_2026).strict_notice_due
    assert days_left(CAL.strict(), date(2026, 3, 17), strict_due) == 10
    assert days_left(CAL.strict(), date(2026, 4, 2), strict_due) == -1


# --- UU 14/2008 art. 22(8): one extension of at most 7 working days ---------------------------


@pytest.mark.parametrize(
    ("received_at", "extension_days", "extended_due", "strict_extended_due"),
    [
        # Due 8 Apr (strict 1 Apr); + 7: 9, 10, 13, 14, 15, 16, 17 Apr. Strict: 2, 6 (3 Apr
        # Good Friday), 7, 8, 9, 10, 13 Apr.
        pytest.param(
            BEFORE_LEBARAN_2026, 7, date(2026, 4, 17), date(2026, 4, 13), id="lebaran-7-days"
        ),
        pytest.param(
            BEFORE_LEBARAN_2026, 1, date(2026, 4, 9), date(2026, 4, 2), id="lebaran-1-day"
        ),
        # Friday 16:45 counts from Monday 16 Mar: due 7 Apr (strict 31 Mar); + 3: 8, 9, 10 Apr.
        # Strict: 1, 2 and (after Good Friday) 6 Apr.
        pytest.param(
            wib(2026, 3, 13, 16, 45), 3, date(2026, 4, 10), date(2026, 4, 6), id="fri-evening-3"
        ),
        # Due 12 Jan 2027 (strict 11 Jan); + 7 working days.
        pytest.param(
            wib(2026, 12, 23, 11, 0),
            7,
            date(2027, 1, 21),
            date(2027, 1, 20),
            id="year-end-7-days",
        ),
    ],
)
def test_uu14_art22_8_one_extension_of_at_most_7_working_days(
    received_at: datetime, extension_days: int, extended_due: date, strict_extended_due: date
) -> None:
    plain = request_clock(CAL, received_at)
    clock = request_clock(CAL, received_at, extension_days)
    # The extension adds working days after the original deadline, which stays recorded.
    assert clock == dataclasses.replace(
        plain, extended_due=extended_due, strict_extended_due=strict_extended_due
    )
    assert clock.due == extended_due
    assert clock.strict_due == strict_extended_due
    assert days_left(CAL, clock.notice_due, extended_due) == extension_days
    assert days_left(CAL.strict(), clock.strict_notice_due, strict_extended_due) == extension_days
    counting = request_clock(CAL_CUTI_COUNTS, received_at, extension_days)
    assert counting.extended_due == counting.strict_extended_due == strict_extended_due


@pytest.mark.parametrize("extension_days", [0, 8, -1, 30])
def test_uu14_art22_8_extension_outside_1_to_7_working_days_is_refused(
    extension_days: int,
) -> None:
    with pytest.raises(ValueError, match=r"art\. 22\(8\)"):
        request_clock(CAL, BEFORE_LEBARAN_2026, extension_days)


def test_uu14_art22_request_clock_is_immutable() -> None:
    clock = request_clock(CAL, BEFORE_LEBARAN_2026)
    with pytest.raises(dataclasses.FrozenInstanceError):
        clock.notice_due = date(2026, 5, 1)  # type: ignore[misc]


# --- UU 14/2008 art. 35: the grounds of an objection -----------------------------------------


def test_uu14_art35_1_seven_grounds_a_to_g() -> None:
    assert [ground.value for ground in ObjectionGround] == ["a", "b", "c", "d", "e", "f", "g"]
    assert ObjectionGround("a") is ObjectionGround.REFUSAL
    assert ObjectionGround("g") is ObjectionGround.LATE_DELIVERY
    assert set(OBJECTION_GROUND_LABELS) == set(ObjectionGround)
    assert "Pasal 17" in OBJECTION_GROUND_LABELS[ObjectionGround.REFUSAL]
    assert OBJECTION_GROUND_LABELS[ObjectionGround.NOT_ANSWERED] == (
        "Tidak ditanggapinya permintaan informasi"
    )
    assert OBJECTION_GROUND_LABELS[ObjectionGround.UNREASONABLE_FEE] == (
        "Pengenaan biaya yang tidak wajar"
    )


def test_uu14_art35_2_grounds_b_to_g_may_be_settled_by_deliberation() -> None:
    assert {ground.value for ground in SETTLEABLE_BY_DELIBERATION} == set("bcdefg")
    assert ObjectionGround.REFUSAL not in SETTLEABLE_BY_DELIBERATION


# --- UU 14/2008 art. 36(1): objection within 30 working days after the ground arises ----------

G = ObjectionGround

# One row per scenario: the ground, the request, the dates of the facts, and per calendar the
# expected (ground arises on, window closes on).
OBJECTION_CASES = [
    # a: refusal notice Tue 10 Mar 2026, window over Nyepi, Idul Fitri, Good Friday.
    pytest.param(
        G.REFUSAL,
        wib(2026, 3, 2, 10, 0),
        None,
        date(2026, 3, 10),
        None,
        {
            CAL: (date(2026, 3, 10), date(2026, 4, 29)),
            CAL_CUTI_COUNTS: (date(2026, 3, 10), date(2026, 4, 23)),
        },
        id="a-refusal-over-lebaran",
    ),
    # b: request for periodic information received Friday 13 Mar 2026 (also May Day).
    pytest.param(
        G.PERIODIC_NOT_PROVIDED,
        wib(2026, 3, 13, 9, 0),
        None,
        None,
        None,
        {
            CAL: (date(2026, 3, 13), date(2026, 5, 5)),
            CAL_CUTI_COUNTS: (date(2026, 3, 13), date(2026, 4, 28)),
        },
        id="b-periodic-from-request-over-lebaran",
    ),
    # c: received Tue 17 Mar, never answered. Notice due 8 Apr (1 Apr when cuti bersama
    # count): the ground arises the next day; window over Kenaikan and its cuti bersama.
    pytest.param(
        G.NOT_ANSWERED,
        BEFORE_LEBARAN_2026,
        None,
        None,
        None,
        {
            CAL: (date(2026, 4, 9), date(2026, 5, 26)),
            CAL_CUTI_COUNTS: (date(2026, 4, 2), date(2026, 5, 19)),
        },
        id="c-not-answered",
    ),
    # c, extended by 7: due 17 Apr (13 Apr). Window over Kenaikan, Idul Adha, Pancasila.
    pytest.param(
        G.NOT_ANSWERED,
        BEFORE_LEBARAN_2026,
        7,
        None,
        None,
        {
            CAL: (date(2026, 4, 18), date(2026, 6, 8)),
            CAL_CUTI_COUNTS: (date(2026, 4, 14), date(2026, 5, 29)),
        },
        id="c-not-answered-after-extension",
    ),
    # d: notice Wed 23 Dec 2026; window over Natal, New Year, Isra Mikraj, Imlek 2027.
    pytest.param(
        G.NOT_AS_REQUESTED,
        wib(2026, 12, 14, 10, 0),
        None,
        date(2026, 12, 23),
        None,
        {
            CAL: (date(2026, 12, 23), date(2027, 2, 10)),
            CAL_CUTI_COUNTS: (date(2026, 12, 23), date(2027, 2, 8)),
        },
        id="d-not-as-requested-over-year-end",
    ),
    # e: notice Fri 18 Dec 2026; window over the year end.
    pytest.param(
        G.NOT_FULFILLED,
        wib(2026, 12, 7, 10, 0),
        None,
        date(2026, 12, 18),
        None,
        {
            CAL: (date(2026, 12, 18), date(2027, 2, 4)),
            CAL_CUTI_COUNTS: (date(2026, 12, 18), date(2027, 2, 3)),
        },
        id="e-not-fulfilled-over-year-end",
    ),
    # f: notice with the fee Thu 12 Mar 2026; window over Lebaran.
    pytest.param(
        G.UNREASONABLE_FEE,
        wib(2026, 3, 2, 10, 0),
        None,
        date(2026, 3, 12),
        None,
        {
            CAL: (date(2026, 3, 12), date(2026, 5, 4)),
            CAL_CUTI_COUNTS: (date(2026, 3, 12), date(2026, 4, 27)),
        },
        id="f-unreasonable-fee-over-lebaran",
    ),
    # g: delivered late on Thu 31 Dec 2026; window over New Year and Imlek 2027.
    pytest.param(
        G.LATE_DELIVERY,
        wib(2026, 11, 16, 10, 0),
        None,
        date(2026, 11, 27),
        date(2026, 12, 31),
        {
            CAL: (date(2026, 12, 31), date(2027, 2, 16)),
            CAL_CUTI_COUNTS: (date(2026, 12, 31), date(2027, 2, 15)),
        },
        id="g-late-delivery-over-year-end",
    ),
]


@pytest.mark.parametrize(
    ("ground", "received_at", "extension_days", "decided_on", "delivered_on", "expected"),
    OBJECTION_CASES,
)
def test_uu14_art36_1_objection_within_30_working_days_for_each_ground(
    ground: ObjectionGround,
    received_at: datetime,
    extension_days: int | None,
    decided_on: date | None,
    delivered_on: date | None,
    expected: dict[WorkCalendar, tuple[date, date]],
) -> None:
    for cal, (arises_on, closes_on) in expected.items():
        clock = request_clock(cal, received_at, extension_days)
        arises = ground_date(
            ground,
            decided_on=decided_on,
            notice_due=clock.notice_due,
            extended_due=clock.extended_due,
            delivered_on=delivered_on,
            requested_on=clock.received_on,
        )
        assert arises == arises_on
        window = objection_window(cal, ground, arises)
        assert window == ObjectionWindow(opens_on=arises_on, closes_on=closes_on)
        assert days_left(cal, arises_on, closes_on) == 30
        assert closes_on in window
        assert arises_on in window
        assert date.fromordinal(closes_on.toordinal() + 1) not in window


def test_uu14_art36_1_table_covers_every_ground() -> None:
    assert {case.values[0] for case in OBJECTION_CASES} == set(ObjectionGround)


@pytest.mark.parametrize(
    ("ground", "missing"),
    [
        (G.REFUSAL, "decided_on"),
        (G.PERIODIC_NOT_PROVIDED, "requested_on"),
        (G.NOT_ANSWERED, "notice_due"),
        (G.NOT_AS_REQUESTED, "decided_on"),
        (G.NOT_FULFILLED, "decided_on"),
        (G.UNREASONABLE_FEE, "decided_on"),
        (G.LATE_DELIVERY, "delivered_on"),
    ],
)
def test_uu14_art36_1_ground_date_needs_the_date_its_ground_counts_from(
    ground: ObjectionGround, missing: str
) -> None:
    with pytest.raises(ValueError, match=missing):
        ground_date(ground)


def test_uu14_art36_1_ground_c_counts_from_the_extended_deadline_when_extended() -> None:
    # Notice due Friday 10 Apr 2026: the ground arises Saturday 11 Apr.
    assert ground_date(G.NOT_ANSWERED, notice_due=date(2026, 4, 10)) == date(2026, 4, 11)
    assert ground_date(
        G.NOT_ANSWERED, notice_due=date(2026, 4, 10), extended_due=date(2026, 4, 21)
    ) == date(2026, 4, 22)
    with pytest.raises(ValueError, match="before the notice deadline"):
        ground_date(G.NOT_ANSWERED, notice_due=date(2026, 4, 10), extended_due=date(2026, 4, 9))


def test_uu14_art36_1_ground_date_ignores_dates_of_other_grounds() -> None:
    facts = {
        "decided_on": date(2026, 4, 6),
        "notice_due": date(2026, 4, 8),
        "extended_due": date(2026, 4, 17),
        "delivered_on": date(2026, 4, 20),
        "requested_on": date(2026, 3, 17),
    }
    assert {ground.value: ground_date(ground, **facts) for ground in ObjectionGround} == {
        "a": date(2026, 4, 6),
        "b": date(2026, 3, 17),
        "c": date(2026, 4, 18),
        "d": date(2026, 4, 6),
        "e": date(2026, 4, 6),
        "f": date(2026, 4, 6),
        "g": date(2026, 4, 20),
    }


# --- UU 14/2008 art. 36(2): the Atasan PPID answers within 30 working days --------------------


@pytest.mark.parametrize(
    ("filed_on", "answer_due", "strict_answer_due"),
    [
        pytest.param(date(2026, 3, 10), date(2026, 4, 29), date(2026, 4, 23), id="over-lebaran"),
        pytest.param(date(2026, 3, 13), date(2026, 5, 5), date(2026, 4, 28), id="fri-to-may-day"),
        pytest.param(date(2026, 12, 23), date(2027, 2, 10), date(2027, 2, 8), id="over-year-end"),
    ],
)
def test_uu14_art36_2_answer_within_30_working_days(
    filed_on: date, answer_due: date, strict_answer_due: date
) -> None:
    assert objection_answer_due(CAL, filed_on) == answer_due
    assert objection_answer_due(CAL.strict(), filed_on) == strict_answer_due
    assert objection_answer_due(CAL_CUTI_COUNTS, filed_on) == strict_answer_due


# --- UU 14/2008 art. 37(2): dispute within 14 working days ------------------------------------


@pytest.mark.parametrize(
    ("cal", "answered_on", "answer_due", "last_day"),
    [
        # Answered Monday 13 Apr 2026: 14 working days, skipping May Day.
        pytest.param(CAL, date(2026, 4, 13), date(2026, 4, 29), date(2026, 5, 4), id="answered"),
        # Unanswered: 14 working days after the answer period ends (over Kenaikan).
        pytest.param(CAL, None, date(2026, 4, 29), date(2026, 5, 22), id="lapsed"),
        pytest.param(
            CAL_CUTI_COUNTS, None, date(2026, 4, 23), date(2026, 5, 15), id="lapsed-cuti-counts"
        ),
        # Answered Wednesday 16 Dec 2026: over Natal, New Year and Isra Mikraj 2027.
        pytest.param(
            CAL, date(2026, 12, 16), date(2027, 1, 20), date(2027, 1, 11), id="answered-year-end"
        ),
        pytest.param(
            CAL_CUTI_COUNTS,
            date(2026, 12, 16),
            date(2027, 1, 20),
            date(2027, 1, 8),
            id="answered-year-end-cuti-counts",
        ),
        # Answered late, after the answer period: the 14 days run from the answer.
        pytest.param(
            CAL, date(2026, 5, 11), date(2026, 4, 29), date(2026, 6, 5), id="answered-late"
        ),
    ],
)
def test_uu14_art37_2_dispute_within_14_working_days_after_answer_or_lapse(
    cal: WorkCalendar, answered_on: date | None, answer_due: date, last_day: date
) -> None:
    assert dispute_window(cal, answered_on=answered_on, answer_due=answer_due) == last_day


def test_uu14_art36_37_unanswered_objection_chain_over_lebaran() -> None:
    # An objection filed Tuesday 10 Mar 2026 and never answered.
    answer_due = objection_answer_due(CAL, date(2026, 3, 10))
    assert answer_due == date(2026, 4, 29)
    assert dispute_window(CAL, answered_on=None, answer_due=answer_due) == date(2026, 5, 22)


# --- UU 14/2008 art. 38 and the Perki: expected dates at the Komisi Informasi ----------------


def test_uu14_art38_commission_register_start_and_end() -> None:
    # Petition received Friday 11 Dec 2026; the 100 working days reach over Idul Fitri 2027.
    assert commission_expected_dates(CAL, date(2026, 12, 11)) == CommissionDates(
        register_by=date(2026, 12, 16),
        start_by=date(2027, 1, 6),
        end_by=date(2027, 5, 26),
    )
    register_by, start_by, end_by = commission_expected_dates(CAL_CUTI_COUNTS, date(2026, 12, 11))
    assert (register_by, start_by, end_by) == (
        date(2026, 12, 16),
        date(2027, 1, 4),
        date(2027, 5, 12),
    )
