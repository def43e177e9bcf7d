"""The deadline sweep: reminders before a notice deadline, escalation once it has passed.

Idempotent: every message carries a dedupe key (request, kind, threshold), so running the
sweep twice queues nothing the second time. Run it from cron or the task queue
(``manage.py ppid_sweep``), e.g. every hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from terbuka.core import audit, clock
from terbuka.core.models import OutboxMessage
from terbuka.core.outbox import outbox_enqueue
from terbuka.information_requests import actions, deadlines
from terbuka.information_requests.models import (
    AttachmentKind,
    InformationRequest,
    PpidSettings,
    Status,
)
from terbuka.information_requests.notify import tracking_url
from terbuka.organizations.models import PositionHolding, Role, User
from terbuka.workcalendar.rules import WorkCalendar
from terbuka.workcalendar.selectors import calendar_for

DEFAULT_REMINDER_DAYS = (3, 1)
# Files that carry the requester's identity: their documents and the letters addressed to them
# (which can be generated again from the anonymised record).
IDENTITY_KINDS = (
    AttachmentKind.IDENTITY,
    AttachmentKind.DEED,
    AttachmentKind.POWER_OF_ATTORNEY,
    AttachmentKind.LETTER,
    AttachmentKind.NOTICE,
)
HANDLER_ROLES = (Role.PPID_PELAKSANA, Role.PETUGAS_PPID)
ESCALATION_ROLES = (Role.PPID_UTAMA, Role.ATASAN_PPID)
KEY_CHUNK = 500  # request ids per query when reading the keys already queued


@dataclass(frozen=True)
class SweepReport:
    reminders: int
    escalations: int


class _Run:
    """What one sweep looks up once and reuses: calendars per (Pemda, OPD), position
    holders per (roles, place, day) and the dedupe keys already in the outbox."""

    def __init__(self) -> None:
        self.calendars: dict[tuple[int, int], WorkCalendar] = {}
        self.holders: dict[tuple[object, ...], list[User]] = {}
        self.sent: set[str] = set()

    def calendar(self, request: InformationRequest) -> WorkCalendar:
        key = (request.pemda_id, request.handling_opd_id)
        if key not in self.calendars:
            self.calendars[key] = calendar_for(request.pemda, request.handling_opd)
        return self.calendars[key]

    def holders_of(self, on: dt.date, roles: tuple[str, ...], **position: object) -> list[User]:
        key = (on, roles, *sorted(position.items()))
        if key not in self.holders:
            self.holders[key] = _holders(on, roles, **position)
        return self.holders[key]

    def load_sent(self, requests: list[InformationRequest]) -> None:
        """The dedupe keys already queued for these requests, in one query per chunk."""
        content_type = ContentType.objects.get_for_model(InformationRequest)
        ids = [str(request.pk) for request in requests]
        for chunk in range(0, len(ids), KEY_CHUNK):
            keys = OutboxMessage.objects.filter(
                content_type=content_type,
                object_id__in=ids[chunk : chunk + KEY_CHUNK],
                dedupe_key__isnull=False,
            ).values_list("dedupe_key", flat=True)
            self.sent.update(key for key in keys if key)


def _holders(on: dt.date, roles: tuple[str, ...], **position: object) -> list[User]:
    holdings = PositionHolding.objects.filter(
        Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on)),
        position__role__in=roles,
        **{f"position__{k}": v for k, v in position.items()},
    ).select_related("user")
    return sorted(
        {h.user for h in holdings if h.user.email and h.user.is_active}, key=lambda user: user.pk
    )


def _queue(
    run: _Run,
    users: list[User],
    request: InformationRequest,
    key: str,
    message: Callable[[], tuple[str, str]],
) -> int:
    """Queue the message to each user who has not had it yet; nothing is opened (no
    transaction, no translation) when all of them have."""
    due = [
        (user, f"information_request:{request.pk}:{key}:{user.pk}")
        for user in users
        if f"information_request:{request.pk}:{key}:{user.pk}" not in run.sent
    ]
    if not due:
        return 0
    with transaction.atomic(), translation.override("id"):
        subject, body = message()
        for user, dedupe_key in due:
            outbox_enqueue(
                to=user.email,
                subject=subject,
                body_text=body,
                language=user.language,
                kind=f"information_request.{key}",
                subject_object=request,
                dedupe_key=dedupe_key,
            )
            run.sent.add(dedupe_key)
    return len(due)


def deadline_sweep(*, at: dt.datetime | None = None) -> SweepReport:
    """Queue a reminder to the handling OPD's PPID staff when a request's deadline is within
    a threshold (working days), and an escalation to the PPID Utama and the Atasan PPID once
    it has passed. Each (request, kind, threshold, person) is queued at most once.

    Calendars, holders and the keys already queued are read once per run, so a run costs a
    few queries plus those of the messages it actually queues."""
    moment = at or clock.now()
    reminders = escalations = 0
    run = _Run()
    open_requests = list(
        InformationRequest.objects.filter(status__in=(Status.RECEIVED, Status.EXTENDED))
        .select_related("pemda", "handling_opd")
        .order_by("pk")
    )
    run.load_sent(open_requests)
    thresholds = {
        settings.pemda_id: tuple(settings.reminder_days) or DEFAULT_REMINDER_DAYS
        for settings in PpidSettings.objects.all()
    }
    for request in open_requests:
        cal = run.calendar(request)
        today = moment.astimezone(cal.tz).date()
        due = request.extended_due_on or request.notice_due_on
        left = deadlines.days_left(cal, today, due)
        if left < 0:
            escalations += _queue(
                run,
                run.holders_of(today, ESCALATION_ROLES, opd__pemda_id=request.pemda_id),
                request,
                "escalation",
                partial(_escalation_text, request, due),
            )
            continue
        for threshold in sorted(thresholds.get(request.pemda_id, DEFAULT_REMINDER_DAYS)):
            if left <= threshold:
                reminders += _queue(
                    run,
                    run.holders_of(today, HANDLER_ROLES, opd=request.handling_opd_id),
                    request,
                    f"reminder-{threshold}",
                    partial(_reminder_text, request, due, left),
                )
                break
    return SweepReport(reminders=reminders, escalations=escalations)


def _escalation_text(request: InformationRequest, due: dt.date) -> tuple[str, str]:
    return (
        _("Permohonan %(number)s melewati batas waktu") % {"number": request.number},
        _(
            "Permohonan %(number)s di %(opd)s belum diberi pemberitahuan tertulis; "
            "batasnya %(due)s. %(url)s"
        )
        % {
            "number": request.number,
            "opd": request.handling_opd,
            "due": due.strftime("%d-%m-%Y"),
            "url": tracking_url(request),
        },
    )


def _reminder_text(request: InformationRequest, due: dt.date, left: int) -> tuple[str, str]:
    return (
        _("Pengingat: batas permohonan %(number)s") % {"number": request.number},
        _(
            "Permohonan %(number)s harus diberi pemberitahuan tertulis paling "
            "lambat %(due)s (sisa %(left)s hari kerja)."
        )
        % {"number": request.number, "due": due.strftime("%d-%m-%Y"), "left": left},
    )


def retention_sweep(*, at: dt.datetime | None = None) -> int:
    """Anonymise requests whose retention period (PpidSettings.retention_years after they were
    closed) has ended: identity and contact fields are emptied and identity files deleted
    (UU 27/2022: retention ends per the archive schedule). Returns how many were anonymised;
    running it again anonymises nothing more."""
    moment = at or clock.now()
    done = 0
    for settings in PpidSettings.objects.select_related("pemda"):
        years = settings.retention_years
        cutoff = moment.replace(year=moment.year - years) if years else moment
        expired = InformationRequest.objects.filter(
            pemda=settings.pemda, closed_at__lt=cutoff, personal_data_erased_at__isnull=True
        )
        for request in expired.iterator():
            with transaction.atomic():
                for attachment in request.attachments.filter(kind__in=IDENTITY_KINDS):
                    attachment.file.delete(save=False)
                    attachment.delete()
                request.name = _("Pemohon %(number)s") % {"number": request.number}
                request.nik = request.address = request.phone = request.email = ""
                request.entity_approval_number = request.entity_deed = ""
                request.principal_name = ""
                request.personal_data_erased_at = moment
                request.save(
                    update_fields=[
                        "name",
                        "nik",
                        "address",
                        "phone",
                        "email",
                        "entity_approval_number",
                        "entity_deed",
                        "principal_name",
                        "personal_data_erased_at",
                    ]
                )
                audit.record(
                    action=actions.PERSONAL_DATA_ERASED, obj=request, opd_id=request.handling_opd_id
                )
            done += 1
    return done
