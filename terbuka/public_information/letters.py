"""The Surat Penetapan Klasifikasi Informasi: a consequence test as the PPID's numbered
decision on the Pemda's letterhead (UU 14/2008 art. 17, 19–20; RULES.md "Refusal grounds").

It records at least what RULES.md lists — the classification, the deciding PPID, the public
body and unit, the exemption period, the reasons (art. 17 grounds with their text, any other
law, the harm and the public interest weighed), place and date — and the agency head's
approval. Before the approval it prints as a draft without a number, for the head to sign.

The letter reuses the request letters' page, letterhead and styles
(``information_requests/letters/base.html``); dates are written in Indonesian whatever the
active language.

    >>> pdf = classification_pdf(test)  # bytes, through WeasyPrint

The DIP cycle's two documents are here too: the receipt and control card of a submission
(:func:`receipt_pdf`) and the PPID's decision establishing the DIP (:func:`decree_pdf`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from terbuka.information_requests.notices import ART17_GROUNDS, format_date, letterhead
from terbuka.organizations.models import (
    HoldingKind,
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Role,
    User,
)
from terbuka.organizations.selectors import pemda_zone
from terbuka.public_information.exemptions import NOT_PERMANENT, covered_entries
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    Decree,
    DipEntry,
    EntryStatus,
    Format,
    Submission,
    TestResult,
)

TEMPLATE = "public_information/letters/classification.html"
RECEIPT_TEMPLATE = "public_information/letters/receipt.html"
DECREE_TEMPLATE = "public_information/letters/decree.html"
#: The categories of the decree's table, in the law's order (art. 9–11); exempt entries are
#: listed apart with their title and ground only.
DECREE_CATEGORIES = (Category.BERKALA, Category.SERTA_MERTA, Category.SETIAP_SAAT)
PEMDA_PREFIXES = ("Pemerintah Kabupaten ", "Pemerintah Kota ", "Pemerintah Provinsi ")
LAW = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"


def _ppid_office(test: ConsequenceTest) -> Opd:
    return _ppid_utama_office(test.pemda_id) or test.opd


def _ppid_utama_office(pemda_id: int) -> Opd | None:
    """The OPD where the Pemda's PPID Utama sits."""
    position = (
        Position.objects.filter(role=Role.PPID_UTAMA, opd__pemda_id=pemda_id)
        .select_related("opd")
        .order_by("id")
        .first()
    )
    return position.opd if position is not None else None


def _letters(grounds: list[str]) -> str:
    """``h`` / ``a dan h`` / ``a, b dan h``."""
    if len(grounds) <= 1:
        return "".join(grounds)
    return ", ".join(grounds[:-1]) + " dan " + grounds[-1]


def exemption_period(test: ConsequenceTest) -> str:
    """How long the information stays exempt, as the decision states it."""
    grounds = sorted(test.grounds)
    if test.result != TestResult.CLOSE:
        return "Tidak dikecualikan; informasi terbuka bagi publik"
    if test.exempt_until is not None:
        return f"Sampai dengan tanggal {format_date(test.exempt_until)}"
    return (
        "Selama informasi tersebut masih memenuhi alasan pengecualian Pasal 17 huruf "
        f"{_letters(grounds)} {LAW} (alasan yang tidak dibatasi waktu menurut Pasal 20 "
        "ayat (1))"
    )


def classification_context(test: ConsequenceTest) -> dict[str, Any]:
    closing = test.result == TestResult.CLOSE
    grounds = sorted(test.grounds)
    return {
        "kop": letterhead(test.pemda, _ppid_office(test)),
        "test": test,
        "draft": not test.is_approved,
        "closing": closing,
        "classification": "INFORMASI YANG DIKECUALIKAN" if closing else "INFORMASI PUBLIK TERBUKA",
        "body": test.pemda.name,
        "unit": test.opd.name,
        "ppid_name": test.decided_by.display_name,
        "ppid_nip": test.decided_by.nip,
        "grounds": [
            {"letter": letter, "text": ART17_GROUNDS[letter]}
            for letter in grounds
            if letter in ART17_GROUNDS
        ],
        "grounds_short": f"Pasal 17 huruf {_letters(grounds)} {LAW}" if grounds else "",
        "temporary": bool(NOT_PERMANENT.intersection(grounds)),
        "period": exemption_period(test),
        "entries": covered_entries(test),
        "date": format_date(test.decided_on),
        "approved_date": format_date(test.approved_on) if test.approved_on else "",
        "law": LAW,
    }


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def classification_pdf(test: ConsequenceTest) -> bytes:
    """The Surat Penetapan Klasifikasi Informasi of ``test`` (a draft until approved)."""
    return _pdf(TEMPLATE, classification_context(test))


# -- the DIP cycle: receipt and control card, decree --------------------------------------------


@dataclass(frozen=True)
class ControlRow:
    """One line of a control card: a step of the cycle, when it ran and who did it."""

    no: int | None
    activity: str
    lane: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    by: str
    result: str
    within_standard: bool | None = None


def _place(pemda: Pemda) -> str:
    """Where a document is signed: the Pemda's name without "Pemerintah Kabupaten/Kota"."""
    for prefix in PEMDA_PREFIXES:
        if pemda.name.startswith(prefix):
            return pemda.name[len(prefix) :]
    return pemda.name


def _moment(pemda: Pemda, moment: dt.datetime | None) -> str:
    """A moment on the Pemda's wall clock: ``17-03-2026 10.00``."""
    if moment is None:
        return ""
    return moment.astimezone(pemda_zone(pemda)).strftime("%d-%m-%Y %H.%M")


def _formats(entry: DipEntry) -> str:
    return ", ".join(str(Format(v).label) for v in entry.formats if v in Format.values)


def receipt_context(
    submission: Submission,
    *,
    entries: Sequence[DipEntry],
    received_at: dt.datetime | None,
    received_by: User | None,
    rows: Sequence[ControlRow],
) -> dict[str, Any]:
    pemda, opd = submission.pemda, submission.opd
    local = submission.submitted_at.astimezone(pemda_zone(pemda))
    received_on = received_at.astimezone(pemda_zone(pemda)).date() if received_at else None
    return {
        "kop": letterhead(pemda, _ppid_utama_office(pemda.pk) or opd),
        "submission": submission,
        "opd": opd.name,
        "submitted": f"{format_date(local.date())}, pukul {local:%H.%M}",
        "submitted_by": submission.submitted_by,
        "received": _moment(pemda, received_at),
        "received_by": received_by,
        "place": _place(pemda),
        "date": format_date(received_on) if received_on else "",
        "entries": [
            {
                "title": entry.title,
                "category": Category(entry.category).label,
                "year": entry.year,
                "formats": _formats(entry),
                "documents": getattr(entry, "document_count", None),
                "status": EntryStatus(entry.status).label,
                "return_note": entry.return_note,
            }
            for entry in entries
        ],
        "rows": [
            {
                "row": row,
                "started": _moment(pemda, row.started_at),
                "due": _moment(pemda, row.due_at),
                "completed": _moment(pemda, row.completed_at),
            }
            for row in rows
        ],
    }


def receipt_pdf(
    submission: Submission,
    *,
    entries: Sequence[DipEntry],
    received_at: dt.datetime | None,
    received_by: User | None,
    rows: Sequence[ControlRow],
) -> bytes:
    """The "tanda terima dan kartu kontrol" of a submission: the entries received and the
    cycle's steps so far."""
    context = receipt_context(
        submission,
        entries=entries,
        received_at=received_at,
        received_by=received_by,
        rows=rows,
    )
    return _pdf(RECEIPT_TEMPLATE, context)


def _ppid_title(decree: Decree) -> str:
    """The title the PPID signed under on the decision's date (Plt./Plh. marked)."""
    on = decree.decided_on
    holding = (
        PositionHolding.objects.filter(
            user_id=decree.decided_by_id,
            position__role=Role.PPID_UTAMA,
            position__opd__pemda_id=decree.pemda_id,
            starts_on__lte=on,
        )
        .exclude(ends_on__lt=on)
        .select_related("position")
        .order_by("kind", "starts_on", "id")
        .first()
    )
    if holding is None:
        return str(Role.PPID_UTAMA.label)
    title = holding.position.title
    if holding.kind in (HoldingKind.PLT, HoldingKind.PLH):
        return f"{holding.kind.capitalize()}. {title}"
    return title


def _ground_text(entry: DipEntry) -> str:
    test = entry.exemption
    if test is None:
        return ""
    grounds = sorted(test.grounds)
    text = f"Pasal 17 huruf {_letters(grounds)} {LAW}" if grounds else ""
    if test.other_law:
        text = f"{text}; {test.other_law}" if text else test.other_law
    return text


def decree_context(decree: Decree) -> dict[str, Any]:
    pemda = decree.pemda
    entries = list(
        decree.entries.select_related("opd", "exemption").order_by("opd__name", "title", "pk")
    )
    groups = [
        {
            "label": Category(category).label,
            "entries": [
                {
                    "title": entry.title,
                    "summary": entry.summary,
                    "opd": entry.opd.name,
                    "holder": entry.holder,
                    "responsible": entry.responsible,
                    "produced": ", ".join(
                        part for part in (entry.produced_when, entry.produced_where) if part
                    ),
                    "formats": _formats(entry),
                    "retention": entry.retention,
                }
                for entry in entries
                if entry.category == category
            ],
        }
        for category in DECREE_CATEGORIES
    ]
    exempt = [
        {
            "title": entry.title,
            "ground": _ground_text(entry),
            "test": entry.exemption.number if entry.exemption else "",
        }
        for entry in entries
        if entry.category == Category.DIKECUALIKAN
    ]
    return {
        "kop": _letterhead_of(pemda),
        "decree": decree,
        "body": pemda.name,
        "groups": [group for group in groups if group["entries"]],
        "exempt": exempt,
        "count": len(entries),
        "place": _place(pemda),
        "date": format_date(decree.decided_on),
        "ppid_title": _ppid_title(decree),
        "ppid_name": decree.decided_by.display_name,
        "ppid_nip": decree.decided_by.nip,
        "law": LAW,
    }


def _letterhead_of(pemda: Pemda) -> dict[str, Any]:
    """The kop of the PPID Utama's office (the Pemda's own when it has none yet)."""
    office = _ppid_utama_office(pemda.pk)
    if office is not None:
        return letterhead(pemda, office)
    return {**letterhead(pemda, Opd(name="", address=pemda.address)), "opd": ""}


def decree_pdf(decree: Decree) -> bytes:
    """The Keputusan PPID tentang Penetapan Daftar Informasi Publik, with the DIP in the
    official columns, grouped by category; exempt information by title and ground only."""
    return _pdf(DECREE_TEMPLATE, decree_context(decree))
