"""The statutory letters of a request, as numbered PDFs on the agency's letterhead (kop surat).

* :func:`notice_pdf` — the written notice (pemberitahuan tertulis, UU 14/2008 art. 22(7),
  Perki 1/2021 form): whether the body holds the information, accepted or refused, what is
  given and in which form, which parts are blacked out and why (art. 17), delivery means,
  format, time needed and cost, and the right to object (art. 35–36).
* :func:`refusal_decision_pdf` — the PPID's decision refusing a request, fully or in part
  (Surat Keputusan PPID tentang Penolakan Permohonan Informasi), with the art. 17 grounds and
  the consequence test (uji konsekuensi).
* :func:`extension_notice_pdf` — the one extension of at most 7 working days, with its
  written reasons (art. 22(8)).
* :func:`objection_receipt_pdf` — the receipt of an objection (tanda bukti pengajuan
  keberatan, art. 35–36): its number and date, the request, the ground (art. 35(1) a–g) and
  the date by which the Atasan PPID answers (30 working days, art. 36(2)).
* :func:`objection_answer_pdf` — the Atasan PPID's written answer to an objection
  (art. 36(2)) with the requester's right to take a dispute to the Komisi Informasi within
  14 working days (art. 37).

The requester downloads these letters through the secret tracking link, so they carry the
requester's name but never their NIK, address, phone or e-mail (UU 27/2022; RULES.md
"Personal data").

Every text the templates show is prepared here; dates are written in Indonesian whatever the
active language ("8 April 2026"). The letters are A4 portrait.

    >>> pdf = notice_pdf(request)  # bytes, through WeasyPrint
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from terbuka.core.errors import DomainError
from terbuka.information_requests import deadlines
from terbuka.information_requests.deadlines import (
    OBJECTION_GROUND_LABELS,
    SETTLEABLE_BY_DELIBERATION,
    ObjectionGround,
)
from terbuka.information_requests.models import (
    Decision,
    DeliveryMethod,
    Extension,
    InformationRequest,
    Objection,
    ObtainMethod,
)
from terbuka.organizations.models import HoldingKind, Opd, Pemda, Position, PositionHolding, Role
from terbuka.organizations.selectors import pemda_zone
from terbuka.workcalendar.selectors import calendar_for

__all__ = [
    "ART17_GROUNDS",
    "days_text",
    "extension_notice_pdf",
    "format_date",
    "notice_pdf",
    "objection_answer_pdf",
    "objection_receipt_pdf",
    "refusal_decision_number",
    "refusal_decision_pdf",
    "rupiah",
]

TEMPLATES = "information_requests/letters"

#: UU 14/2008 art. 17: public information exempt from access, by letter (short, faithful).
ART17_GROUNDS: dict[str, str] = {
    "a": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat menghambat proses penegakan hukum, antara lain mengungkapkan identitas "
        "informan, pelapor, saksi, dan/atau korban yang mengetahui adanya tindak pidana"
    ),
    "b": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat mengganggu kepentingan perlindungan hak atas kekayaan intelektual dan "
        "perlindungan dari persaingan usaha tidak sehat"
    ),
    "c": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat membahayakan pertahanan dan keamanan negara"
    ),
    "d": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat mengungkapkan kekayaan alam Indonesia"
    ),
    "e": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat merugikan ketahanan ekonomi nasional"
    ),
    "f": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat merugikan kepentingan hubungan luar negeri"
    ),
    "g": (
        "Informasi Publik yang apabila dibuka dapat mengungkapkan isi akta otentik yang "
        "bersifat pribadi dan kemauan terakhir ataupun wasiat seseorang"
    ),
    "h": (
        "Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik "
        "dapat mengungkap rahasia pribadi"
    ),
    "i": (
        "Memorandum atau surat-surat antar Badan Publik atau intra Badan Publik, yang menurut "
        "sifatnya dirahasiakan kecuali atas putusan Komisi Informasi atau pengadilan"
    ),
    "j": "Informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang",
}

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_PEMDA_PREFIXES = ("Pemerintah Kabupaten ", "Pemerintah Kota ", "Pemerintah Provinsi ")

NOT_DECIDED = _("Permohonan belum diputuskan; pemberitahuan tertulis belum dapat dibuat.")
NOT_REFUSED = _(
    "Surat keputusan penolakan hanya untuk permohonan yang ditolak seluruhnya/sebagian."
)
OBJECTION_NOT_ANSWERED = _("Keberatan belum dijawab; surat tanggapan belum dapat dibuat.")


# -- text helpers ------------------------------------------------------------------------------


def format_date(day: dt.date | None) -> str:
    """A date the way Indonesian letters write it: ``8 April 2026``."""
    if day is None:
        return "-"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def days_text(count: int) -> str:
    """``30 hari kerja``."""
    return f"{count} hari kerja"


def rupiah(amount: Decimal | int) -> str:
    """``Rp25.000``: thousands grouped with dots."""
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def _place(pemda: Pemda) -> str:
    """Where a letter is signed: the Pemda's name without "Pemerintah Kabupaten/Kota"."""
    for prefix in _PEMDA_PREFIXES:
        if pemda.name.startswith(prefix):
            return pemda.name[len(prefix) :]
    return pemda.name


# -- letterhead and signature ---------------------------------------------------------------


def _logo_uri(pemda: Pemda) -> str:
    """The Pemda's logo as a data URI, or "" when it has none (or the file is missing)."""
    if not pemda.logo:
        return ""
    try:
        with pemda.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(pemda.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _letterhead(request: InformationRequest) -> dict[str, Any]:
    return letterhead(request.pemda, request.handling_opd)


def letterhead(pemda: Pemda, opd: Opd) -> dict[str, Any]:
    """The kop surat of ``opd``: the Pemda's logo and name, the office, address and contacts
    (every letter and decision of the PPID and the DIP uses it)."""
    contacts = []
    if pemda.phone:
        contacts.append(f"Telepon {pemda.phone}")
    if pemda.email:
        contacts.append(f"Surel {pemda.email}")
    if pemda.website:
        contacts.append(pemda.website.removeprefix("https://").removeprefix("http://"))
    return {
        "logo": _logo_uri(pemda),
        "pemda": pemda.name.upper(),
        "opd": opd.name.upper(),
        "address": opd.address or pemda.address,
        "contacts": " · ".join(contacts),
    }


@dataclass(frozen=True)
class Signatory:
    """Who signs: the PPID of the handling OPD (title, name, NIP as of the letter's date)."""

    title: str
    opd: str
    name: str
    nip: str
    utama: bool


def _is_utama(request: InformationRequest) -> bool:
    """Whether the PPID Utama answers: the request was to the PPID Utama and is still handled
    by the OPD that hosts it (a forwarded request is answered by the PPID Pelaksana)."""
    return (
        request.opd_id is None
        and Position.objects.filter(opd=request.handling_opd, role=Role.PPID_UTAMA).exists()
    )


def _signatory(request: InformationRequest, on: dt.date) -> Signatory:
    opd = request.handling_opd
    utama = _is_utama(request)
    role = Role.PPID_UTAMA if utama else Role.PPID_PELAKSANA
    title = "PPID Utama" if utama else f"PPID Pelaksana {opd.name}"
    holding = (
        PositionHolding.objects.filter(position__opd=opd, position__role=role, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("user")
        .order_by("kind", "starts_on", "id")
        .first()
    )
    if holding is None:
        return Signatory(title=title, opd=opd.name, name="", nip="", utama=utama)
    if holding.kind != HoldingKind.DEFINITIF:
        title = f"{holding.kind.capitalize()}. {title}"
    user = holding.user
    return Signatory(title=title, opd=opd.name, name=user.display_name, nip=user.nip, utama=utama)


def _grounds(request: InformationRequest) -> list[dict[str, str]]:
    return [
        {"letter": letter, "text": ART17_GROUNDS[letter]}
        for letter in request.refusal_grounds
        if letter in ART17_GROUNDS
    ]


def _grounds_short(request: InformationRequest) -> str:
    letters = [g["letter"] for g in _grounds(request)]
    if not letters:
        return ""
    joined = letters[0] if len(letters) == 1 else ", ".join(letters[:-1]) + " dan " + letters[-1]
    return f"Pasal 17 huruf {joined} Undang-Undang Nomor 14 Tahun 2008"


def _base(request: InformationRequest, on: dt.date) -> dict[str, Any]:
    return {
        "kop": _letterhead(request),
        "item": request,
        "place": _place(request.pemda),
        "signatory": _signatory(request, on),
        "atasan": f"Atasan PPID {request.pemda.name}",
        "received_on": format_date(request.received_on),
        "objection_days": days_text(deadlines.OBJECTION_FILING_WORKING_DAYS),
        "answer_days": days_text(deadlines.OBJECTION_ANSWER_WORKING_DAYS),
    }


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(f"{TEMPLATES}/{template}", context)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


# -- the letters -----------------------------------------------------------------------------


def _held_text(request: InformationRequest) -> str:
    if request.decision == Decision.OTHER_BODY:
        return f"Informasi tidak dikuasai oleh kami, melainkan dikuasai oleh {request.other_body}"
    if request.decision == Decision.NOT_HELD or request.held is False:
        return "Informasi yang dimohon tidak dikuasai/belum didokumentasikan oleh kami"
    return "Informasi yang dimohon dikuasai oleh kami"


def _obtain_text(request: InformationRequest) -> str:
    labels = [
        str(ObtainMethod(m).label) for m in request.obtain_methods if m in ObtainMethod.values
    ]
    return "; ".join(labels) or "-"


def _fee_text(request: InformationRequest) -> str:
    if not request.fee_amount:
        return "Gratis (tidak dipungut biaya)"
    text = f"{rupiah(request.fee_amount)} (biaya penyalinan dan/atau pengiriman)"
    if request.payment_method:
        text += f", dibayar melalui {request.payment_method}"
    return text


def _provision_text(request: InformationRequest) -> str:
    if request.delivered_at is not None:
        day = request.delivered_at.astimezone(pemda_zone(request.pemda)).date()
        return f"Informasi telah diserahkan pada tanggal {format_date(day)}"
    return "Informasi diberikan bersamaan dengan pemberitahuan tertulis ini"


def notice_pdf(request: InformationRequest, *, provision_time: str = "") -> bytes:
    """The written notice (UU 14/2008 art. 22(7)) of a decided request.

    ``provision_time`` states the time needed to provide the information when it differs
    from the default ("given together with this notice", or the delivery date once
    delivered)."""
    if not request.decision or request.noticed_on is None:
        raise DomainError(NOT_DECIDED)
    decision = request.decision
    granted = decision in (Decision.GRANTED, Decision.PARTIAL)
    context = _base(request, request.noticed_on)
    context.update(
        {
            "date": format_date(request.noticed_on),
            "decision_label": Decision(decision).label,
            "granted": granted,
            "partial": decision == Decision.PARTIAL,
            "refused": decision == Decision.REFUSED,
            "not_held": decision in (Decision.NOT_HELD, Decision.OTHER_BODY),
            "accepted_text": (
                "Permohonan DITERIMA" + (" SEBAGIAN" if decision == Decision.PARTIAL else "")
                if granted
                else "Permohonan DITOLAK"
                if decision == Decision.REFUSED
                else "Permohonan tidak dapat dipenuhi oleh kami"
            ),
            "held_text": _held_text(request),
            "grounds": _grounds(request),
            "grounds_short": _grounds_short(request),
            "given_text": (
                request.information
                if decision == Decision.GRANTED
                else f"{request.information} — kecuali bagian yang dikecualikan di bawah ini"
            ),
            "form_text": request.information_form or _obtain_text(request),
            "obtain_text": _obtain_text(request),
            "delivery_text": DeliveryMethod(request.delivery_method).label
            if request.delivery_method in DeliveryMethod.values
            else request.delivery_method,
            "provision_text": provision_time or _provision_text(request),
            "fee_text": _fee_text(request),
            "refusal_number": refusal_decision_number(request)
            if decision in (Decision.REFUSED, Decision.PARTIAL)
            else "",
        }
    )
    return _pdf("notice.html", context)


def refusal_decision_number(request: InformationRequest) -> str:
    """The number of the refusal decision, derived from the registration number."""
    return f"{request.number}/PENOLAKAN"


def refusal_decision_pdf(request: InformationRequest) -> bytes:
    """The PPID's decision refusing a request fully ("ditolak") or in part ("sebagian")."""
    if request.decision not in (Decision.REFUSED, Decision.PARTIAL) or request.noticed_on is None:
        raise DomainError(NOT_REFUSED)
    context = _base(request, request.noticed_on)
    context.update(
        {
            "number": refusal_decision_number(request),
            "date": format_date(request.noticed_on),
            "partial": request.decision == Decision.PARTIAL,
            "grounds": _grounds(request),
            "grounds_short": _grounds_short(request),
        }
    )
    return _pdf("refusal_decision.html", context)


def extension_notice_pdf(request: InformationRequest, extension: Extension) -> bytes:
    """The notice extending the time to answer (UU 14/2008 art. 22(8))."""
    on = extension.created_at.astimezone(pemda_zone(request.pemda)).date()
    context = _base(request, on)
    context.update(
        {
            "extension": extension,
            "date": format_date(on),
            "old_due": format_date(request.notice_due_on),
            "new_due": format_date(extension.new_due_on),
            "extra_days": days_text(extension.working_days),
            "notice_days": days_text(deadlines.NOTICE_WORKING_DAYS),
        }
    )
    return _pdf("extension_notice.html", context)


# -- objections (UU 14/2008 art. 35–37) -------------------------------------------------------


def objection_ground_text(ground: str) -> str:
    """``Pasal 35 ayat (1) huruf a: Penolakan atas permintaan informasi …``."""
    try:
        letter = ObjectionGround(ground)
    except ValueError:
        return ground
    return f"Pasal 35 ayat (1) huruf {letter.value}: {OBJECTION_GROUND_LABELS[letter]}"


def _objection_base(objection: Objection, on: dt.date) -> dict[str, Any]:
    request = objection.request
    context = _base(request, on)
    context.update(
        {
            "objection": objection,
            "filed_on": format_date(objection.filed_on),
            "ground_text": objection_ground_text(objection.ground),
            "answer_due": format_date(objection.answer_due_on),
            "dispute_days": days_text(deadlines.DISPUTE_FILING_WORKING_DAYS),
        }
    )
    return context


def objection_receipt_pdf(objection: Objection) -> bytes:
    """The receipt of an objection (tanda bukti pengajuan keberatan): its registration number
    and date, the request, the ground, and the Atasan PPID's answer deadline (art. 36(2));
    if it lapses unanswered, the last day to take the dispute to the Komisi Informasi."""
    request = objection.request
    cal = calendar_for(request.pemda, request.handling_opd)
    context = _objection_base(objection, objection.filed_on)
    try:
        settleable = ObjectionGround(objection.ground) in SETTLEABLE_BY_DELIBERATION
    except ValueError:
        settleable = False
    context.update(
        {
            "date": format_date(objection.filed_on),
            "settleable": settleable,
            "dispute_last": format_date(
                deadlines.dispute_window(cal, answered_on=None, answer_due=objection.answer_due_on)
            ),
        }
    )
    return _pdf("objection_receipt.html", context)


@dataclass(frozen=True)
class AtasanSignatory:
    """Who signs the answer to an objection: the Atasan PPID recorded on it."""

    title: str
    name: str
    nip: str


def _atasan_opd(request: InformationRequest) -> Opd:
    """The OPD of the Atasan PPID's position (the Sekretariat Daerah by default), or the
    handling OPD when there is none."""
    position = (
        Position.objects.filter(role=Role.ATASAN_PPID, opd__pemda_id=request.pemda_id)
        .select_related("opd")
        .order_by("id")
        .first()
    )
    return position.opd if position is not None else request.handling_opd


def objection_answer_pdf(objection: Objection) -> bytes:
    """The Atasan PPID's written answer to an objection (UU 14/2008 art. 36(2)), on the
    letterhead of the Atasan PPID's office, with the requester's right to take the dispute
    to the Komisi Informasi within 14 working days of receiving it (art. 37(2))."""
    if objection.answered_on is None or not objection.decision:
        raise DomainError(OBJECTION_NOT_ANSWERED)
    request = objection.request
    cal = calendar_for(request.pemda, request.handling_opd)
    answered_by = objection.answered_by
    nip = ""
    if answered_by is not None and answered_by.display_name == objection.atasan_name:
        nip = answered_by.nip
    office = _atasan_opd(request)
    context = _objection_base(objection, objection.answered_on)
    context.update(
        {
            "kop": letterhead(request.pemda, office),
            "office": office.name,
            "date": format_date(objection.answered_on),
            "decision_label": objection.get_decision_display(),
            "atasan_sign": AtasanSignatory(
                title=objection.atasan_title or "Atasan PPID",
                name=objection.atasan_name,
                nip=nip,
            ),
            "dispute_last": format_date(
                deadlines.dispute_window(
                    cal, answered_on=objection.answered_on, answer_due=objection.answer_due_on
                )
            ),
        }
    )
    return _pdf("objection_answer.html", context)
