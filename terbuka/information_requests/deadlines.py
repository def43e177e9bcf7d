"""The statutory clock of a public information request, as pure functions.

Sources: UU 14/2008 (Keterbukaan Informasi Publik) art. 22 and 35–38, PP 61/2010, Perki 1/2021
(Standar Layanan Informasi Publik) and the Komisi Informasi's dispute procedure (Perki
1/2013); docs/RULES.md, "Information requests" and "Objections and disputes".

* Written notice (pemberitahuan tertulis) within 10 working days of receipt (art. 22(7)); one
  extension of at most 7 further working days, with written reasons (art. 22(8)).
* An objection (keberatan) on one of the seven grounds of art. 35(1) a–g may be filed within
  30 working days after the ground arises (art. 36(1)); the Atasan PPID answers in writing
  within 30 working days of receiving it (art. 36(2)). Grounds b–g may be settled by
  deliberation (art. 35(2)).
* A dispute goes to the Komisi Informasi within 14 working days after the Atasan PPID's
  answer is received, or after the 30-day answer period lapses unanswered (art. 37(2)). The
  commission's own timings (register, start, end) are shown as expected dates of an external
  case, not enforced here.

Every period of N working days ends on ``add_working_days(cal, start, N)``: day 1 is the first
working day after ``start`` (docs/RULES.md, "Working days"). Callers pass the calendar and the
dates; nothing here reads the clock or imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from terbuka.workcalendar.rules import (
    WorkCalendar,
    add_working_days,
    receipt_date,
    working_days_between,
)

__all__ = [
    "COMMISSION_END_WORKING_DAYS",
    "COMMISSION_REGISTER_WORKING_DAYS",
    "COMMISSION_START_WORKING_DAYS",
    "DISPUTE_FILING_WORKING_DAYS",
    "EXTENSION_MAX_WORKING_DAYS",
    "NOTICE_WORKING_DAYS",
    "OBJECTION_ANSWER_WORKING_DAYS",
    "OBJECTION_FILING_WORKING_DAYS",
    "OBJECTION_GROUND_LABELS",
    "SETTLEABLE_BY_DELIBERATION",
    "CommissionDates",
    "ObjectionGround",
    "ObjectionWindow",
    "RequestClock",
    "commission_expected_dates",
    "days_left",
    "dispute_window",
    "ground_date",
    "objection_answer_due",
    "objection_window",
    "request_clock",
]

# --- Periods, in working days ------------------------------------------------------------------

#: Written notice to the requester within 10 working days of receipt (UU 14/2008 art. 22(7)).
NOTICE_WORKING_DAYS = 10
#: One extension of at most 7 further working days, with written reasons (art. 22(8)).
EXTENSION_MAX_WORKING_DAYS = 7
#: An objection is filed within 30 working days after its ground arises (art. 36(1)).
OBJECTION_FILING_WORKING_DAYS = 30
#: The Atasan PPID answers an objection in writing within 30 working days (art. 36(2)).
OBJECTION_ANSWER_WORKING_DAYS = 30
#: A dispute is filed with the Komisi Informasi within 14 working days after the answer, or
#: after the answer period lapses unanswered (art. 37(2)).
DISPUTE_FILING_WORKING_DAYS = 14
#: The Komisi Informasi registers a dispute petition within 3 working days of receiving it
#: (Perki on the dispute procedure).
COMMISSION_REGISTER_WORKING_DAYS = 3
#: The Komisi Informasi starts mediation or non-litigation adjudication within 14 working days
#: of receiving the petition (UU 14/2008 art. 38(1)).
COMMISSION_START_WORKING_DAYS = 14
#: The Komisi Informasi settles the dispute within 100 working days (UU 14/2008 art. 38(2)).
COMMISSION_END_WORKING_DAYS = 100

_ONE_DAY = timedelta(days=1)


# --- The request ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestClock:
    """The deadlines of one request for the written notice (UU 14/2008 art. 22(7)–(8)).

    ``received_on`` is the receipt date after the after-hours rule of the Pemda's calendar.
    The ``strict_*`` dates count cuti bersama as working days (``WorkCalendar.strict()``),
    from the receipt date on that calendar: the earlier internal target (docs/RULES.md,
    "Working days"). When the Pemda already counts cuti bersama as working, they equal the
    plain dates. The extended dates are None when no extension was given.
    """

    received_on: date
    notice_due: date
    strict_notice_due: date
    extended_due: date | None
    strict_extended_due: date | None

    @property
    def due(self) -> date:
        """The deadline in force: the extended one if there is one (art. 22(7)–(8))."""
        return self.notice_due if self.extended_due is None else self.extended_due

    @property
    def strict_due(self) -> date:
        """The internal target in force: the strict extended date if there is one."""
        if self.strict_extended_due is None:
            return self.strict_notice_due
        return self.strict_extended_due


def request_clock(
    cal: WorkCalendar, received_at: datetime, extension_days: int | None = None
) -> RequestClock:
    """The notice deadlines of a request received at the aware moment ``received_at``.

    The notice is due on the 10th working day after the receipt date (UU 14/2008 art. 22(7)).
    With one extension of ``extension_days`` (1 to 7), it is due that many working days after
    the original deadline: "paling lambat 7 hari kerja berikutnya" (art. 22(8)).

    Raises ValueError for a naive ``received_at`` or an extension outside 1..7.
    """
    if extension_days is not None and (
        isinstance(extension_days, bool) or not 1 <= extension_days <= EXTENSION_MAX_WORKING_DAYS
    ):
        raise ValueError(
            f"An extension is 1 to {EXTENSION_MAX_WORKING_DAYS} working days "
            f"(UU 14/2008 art. 22(8)), got {extension_days!r}."
        )
    strict = cal.strict()
    received_on = receipt_date(cal, received_at)
    notice_due = add_working_days(cal, received_on, NOTICE_WORKING_DAYS)
    strict_notice_due = add_working_days(
        strict, receipt_date(strict, received_at), NOTICE_WORKING_DAYS
    )
    extended_due: date | None = None
    strict_extended_due: date | None = None
    if extension_days is not None:
        extended_due = add_working_days(cal, notice_due, extension_days)
        strict_extended_due = add_working_days(strict, strict_notice_due, extension_days)
    return RequestClock(
        received_on=received_on,
        notice_due=notice_due,
        strict_notice_due=strict_notice_due,
        extended_due=extended_due,
        strict_extended_due=strict_extended_due,
    )


def days_left(cal: WorkCalendar, today: date, due: date) -> int:
    """Working days from ``today`` (exclusive) to ``due`` (inclusive).

    0 on the due date itself, negative once it has passed: -1 on the first working day after
    it. Non-working days never count.
    """
    return working_days_between(cal, today, due)


# --- Objections (UU 14/2008 art. 35–36) ----------------------------------------------------------


class ObjectionGround(StrEnum):
    """The grounds of an objection, valued by their letter in UU 14/2008 art. 35(1)."""

    REFUSAL = "a"
    PERIODIC_NOT_PROVIDED = "b"
    NOT_ANSWERED = "c"
    NOT_AS_REQUESTED = "d"
    NOT_FULFILLED = "e"
    UNREASONABLE_FEE = "f"
    LATE_DELIVERY = "g"


#: The wording of UU 14/2008 art. 35(1) a–g.
OBJECTION_GROUND_LABELS: Mapping[ObjectionGround, str] = MappingProxyType(
    {
        ObjectionGround.REFUSAL: (
            "Penolakan atas permintaan informasi berdasarkan alasan pengecualian "
            "sebagaimana dimaksud dalam Pasal 17"
        ),
        ObjectionGround.PERIODIC_NOT_PROVIDED: (
            "Tidak disediakannya informasi berkala sebagaimana dimaksud dalam Pasal 9"
        ),
        ObjectionGround.NOT_ANSWERED: "Tidak ditanggapinya permintaan informasi",
        ObjectionGround.NOT_AS_REQUESTED: (
            "Permintaan informasi ditanggapi tidak sebagaimana yang diminta"
        ),
        ObjectionGround.NOT_FULFILLED: "Tidak dipenuhinya permintaan informasi",
        ObjectionGround.UNREASONABLE_FEE: "Pengenaan biaya yang tidak wajar",
        ObjectionGround.LATE_DELIVERY: (
            "Penyampaian informasi yang melebihi waktu yang diatur dalam Undang-Undang"
        ),
    }
)

#: Grounds b–g may be settled by deliberation (musyawarah) of both parties (art. 35(2)).
SETTLEABLE_BY_DELIBERATION: frozenset[ObjectionGround] = frozenset(
    {
        ObjectionGround.PERIODIC_NOT_PROVIDED,
        ObjectionGround.NOT_ANSWERED,
        ObjectionGround.NOT_AS_REQUESTED,
        ObjectionGround.NOT_FULFILLED,
        ObjectionGround.UNREASONABLE_FEE,
        ObjectionGround.LATE_DELIVERY,
    }
)


@dataclass(frozen=True)
class ObjectionWindow:
    """The days on which an objection may be filed: ``opens_on`` to ``closes_on`` inclusive."""

    opens_on: date
    closes_on: date

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or isinstance(day, datetime):
            return False
        return self.opens_on <= day <= self.closes_on


def objection_window(
    cal: WorkCalendar, ground: ObjectionGround, ground_arises_on: date
) -> ObjectionWindow:
    """When an objection on ``ground`` may be filed (UU 14/2008 art. 36(1)).

    It opens the day the ground arises (see :func:`ground_date`) and closes on the 30th
    working day after it. The period is the same for all seven grounds; ``ground`` is taken
    so that callers state which one they mean.
    """
    ObjectionGround(ground)  # Rejects anything that is not one of the grounds a–g.
    return ObjectionWindow(
        opens_on=ground_arises_on,
        closes_on=add_working_days(cal, ground_arises_on, OBJECTION_FILING_WORKING_DAYS),
    )


def ground_date(
    ground: ObjectionGround,
    *,
    decided_on: date | None = None,
    notice_due: date | None = None,
    extended_due: date | None = None,
    delivered_on: date | None = None,
    requested_on: date | None = None,
) -> date:
    """The date from which the objection window of ``ground`` counts (UU 14/2008 art. 36(1)).

    Only the date the ground needs is required; a missing one raises ValueError.

    * a (refusal under art. 17), d (answered other than as requested), e (not fulfilled) and
      f (unreasonable fee): ``decided_on``, the date of the written notice (art. 22(7)),
      which is where the refusal, the answer given, the decision not to fulfil and the fee
      are stated to the requester.
    * b (periodic information of art. 9 not provided): ``requested_on``, the receipt date of
      the request for it. Periodic information must already be published, so it is due at
      once when asked for; the requester's request is the first dated proof that it was not
      provided. This is the earliest defensible date, so the window never closes later than
      the law allows.
    * c (request not answered): the day after the notice deadline lapsed, i.e. the day after
      ``extended_due`` when the period was extended (art. 22(8)), otherwise the day after
      ``notice_due`` (art. 22(7)). Only then has the body failed to answer.
    * g (delivery later than the law allows): ``delivered_on``, the day the late information
      was delivered; before that the requester cannot know how late it will be.
    """
    ground = ObjectionGround(ground)
    if ground is ObjectionGround.NOT_ANSWERED:
        lapsed_on = extended_due if extended_due is not None else notice_due
        if lapsed_on is None:
            raise ValueError("Ground c (not answered) needs the notice deadline, notice_due.")
        if notice_due is not None and extended_due is not None and extended_due < notice_due:
            raise ValueError(
                f"The extended deadline {extended_due} is before the notice deadline {notice_due}."
            )
        return lapsed_on + _ONE_DAY
    if ground is ObjectionGround.PERIODIC_NOT_PROVIDED:
        return _required(requested_on, "requested_on", ground)
    if ground is ObjectionGround.LATE_DELIVERY:
        return _required(delivered_on, "delivered_on", ground)
    # a, d, e, f: the written notice.
    return _required(decided_on, "decided_on", ground)


def _required(value: date | None, name: str, ground: ObjectionGround) -> date:
    if value is None:
        raise ValueError(f"Objection ground {ground.value} counts from {name}, which is missing.")
    return value


def objection_answer_due(cal: WorkCalendar, filed_on: date) -> date:
    """The Atasan PPID's written answer is due 30 working days after ``filed_on``.

    ``filed_on`` is the receipt date of the objection (after the after-hours rule; use
    ``receipt_date`` for a moment). UU 14/2008 art. 36(2).
    """
    return add_working_days(cal, filed_on, OBJECTION_ANSWER_WORKING_DAYS)


# --- Disputes (UU 14/2008 art. 37–38) ------------------------------------------------------------


def dispute_window(cal: WorkCalendar, *, answered_on: date | None, answer_due: date) -> date:
    """The last day to file a dispute with the Komisi Informasi (UU 14/2008 art. 37(2)).

    14 working days after the requester received the Atasan PPID's written answer
    (``answered_on``), or, while it is unanswered, 14 working days after the answer period
    ended on ``answer_due``. An answer received late, after ``answer_due``, starts the 14 days
    again from its receipt: the reading that does not cut the requester's right short.
    """
    start = answer_due if answered_on is None else answered_on
    return add_working_days(cal, start, DISPUTE_FILING_WORKING_DAYS)


class CommissionDates(NamedTuple):
    """Expected dates of a dispute at the Komisi Informasi: an external case, for display."""

    register_by: date
    start_by: date
    end_by: date


def commission_expected_dates(cal: WorkCalendar, filed_on: date) -> CommissionDates:
    """When the Komisi Informasi should register, start and settle a dispute.

    All three count from ``filed_on``, the day the commission received the petition:
    registration within 3 working days (Perki on the dispute procedure), mediation or
    non-litigation adjudication started within 14 (UU 14/2008 art. 38(1)) and the dispute
    settled within 100 (art. 38(2)). The commission follows its own calendar; the Pemda's is
    used here as the best estimate.
    """
    return CommissionDates(
        register_by=add_working_days(cal, filed_on, COMMISSION_REGISTER_WORKING_DAYS),
        start_by=add_working_days(cal, filed_on, COMMISSION_START_WORKING_DAYS),
        end_by=add_working_days(cal, filed_on, COMMISSION_END_WORKING_DAYS),
    )
