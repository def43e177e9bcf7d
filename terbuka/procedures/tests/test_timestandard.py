import pytest

from terbuka.procedures.definition.timestandard import (
    Calendar,
    DurationUnit,
    TimeKind,
    TimeStandard,
    TimeStandardError,
    TimeUnit,
    parse_time_standard,
)

D = TimeKind.DURATION
OFFICE, WORKING, MONTHS = Calendar.OFFICE_HOURS, Calendar.WORKING_DAYS, Calendar.CALENDAR_MONTHS


@pytest.mark.parametrize(
    ("text", "kind", "amount", "unit", "calendar", "duration"),
    [
        ("10 menit", D, 10, TimeUnit.MINUTE, OFFICE, ("office_minutes", 10)),
        ("15 Menit", D, 15, TimeUnit.MINUTE, OFFICE, ("office_minutes", 15)),
        ("2 jam", D, 2, TimeUnit.HOUR, OFFICE, ("office_minutes", 120)),
        ("2jam", D, 2, TimeUnit.HOUR, OFFICE, ("office_minutes", 120)),
        ("120 Menit", D, 120, TimeUnit.MINUTE, OFFICE, ("office_minutes", 120)),
        ("720 Menit", D, 720, TimeUnit.MINUTE, OFFICE, ("office_minutes", 720)),
        ("60menit", D, 60, TimeUnit.MINUTE, OFFICE, ("office_minutes", 60)),
        ("1 hari", D, 1, TimeUnit.DAY, WORKING, ("working_days", 1)),
        ("1hari", D, 1, TimeUnit.DAY, WORKING, ("working_days", 1)),
        ("10 hari", D, 10, TimeUnit.DAY, WORKING, ("working_days", 10)),
        ("10 Hari", D, 10, TimeUnit.DAY, WORKING, ("working_days", 10)),
        ("30 Hari kerja", D, 30, TimeUnit.DAY, WORKING, ("working_days", 30)),
        ("1 minggu", D, 1, TimeUnit.WEEK, WORKING, ("working_days", 5)),
        ("2 Minggu", D, 2, TimeUnit.WEEK, WORKING, ("working_days", 10)),
        ("1 bulan", D, 1, TimeUnit.MONTH, MONTHS, ("calendar_months", 1)),
        ("6 bulan", D, 6, TimeUnit.MONTH, MONTHS, ("calendar_months", 6)),
        ("1 tahun", D, 1, TimeUnit.YEAR, MONTHS, ("calendar_months", 12)),
        ("  3   HARI  ", D, 3, TimeUnit.DAY, WORKING, ("working_days", 3)),
        ("5 menit/ Elemen Data", D, 5, TimeUnit.MINUTE, OFFICE, ("office_minutes", 5)),
        ("Tentatif", TimeKind.TENTATIVE, None, None, None, None),
        ("tentatif", TimeKind.TENTATIVE, None, None, None, None),
        ("Real Time", TimeKind.REALTIME, None, None, None, None),
        ("real  time", TimeKind.REALTIME, None, None, None, None),
        ("by Sistem", TimeKind.SYSTEM, None, None, None, None),
        ("BY SISTEM", TimeKind.SYSTEM, None, None, None, None),
        ("-", TimeKind.NONE, None, None, None, None),
        ("", TimeKind.NONE, None, None, None, None),
        ("   ", TimeKind.NONE, None, None, None, None),
        (None, TimeKind.NONE, None, None, None, None),
    ],
)
def test_time_forms_from_the_seeds(text, kind, amount, unit, calendar, duration):
    standard = parse_time_standard(text)

    assert standard.kind is kind
    assert standard.amount == amount
    assert standard.unit is unit
    assert standard.calendar is calendar
    assert standard.raw == text
    assert standard.as_duration() == duration
    assert standard.has_due_time is (kind is D)


def test_per_item_standard_keeps_the_item_and_multiplies():
    standard = parse_time_standard("5 menit/ Elemen Data")

    assert standard.per_item == "Elemen Data"
    assert standard.as_duration(items=12) == (DurationUnit.OFFICE_MINUTES, 60)
    assert parse_time_standard("10 menit per berkas").per_item == "berkas"


def test_items_do_not_multiply_a_standard_that_is_not_per_item():
    assert parse_time_standard("10 menit").as_duration(items=5) == ("office_minutes", 10)


def test_standard_is_frozen():
    standard = parse_time_standard("2 jam")

    with pytest.raises(AttributeError):
        standard.amount = 3  # type: ignore[misc]
    assert standard == TimeStandard(
        kind=D, amount=2, unit=TimeUnit.HOUR, calendar=OFFICE, raw="2 jam"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3 purnama", ["unknown time unit 'purnama'", "'3 purnama'"]),
        ("10 menut", ["'10 menut'", "did you mean 'menit'?"]),
        ("1 jsm", ["'1 jsm'", "did you mean 'jam'?"]),
        ("sekitar seminggu", ["cannot read the time 'sekitar seminggu'"]),
        ("1,5 jam", ["'1,5 jam'"]),
        ("10", ["the time '10' has no unit"]),
    ],
)
def test_unreadable_time_names_the_text(text, words):
    with pytest.raises(TimeStandardError) as caught:
        parse_time_standard(text)

    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    ("text", "unit", "calendar", "duration"),
    [
        ("10 hari", None, Calendar.CALENDAR_DAYS, ("calendar_days", 10)),
        ("2 minggu", None, Calendar.CALENDAR_DAYS, ("calendar_days", 14)),
        ("2 jam", None, Calendar.CLOCK_HOURS, ("clock_minutes", 120)),
        ("1 jsm", TimeUnit.HOUR, None, ("office_minutes", 60)),
        ("10", TimeUnit.DAY, None, ("working_days", 10)),
        ("1 bulan", TimeUnit.DAY, Calendar.CALENDAR_DAYS, ("calendar_days", 1)),
    ],
)
def test_override_changes_the_measurement(text, unit, calendar, duration):
    assert parse_time_standard(text, unit=unit, calendar=calendar).as_duration() == duration


def test_hari_kalender_names_calendar_days():
    standard = parse_time_standard("14 hari kalender")

    assert standard.calendar is Calendar.CALENDAR_DAYS
    assert standard.as_duration() == ("calendar_days", 14)


@pytest.mark.parametrize(
    ("text", "unit", "calendar", "words"),
    [
        ("1 hari", None, Calendar.OFFICE_HOURS, "calendar 'office_hours' cannot measure days"),
        ("2 jam", None, Calendar.WORKING_DAYS, "cannot measure hours"),
        ("Tentatif", TimeUnit.DAY, None, "needs a time with an amount, got 'Tentatif'"),
        (None, None, Calendar.WORKING_DAYS, "needs a time with an amount, got a blank time"),
    ],
)
def test_override_that_does_not_fit_is_refused(text, unit, calendar, words):
    with pytest.raises(TimeStandardError, match=words):
        parse_time_standard(text, unit=unit, calendar=calendar)
