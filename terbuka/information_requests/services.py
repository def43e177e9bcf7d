"""Writes for information requests. Every status change goes through
:func:`terbuka.information_requests.lifecycle.request_transition`."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.core.services import model_update
from terbuka.information_requests import actions, deadlines
from terbuka.information_requests.lifecycle import request_transition
from terbuka.information_requests.models import (
    UTAMA,
    AttachmentKind,
    Decision,
    Extension,
    InformationRequest,
    PpidSettings,
    RequestAttachment,
    Status,
)
from terbuka.information_requests.notices import (
    extension_notice_pdf,
    notice_pdf,
    refusal_decision_pdf,
)
from terbuka.information_requests.notify import notify_requester
from terbuka.information_requests.numbering import format_number, next_sequence
from terbuka.organizations.models import Opd, Pemda, Position, Role, User
from terbuka.procedures import services as procedures
from terbuka.procedures.models import CaseStatus, Sop, StepRunFile
from terbuka.public_information.exemptions import tests_citable
from terbuka.workcalendar.rules import WorkCalendar
from terbuka.workcalendar.selectors import calendar_for

NO_PPID_UTAMA = _("Belum ada jabatan PPID Utama di pemerintah daerah ini.")
OPD_OTHER_PEMDA = _("Perangkat daerah itu bukan bagian dari pemerintah daerah ini.")
ALREADY_EXTENDED = _("Permohonan hanya dapat diperpanjang satu kali (UU 14/2008 pasal 22 ayat 8).")
EXTENSION_TOO_LONG = _("Perpanjangan paling lama 7 hari kerja (UU 14/2008 pasal 22 ayat 8).")
EXTENSION_LATE = _("Perpanjangan harus diberitahukan sebelum batas 10 hari kerja lewat.")
REASON_REQUIRED = _("Alasan wajib diisi.")
GROUNDS_REQUIRED = _("Sebutkan alasan pengecualian menurut pasal 17 UU 14/2008.")
TEST_NOT_CITABLE = _(
    "Uji konsekuensi yang dipilih tidak dapat dirujuk: belum disetujui, sudah berakhir, atau "
    "bukan milik badan publik ini."
)
TEST_GROUNDS_DIFFER = _(
    "Alasan %(grounds)s tidak termasuk dalam dasar uji konsekuensi yang dirujuk."
)
WITHHELD_REQUIRED = _("Sebutkan bagian informasi yang dikecualikan.")
OTHER_BODY_REQUIRED = _("Sebutkan badan publik yang menguasai informasi.")
SAME_OPD = _("Permohonan sudah ditangani perangkat daerah itu.")
STEP_FILE_OTHER_CASE = _("Berkas langkah yang dipilih bukan dari kasus SOP permohonan ini.")
REFUSAL_GROUNDS = tuple("abcdefghij")


@dataclass(frozen=True)
class Requester:
    kind: str
    name: str
    address: str
    occupation: str
    nik: str = ""
    entity_approval_number: str = ""
    entity_deed: str = ""
    principal_name: str = ""
    phone: str = ""
    email: str = ""
    language: str = "id"


@dataclass(frozen=True)
class Asked:
    information: str
    purpose: str
    obtain_methods: tuple[str, ...]
    delivery_method: str


def ppid_settings(pemda: Pemda) -> PpidSettings:
    found, _created = PpidSettings.objects.get_or_create(pemda=pemda)
    return found


def _utama_opd(pemda: Pemda) -> Opd:
    position = (
        Position.objects.filter(role=Role.PPID_UTAMA, opd__pemda=pemda)
        .select_related("opd")
        .order_by("id")
        .first()
    )
    if position is None:
        raise DomainError(NO_PPID_UTAMA)
    return position.opd


def _calendar(request: InformationRequest) -> WorkCalendar:
    return calendar_for(request.pemda, request.handling_opd)


def _start_case(request: InformationRequest, actor: User | None) -> None:
    """Open the office's handling of the request as a case of the agency's SOP."""
    code = ppid_settings(request.pemda).sop_code
    sop = Sop.objects.filter(pemda=request.pemda, code=code).first()
    if sop is None or sop.current_version is None:
        return  # no SOP configured: the request is handled without an internal case
    request.case = procedures.case_start(
        sop=sop,
        opd=request.handling_opd,
        actor=actor,
        title=f"{request.number} — {request.information[:200]}",
        data={"nomor_pendaftaran": request.number, "data_diminta": request.information},
        subject=request,
        check_required=False,
    )
    request.save(update_fields=["case"])


def request_register(
    *,
    pemda: Pemda,
    opd: Opd | None,
    requester: Requester,
    asked: Asked,
    channel: str,
    received_at: dt.datetime | None = None,
    actor: User | None = None,
    files: Sequence[tuple[str, UploadedFile]] = (),
    submission_key: str | None = None,
) -> InformationRequest:
    """Register a request: number it, start its statutory clock, keep its files privately,
    open the office's SOP case. ``received_at`` is when it really arrived (counter intake)."""
    if opd is not None and opd.pemda_id != pemda.pk:
        raise DomainError(OPD_OTHER_PEMDA)
    handling = opd or _utama_opd(pemda)
    body_code = opd.code if opd else UTAMA
    moment = received_at or clock.now()
    with transaction.atomic():
        cal = calendar_for(pemda, handling)
        clock_ = deadlines.request_clock(cal, moment)
        year = clock_.received_on.year
        sequence = next_sequence(pemda=pemda, body_code=body_code, year=year)
        number = format_number(
            ppid_settings(pemda).number_format,
            sequence=sequence,
            body=body_code,
            on=clock_.received_on,
        )
        request = InformationRequest.objects.create(
            pemda=pemda,
            opd=opd,
            handling_opd=handling,
            body_code=body_code,
            year=year,
            sequence=sequence,
            number=number,
            channel=channel,
            requester_kind=requester.kind,
            name=requester.name,
            nik=requester.nik,
            entity_approval_number=requester.entity_approval_number,
            entity_deed=requester.entity_deed,
            principal_name=requester.principal_name,
            address=requester.address,
            phone=requester.phone,
            email=requester.email,
            occupation=requester.occupation,
            language=requester.language,
            information=asked.information,
            purpose=asked.purpose,
            obtain_methods=list(asked.obtain_methods),
            delivery_method=asked.delivery_method,
            received_at=moment,
            received_on=clock_.received_on,
            notice_due_on=clock_.notice_due,
            strict_notice_due_on=clock_.strict_notice_due,
            tracking_token=secrets.token_urlsafe(32),
            submission_key=submission_key,
            registered_by=actor,
        )
        now = clock.now()
        for kind, upload in files:
            RequestAttachment.objects.create(
                request=request,
                kind=kind,
                file=upload,
                name=upload.name or kind,
                created_at=now,
            )
        audit.record(
            action=actions.REGISTERED,
            actor=actor,
            actor_label="" if actor else "pemohon",
            obj=request,
            opd_id=handling.pk,
            data={"nomor": number, "saluran": channel, "batas": clock_.notice_due},
        )
        _start_case(request, actor)
        notify_requester(request, "registered")
    return request


def _attach_letter(request: InformationRequest, name: str, content: bytes) -> None:
    """Keep a generated letter with the request; the requester downloads it from the tracking
    page."""
    RequestAttachment.objects.create(
        request=request,
        kind=AttachmentKind.NOTICE,
        file=ContentFile(content, name=name),
        name=name,
        created_at=clock.now(),
    )


def _letter_name(request: InformationRequest, kind: str) -> str:
    return f"{kind}-{request.number.replace('/', '-')}.pdf"


def _locked(request: InformationRequest) -> InformationRequest:
    return (
        InformationRequest.objects.select_for_update()
        .select_related("pemda", "handling_opd")
        .get(pk=request.pk)
    )


def request_forward(
    *, request: InformationRequest, to: Opd, actor: User, note: str = ""
) -> InformationRequest:
    """Send the request to the OPD that holds the information. The statutory clock keeps the
    original receipt; the new OPD's SOP case starts, the old one is cancelled."""
    with transaction.atomic():
        locked = _locked(request)
        if to.pk == locked.handling_opd_id:
            raise DomainError(SAME_OPD)
        if to.pemda_id != locked.pemda_id:
            raise DomainError(OPD_OTHER_PEMDA)
        if locked.status not in (Status.RECEIVED, Status.EXTENDED):
            raise DomainError(_("Permohonan yang sudah diberitahukan tidak dapat diteruskan."))
        previous = locked.handling_opd
        if locked.case is not None and locked.case.status == CaseStatus.OPEN:
            procedures.case_cancel(
                case=locked.case,
                actor=actor,
                reason=str(_("Permohonan diteruskan ke %(opd)s")) % {"opd": to},
            )
        locked.handling_opd = to
        locked.save(update_fields=["handling_opd"])
        audit.record(
            action=actions.FORWARDED,
            actor=actor,
            obj=locked,
            opd_id=to.pk,
            data={"dari": str(previous), "ke": str(to), "catatan": note},
        )
        _start_case(locked, actor)
    return locked


def request_extend(
    *, request: InformationRequest, actor: User, working_days: int, reason: str
) -> Extension:
    """The one extension of at most 7 working days, with written reasons (art. 22(8))."""
    if not reason.strip():
        raise DomainError(REASON_REQUIRED)
    if not 1 <= working_days <= deadlines.EXTENSION_MAX_WORKING_DAYS:
        raise DomainError(EXTENSION_TOO_LONG)
    with transaction.atomic():
        locked = _locked(request)
        if Extension.objects.filter(request=locked).exists():
            raise DomainError(ALREADY_EXTENDED)
        cal = _calendar(locked)
        if clock.today_in(cal.tz) > locked.notice_due_on:
            raise DomainError(EXTENSION_LATE)
        extended = deadlines.request_clock(cal, locked.received_at, working_days)
        assert extended.extended_due is not None
        extension = Extension.objects.create(
            request=locked,
            working_days=working_days,
            reason=reason.strip(),
            new_due_on=extended.extended_due,
            notice_number=f"{locked.number}/PERPANJANGAN",
            created_at=clock.now(),
            created_by=actor,
        )
        request_transition(
            request=locked,
            to=Status.EXTENDED,
            actor=actor,
            action=actions.EXTENDED,
            fields={"extended_due_on": extended.extended_due},
            data={
                "hari_kerja": working_days,
                "alasan": reason.strip(),
                "batas_baru": extended.extended_due,
            },
        )
        _attach_letter(
            locked, _letter_name(locked, "perpanjangan"), extension_notice_pdf(locked, extension)
        )
    return extension


def request_decide(
    *,
    request: InformationRequest,
    actor: User,
    decision: str,
    information_form: str = "",
    withheld_parts: str = "",
    refusal_grounds: Sequence[str] = (),
    consequence_test: str = "",
    other_body: str = "",
    cited_test: int | None = None,
) -> InformationRequest:
    """Issue the written notice: held or not, by whom, granted (fully/partly) or refused with
    the art. 17 grounds (UU 14/2008 art. 22(7), art. 17). A refusal or partial grant may cite
    an approved consequence test of the DIP still in force (art. 19); its grounds must cover
    the grounds given."""
    grounds = sorted({g for g in refusal_grounds if g in REFUSAL_GROUNDS})
    if decision in (Decision.REFUSED, Decision.PARTIAL) and not grounds:
        raise DomainError(GROUNDS_REQUIRED)
    cited = None
    if cited_test is not None and decision in (Decision.REFUSED, Decision.PARTIAL):
        cited = next((t for t in tests_citable(request.pemda) if t.pk == cited_test), None)
        if cited is None:
            raise DomainError(TEST_NOT_CITABLE)
        outside = [g for g in grounds if g not in cited.grounds]
        if outside:
            raise DomainError(TEST_GROUNDS_DIFFER, grounds=", ".join(outside))
        consequence_test = consequence_test.strip() or cited.label
    if decision == Decision.PARTIAL and not withheld_parts.strip():
        raise DomainError(WITHHELD_REQUIRED)
    if decision == Decision.OTHER_BODY and not other_body.strip():
        raise DomainError(OTHER_BODY_REQUIRED)
    with transaction.atomic():
        locked = _locked(request)
        today = clock.today_in(_calendar(locked).tz)
        decided = request_transition(
            request=locked,
            to=Status.DECIDED,
            actor=actor,
            action=actions.DECIDED,
            fields={
                "decision": decision,
                "held": decision not in (Decision.NOT_HELD, Decision.OTHER_BODY),
                "information_form": information_form.strip(),
                # Texts the decision does not use are not kept (the form pre-fills them
                # from the SOP steps' notes, so they may arrive untouched).
                "withheld_parts": withheld_parts.strip() if decision == Decision.PARTIAL else "",
                "refusal_grounds": grounds,
                "consequence_test": (
                    consequence_test.strip()
                    if decision in (Decision.REFUSED, Decision.PARTIAL)
                    else ""
                ),
                "other_body": other_body.strip(),
                "cited_test_id": cited.pk if cited else None,
                "notice_number": f"{locked.number}/PEMBERITAHUAN",
                "noticed_on": today,
            },
            data={
                "keputusan": decision,
                "alasan": grounds,
                **({"uji_konsekuensi": cited.number} if cited else {}),
            },
        )
        _attach_letter(decided, _letter_name(decided, "pemberitahuan"), notice_pdf(decided))
        if decision in (Decision.REFUSED, Decision.PARTIAL):
            _attach_letter(
                decided,
                _letter_name(decided, "keputusan-penolakan"),
                refusal_decision_pdf(decided),
            )
    return decided


def request_record_fee(
    *,
    request: InformationRequest,
    actor: User,
    amount: Decimal,
    payment_method: str,
    paid_on: dt.date | None,
) -> InformationRequest:
    """Copying and postage costs per the agency head's fee decree, and their payment."""
    with transaction.atomic():
        locked = _locked(request)
        locked.fee_amount, locked.payment_method, locked.paid_on = amount, payment_method, paid_on
        locked.save(update_fields=["fee_amount", "payment_method", "paid_on"])
        audit.record(
            action=actions.FEE_RECORDED,
            actor=actor,
            obj=locked,
            opd_id=locked.handling_opd_id,
            data={"biaya": amount, "cara": payment_method, "dibayar": paid_on},
        )
    return locked


def _copy_step_file(request: InformationRequest, source: StepRunFile, at: dt.datetime) -> None:
    """Hand over a file an SOP step produced: its content is copied into the request's own
    private storage, so the two records never share a path."""
    with source.file.open("rb") as content:
        RequestAttachment.objects.create(
            request=request,
            kind=AttachmentKind.INFORMATION,
            file=File(content, name=os.path.basename(source.name) or "informasi"),
            name=source.name,
            created_at=at,
        )


def request_deliver(
    *,
    request: InformationRequest,
    actor: User,
    files: Sequence[UploadedFile] = (),
    step_files: Sequence[StepRunFile] = (),
) -> InformationRequest:
    """Hand the information over: new uploads and copies of files produced in the request's
    SOP steps become attachments the requester downloads from the tracking page. Step files
    must come from the request's own case."""
    with transaction.atomic():
        locked = _locked(request)
        wanted = list(dict.fromkeys(f.pk for f in step_files))
        sources = (
            {
                f.pk: f
                for f in StepRunFile.objects.filter(
                    pk__in=wanted, step_run__case_id=locked.case_id
                ).select_related("step_run")
            }
            if wanted and locked.case_id is not None
            else {}
        )
        if len(sources) != len(wanted):
            raise DomainError(STEP_FILE_OTHER_CASE)
        used = [sources[pk] for pk in wanted]
        now = clock.now()
        delivered = request_transition(
            request=locked,
            to=Status.DELIVERED,
            actor=actor,
            action=actions.DELIVERED,
            fields={"delivered_at": now},
            data={
                "berkas": [f.name for f in files],
                "berkas_langkah": [
                    {"id": f.pk, "langkah": f.step_run.step_id, "nama": f.name} for f in used
                ],
            },
        )
        for upload in files:
            RequestAttachment.objects.create(
                request=delivered,
                kind=AttachmentKind.INFORMATION,
                file=upload,
                name=upload.name or "informasi",
                created_at=now,
            )
        for source in used:
            _copy_step_file(delivered, source, now)
        return delivered


def request_close(*, request: InformationRequest, actor: User) -> InformationRequest:
    with transaction.atomic():
        locked = _locked(request)
        return request_transition(
            request=locked,
            to=Status.CLOSED,
            actor=actor,
            action=actions.CLOSED,
            fields={"closed_at": clock.now()},
        )


def request_withdraw(
    *, request: InformationRequest, actor: User | None, reason: str
) -> InformationRequest:
    if not reason.strip():
        raise DomainError(REASON_REQUIRED)
    with transaction.atomic():
        locked = _locked(request)
        request_transition(
            request=locked,
            to=Status.WITHDRAWN,
            actor=actor,
            action=actions.WITHDRAWN,
            fields={"withdrawal_reason": reason.strip(), "closed_at": clock.now()},
        )
        if locked.case is not None and locked.case.status == CaseStatus.OPEN and actor:
            procedures.case_cancel(case=locked.case, actor=actor, reason=reason.strip())
    return locked


def ppid_settings_update(*, pemda: Pemda, actor: User, data: dict[str, object]) -> list[str]:
    """Change the Pemda's PPID rules (number format, SOP, reminders, retention); audited."""
    return model_update(
        instance=ppid_settings(pemda), data=data, actor=actor, action=actions.SETTINGS_CHANGED
    )
