"""The database calendar: seeding, operator edits, and the calendar the rules receive."""

import datetime as dt

import pytest

from terbuka.core.errors import DomainError
from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.tests.factories import UserFactory
from terbuka.workcalendar import rules, services
from terbuka.workcalendar.models import DayKind, NonWorkingDay, OfficeHours
from terbuka.workcalendar.rules import OfficeHours as Hours
from terbuka.workcalendar.selectors import calendar_for, office_hours_for

RECEIVED = dt.datetime(2026, 3, 17, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.mark.django_db
def test_seeding_takes_public_and_government_categories(pemda: Pemda) -> None:
    added = services.calendar_seed_year(pemda=pemda, year=2026)
    days = {row.date: row for row in NonWorkingDay.objects.filter(pemda=pemda)}
    assert added == len(days) > 15
    assert days[dt.date(2026, 3, 19)].kind == DayKind.NATIONAL_HOLIDAY  # Nyepi
    for cuti in (dt.date(2026, 3, 18), dt.date(2026, 3, 20), dt.date(2026, 3, 23)):
        assert days[cuti].kind == DayKind.CUTI_BERSAMA
    assert "Nyepi" in days[dt.date(2026, 3, 19)].name  # names in Indonesian


@pytest.mark.django_db
def test_seeding_twice_adds_nothing_and_keeps_operator_edits(pemda: Pemda) -> None:
    operator = UserFactory.create()
    services.calendar_seed_year(pemda=pemda, year=2026)
    nyepi = NonWorkingDay.objects.get(pemda=pemda, date=dt.date(2026, 3, 19))
    services.day_rename(day=nyepi, actor=operator, name="Hari Suci Nyepi", kind=nyepi.kind)
    cuti = NonWorkingDay.objects.get(pemda=pemda, date=dt.date(2026, 3, 18))
    services.day_remove(day=cuti, actor=operator)
    assert services.calendar_seed_year(pemda=pemda, year=2026) == 0
    assert NonWorkingDay.objects.get(pk=nyepi.pk).name == "Hari Suci Nyepi"
    assert dt.date(2026, 3, 18) not in calendar_for(pemda).cuti_bersama


@pytest.mark.django_db
def test_regional_holiday_added_by_operator_is_a_non_working_day(pemda: Pemda) -> None:
    day = services.day_add(
        pemda=pemda,
        actor=UserFactory.create(),
        date=dt.date(2026, 7, 10),
        name="Hari Jadi Kabupaten",
        kind=DayKind.REGIONAL_HOLIDAY,
    )
    assert not rules.is_working_day(calendar_for(pemda), dt.date(2026, 7, 10))
    assert AuditEvent.objects.get(action="workcalendar.day_added").object_id == str(day.pk)


@pytest.mark.django_db
def test_adding_a_date_already_in_the_calendar_is_refused(pemda: Pemda) -> None:
    services.calendar_seed_year(pemda=pemda, year=2026)
    with pytest.raises(DomainError, match="sudah tercatat"):
        services.day_add(
            pemda=pemda,
            actor=UserFactory.create(),
            date=dt.date(2026, 3, 19),
            name="Dobel",
            kind=DayKind.REGIONAL_HOLIDAY,
        )


@pytest.mark.django_db
def test_a_removed_day_can_be_added_back(pemda: Pemda) -> None:
    operator = UserFactory.create()
    day = services.day_add(
        pemda=pemda,
        actor=operator,
        date=dt.date(2026, 7, 10),
        name="Hari Jadi",
        kind=DayKind.REGIONAL_HOLIDAY,
    )
    services.day_remove(day=day, actor=operator)
    services.day_add(
        pemda=pemda,
        actor=operator,
        date=dt.date(2026, 7, 10),
        name="Hari Jadi",
        kind=DayKind.REGIONAL_HOLIDAY,
    )
    assert dt.date(2026, 7, 10) in calendar_for(pemda).holidays


@pytest.mark.django_db
def test_perpres_21_2023_art6_deadline_from_database_calendar(pemda: Pemda) -> None:
    """Received 17 March 2026: 10 working days skip Nyepi, Idul Fitri and cuti bersama."""
    services.calendar_seed_year(pemda=pemda, year=2026)
    assert rules.deadline(calendar_for(pemda), RECEIVED, 10) == dt.date(2026, 4, 8)
    pemda.cuti_bersama_is_working_day = True
    assert rules.deadline(calendar_for(pemda), RECEIVED, 10) == dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_opd_office_hours_override_the_pemda_week(pemda: Pemda, opd: Opd) -> None:
    operator = UserFactory.create()
    assert office_hours_for(pemda) == dict(rules.DEFAULT_OFFICE_HOURS)
    saturday = {**rules.DEFAULT_OFFICE_HOURS, 5: Hours(dt.time(8), dt.time(12))}
    services.office_hours_set(pemda=pemda, actor=operator, hours=saturday, opd=opd)
    assert office_hours_for(pemda, opd)[5] == Hours(dt.time(8), dt.time(12))
    assert 5 not in office_hours_for(pemda)
    assert calendar_for(pemda, opd).office_hours[5].closes == dt.time(12)
    assert OfficeHours.objects.filter(opd=opd).count() == 6


@pytest.mark.django_db
def test_office_hours_closing_before_opening_are_refused(pemda: Pemda) -> None:
    bad = {0: Hours.__new__(Hours)}
    object.__setattr__(bad[0], "opens", dt.time(16))
    object.__setattr__(bad[0], "closes", dt.time(8))
    with pytest.raises(DomainError, match="Jam tutup harus setelah jam buka"):
        services.office_hours_set(pemda=pemda, actor=UserFactory.create(), hours=bad)
    assert not OfficeHours.objects.exists()
