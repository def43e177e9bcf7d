"""The time standard (waktu) of a step: read from the text printed on the SOP sheet.

The rule, overridable per step with ``time_override``:

* minutes and hours are counted in **office hours** (``office_hours``);
* days and weeks are counted in **working days** (``working_days``; 1 week = 5 working days);
* months and years are counted in **calendar months** (``calendar_months``).

``Tentatif``, ``Real Time`` and ``by Sistem`` are standards without a due time; ``-`` and a
blank cell mean the sheet gives none.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

WORKING_DAYS_PER_WEEK = 5
CALENDAR_DAYS_PER_WEEK = 7
MONTHS_PER_YEAR = 12
MINUTES_PER_HOUR = 60


class TimeKind(StrEnum):
    DURATION = "duration"
    TENTATIVE = "tentative"
    REALTIME = "realtime"
    SYSTEM = "system"
    NONE = "none"


class TimeUnit(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Calendar(StrEnum):
    """How a duration is measured."""

    OFFICE_HOURS = "office_hours"
    """Minutes inside the office hours of working days."""
    CLOCK_HOURS = "clock_hours"
    """Elapsed minutes, round the clock."""
    WORKING_DAYS = "working_days"
    """Working days: no weekends, holidays or cuti bersama."""
    CALENDAR_DAYS = "calendar_days"
    """Every day counts."""
    CALENDAR_MONTHS = "calendar_months"
    """Calendar months."""


class DurationUnit(StrEnum):
    """The unit of the pair that :meth:`TimeStandard.as_duration` returns."""

    OFFICE_MINUTES = "office_minutes"
    CLOCK_MINUTES = "clock_minutes"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"


DEFAULT_CALENDAR: dict[TimeUnit, Calendar] = {
    TimeUnit.MINUTE: Calendar.OFFICE_HOURS,
    TimeUnit.HOUR: Calendar.OFFICE_HOURS,
    TimeUnit.DAY: Calendar.WORKING_DAYS,
    TimeUnit.WEEK: Calendar.WORKING_DAYS,
    TimeUnit.MONTH: Calendar.CALENDAR_MONTHS,
    TimeUnit.YEAR: Calendar.CALENDAR_MONTHS,
}

CALENDAR_UNITS: dict[Calendar, tuple[TimeUnit, ...]] = {
    Calendar.OFFICE_HOURS: (TimeUnit.MINUTE, TimeUnit.HOUR),
    Calendar.CLOCK_HOURS: (TimeUnit.MINUTE, TimeUnit.HOUR),
    Calendar.WORKING_DAYS: (TimeUnit.DAY, TimeUnit.WEEK),
    Calendar.CALENDAR_DAYS: (TimeUnit.DAY, TimeUnit.WEEK),
    Calendar.CALENDAR_MONTHS: (TimeUnit.MONTH, TimeUnit.YEAR),
}
"""The units each calendar can measure."""

UNIT_WORDS: dict[str, tuple[TimeUnit, Calendar | None]] = {
    "menit": (TimeUnit.MINUTE, None),
    "mnt": (TimeUnit.MINUTE, None),
    "min": (TimeUnit.MINUTE, None),
    "minute": (TimeUnit.MINUTE, None),
    "minutes": (TimeUnit.MINUTE, None),
    "jam": (TimeUnit.HOUR, None),
    "jam kerja": (TimeUnit.HOUR, Calendar.OFFICE_HOURS),
    "hour": (TimeUnit.HOUR, None),
    "hours": (TimeUnit.HOUR, None),
    "hari": (TimeUnit.DAY, None),
    "hari kerja": (TimeUnit.DAY, Calendar.WORKING_DAYS),
    "hari kalender": (TimeUnit.DAY, Calendar.CALENDAR_DAYS),
    "day": (TimeUnit.DAY, None),
    "days": (TimeUnit.DAY, None),
    "working day": (TimeUnit.DAY, Calendar.WORKING_DAYS),
    "working days": (TimeUnit.DAY, Calendar.WORKING_DAYS),
    "minggu": (TimeUnit.WEEK, None),
    "pekan": (TimeUnit.WEEK, None),
    "week": (TimeUnit.WEEK, None),
    "weeks": (TimeUnit.WEEK, None),
    "bulan": (TimeUnit.MONTH, None),
    "bln": (TimeUnit.MONTH, None),
    "month": (TimeUnit.MONTH, None),
    "months": (TimeUnit.MONTH, None),
    "tahun": (TimeUnit.YEAR, None),
    "year": (TimeUnit.YEAR, None),
    "years": (TimeUnit.YEAR, None),
}
"""Unit words as printed on sheets (case-insensitive), with the calendar they name, if any."""

NO_DURATION_WORDS: dict[str, TimeKind] = {
    "tentatif": TimeKind.TENTATIVE,
    "tentative": TimeKind.TENTATIVE,
    "real time": TimeKind.REALTIME,
    "realtime": TimeKind.REALTIME,
    "real-time": TimeKind.REALTIME,
    "by sistem": TimeKind.SYSTEM,
    "by system": TimeKind.SYSTEM,
    "oleh sistem": TimeKind.SYSTEM,
    "sistem": TimeKind.SYSTEM,
    "-": TimeKind.NONE,
    "–": TimeKind.NONE,
    "—": TimeKind.NONE,
}

_AMOUNT = re.compile(
    r"^(?P<amount>\d+)\s*(?P<unit>[^\W\d_](?:[^\W\d_]|[ .])*?)?\s*"
    r"(?:(?:/|\bper\b)\s*(?P<per>\S.*))?$",
    re.IGNORECASE,
)


class TimeStandardError(ValueError):
    """The time text cannot be read. The message names the text."""


@dataclass(frozen=True, slots=True)
class TimeStandard:
    kind: TimeKind
    amount: int | None = None
    unit: TimeUnit | None = None
    per_item: str | None = None
    """The item that ``amount`` is per, e.g. ``Elemen Data`` in ``5 menit/ Elemen Data``."""
    calendar: Calendar | None = None
    raw: str | None = None
    """The text as written on the sheet."""

    @property
    def has_due_time(self) -> bool:
        return self.kind is TimeKind.DURATION

    def as_duration(self, items: int = 1) -> tuple[DurationUnit, int] | None:
        """The standard as the engine counts it, e.g. ``("office_minutes", 120)``.

        ``items`` multiplies a per-item standard. Standards without a due time give ``None``.
        """
        if self.kind is not TimeKind.DURATION:
            return None
        assert self.amount is not None
        assert self.unit is not None
        assert self.calendar is not None
        amount = self.amount * (items if self.per_item else 1)
        match self.calendar, self.unit:
            case ((Calendar.OFFICE_HOURS | Calendar.CLOCK_HOURS), TimeUnit.HOUR):
                amount *= MINUTES_PER_HOUR
            case Calendar.WORKING_DAYS, TimeUnit.WEEK:
                amount *= WORKING_DAYS_PER_WEEK
            case Calendar.CALENDAR_DAYS, TimeUnit.WEEK:
                amount *= CALENDAR_DAYS_PER_WEEK
            case Calendar.CALENDAR_MONTHS, TimeUnit.YEAR:
                amount *= MONTHS_PER_YEAR
        return _DURATION_UNIT[self.calendar], amount


_DURATION_UNIT = {
    Calendar.OFFICE_HOURS: DurationUnit.OFFICE_MINUTES,
    Calendar.CLOCK_HOURS: DurationUnit.CLOCK_MINUTES,
    Calendar.WORKING_DAYS: DurationUnit.WORKING_DAYS,
    Calendar.CALENDAR_DAYS: DurationUnit.CALENDAR_DAYS,
    Calendar.CALENDAR_MONTHS: DurationUnit.CALENDAR_MONTHS,
}


def parse_time_standard(
    text: str | None,
    *,
    unit: TimeUnit | None = None,
    calendar: Calendar | None = None,
) -> TimeStandard:
    """Read a waktu cell such as ``"10 menit"``, ``"30 Hari kerja"`` or ``"Tentatif"``.

    ``unit`` replaces the unit word of the text (which may then be missing or unreadable,
    e.g. an OCR'd ``1 jsm``); ``calendar`` replaces how the duration is measured.
    Raises :class:`TimeStandardError` naming the text when it cannot be read.
    """
    raw = text
    cleaned = " ".join((text or "").split()).rstrip(".,;")
    if not cleaned:
        return _no_duration(TimeKind.NONE, raw, unit, calendar)
    kind = NO_DURATION_WORDS.get(cleaned.casefold())
    if kind is not None:
        return _no_duration(kind, raw, unit, calendar)

    match = _AMOUNT.match(cleaned)
    if match is None:
        raise TimeStandardError(
            f"cannot read the time {cleaned!r} (expected an amount and a unit such as "
            "'10 menit', '2 jam', '1 hari', '2 minggu', '6 bulan', or 'Tentatif', "
            "'Real Time', 'by Sistem', '-')"
        )
    amount = int(match["amount"])
    word = " ".join((match["unit"] or "").replace(".", " ").split()).casefold()
    named_calendar: Calendar | None = None
    if unit is None:
        if not word:
            raise TimeStandardError(f"the time {cleaned!r} has no unit (expected e.g. 'menit')")
        if word not in UNIT_WORDS:
            raise TimeStandardError(
                f"unknown time unit {word!r} in {cleaned!r} (expected menit, jam, hari, "
                f"hari kerja, minggu, bulan or tahun; or set time_override.unit){_close(word)}"
            )
        unit, named_calendar = UNIT_WORDS[word]
    measured_by = calendar or named_calendar or DEFAULT_CALENDAR[unit]
    if unit not in CALENDAR_UNITS[measured_by]:
        measures = " and ".join(f"{u}s" for u in CALENDAR_UNITS[measured_by])
        raise TimeStandardError(
            f"calendar {measured_by.value!r} cannot measure {unit.value}s in {cleaned!r} "
            f"(it measures {measures})"
        )
    per = match["per"]
    return TimeStandard(
        kind=TimeKind.DURATION,
        amount=amount,
        unit=unit,
        per_item=per.strip() if per else None,
        calendar=measured_by,
        raw=raw,
    )


def _close(word: str) -> str:
    close = difflib.get_close_matches(word, list(UNIT_WORDS), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _no_duration(
    kind: TimeKind, raw: str | None, unit: TimeUnit | None, calendar: Calendar | None
) -> TimeStandard:
    if unit is not None or calendar is not None:
        shown = "a blank time" if kind is TimeKind.NONE and not (raw or "").strip() else repr(raw)
        raise TimeStandardError(
            f"an override of unit or calendar needs a time with an amount, got {shown}"
        )
    return TimeStandard(kind=kind, raw=raw)
