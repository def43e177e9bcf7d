"""Objections to the Atasan PPID and disputes before the Komisi Informasi
(UU 14/2008 art. 35–38).

Filing an objection keeps its receipt (tanda bukti pengajuan keberatan) with the request, and
answering it keeps the Atasan PPID's written answer: both are letters of kind "notice", which
the requester downloads from the tracking page (:mod:`.notices`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.information_requests import actions, deadlines, services
from terbuka.information_requests.deadlines import ObjectionGround
from terbuka.information_requests.models import (
    Decision,
    Dispute,
    InformationRequest,
    Objection,
    ObjectionStatus,
    RequesterReaction,
)
from terbuka.information_requests.notices import objection_answer_pdf, objection_receipt_pdf
from terbuka.information_requests.numbering import next_sequence
from terbuka.organizations.models import Position, PositionHolding, Role, User
from terbuka.workcalendar.rules import WorkCalendar, receipt_date
from terbuka.workcalendar.selectors import calendar_for

OBJECTION_BODY = "keberatan"
GROUND_NOT_ARISEN = _("Alasan keberatan ini belum ada pada permohonan Anda.")
WINDOW_CLOSED = _(
    "Batas pengajuan keberatan untuk alasan ini sudah lewat pada %(date)s "
    "(30 hari kerja, UU 14/2008 pasal 36)."
)
ALREADY_FILED = _("Keberatan dengan alasan ini sudah diajukan.")
CASE_POSITION_REQUIRED = _("Uraikan kasus posisi keberatan Anda.")
NOT_ANSWERED_YET = _("Keberatan belum dijawab.")
ALREADY_ANSWERED = _("Keberatan ini sudah dijawab.")
DISPUTE_LATE = _(
    "Batas pengajuan sengketa ke Komisi Informasi lewat pada %(date)s "
    "(14 hari kerja, UU 14/2008 pasal 37)."
)
DISPUTE_EXISTS = _("Sengketa atas keberatan ini sudah dicatat.")


def attach_letter(request: InformationRequest, name: str, content: bytes) -> None:
    """Keep a generated letter with the request (the requester downloads it)."""
    services._attach_letter(request, name, content)


def letter_name(request: InformationRequest, kind: str) -> str:
    """``<kind>-<registration number>.pdf``."""
    return services._letter_name(request, kind)


def _calendar(request: InformationRequest) -> WorkCalendar:
    return calendar_for(request.pemda, request.handling_opd)


def ground_arises_on(request: InformationRequest, ground: str, today: dt.date) -> dt.date | None:
    """When ``ground`` arose for this request, or None if it has not (yet)."""
    refused = request.decision in (Decision.REFUSED, Decision.PARTIAL)
    decided = request.noticed_on
    deadline = request.extended_due_on or request.notice_due_on
    match ObjectionGround(ground):
        case ObjectionGround.REFUSAL:
            return decided if refused else None
        case ObjectionGround.PERIODIC_NOT_PROVIDED:
            return request.received_on
        case ObjectionGround.NOT_ANSWERED:
            if decided is None and today > deadline:
                return deadlines.ground_date(
                    ObjectionGround.NOT_ANSWERED,
                    notice_due=request.notice_due_on,
                    extended_due=request.extended_due_on,
                )
            return None
        case (
            ObjectionGround.NOT_AS_REQUESTED
            | ObjectionGround.NOT_FULFILLED
            | ObjectionGround.UNREASONABLE_FEE
        ):
            return decided
        case ObjectionGround.LATE_DELIVERY:
            delivered = request.delivered_at
            if delivered is None or decided is None:
                return None
            return delivered.astimezone(_calendar(request).tz).date()
    return None  # pragma: no cover


def open_grounds(request: InformationRequest, today: dt.date) -> list[dict[str, Any]]:
    """The grounds on which the requester may object today, with their windows."""
    cal = _calendar(request)
    filed = set(request.objections.values_list("ground", flat=True))
    result = []
    for ground in ObjectionGround:
        arose = ground_arises_on(request, ground.value, today)
        if arose is None or ground.value in filed:
            continue
        window = deadlines.objection_window(cal, ground, arose)
        if today in window:
            result.append(
                {
                    "ground": ground.value,
                    "label": deadlines.OBJECTION_GROUND_LABELS[ground],
                    "closes_on": window.closes_on,
                }
            )
    return result


def atasan_ppid(request: InformationRequest, on: dt.date) -> tuple[str, str]:
    """Name and title of the Atasan PPID who answers (the holder of the atasan_ppid position,
    by default the Sekda)."""
    position = (
        Position.objects.filter(role=Role.ATASAN_PPID, opd__pemda_id=request.pemda_id)
        .order_by("id")
        .first()
    )
    if position is None:
        return "", str(_("Atasan PPID"))
    holding = (
        PositionHolding.objects.filter(position=position, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("user")
        .first()
    )
    return (holding.user.display_name if holding else ""), position.title


def objection_file(
    *,
    request: InformationRequest,
    ground: str,
    case_position: str,
    proxy_name: str = "",
    actor: User | None = None,
) -> Objection:
    """Register an objection with its number; the Atasan PPID's 30 working days start."""
    if not case_position.strip():
        raise DomainError(CASE_POSITION_REQUIRED)
    with transaction.atomic():
        locked = (
            InformationRequest.objects.select_for_update()
            .select_related("pemda", "handling_opd")
            .get(pk=request.pk)
        )
        cal = _calendar(locked)
        now = clock.now()
        today = now.astimezone(cal.tz).date()
        if locked.objections.filter(ground=ground).exists():
            raise DomainError(ALREADY_FILED)
        arose = ground_arises_on(locked, ground, today)
        if arose is None:
            raise DomainError(GROUND_NOT_ARISEN)
        window = deadlines.objection_window(cal, ObjectionGround(ground), arose)
        if today > window.closes_on:
            raise DomainError(WINDOW_CLOSED, date=window.closes_on.strftime("%d-%m-%Y"))
        filed_on = receipt_date(cal, now)
        sequence = next_sequence(pemda=locked.pemda, body_code=OBJECTION_BODY, year=filed_on.year)
        name, title = atasan_ppid(locked, filed_on)
        objection = Objection.objects.create(
            request=locked,
            year=filed_on.year,
            sequence=sequence,
            number=f"{sequence:04d}/KEBERATAN/{filed_on.year}",
            ground=ground,
            case_position=case_position.strip(),
            filed_at=now,
            filed_on=filed_on,
            window_closed_on=window.closes_on,
            answer_due_on=deadlines.objection_answer_due(cal, filed_on),
            proxy_name=proxy_name.strip(),
            atasan_name=name,
            atasan_title=title,
        )
        audit.record(
            action=actions.OBJECTION_FILED,
            actor=actor,
            actor_label="" if actor else "pemohon",
            obj=locked,
            opd_id=locked.handling_opd_id,
            data={
                "nomor": objection.number,
                "alasan": ground,
                "batas_jawaban": objection.answer_due_on,
            },
        )
        attach_letter(
            locked,
            letter_name(locked, f"tanda-bukti-keberatan-{ground}"),
            objection_receipt_pdf(objection),
        )
    return objection


def objection_answer(*, objection: Objection, actor: User, decision: str, text: str) -> Objection:
    """The Atasan PPID's written answer (art. 36(2))."""
    if not text.strip():
        raise DomainError(_("Tuliskan isi jawaban keberatan."))
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update()
            .select_related("request__pemda", "request__handling_opd")
            .get(pk=objection.pk)
        )
        if locked.status != ObjectionStatus.FILED:
            raise DomainError(ALREADY_ANSWERED)
        cal = _calendar(locked.request)
        locked.status = ObjectionStatus.ANSWERED
        locked.decision, locked.decision_text = decision, text.strip()
        locked.answered_on = clock.today_in(cal.tz)
        locked.answered_by = actor
        locked.decision_number = f"{locked.number}/JAWABAN"
        locked.save(
            update_fields=[
                "status",
                "decision",
                "decision_text",
                "answered_on",
                "answered_by",
                "decision_number",
            ]
        )
        audit.record(
            action=actions.OBJECTION_ANSWERED,
            actor=actor,
            obj=locked.request,
            opd_id=locked.request.handling_opd_id,
            data={"nomor": locked.number, "tanggapan": decision},
        )
        attach_letter(
            locked.request,
            letter_name(locked.request, f"jawaban-keberatan-{locked.ground}"),
            objection_answer_pdf(locked),
        )
    return locked


def objection_react(*, objection: Objection, reaction: str) -> Objection:
    """The requester accepts the answer, or says they take it to the Komisi Informasi."""
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update()
            .select_related("request__pemda")
            .get(pk=objection.pk)
        )
        if locked.status == ObjectionStatus.FILED and reaction == RequesterReaction.ACCEPTS:
            raise DomainError(NOT_ANSWERED_YET)
        locked.reaction = reaction
        locked.reacted_on = clock.today_in(_calendar(locked.request).tz)
        if locked.status == ObjectionStatus.ANSWERED:
            locked.status = ObjectionStatus.RESPONDED
        locked.save(update_fields=["reaction", "reacted_on", "status"])
        audit.record(
            action=actions.OBJECTION_REACTED,
            actor_label="pemohon",
            obj=locked.request,
            opd_id=locked.request.handling_opd_id,
            data={"nomor": locked.number, "tanggapan": reaction},
        )
    return locked


def dispute_record(
    *, objection: Objection, filed_on: dt.date, actor: User | None = None, **dates: Any
) -> Dispute:
    """Record that the requester took the dispute to the Komisi Informasi (within 14 working
    days after the answer, or after the 30 days lapsed unanswered: art. 37(2))."""
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update()
            .select_related("request__pemda")
            .get(pk=objection.pk)
        )
        if Dispute.objects.filter(objection=locked).exists():
            raise DomainError(DISPUTE_EXISTS)
        cal = _calendar(locked.request)
        last_day = deadlines.dispute_window(
            cal, answered_on=locked.answered_on, answer_due=locked.answer_due_on
        )
        if filed_on > last_day:
            raise DomainError(DISPUTE_LATE, date=last_day.strftime("%d-%m-%Y"))
        dispute = Dispute.objects.create(
            objection=locked, filed_on=filed_on, recorded_at=clock.now(), **dates
        )
        audit.record(
            action=actions.DISPUTE_RECORDED,
            actor=actor,
            actor_label="" if actor else "pemohon",
            obj=locked.request,
            opd_id=locked.request.handling_opd_id,
            data={"keberatan": locked.number, "diajukan": filed_on},
        )
    return dispute


def dispute_update(*, dispute: Dispute, actor: User, **fields: Any) -> Dispute:
    """Staff record the commission's dates, outcome and compliance."""
    allowed = {
        "commission_number",
        "registered_on",
        "mediation_on",
        "adjudication_on",
        "outcome",
        "decided_on",
        "complied_on",
        "compliance_note",
    }
    changes = {k: v for k, v in fields.items() if k in allowed}
    with transaction.atomic():
        for name, value in changes.items():
            setattr(dispute, name, value)
        dispute.save(update_fields=list(changes))
        audit.record(
            action=actions.DISPUTE_RECORDED,
            actor=actor,
            obj=dispute.objection.request,
            data=changes,
        )
    return dispute
