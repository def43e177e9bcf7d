"""Consequence tests (uji konsekuensi, UU 14/2008 art. 2(4), 17, 19–20; RULES.md "Refusal
grounds"): the PPID Utama records a test of a piece of information, the agency head approves
it, and the approval numbers the classification decision and closes (or opens) the DIP
entries the test covers.

* :func:`assessment_errors` — the pure rules of a test (grounds a–j, an end date for the
  non-permanent grounds a–f, harm and public interest stated).
* :func:`test_record` and :func:`test_approve` — the two writes, audited.
* :func:`exemptions_due`, :func:`retest_sweep` — exemptions whose end date is near or past,
  and the idempotent sweep that asks the PPID Utama to test them again.
* :func:`tests_citable` — the approved closing tests a refusal of a request may cite.

Which entries a test covers is recorded with the test (the ``entri`` of its
``dip.test_recorded`` audit event) and applied on approval; from then on an entry's
``exemption`` names the test that governs it. A closing test is *in force* while it governs
at least one entry, or when it covered no DIP entry at all (a test run for a request).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError, NotPermitted, ValidationFailed
from terbuka.core.models import OutboxMessage
from terbuka.core.outbox import outbox_enqueue
from terbuka.organizations.access import Scope, build_scope
from terbuka.organizations.models import HoldingKind, Opd, Pemda, Role, User
from terbuka.organizations.selectors import active_holdings, pemda_zone
from terbuka.public_information import actions, index, selectors
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    DipEntry,
    TestResult,
)

#: The art. 17 grounds, by letter.
GROUNDS = tuple("abcdefghij")
#: Grounds whose exemption is not permanent and carries an end date (UU 14/2008 art. 20(1)).
NOT_PERMANENT = frozenset("abcdef")
#: How many days before its end date an exemption is due for a new test.
RETEST_WINDOW_DAYS = 30
#: The decision number; placeholders {nomor} (per Pemda and year), {tahun}, {bulan},
#: {bulan_romawi} and {badan} (the OPD's code). An operator overrides it with the setting
#: ``TERBUKA_DIP_TEST_NUMBER_FORMAT``.
DEFAULT_NUMBER_FORMAT = "{nomor:03d}/PPID/UK/{tahun}"
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

NOT_PPID_UTAMA = _("Hanya PPID Utama yang mencatat dan menetapkan uji konsekuensi.")
INFORMATION_REQUIRED = _("Sebutkan informasi yang diuji.")
GROUNDS_REQUIRED = _("Pilih sedikitnya satu alasan pengecualian menurut pasal 17 UU 14/2008.")
GROUND_UNKNOWN = _("Alasan pengecualian hanya huruf a sampai j pasal 17 UU 14/2008.")
OTHER_LAW_REQUIRED = _(
    "Alasan pasal 17 huruf j: sebutkan undang-undang yang menyatakan informasi ini tertutup."
)
HARM_REQUIRED = _("Uraikan konsekuensi yang timbul bila informasi dibuka.")
INTEREST_REQUIRED = _("Uraikan kepentingan publik yang dipertimbangkan.")
RESULT_UNKNOWN = _("Pilih hasil uji konsekuensi: tertutup atau terbuka.")
END_DATE_REQUIRED = _(
    "Pengecualian berdasarkan pasal 17 huruf a–f tidak bersifat permanen (pasal 20 UU "
    "14/2008): isi tanggal berakhirnya pengecualian."
)
END_NOT_AFTER_DECISION = _("Pengecualian harus berakhir sesudah tanggal uji konsekuensi.")
DECIDED_IN_FUTURE = _("Tanggal uji konsekuensi tidak boleh melewati hari ini.")
PLACE_REQUIRED = _("Sebutkan tempat penetapan.")
ENTRY_OTHER_PEMDA = _("Entri DIP yang dipilih bukan milik pemerintah daerah ini.")
ALREADY_APPROVED = _("Uji konsekuensi ini sudah disetujui pimpinan badan publik.")
APPROVER_REQUIRED = _("Isi nama dan jabatan pimpinan badan publik yang menyetujui.")
APPROVED_BEFORE_DECISION = _("Persetujuan pimpinan tidak boleh sebelum tanggal uji konsekuensi.")
APPROVED_IN_FUTURE = _("Tanggal persetujuan tidak boleh melewati hari ini.")
APPROVED_AFTER_END = _(
    "Masa pengecualian sudah berakhir pada tanggal persetujuan; lakukan uji konsekuensi baru."
)
BAD_NUMBER_FORMAT = _("Format nomor penetapan uji konsekuensi tidak dapat dipakai: %(error)s")


@dataclass(frozen=True)
class Assessment:
    """What the PPID weighed in one consequence test."""

    information: str
    grounds: tuple[str, ...]
    harm: str
    public_interest: str
    result: str
    decided_on: dt.date
    place: str
    other_law: str = ""
    exempt_until: dt.date | None = None


# -- pure rules ------------------------------------------------------------------------------


def assessment_errors(data: Assessment, *, today: dt.date) -> list[tuple[str | None, Any]]:
    """Every rule ``data`` breaks, as (form field, message); empty when the test may be
    recorded."""
    errors: list[tuple[str | None, Any]] = []
    if not data.information.strip():
        errors.append(("information", INFORMATION_REQUIRED))
    if not data.grounds:
        errors.append(("grounds", GROUNDS_REQUIRED))
    elif not set(data.grounds) <= set(GROUNDS):
        errors.append(("grounds", GROUND_UNKNOWN))
    if "j" in data.grounds and not data.other_law.strip():
        errors.append(("other_law", OTHER_LAW_REQUIRED))
    if not data.harm.strip():
        errors.append(("harm", HARM_REQUIRED))
    if not data.public_interest.strip():
        errors.append(("public_interest", INTEREST_REQUIRED))
    if data.result not in TestResult.values:
        errors.append(("result", RESULT_UNKNOWN))
    if data.decided_on > today:
        errors.append(("decided_on", DECIDED_IN_FUTURE))
    if not data.place.strip():
        errors.append(("place", PLACE_REQUIRED))
    if data.result == TestResult.CLOSE:
        if data.exempt_until is None and NOT_PERMANENT.intersection(data.grounds):
            errors.append(("exempt_until", END_DATE_REQUIRED))
        if data.exempt_until is not None and data.exempt_until <= data.decided_on:
            errors.append(("exempt_until", END_NOT_AFTER_DECISION))
    return errors


def approval_errors(
    test: ConsequenceTest, *, name: str, position: str, on: dt.date, today: dt.date
) -> list[Any]:
    """Every rule an approval breaks; empty when the agency head's approval may be recorded."""
    errors: list[Any] = []
    if test.approved_on is not None:
        errors.append(ALREADY_APPROVED)
    if not name.strip() or not position.strip():
        errors.append(APPROVER_REQUIRED)
    if on < test.decided_on:
        errors.append(APPROVED_BEFORE_DECISION)
    if on > today:
        errors.append(APPROVED_IN_FUTURE)
    if (
        test.result == TestResult.CLOSE
        and test.exempt_until is not None
        and on >= test.exempt_until
    ):
        errors.append(APPROVED_AFTER_END)
    return errors


def number_format() -> str:
    return str(getattr(settings, "TERBUKA_DIP_TEST_NUMBER_FORMAT", DEFAULT_NUMBER_FORMAT))


def format_test_number(pattern: str, *, sequence: int, on: dt.date, body: str = "") -> str:
    """Fill the decision number pattern, e.g. ``007/PPID/UK/2026``."""
    try:
        return pattern.format(
            nomor=sequence,
            tahun=on.year,
            bulan=on.month,
            bulan_romawi=ROMAN_MONTHS[on.month - 1],
            badan=body.upper(),
        )
    except (KeyError, IndexError, ValueError) as error:
        raise DomainError(BAD_NUMBER_FORMAT, error=str(error)) from error


def sequence_of(pattern: str, number: str) -> int | None:
    """The {nomor} a number made with ``pattern`` carries (None if it was made otherwise)."""
    parts = []
    taken = False
    for literal, field, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field == "nomor" and not taken:
            parts.append(r"(\d+)")
            taken = True
        else:
            parts.append(r".+?")
    found = re.fullmatch("".join(parts), number) if taken else None
    return int(found.group(1)) if found else None


# -- who and what ------------------------------------------------------------------------------


def may_establish(scope: Scope, pemda_id: int) -> bool:
    """The PPID Utama of this Pemda (or a superuser) decides its consequence tests."""
    return selectors.can_establish(scope) and (
        scope.is_superuser or pemda_id in scope.pemda_wide_ids
    )


def _ppid_title(scope: Scope, pemda_id: int) -> str:
    """The title the PPID decides under: the position held today (Plt./Plh. marked)."""
    for seat in scope.seats:
        if seat.role == Role.PPID_UTAMA and seat.pemda_id == pemda_id:
            acting = seat.kind in (HoldingKind.PLT, HoldingKind.PLH)
            return f"{seat.kind.capitalize()}. {seat.title}" if acting else seat.title
    return str(Role.PPID_UTAMA.label)


def _today(pemda: Pemda) -> dt.date:
    return clock.today_in(pemda_zone(pemda))


def covered_entry_ids(tests: Iterable[ConsequenceTest]) -> dict[int, list[int]]:
    """The entries each test was recorded to cover, in one query."""
    covered: dict[int, list[int]] = {test.pk: [] for test in tests}
    if not covered:
        return covered
    links = ConsequenceTest.covers.through.objects.filter(
        consequencetest_id__in=list(covered)
    ).order_by("dipentry_id")
    for test_id, entry_id in links.values_list("consequencetest_id", "dipentry_id"):
        covered[test_id].append(entry_id)
    return covered


def covered_entries(test: ConsequenceTest) -> list[DipEntry]:
    """The entries the test was recorded to cover (whether or not a later test has taken
    them over since)."""
    queryset = DipEntry.objects.filter(pk__in=covered_entry_ids([test])[test.pk])
    return list(queryset.select_related("opd").order_by("opd__name", "title", "id"))


def in_force(tests: Sequence[ConsequenceTest]) -> list[ConsequenceTest]:
    """The approved closing tests that still govern an entry, or that covered none (tests
    annotated with ``governs``, the number of entries they govern)."""
    idle = [test for test in tests if not getattr(test, "governs", 0)]
    covered = covered_entry_ids(idle)
    return [test for test in tests if getattr(test, "governs", 0) or not covered.get(test.pk)]


def _approved_closing() -> QuerySet[ConsequenceTest]:
    return ConsequenceTest.objects.filter(
        result=TestResult.CLOSE, approved_on__isnull=False
    ).annotate(governs=Count("entries"))


# -- writes ------------------------------------------------------------------------------------


def test_record(
    *, opd: Opd, actor: User, data: Assessment, entries: Sequence[DipEntry]
) -> ConsequenceTest:
    """Record a consequence test run by the PPID Utama for information held by ``opd``,
    covering ``entries`` of the Pemda's DIP (applied when the agency head approves)."""
    pemda = opd.pemda
    today = _today(pemda)
    scope = build_scope(actor, today)
    if not may_establish(scope, pemda.pk):
        raise NotPermitted(NOT_PPID_UTAMA)
    errors = assessment_errors(data, today=today)
    if errors:
        raise ValidationFailed(errors[0][1])
    ids = sorted({entry.pk for entry in entries})
    closing = data.result == TestResult.CLOSE
    with transaction.atomic():
        found = DipEntry.objects.filter(pk__in=ids, pemda_id=pemda.pk).count()
        if found != len(ids):
            raise DomainError(ENTRY_OTHER_PEMDA)
        test = ConsequenceTest.objects.create(
            pemda=pemda,
            opd=opd,
            information=data.information.strip(),
            grounds=sorted(set(data.grounds)),
            other_law=data.other_law.strip(),
            harm=data.harm.strip(),
            public_interest=data.public_interest.strip(),
            result=data.result,
            exempt_until=data.exempt_until if closing else None,
            decided_by=actor,
            decided_by_position=_ppid_title(scope, pemda.pk),
            decided_on=data.decided_on,
            place=data.place.strip(),
            created_at=clock.now(),
        )
        audit.record(
            action=actions.TEST_RECORDED,
            actor=actor,
            obj=test,
            opd_id=opd.pk,
            data={
                "hasil": test.result,
                "pasal_17": test.grounds,
                "dikecualikan_sampai": test.exempt_until,
                "tanggal_uji": test.decided_on,
                "entri": ids,
            },
        )
        test.covers.set(ids)
    return test


def _next_number(test: ConsequenceTest, on: dt.date) -> str:
    """The next number of the Pemda's year. Call with the Pemda row locked: that lock is the
    counter, so two approvals never read the same highest number."""
    pattern = number_format()
    used = set(
        ConsequenceTest.objects.select_for_update()
        .filter(pemda_id=test.pemda_id, approved_on__year=on.year)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    sequence = max((sequence_of(pattern, n) or 0 for n in used), default=0) + 1
    number = format_test_number(pattern, sequence=sequence, on=on, body=test.opd.code)
    while number in used:  # a number written with another pattern this year
        sequence += 1
        number = format_test_number(pattern, sequence=sequence, on=on, body=test.opd.code)
    return number


def _apply_to_entries(test: ConsequenceTest, actor: User) -> None:
    """A closing test closes the entries it covers; an opening one opens them again."""
    ids = covered_entry_ids([test])[test.pk]
    now = clock.now()
    closing = test.result == TestResult.CLOSE
    for entry in DipEntry.objects.select_for_update().filter(pk__in=ids, pemda_id=test.pemda_id):
        before = (entry.category, entry.exemption_id)
        if closing:
            entry.category, entry.exemption = Category.DIKECUALIKAN, test
        else:
            if entry.category == Category.DIKECUALIKAN:
                entry.category = Category.SETIAP_SAAT
            entry.exemption = None
        after = (entry.category, entry.exemption_id)
        if after == before:
            continue
        entry.updated_at = now  # harvesters of the API see the entry change
        entry.save(update_fields=["category", "exemption", "updated_at"])
        changes = {
            name: {"dari": old, "ke": new}
            for name, old, new in zip(("category", "exemption"), before, after, strict=True)
            if old != new
        }
        audit.record(
            action=actions.ENTRY_CHANGED,
            actor=actor,
            obj=entry,
            opd_id=entry.opd_id,
            data={"status": entry.status, "perubahan": changes, "uji_konsekuensi": test.number},
        )
        index.entry_changed(entry)


def test_approve(
    *,
    test: ConsequenceTest,
    actor: User,
    approved_by_name: str,
    approved_by_position: str,
    approved_on: dt.date,
) -> ConsequenceTest:
    """Record the agency head's approval (UU 14/2008 art. 19 and the PPID's SOP): number the
    classification decision, gapless per Pemda and year, and apply the result to the DIP."""
    with transaction.atomic():
        pemda = Pemda.objects.select_for_update().get(pk=test.pemda_id)
        locked = ConsequenceTest.objects.select_for_update().select_related("opd").get(pk=test.pk)
        today = _today(pemda)
        if not may_establish(build_scope(actor, today), pemda.pk):
            raise NotPermitted(NOT_PPID_UTAMA)
        errors = approval_errors(
            locked,
            name=approved_by_name,
            position=approved_by_position,
            on=approved_on,
            today=today,
        )
        if errors:
            raise ValidationFailed(errors[0])
        locked.number = _next_number(locked, approved_on)
        locked.approved_by_name = approved_by_name.strip()
        locked.approved_by_position = approved_by_position.strip()
        locked.approved_on = approved_on
        locked.save(
            update_fields=["number", "approved_by_name", "approved_by_position", "approved_on"]
        )
        audit.record(
            action=actions.TEST_APPROVED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={
                "nomor": locked.number,
                "pimpinan": locked.approved_by_name,
                "jabatan": locked.approved_by_position,
                "tanggal": approved_on,
                "hasil": locked.result,
            },
        )
        _apply_to_entries(locked, actor)
    return locked


# -- reads -------------------------------------------------------------------------------------


def exemptions_due(
    today: dt.date, within_days: int = RETEST_WINDOW_DAYS, *, pemda: Pemda | None = None
) -> list[ConsequenceTest]:
    """Approved closing tests in force whose exemption ends within ``within_days`` of
    ``today`` or has ended: the information must be tested again (art. 20)."""
    queryset = _approved_closing().filter(
        exempt_until__isnull=False, exempt_until__lte=today + dt.timedelta(days=within_days)
    )
    if pemda is not None:
        queryset = queryset.filter(pemda=pemda)
    return in_force(list(queryset.select_related("pemda", "opd").order_by("exempt_until", "pk")))


@dataclass(frozen=True)
class CitableTest:
    """An approved closing test a refusal of a request may cite."""

    pk: int
    number: str
    information: str
    grounds: tuple[str, ...]
    exempt_until: dt.date | None
    approved_on: dt.date

    @property
    def label(self) -> str:
        return f"{self.number} — {self.information[:120]}"


def tests_citable(pemda: Pemda) -> list[CitableTest]:
    """The Pemda's approved closing tests in force whose exemption has not ended, newest
    first: what the PPID may cite when refusing a request (art. 17, 19)."""
    today = _today(pemda)
    queryset = (
        _approved_closing()
        .filter(pemda=pemda)
        .exclude(exempt_until__lt=today)
        .order_by("-approved_on", "-pk")
    )
    return [
        CitableTest(
            pk=test.pk,
            number=test.number,
            information=test.information,
            grounds=tuple(test.grounds),
            exempt_until=test.exempt_until,
            approved_on=test.approved_on,  # type: ignore[arg-type]  # approved: not null
        )
        for test in in_force(list(queryset))
    ]


# -- the re-test sweep ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetestReport:
    tests: int
    queued: int


def _ppid_utama_holders(pemda_id: int, on: dt.date) -> list[User]:
    holdings = (
        active_holdings(on)
        .filter(position__role=Role.PPID_UTAMA, position__opd__pemda_id=pemda_id)
        .select_related("user")
    )
    users = {h.user for h in holdings if h.user.email and h.user.is_active}
    return sorted(users, key=lambda user: user.pk)


def _sent_keys(tests: Sequence[ConsequenceTest]) -> set[str]:
    keys = OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(ConsequenceTest),
        object_id__in=[str(test.pk) for test in tests],
        dedupe_key__isnull=False,
    ).values_list("dedupe_key", flat=True)
    return {key for key in keys if key}


def _retest_text(test: ConsequenceTest, past: bool) -> tuple[str, str]:
    until = test.exempt_until.strftime("%d-%m-%Y") if test.exempt_until else ""
    values = {
        "number": test.number,
        "information": test.information[:200],
        "until": until,
        "url": settings.SITE_URL + reverse("dip:test_detail", args=[test.pk]),
    }
    if past:
        return (
            gettext("Masa pengecualian %(number)s telah berakhir") % values,
            gettext(
                "Pengecualian informasi “%(information)s” (penetapan %(number)s) berakhir "
                "pada %(until)s. Lakukan uji konsekuensi ulang atau buka informasinya "
                "(pasal 20 UU 14/2008). %(url)s"
            )
            % values,
        )
    return (
        gettext("Uji konsekuensi ulang: %(number)s berakhir %(until)s") % values,
        gettext(
            "Pengecualian informasi “%(information)s” (penetapan %(number)s) berakhir pada "
            "%(until)s. Lakukan uji konsekuensi ulang sebelum tanggal itu (pasal 20 UU "
            "14/2008). %(url)s"
        )
        % values,
    )


def retest_sweep(*, at: dt.datetime | None = None) -> RetestReport:
    """Queue an e-mail to each PPID Utama of the Pemda for every exemption that ends within
    :data:`RETEST_WINDOW_DAYS` days, and again once it has ended. Each (test, threshold,
    person) is queued once, so running the sweep again queues nothing."""
    moment = at or clock.now()
    queued = 0
    due: list[tuple[ConsequenceTest, dt.date]] = []
    for pemda in Pemda.objects.order_by("pk"):
        today = moment.astimezone(pemda_zone(pemda)).date()
        due.extend((test, today) for test in exemptions_due(today, pemda=pemda))
    sent = _sent_keys([test for test, _today in due])
    holders: dict[tuple[int, dt.date], list[User]] = {}
    for test, today in due:
        assert test.exempt_until is not None
        past = test.exempt_until < today
        threshold = "lewat" if past else str(RETEST_WINDOW_DAYS)
        if (test.pemda_id, today) not in holders:
            holders[test.pemda_id, today] = _ppid_utama_holders(test.pemda_id, today)
        recipients = [
            (user, f"dip_test:{test.pk}:retest-{threshold}:{user.pk}")
            for user in holders[test.pemda_id, today]
        ]
        recipients = [(user, key) for user, key in recipients if key not in sent]
        if not recipients:
            continue
        with transaction.atomic():
            for user, key in recipients:
                with translation.override(user.language or "id"):
                    subject, body = _retest_text(test, past)
                outbox_enqueue(
                    to=user.email,
                    subject=subject,
                    body_text=body,
                    language=user.language,
                    kind=f"dip_test.retest-{threshold}",
                    subject_object=test,
                    dedupe_key=key,
                )
                sent.add(key)
            ConsequenceTest.objects.filter(pk=test.pk).update(retest_alerted_on=today)
        queued += len(recipients)
    return RetestReport(tests=len(due), queued=queued)
