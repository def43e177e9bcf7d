"""The transactional e-mail outbox: no notification lost while mail is down, none sent twice.

A service that must notify someone calls :func:`outbox_enqueue` inside its own transaction,
so the message exists exactly when the change that caused it is committed: a rolled-back
change leaves no e-mail behind, and a committed one cannot lose its e-mail. Nothing talks to
the mail server during the request.

:func:`outbox_send_due` is the sweep. The ``send_outbox`` management command runs it from a
cron job or systemd timer every minute; the task queue can call the same function. Each due
message is handled in its own transaction: the row is locked (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL; on SQLite every transaction begins with ``BEGIN IMMEDIATE``, which
serialises writers), its status is checked again, the e-mail is handed to Django's mail
backend, and the outcome is written before the lock is released. Two sweeps running at once
therefore never both hand the same message to the mail server, and running the sweep a
second time changes nothing.

Delivery is *at least once*, not exactly once. The mail server's acceptance and the database
commit are two systems: if the process dies (or the commit fails) after the server accepted
a message and before its row is marked sent, the message is still pending and the next sweep
sends it again — at most one duplicate per such crash. Each message carries a stable
``Message-ID`` derived from its row, so mail software that collapses duplicates by
Message-ID shows it once. Closing that window would need a two-phase commit with the mail
server; one rare duplicate is better than a lost statutory notice.

A failed attempt is retried after 1, 5, 15 and 60 minutes, then every 180 minutes; after
:data:`MAX_ATTEMPTS` failures (about ten and a half hours) the message is dead. It stays in
the outbox with its last error for an operator, who can send it again (:func:`outbox_retry`)
from the staff outbox page.

The row stays locked while the mail server is talked to. The connection therefore gets a
timeout (``EMAIL_TIMEOUT``, else :data:`SEND_TIMEOUT_SECONDS`), so a hung server cannot hold
a row — or, on SQLite, the database's write lock — for long.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import InvalidTransition
from terbuka.core.models import OutboxMessage, OutboxStatus
from terbuka.core.outbox_actions import (
    OUTBOX_DEAD,
    OUTBOX_FAILED,
    OUTBOX_QUEUED,
    OUTBOX_RETRIED,
    OUTBOX_SENT,
)

MAX_ATTEMPTS = 8
# Minutes to wait after the first, second, … failure; the last value repeats.
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
SEND_TIMEOUT_SECONDS = 10
ERROR_LIMIT = 1000
SUBJECT_LIMIT = 300


class NotRetryable(InvalidTransition):
    default_message = _("Hanya surel yang gagal terkirim yang dapat dikirim ulang.")


@dataclass(frozen=True)
class SendReport:
    """What one sweep did: delivered, failed and rescheduled, failed for the last time."""

    sent: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(
            sent=self.sent + other.sent,
            failed=self.failed + other.failed,
            dead=self.dead + other.dead,
        )


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt (1-based)."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return dt.timedelta(minutes=BACKOFF_MINUTES[index])


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "id",
    kind: str,
    subject_object: Model | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Queue one e-mail in the caller's transaction; the sweep delivers it after commit.

    With a ``dedupe_key``, a key that is already queued (or sent) returns the existing
    message and queues nothing; the database's unique constraint settles a race.
    """
    if subject_object is not None and subject_object.pk is None:
        raise ValueError("subject_object must be saved before a message can refer to it")
    now = clock.now()
    message = OutboxMessage(
        kind=kind,
        to=to.strip(),
        subject=" ".join(subject.split())[:SUBJECT_LIMIT],
        body_text=body_text,
        body_html=body_html,
        language=language,
        next_attempt_at=now,
        created_at=now,
        dedupe_key=dedupe_key,
    )
    if subject_object is not None:
        message.content_type = ContentType.objects.get_for_model(subject_object)
        message.object_id = str(subject_object.pk)
    message.full_clean(validate_unique=False, validate_constraints=False)
    if dedupe_key is not None:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        # A savepoint: losing the dedupe race must not break the caller's transaction.
        with transaction.atomic():
            message.save()
            audit.record(
                action=OUTBOX_QUEUED,
                obj=message,
                data={"kind": kind, "language": language, "dedupe_key": dedupe_key},
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    return message


def outbox_send_due(*, limit: int = 100, connection: BaseEmailBackend | None = None) -> SendReport:
    """Try to deliver at most ``limit`` due messages, oldest due first; safe to run twice.

    ``connection`` is a mail backend to reuse (the caller opens and closes it); by default
    one connection from :func:`django.core.mail.get_connection` serves the whole sweep.
    """
    backend = connection if connection is not None else get_connection(timeout=_timeout())
    report = SendReport()
    try:
        for pk in _due_ids(limit=limit, now=clock.now()):
            outcome = _deliver(pk=pk, connection=backend)
            if outcome == OutboxStatus.SENT:
                report += SendReport(sent=1)
            elif outcome == OutboxStatus.DEAD:
                report += SendReport(dead=1)
            elif outcome == OutboxStatus.PENDING:
                report += SendReport(failed=1)
    finally:
        if connection is None:
            _close_quietly(backend)
    return report


def outbox_retry(*, message: OutboxMessage, actor: Any) -> OutboxMessage:
    """An operator sends a dead message again: it is due now with a fresh set of attempts."""
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != OutboxStatus.DEAD:
            raise NotRetryable
        attempts_before = locked.attempts
        locked.status = OutboxStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = clock.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            action=OUTBOX_RETRIED,
            actor=actor,
            obj=locked,
            data={"attempts_before": attempts_before},
        )
    return locked


def _timeout() -> float:
    configured: float | None = settings.EMAIL_TIMEOUT
    return configured if configured else SEND_TIMEOUT_SECONDS


def _due_ids(*, limit: int, now: dt.datetime) -> list[int]:
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _lock_if_still_due(*, pk: int) -> OutboxMessage | None:
    """The message, locked, if it is still pending and due; None if another sweep has it."""
    queryset = OutboxMessage.objects.filter(
        pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=clock.now()
    )
    if connections[router.db_for_write(OutboxMessage)].features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return queryset.first()


def _deliver(*, pk: int, connection: BaseEmailBackend) -> str | None:
    """One message in one transaction; returns its new status, or None when skipped."""
    with transaction.atomic():
        message = _lock_if_still_due(pk=pk)
        if message is None:
            return None
        try:
            _send(message, connection)
        except Exception as exc:  # any failure of the backend is a failed attempt
            _close_quietly(connection)
            return _record_failure(message, error=f"{type(exc).__name__}: {exc}")
        message.status = OutboxStatus.SENT
        message.sent_at = clock.now()
        message.save(update_fields=["status", "sent_at"])
        audit.record(action=OUTBOX_SENT, obj=message, data={"failed_attempts": message.attempts})
        return message.status


def _send(message: OutboxMessage, connection: BaseEmailBackend) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to],
        connection=connection,
        headers={"Message-ID": _message_id(message), "Content-Language": message.language},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    # Opened here, the connection stays open for the next message of the sweep.
    connection.open()
    if email.send() != 1:
        raise RuntimeError("the mail backend did not accept the message")


def _record_failure(message: OutboxMessage, *, error: str) -> str:
    message.attempts += 1
    message.last_error = error[:ERROR_LIMIT]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.DEAD
        message.save(update_fields=["status", "attempts", "last_error"])
        audit.record(
            action=OUTBOX_DEAD,
            obj=message,
            data={"attempts": message.attempts, "error": message.last_error},
        )
    else:
        message.next_attempt_at = clock.now() + retry_delay(message.attempts)
        message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        audit.record(
            action=OUTBOX_FAILED,
            obj=message,
            data={
                "attempts": message.attempts,
                "error": message.last_error,
                "next_attempt_at": message.next_attempt_at,
            },
        )
    return message.status


def _message_id(message: OutboxMessage) -> str:
    """Stable across resends, so a duplicate after a crash can be recognised as one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "terbuka.invalid"
    return f"<outbox.{message.pk}.{int(message.created_at.timestamp())}@{domain}>"


def _close_quietly(connection: BaseEmailBackend) -> None:
    # A broken connection is opened afresh by the next send.
    with contextlib.suppress(Exception):
        connection.close()
