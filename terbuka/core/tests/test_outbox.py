from __future__ import annotations

import datetime as dt
import smtplib
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from terbuka.core import clock, outbox
from terbuka.core.models import AuditEvent, OutboxMessage, OutboxStatus
from terbuka.core.outbox import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    NotRetryable,
    SendReport,
    outbox_enqueue,
    outbox_retry,
    outbox_send_due,
    retry_delay,
)
from terbuka.organizations.models import Opd, Role
from terbuka.organizations.tests.factories import staff_member

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


class FlakyBackend(BaseEmailBackend):
    """A mail server that can be switched off; records what it accepted while on."""

    down = True
    accepted: list[EmailMessage] = []

    def open(self) -> bool:
        if FlakyBackend.down:
            raise ConnectionRefusedError(111, "Connection refused")
        return False

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if FlakyBackend.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FlakyBackend.accepted.extend(email_messages)
        return len(email_messages)


class SlowBackend(BaseEmailBackend):
    """A healthy but slow mail server, so that two sweeps overlap."""

    accepted: list[EmailMessage] = []
    lock = threading.Lock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.02)
        with SlowBackend.lock:
            SlowBackend.accepted.extend(email_messages)
        return len(email_messages)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        self.current += delta


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(START)
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def flaky(settings: Any) -> Iterator[type[FlakyBackend]]:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.down = True
    FlakyBackend.accepted = []
    yield FlakyBackend
    FlakyBackend.accepted = []


def enqueue(number: int = 1, **overrides: Any) -> OutboxMessage:
    fields: dict[str, Any] = {
        "to": f"pemohon{number}@contoh.id",
        "subject": f"Permohonan {number} diterima",
        "body_text": f"Permohonan informasi nomor {number} telah kami terima.",
        "kind": "information_request.registered",
    }
    return outbox_enqueue(**{**fields, **overrides})


def statuses() -> list[str]:
    return list(OutboxMessage.objects.values_list("status", flat=True))


@pytest.mark.django_db
def test_enqueue_rolled_back_with_the_callers_transaction_leaves_nothing(now: Clock) -> None:
    def failing_change() -> None:
        with transaction.atomic():
            enqueue()
            raise RuntimeError("the caller's change failed")

    with pytest.raises(RuntimeError, match="change failed"):
        failing_change()
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="outbox.").exists()


@pytest.mark.django_db
def test_enqueue_links_the_subject_object_and_audits(now: Clock, opd: Opd) -> None:
    message = enqueue(subject="  Permohonan\n diterima ", subject_object=opd)
    assert message.subject == "Permohonan diterima"
    assert message.subject_object == opd
    assert message.status == OutboxStatus.PENDING
    assert message.next_attempt_at == START
    assert AuditEvent.objects.for_object(message).get().action == "outbox.queued"


@pytest.mark.django_db
def test_a_dedupe_key_enqueues_once(now: Clock) -> None:
    first = enqueue(1, dedupe_key="permohonan-7/diterima")
    again = enqueue(2, dedupe_key="permohonan-7/diterima")
    assert again.pk == first.pk
    enqueue(3, dedupe_key="permohonan-8/diterima")
    enqueue(4)
    enqueue(5)
    assert OutboxMessage.objects.count() == 4
    assert AuditEvent.objects.filter(action="outbox.queued").count() == 4


@pytest.mark.django_db
def test_losing_a_dedupe_race_returns_the_winner_and_keeps_the_callers_transaction(
    now: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = enqueue(1, dedupe_key="sama")
    # The loser checked before the winner committed: its look-up finds nothing.
    monkeypatch.setattr(
        OutboxMessage.objects, "filter", lambda **kwargs: OutboxMessage.objects.none()
    )
    with transaction.atomic():
        loser = enqueue(2, dedupe_key="sama")
        assert OutboxMessage.objects.count() == 1  # the transaction is still usable
    assert loser.pk == winner.pk


def test_backoff_grows_then_stays_at_its_cap() -> None:
    assert [retry_delay(n) for n in range(1, 8)] == [
        dt.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 180, 180, 180)
    ]


@pytest.mark.django_db
def test_notifications_queued_while_mail_fails_are_all_delivered_once_it_recovers_none_twice(
    now: Clock, flaky: type[FlakyBackend]
) -> None:
    queued = [enqueue(number) for number in range(20)]

    assert outbox_send_due() == SendReport(failed=20)
    assert flaky.accepted == []
    for message in OutboxMessage.objects.all():
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.next_attempt_at == START + dt.timedelta(minutes=BACKOFF_MINUTES[0])
        assert "Connection refused" in message.last_error
    assert AuditEvent.objects.filter(action="outbox.failed").count() == 20

    # The server is back, but nothing is due before its next attempt.
    flaky.down = False
    assert outbox_send_due() == SendReport()
    assert flaky.accepted == []

    now.advance(dt.timedelta(minutes=1))
    assert outbox_send_due(limit=15) == SendReport(sent=15)
    assert outbox_send_due(limit=15) == SendReport(sent=5)
    # Two more sweeps back to back find nothing left to do.
    assert outbox_send_due() == SendReport()
    assert outbox_send_due() == SendReport()

    recipients = [email.to[0] for email in flaky.accepted]
    assert sorted(recipients) == sorted(message.to for message in queued)
    assert len({email.extra_headers["Message-ID"] for email in flaky.accepted}) == 20
    assert set(statuses()) == {OutboxStatus.SENT}
    assert set(OutboxMessage.objects.values_list("sent_at", flat=True)) == {
        START + dt.timedelta(minutes=1)
    }
    assert AuditEvent.objects.filter(action="outbox.sent").count() == 20


@pytest.mark.django_db
def test_a_sweep_that_picked_a_message_another_sweep_sent_skips_it(
    now: Clock, flaky: type[FlakyBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky.down = False
    ids = [enqueue(number).pk for number in range(3)]
    assert outbox_send_due() == SendReport(sent=3)
    # A second sweep that read the same due list before the first one committed.
    monkeypatch.setattr(outbox, "_due_ids", lambda **kwargs: ids)
    assert outbox_send_due() == SendReport()
    assert len(flaky.accepted) == 3


@pytest.mark.skipif(
    not connection.features.has_select_for_update_skip_locked,
    reason="concurrent sweeps need row locks (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_once_deliver_each_message_once(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.accepted = []
    for number in range(30):
        enqueue(number)
    reports: list[SendReport] = []

    def sweep() -> None:
        try:
            reports.append(outbox_send_due())
        finally:
            connection.close()

    sweeps = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join()
    assert sum(report.sent for report in reports) == 30
    assert all(report.sent > 0 for report in reports)  # both did part of the work
    assert len({email.extra_headers["Message-ID"] for email in SlowBackend.accepted}) == 30
    assert len(SlowBackend.accepted) == 30
    assert set(statuses()) == {OutboxStatus.SENT}


@pytest.mark.django_db
def test_the_sweep_delivers_oldest_first_and_leaves_the_rest_for_later(
    now: Clock, flaky: type[FlakyBackend]
) -> None:
    flaky.down = False
    later = enqueue(1)
    now.advance(dt.timedelta(minutes=-5))
    earlier = enqueue(2)
    now.advance(dt.timedelta(minutes=5))
    assert outbox_send_due(limit=1) == SendReport(sent=1)
    assert [email.to[0] for email in flaky.accepted] == [earlier.to]
    later.refresh_from_db()
    assert later.status == OutboxStatus.PENDING


@pytest.mark.django_db
def test_after_max_attempts_a_message_is_dead_until_an_operator_sends_it_again(
    now: Clock, flaky: type[FlakyBackend], client: Client, opd: Opd
) -> None:
    message = enqueue()
    for attempt in range(1, MAX_ATTEMPTS):
        assert outbox_send_due() == SendReport(failed=1)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.next_attempt_at == now() + retry_delay(attempt)
        now.advance(retry_delay(attempt))
    assert outbox_send_due() == SendReport(dead=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert message.attempts == MAX_ATTEMPTS
    assert AuditEvent.objects.filter(action="outbox.dead").count() == 1

    flaky.down = False
    now.advance(dt.timedelta(days=1))
    assert outbox_send_due() == SendReport()  # dead stays dead

    operator = staff_member(opd, Role.OPERATOR)
    client.force_login(operator)
    page = client.get(reverse("staff:outbox")).content.decode()
    assert "Connection refused" in page
    assert "Kirim ulang" in page
    assert message.to in page
    response = client.post(reverse("staff:outbox_retry", args=[message.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:outbox")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    retried = AuditEvent.objects.get(action="outbox.retried")
    assert retried.actor == operator

    assert outbox_send_due() == SendReport(sent=1)
    assert len(flaky.accepted) == 1

    with pytest.raises(NotRetryable):
        outbox_retry(message=message, actor=operator)
    client.post(reverse("staff:outbox_retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


@pytest.mark.django_db
def test_the_outbox_page_is_for_operators_only(
    now: Clock, flaky: type[FlakyBackend], client: Client, opd: Opd
) -> None:
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.DEAD, attempts=MAX_ATTEMPTS
    )
    client.force_login(staff_member(opd, Role.KEPALA))
    assert client.get(reverse("staff:outbox")).status_code == 404
    assert client.post(reverse("staff:outbox_retry", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD

    client.force_login(staff_member(opd, Role.OPERATOR))
    assert client.get(reverse("staff:outbox")).status_code == 200
    assert client.get(reverse("staff:outbox_retry", args=[message.pk])).status_code == 405


@pytest.mark.django_db
def test_html_alternative_language_and_stable_message_id(now: Clock) -> None:
    message = enqueue(body_html="<p>Diterima</p>", language="en")
    assert outbox_send_due() == SendReport(sent=1)
    [email] = mail.outbox
    assert isinstance(email, EmailMultiAlternatives)
    assert email.alternatives == [("<p>Diterima</p>", "text/html")]
    assert email.extra_headers["Content-Language"] == "en"
    assert email.extra_headers["Message-ID"] == outbox._message_id(message)
    assert email.to == [message.to]


@pytest.mark.django_db
def test_send_outbox_command_drains_the_backlog_in_rounds(
    now: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(5):
        enqueue(number)
    call_command("send_outbox", "--once", "--limit", "2")
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 2
    call_command("send_outbox", "--limit", "2")
    assert set(statuses()) == {OutboxStatus.SENT}
    assert "terkirim: 3" in capsys.readouterr().out
    assert len(mail.outbox) == 5
