"""The buku register permohonan, the register keberatan and the periodic service report as
XLSX (openpyxl) and PDF (WeasyPrint), plus the bar charts the report page and its PDF draw as
inline SVG.

The register has every column RULES.md ("Information requests") lists; the requester's
address and contact are masked by :func:`~terbuka.information_requests.selectors.personal_view`
unless the reader's role handles the request. The NIK is never exported.

The objection register has the columns of RULES.md ("Objections and disputes"); it names the
requester (and proxy) and gives their contact as ``personal_view`` allows, never the address
or the NIK.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from terbuka.information_requests.deadlines import OBJECTION_GROUND_LABELS, ObjectionGround
from terbuka.information_requests.forms import REFUSAL_GROUND_CHOICES
from terbuka.information_requests.models import InformationRequest, Objection, Status
from terbuka.information_requests.reports import ServiceReport, Tally
from terbuka.information_requests.selectors import personal_view
from terbuka.organizations.access import Scope

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD-MM-YYYY"
NUMBER_FORMAT = "0.0"
MONEY_FORMAT = "#,##0"

# Register ---------------------------------------------------------------------------------

#: The columns of the register (RULES.md), in order, with their XLSX widths (characters) and
#: PDF widths (mm, A4 landscape).
REGISTER_COLUMNS: tuple[tuple[str | Promise, int, int], ...] = (
    (pgettext_lazy("nomor urut", "No"), 5, 6),
    (gettext_lazy("Nomor pendaftaran"), 26, 20),
    (gettext_lazy("Tanggal permohonan"), 12, 16),
    (gettext_lazy("Nama"), 22, 15),
    (gettext_lazy("Alamat"), 28, 15),
    (gettext_lazy("Nomor telepon/surel"), 24, 21),
    (gettext_lazy("Pekerjaan"), 16, 15),
    (gettext_lazy("Informasi yang dimohon"), 40, 22),
    (gettext_lazy("Tujuan penggunaan informasi"), 28, 17),
    (gettext_lazy("Status informasi"), 20, 14),
    (gettext_lazy("Bentuk informasi yang dikuasai"), 20, 14),
    (gettext_lazy("Jenis permohonan"), 14, 16),
    (gettext_lazy("Keputusan"), 20, 17),
    (gettext_lazy("Alasan penolakan"), 32, 19),
    (gettext_lazy("Tanggal pemberitahuan tertulis"), 14, 19),
    (gettext_lazy("Biaya (Rp)"), 11, 10),
    (gettext_lazy("Cara pembayaran"), 16, 16),
    (gettext_lazy("Ditangani oleh"), 24, 14),
)
PDF_WIDTH_MM = sum(mm for _header, _width, mm in REGISTER_COLUMNS)
GROUND_LABELS = dict(REFUSAL_GROUND_CHOICES)


@dataclass(frozen=True)
class RegisterRow:
    no: int
    number: str
    received_on: dt.date
    name: str
    address: str
    contact: str
    occupation: str
    information: str
    purpose: str
    information_status: str
    information_form: str
    channel: str
    decision: str
    refusal_reason: str
    noticed_on: dt.date | None
    fee: Decimal | None
    payment_method: str
    handled_by: str

    def values(self) -> list[Any]:
        return [
            self.no,
            self.number,
            self.received_on,
            self.name,
            self.address,
            self.contact,
            self.occupation,
            self.information,
            self.purpose,
            self.information_status,
            self.information_form,
            self.channel,
            self.decision,
            self.refusal_reason,
            self.noticed_on,
            self.fee,
            self.payment_method,
            self.handled_by,
        ]


def information_status(item: InformationRequest) -> str:
    """Held, not held, or held by another body (empty until the written notice says)."""
    if item.held is None:
        return ""
    if item.other_body:
        return _("Dikuasai badan publik lain: %(body)s") % {"body": item.other_body}
    return _("Dikuasai") if item.held else _("Tidak dikuasai")


def register_rows(scope: Scope, items: Iterable[InformationRequest]) -> list[RegisterRow]:
    """One row per request, numbered from 1, contact details as ``scope`` may see them."""
    rows = []
    for no, item in enumerate(items, start=1):
        personal = personal_view(scope, item)
        rows.append(
            RegisterRow(
                no=no,
                number=item.number,
                received_on=item.received_on,
                name=item.name,
                address=personal["address"],
                contact=", ".join(v for v in (personal["phone"], personal["email"]) if v),
                occupation=item.occupation,
                information=item.information,
                purpose=item.purpose,
                information_status=information_status(item),
                information_form=item.information_form,
                channel=item.get_channel_display(),
                decision=item.get_decision_display() if item.decision else _status(item),
                refusal_reason="; ".join(
                    str(GROUND_LABELS.get(g, g)) for g in item.refusal_grounds or ()
                ),
                noticed_on=item.noticed_on,
                fee=item.fee_amount,
                payment_method=item.payment_method,
                handled_by=item.handling_opd.name,
            )
        )
    return rows


def _status(item: InformationRequest) -> str:
    if item.status in (Status.RECEIVED, Status.EXTENDED):
        return _("Belum diberitahukan (%(status)s)") % {"status": item.get_status_display()}
    return item.get_status_display()


def register_workbook(rows: Sequence[RegisterRow], title: str, subtitle: str) -> Workbook:
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _("Register permohonan")
    sheet.append([title])
    sheet.append([subtitle])
    sheet.append([str(header) for header, _width, _mm in REGISTER_COLUMNS])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row.values())
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in (3, 15):
        _format_column(sheet, column, DATE_FORMAT, first_row=4)
    _format_column(sheet, 16, MONEY_FORMAT, first_row=4)
    _print_setup(sheet, REGISTER_COLUMNS)
    return book


def _print_setup(sheet: Any, columns: Sequence[tuple[str | Promise, int, int]]) -> None:
    """Column widths, frozen header and A4 landscape printing for a register sheet."""
    _widths(sheet, [width for _header, width, _mm in columns])
    sheet.freeze_panes = "C4"
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _table_pdf(
    template: str,
    rows: Sequence[Any],
    columns: Sequence[tuple[str | Promise, int, int]],
    width_mm: float,
    title: str,
    subtitle: str,
) -> bytes:
    """A register as an A4 landscape PDF, each column as a share of the printable width."""
    html = render_to_string(
        template,
        {
            "rows": rows,
            "columns": [(header, f"{mm * 100 / width_mm:.2f}") for header, _width, mm in columns],
            "title": title,
            "subtitle": subtitle,
        },
    )
    return _pdf(html)


def register_pdf(rows: Sequence[RegisterRow], title: str, subtitle: str) -> bytes:
    """The register on A4 landscape."""
    return _table_pdf(
        "information_requests/reports/register_pdf.html",
        rows,
        REGISTER_COLUMNS,
        PDF_WIDTH_MM,
        title,
        subtitle,
    )


# Objection register -----------------------------------------------------------------------

#: The columns of the objection register (RULES.md, "Objections and disputes"), with their
#: XLSX widths (characters) and PDF widths (mm, A4 landscape).
OBJECTION_COLUMNS: tuple[tuple[str | Promise, int, int], ...] = (
    (pgettext_lazy("nomor urut", "No"), 5, 6),
    (gettext_lazy("Nomor registrasi keberatan"), 22, 20),
    (gettext_lazy("Tanggal diterima"), 12, 15),
    (gettext_lazy("Nama pemohon/kuasa"), 24, 22),
    (gettext_lazy("Nomor telepon/surel"), 24, 22),
    (gettext_lazy("Nomor pendaftaran permohonan"), 26, 22),
    (gettext_lazy("Informasi yang dimohon"), 36, 28),
    (gettext_lazy("Tujuan penggunaan informasi"), 26, 20),
    (gettext_lazy("Alasan keberatan"), 36, 30),
    (gettext_lazy("Keputusan Atasan PPID"), 22, 20),
    (gettext_lazy("Tanggal tanggapan"), 12, 15),
    (gettext_lazy("Nama dan jabatan Atasan PPID"), 26, 22),
    (gettext_lazy("Tanggapan pemohon"), 24, 20),
)
OBJECTION_PDF_WIDTH_MM = sum(mm for _header, _width, mm in OBJECTION_COLUMNS)


@dataclass(frozen=True)
class ObjectionRow:
    no: int
    number: str
    filed_on: dt.date
    requester: str
    contact: str
    request_number: str
    information: str
    purpose: str
    ground: str
    decision: str
    answered_on: dt.date | None
    atasan: str
    reaction: str

    def values(self) -> list[Any]:
        return [
            self.no,
            self.number,
            self.filed_on,
            self.requester,
            self.contact,
            self.request_number,
            self.information,
            self.purpose,
            self.ground,
            self.decision,
            self.answered_on,
            self.atasan,
            self.reaction,
        ]


def objection_ground_text(ground: str) -> str:
    """``a. Penolakan atas permintaan informasi …`` (UU 14/2008 art. 35(1))."""
    try:
        letter = ObjectionGround(ground)
    except ValueError:
        return ground
    return f"{letter.value}. {OBJECTION_GROUND_LABELS[letter]}"


def objection_rows(scope: Scope, items: Iterable[Objection]) -> list[ObjectionRow]:
    """One row per objection, numbered from 1; the requester's name (and proxy) and contact
    as ``scope`` may see it. ``items`` come with their request (``select_related``)."""
    rows = []
    for no, objection in enumerate(items, start=1):
        request = objection.request
        personal = personal_view(scope, request)
        requester = request.name
        if objection.proxy_name:
            requester = _("%(name)s (kuasa: %(proxy)s)") % {
                "name": requester,
                "proxy": objection.proxy_name,
            }
        reaction = ""
        if objection.reaction:
            reaction = objection.get_reaction_display()
            if objection.reacted_on is not None:
                reaction = f"{reaction} ({objection.reacted_on:%d-%m-%Y})"
        rows.append(
            ObjectionRow(
                no=no,
                number=objection.number,
                filed_on=objection.filed_on,
                requester=requester,
                contact=", ".join(v for v in (personal["phone"], personal["email"]) if v),
                request_number=request.number,
                information=request.information,
                purpose=request.purpose,
                ground=objection_ground_text(objection.ground),
                decision=objection.get_decision_display()
                if objection.decision
                else _("Belum dijawab"),
                answered_on=objection.answered_on,
                atasan=", ".join(v for v in (objection.atasan_name, objection.atasan_title) if v),
                reaction=reaction,
            )
        )
    return rows


def objection_workbook(rows: Sequence[ObjectionRow], title: str, subtitle: str) -> Workbook:
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _("Register keberatan")
    sheet.append([title])
    sheet.append([subtitle])
    sheet.append([str(header) for header, _width, _mm in OBJECTION_COLUMNS])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row.values())
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in (3, 11):
        _format_column(sheet, column, DATE_FORMAT, first_row=4)
    _print_setup(sheet, OBJECTION_COLUMNS)
    return book


def objection_pdf(rows: Sequence[ObjectionRow], title: str, subtitle: str) -> bytes:
    """The objection register on A4 landscape."""
    return _table_pdf(
        "information_requests/reports/objection_register_pdf.html",
        rows,
        OBJECTION_COLUMNS,
        OBJECTION_PDF_WIDTH_MM,
        title,
        subtitle,
    )


# Charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart; the template draws it as SVG (``_bar_chart.html``)."""

    slug: str
    title: str | Promise
    rows: tuple[Tally, ...]

    ROW_HEIGHT = 26

    @property
    def max(self) -> int:
        return max((row.count for row in self.rows), default=0)

    @property
    def height(self) -> int:
        return self.ROW_HEIGHT * len(self.rows) + 4


def report_charts(report: ServiceReport) -> list[Chart]:
    return [
        Chart("saluran", gettext_lazy("Permohonan menurut cara permohonan"), report.by_channel),
        Chart(
            "opd",
            gettext_lazy("Permohonan menurut perangkat daerah yang menangani"),
            tuple(Tally(str(row.opd_id), row.name, row.received) for row in report.by_opd),
        ),
        Chart("hasil", gettext_lazy("Hasil permohonan"), report.outcomes),
        Chart(
            "waktu",
            gettext_lazy("Waktu sampai pemberitahuan tertulis (hari kerja)"),
            report.days.buckets,
        ),
    ]


# Report -----------------------------------------------------------------------------------


def report_workbook(report: ServiceReport, title: str, heading: str) -> Workbook:
    """The report's tables as sheets: summary, channels, OPDs, working days, grounds,
    objections by ground and by outcome, disputes."""
    book = Workbook()
    summary: Worksheet = book.active
    summary.title = _("Ringkasan")
    summary.append([title])
    summary.append([heading])
    summary.append(
        [
            _("Permohonan yang diterima %(start)s – %(end)s, keadaan per %(today)s")
            % {
                "start": report.start.strftime("%d-%m-%Y"),
                "end": report.end.strftime("%d-%m-%Y"),
                "today": report.today.strftime("%d-%m-%Y"),
            }
        ]
    )
    summary.append([])
    summary.append([_("Uraian"), _("Jumlah")])
    for cell in (summary["A1"], *summary[5]):
        cell.font = Font(bold=True)
    timeliness = report.timeliness
    lines: list[tuple[str | Promise, int]] = [
        (_("Permohonan diterima"), report.received),
        *((row.label, row.count) for row in report.outcomes),
        (_("Pemberitahuan tertulis diterbitkan"), timeliness.decided),
        (_("dalam 10 hari kerja"), timeliness.within_notice),
        (_("dalam masa perpanjangan"), timeliness.within_extension),
        (_("melewati batas waktu"), timeliness.late),
        (_("Permohonan yang diperpanjang"), timeliness.extended),
        (_("Keberatan yang diajukan"), report.objections.filed),
        (_("Sengketa yang diajukan ke Komisi Informasi"), report.disputes.filed),
    ]
    for label, count in lines:
        summary.append([str(label), count])
    _widths(summary, [52, 12])

    channels = _sheet(book, _("Per cara permohonan"), [_("Cara permohonan"), _("Jumlah")])
    for row in report.by_channel:
        channels.append([str(row.label), row.count])
    _widths(channels, [30, 12])

    opds = _sheet(
        book,
        _("Per perangkat daerah"),
        [
            _("Perangkat daerah"),
            _("Diterima"),
            _("Diberitahukan"),
            _("Dikabulkan (seluruhnya/sebagian)"),
            _("Ditolak"),
            _("Ditarik"),
            _("Belum diberitahukan"),
            _("Terlambat"),
            _("Median hari kerja"),
        ],
    )
    for o in report.by_opd:
        opds.append(
            [
                o.name,
                o.received,
                o.decided,
                o.granted,
                o.refused,
                o.withdrawn,
                o.open,
                o.overdue,
                o.median_days,
            ]
        )
    _format_column(opds, 9, NUMBER_FORMAT)
    _widths(opds, [44, 10, 14, 16, 10, 10, 14, 12, 12])

    days = report.days
    waktu = _sheet(book, _("Waktu layanan"), [_("Uraian"), _("Hari kerja / jumlah")])
    for label, value in (
        (_("Permohonan yang diberitahukan"), days.count),
        (_("Median (hari kerja)"), days.median),
        (_("Persentil 90 (hari kerja)"), days.p90),
        (_("Paling lama (hari kerja)"), days.max),
    ):
        waktu.append([label, value])
    for row in days.buckets:
        waktu.append([str(row.label), row.count])
    _widths(waktu, [40, 20])

    grounds = _sheet(
        book,
        _("Alasan penolakan"),
        [_("Alasan pengecualian (pasal 17 UU 14/2008)"), _("Ditolak"), _("Sebagian"), _("Jumlah")],
    )
    for g in report.grounds:
        grounds.append([str(g.label), g.refused, g.partial, g.total])
    _widths(grounds, [70, 10, 10, 10])
    _objection_sheets(book, report)
    return book


def _objection_sheets(book: Workbook, report: ServiceReport) -> None:
    objections = report.objections
    by_ground = _sheet(
        book,
        _("Keberatan per alasan"),
        [_("Alasan keberatan (pasal 35 ayat 1 UU 14/2008)"), _("Jumlah")],
    )
    for row in objections.by_ground:
        by_ground.append([str(row.label), row.count])
    by_ground.append([_("Jumlah keberatan yang diajukan"), objections.filed])
    by_ground.cell(row=by_ground.max_row, column=1).font = Font(bold=True)
    _widths(by_ground, [80, 12])

    outcomes = _sheet(book, _("Hasil keberatan"), [_("Tanggapan Atasan PPID"), _("Jumlah")])
    for row in objections.outcomes:
        outcomes.append([str(row.label), row.count])
    for label, count in (
        (_("Keberatan yang dijawab"), objections.answered),
        (_("dijawab dalam 30 hari kerja"), objections.answered_in_time),
        (_("dijawab melewati 30 hari kerja"), objections.answered_late),
    ):
        outcomes.append([label, count])
    _widths(outcomes, [52, 12])

    disputes = _sheet(book, _("Sengketa informasi"), [_("Tahap di Komisi Informasi"), _("Jumlah")])
    disputes.append([_("Sengketa yang diajukan ke Komisi Informasi"), report.disputes.filed])
    for row in report.disputes.stages:
        disputes.append([str(row.label), row.count])
    _widths(disputes, [52, 12])


def report_pdf(
    report: ServiceReport, title: str, heading: str, charts: Sequence[Chart], printed: str
) -> bytes:
    """The report on A4 portrait, with its charts."""
    html = render_to_string(
        "information_requests/reports/report_pdf.html",
        {
            "report": report,
            "title": title,
            "heading": heading,
            "charts": charts,
            "printed": printed,
        },
    )
    return _pdf(html)


# Helpers ----------------------------------------------------------------------------------


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf(html: str) -> bytes:
    # WeasyPrint reports every rendering step at INFO; keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _sheet(book: Workbook, title: str, headers: list[str], first: bool = False) -> Worksheet:
    sheet: Worksheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _format_column(sheet: Worksheet, column: int, number_format: str, first_row: int = 2) -> None:
    for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
        cell.number_format = number_format
