"""The DIP in its official columns, and the DIP's periodic reports, as XLSX (openpyxl) and PDF
(WeasyPrint, A4 landscape), plus the bar chart the monitoring report draws as inline SVG.

The DIP is grouped by body (OPD) and, within it, by category in the order of the official
form (A. berkala, B. serta merta, C. setiap saat, D. dikecualikan), numbered per body. Two
variants: the staff DIP, with every entry the person sees (drafts and exempt entries
included) and a column for its status and exemption; and the public DIP
(:func:`public_entries`), established entries that are not exempt, which
:func:`dip_public_xlsx` gives the portal. Exempt information reaches the public only through
the list of exempt information (titles and grounds), never through this export.

The rows are built from the entries and their consequence test, read in one query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import groupby
from typing import Any, cast

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from terbuka.organizations.models import Pemda
from terbuka.organizations.selectors import local_today
from terbuka.public_information.models import Category, DipEntry, DipEntryQuerySet, Format
from terbuka.public_information.reports import (
    AvailabilityReport,
    MonitoringReport,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"

# The DIP -----------------------------------------------------------------------------------

Column = tuple[str | Promise, int, int]  # header, XLSX width (characters), PDF width (mm)

#: The DIP's columns (RULES.md "DIP columns"), then its category, legal basis and year.
DIP_COLUMNS: tuple[Column, ...] = (
    (pgettext_lazy("nomor urut", "No."), 5, 8),
    (gettext_lazy("Ringkasan isi informasi"), 46, 60),
    (gettext_lazy("Pejabat/unit yang menguasai informasi"), 24, 28),
    (gettext_lazy("Penanggung jawab pembuatan/penerbitan informasi"), 24, 28),
    (gettext_lazy("Waktu dan tempat pembuatan informasi"), 22, 26),
    (gettext_lazy("Bentuk informasi yang tersedia"), 18, 22),
    (gettext_lazy("Jangka waktu penyimpanan"), 14, 18),
    (gettext_lazy("Kategori"), 13, 16),
    (gettext_lazy("Dasar hukum"), 28, 30),
    (gettext_lazy("Tahun"), 7, 10),
)
#: The staff DIP adds where each entry stands (and, for exempt entries, on what grounds).
STAFF_COLUMNS: tuple[Column, ...] = (
    *DIP_COLUMNS,
    (gettext_lazy("Status dan keterangan"), 30, 34),
)
#: The sections of the official form, in order.
SECTIONS: tuple[tuple[str, Promise], ...] = (
    (
        Category.BERKALA,
        gettext_lazy("A. Informasi yang wajib disediakan dan diumumkan secara berkala"),
    ),
    (Category.SERTA_MERTA, gettext_lazy("B. Informasi yang wajib diumumkan secara serta merta")),
    (Category.SETIAP_SAAT, gettext_lazy("C. Informasi yang wajib tersedia setiap saat")),
    (Category.DIKECUALIKAN, gettext_lazy("D. Informasi yang dikecualikan")),
)
_SECTION_ORDER = {category: index for index, (category, _label) in enumerate(SECTIONS)}
_SECTION_LABELS = dict(SECTIONS)


@dataclass(frozen=True)
class DipRow:
    no: int
    title: str
    summary: str
    holder: str
    responsible: str
    produced: str
    formats: str
    retention: str
    category: str
    legal_basis: str
    year: int
    status: str

    @property
    def content(self) -> str:
        """The "ringkasan isi informasi" cell: the title, then the summary if it says more."""
        if self.summary and self.summary != self.title:
            return f"{self.title}\n{self.summary}"
        return self.title

    def values(self, *, staff: bool) -> list[Any]:
        values: list[Any] = [
            self.no,
            self.content,
            self.holder,
            self.responsible,
            self.produced,
            self.formats,
            self.retention,
            self.category,
            self.legal_basis,
            self.year,
        ]
        return [*values, self.status] if staff else values


@dataclass(frozen=True)
class DipSection:
    category: str
    label: str
    rows: tuple[DipRow, ...]


@dataclass(frozen=True)
class DipBody:
    opd_id: int
    name: str
    sections: tuple[DipSection, ...]

    @property
    def count(self) -> int:
        return sum(len(section.rows) for section in self.sections)


def public_entries(entries: QuerySet[DipEntry]) -> QuerySet[DipEntry]:
    """The public DIP among ``entries``: established and not exempt."""
    return cast(DipEntryQuerySet, entries).public()


def dip_bodies(entries: Iterable[DipEntry]) -> list[DipBody]:
    """The entries grouped by body, then by section, numbered from 1 in each body. Reads the
    entries (with their OPD and consequence test) in one query."""
    if isinstance(entries, QuerySet):
        entries = entries.select_related("opd", "exemption").order_by()
    ordered = sorted(
        entries,
        key=lambda e: (e.opd.name, e.opd_id, _SECTION_ORDER.get(e.category, 9), e.title, e.pk),
    )
    bodies = []
    for (_name, opd_id), in_body in groupby(ordered, key=lambda e: (e.opd.name, e.opd_id)):
        listed = list(in_body)
        number = 0
        sections = []
        for category, in_section in groupby(listed, key=lambda e: e.category):
            rows = []
            for entry in in_section:
                number += 1
                rows.append(_row(number, entry))
            sections.append(
                DipSection(category, str(_SECTION_LABELS.get(category, "")), tuple(rows))
            )
        bodies.append(DipBody(opd_id, listed[0].opd.name, tuple(sections)))
    return bodies


def _row(number: int, entry: DipEntry) -> DipRow:
    produced = ", ".join(part for part in (entry.produced_when, entry.produced_where) if part)
    return DipRow(
        no=number,
        title=entry.title,
        summary=entry.summary,
        holder=entry.holder,
        responsible=entry.responsible,
        produced=produced,
        formats=", ".join(str(Format(v).label) for v in entry.formats if v in Format.values),
        retention=entry.retention,
        category=entry.get_category_display(),
        legal_basis=entry.legal_basis,
        year=entry.year,
        status=_status(entry),
    )


def _status(entry: DipEntry) -> str:
    status = entry.get_status_display()
    test = entry.exemption
    if entry.category != Category.DIKECUALIKAN or test is None:
        return status
    grounds = ", ".join(test.grounds or ())
    parts = [_("dikecualikan berdasarkan pasal 17 huruf %(grounds)s") % {"grounds": grounds}]
    if test.exempt_until is not None:
        parts.append(_("sampai %(date)s") % {"date": test.exempt_until.strftime("%d-%m-%Y")})
    if test.number:
        parts.append(_("(uji konsekuensi %(number)s)") % {"number": test.number})
    return f"{status}; {' '.join(parts)}"


def dip_workbook(bodies: Sequence[DipBody], title: str, subtitle: str, *, staff: bool) -> Workbook:
    """The DIP on one sheet: a title block, the header row (repeated on every printed page),
    then per body a heading row, per section a heading row, and the entries."""
    columns = STAFF_COLUMNS if staff else DIP_COLUMNS
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _("DIP")
    sheet.append([title])
    sheet.append([subtitle])
    sheet.append([str(header) for header, _width, _mm in columns])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    top = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(columns))
    for body in bodies:
        _heading(sheet, body.name, last, Font(bold=True, size=12))
        for section in body.sections:
            _heading(sheet, section.label, last, Font(bold=True, italic=True))
            for row in section.rows:
                sheet.append(row.values(staff=staff))
                for cell in sheet[sheet.max_row]:
                    cell.alignment = top
    if not bodies:
        sheet.append([_("Belum ada entri DIP.")])
    _widths(sheet, [width for _header, width, _mm in columns])
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    _landscape(sheet)
    return book


def _heading(sheet: Worksheet, text: str, last: str, font: Font) -> None:
    sheet.append([text])
    row = sheet.max_row
    sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.cell(row=row, column=1).font = font


def dip_pdf(bodies: Sequence[DipBody], title: str, subtitle: str, *, staff: bool) -> bytes:
    """The DIP on A4 landscape, the header row repeated on every page."""
    columns = STAFF_COLUMNS if staff else DIP_COLUMNS
    width = sum(mm for _header, _width, mm in columns)
    html = render_to_string(
        "public_information/reports/dip_pdf.html",
        {
            "bodies": bodies,
            "columns": [(header, f"{mm * 100 / width:.2f}") for header, _width, mm in columns],
            "staff": staff,
            "title": title,
            "subtitle": subtitle,
        },
    )
    return html_pdf(html)


def dip_public_xlsx(pemda: Pemda) -> bytes:
    """The public DIP of ``pemda`` (established entries that are not exempt) as XLSX, for the
    public portal to offer for download."""
    entries = DipEntry.objects.public().filter(pemda=pemda)
    title = _("Daftar Informasi Publik — %(pemda)s") % {"pemda": pemda.name}
    subtitle = _("Keadaan per %(date)s") % {"date": local_today(pemda).strftime("%d-%m-%Y")}
    return workbook_bytes(dip_workbook(dip_bodies(entries), title, subtitle, staff=False))


# Charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart; ``public_information/reports/_bar_chart.html`` draws it as SVG.
    ``scale``: the value of a full bar (the largest value when not given)."""

    slug: str
    title: str | Promise
    rows: tuple[Bar, ...]
    scale: int | None = None
    unit: str = ""

    ROW_HEIGHT = 26

    @property
    def max(self) -> int:
        return self.scale or max((row.value for row in self.rows), default=0)

    @property
    def height(self) -> int:
        return self.ROW_HEIGHT * len(self.rows) + 4


def score_chart(report: MonitoringReport) -> Chart:
    return Chart(
        "skor",
        gettext_lazy("Skor kelengkapan DIP per perangkat daerah"),
        tuple(Bar(str(row.opd_id), row.short_name or row.name, row.score) for row in report.rows),
        scale=100,
        unit="%",
    )


# Reports ----------------------------------------------------------------------------------

#: The availability report's columns: header, field, XLSX width.
AVAILABILITY_COLUMNS: tuple[tuple[str | Promise, str, int], ...] = (
    (gettext_lazy("Badan publik"), "name", 40),
    (gettext_lazy("Berkala"), "berkala", 9),
    (gettext_lazy("Serta merta"), "serta_merta", 9),
    (gettext_lazy("Setiap saat"), "setiap_saat", 9),
    (gettext_lazy("Dikecualikan"), "dikecualikan", 11),
    (gettext_lazy("Jumlah entri DIP"), "in_dip", 10),
    (gettext_lazy("Dalam proses (belum ditetapkan)"), "in_process", 12),
    (gettext_lazy("Ditetapkan bulan ini"), "established", 11),
    (gettext_lazy("Entri publik dengan dokumen daring"), "online", 12),
    (gettext_lazy("Entri publik tanpa dokumen daring"), "offline", 12),
    (gettext_lazy("Dokumen daring"), "documents", 10),
    (gettext_lazy("Unduhan bulan ini"), "downloads_in_period", 11),
    (gettext_lazy("Unduhan (kumulatif)"), "downloads", 11),
    (gettext_lazy("Berkala diperbarui bulan ini"), "refreshed", 12),
    (gettext_lazy("Berkala lewat batas pembaruan"), "overdue", 12),
    (gettext_lazy("Dokumen gagal dibaca"), "text_failed", 10),
)
#: The monitoring report's columns: header, field, XLSX width.
MONITORING_COLUMNS: tuple[tuple[str | Promise, str, int], ...] = (
    (gettext_lazy("Perangkat daerah"), "name", 40),
    (gettext_lazy("Entri ditetapkan"), "in_dip", 10),
    (gettext_lazy("Ditetapkan semester ini"), "established", 11),
    (gettext_lazy("Entri publik"), "public", 9),
    (gettext_lazy("Entri publik dengan dokumen"), "with_documents", 12),
    (gettext_lazy("Informasi berkala"), "berkala", 10),
    (gettext_lazy("Berkala mutakhir"), "berkala_current", 10),
    (gettext_lazy("Dikecualikan"), "exempt", 11),
    (gettext_lazy("Perlu uji konsekuensi ulang"), "retest_due", 13),
    (gettext_lazy("Pengajuan"), "submissions", 10),
    (gettext_lazy("Dikembalikan"), "returns", 11),
    (gettext_lazy("Putaran verifikasi"), "rounds", 11),
    (gettext_lazy("Unduhan semester ini"), "downloads_in_period", 11),
    (gettext_lazy("Unduhan (kumulatif)"), "downloads", 11),
    (gettext_lazy("Skor (0–100)"), "score", 9),
)


def availability_workbook(report: AvailabilityReport, title: str, heading: str) -> Workbook:
    note = _(
        "Keadaan per %(date)s. Unduhan: dalam bulan ini, dan kumulatif sejak entri diumumkan; "
        "entri DIP: ditetapkan sampai akhir bulan."
    ) % {"date": report.as_of.strftime("%d-%m-%Y")}
    return _table_workbook(
        _("Ketersediaan informasi"),
        [title, heading, note],
        AVAILABILITY_COLUMNS,
        [*report.rows, report.total],
    )


def monitoring_workbook(report: MonitoringReport, title: str, heading: str) -> Workbook:
    note = _(
        "Keadaan per %(date)s. Perlu uji konsekuensi ulang: pengecualian yang berakhir paling "
        "lambat %(retest)s. Skor: rata-rata persentase entri publik berdokumen, informasi "
        "berkala mutakhir dan informasi dikecualikan yang belum perlu diuji ulang."
    ) % {
        "date": report.as_of.strftime("%d-%m-%Y"),
        "retest": report.retest_by.strftime("%d-%m-%Y"),
    }
    return _table_workbook(
        _("Monitoring DIP"),
        [title, heading, note],
        MONITORING_COLUMNS,
        [*report.rows, report.total],
    )


def _table_workbook(
    name: str,
    lines: Sequence[str],
    columns: Sequence[tuple[str | Promise, str, int]],
    rows: Sequence[Any],
) -> Workbook:
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = name
    for line in lines:
        sheet.append([line])
    sheet.append([])
    sheet.append([str(header) for header, _field, _width in columns])
    header_row = sheet.max_row
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([getattr(row, field) for _header, field, _width in columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _widths(sheet, [width for _header, _field, width in columns])
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _landscape(sheet)
    return book


def report_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_pdf(render_to_string(template, context))


# Helpers ----------------------------------------------------------------------------------


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def html_pdf(html: str) -> bytes:
    # WeasyPrint reports every rendering step at INFO; keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _landscape(sheet: Worksheet) -> None:
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
