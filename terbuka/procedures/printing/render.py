"""The printed SOP sheet (PermenPAN-RB 35/2012) as HTML and as PDF (A4 landscape).

    >>> from terbuka.procedures.definition import load_sop
    >>> from terbuka.procedures.printing import sop_sheet_html, sop_sheet_pdf
    >>> sop = load_sop("sops/tebingtinggi-dpmptsp-pdi.yaml")
    >>> html = sop_sheet_html(sop)
    >>> pdf = sop_sheet_pdf(sop)  # bytes, through WeasyPrint

The sheet has an identity page (agency, number, dates, approval, name, then Dasar Hukum,
Kualifikasi Pelaksana, Keterkaitan, Peralatan/Perlengkapan, Peringatan, Pencatatan dan
Pendataan) and flowchart pages. The flowchart table has fixed column widths and row heights
(text is fitted to its cell), and one SVG per page, laid over the lane columns, draws the
symbols and arrows computed by :mod:`.layout`.

The template is rendered with a module-level template engine that looks in this app's
``templates`` folder, so the sheet renders whether or not ``terbuka.procedures`` is in
``INSTALLED_APPS``. Everything the template shows is prepared here as text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import SafeString, mark_safe

from ..definition.model import SopDate, SopDefinition, Step
from .layout import Label, PageLayout, Point, Shape, SheetLayout, SymbolKind, layout_sheet

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "procedures/sheet.html"

ENGINE = Engine(dirs=[str(TEMPLATES_DIR)], app_dirs=False, autoescape=True, debug=False)

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

# Page and table geometry, in millimetres (A4 landscape).
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 8.0, 9.0, 13.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CONTENT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
TITLE_HEIGHT = 8.0
HEAD_TOP_HEIGHT = 6.0
HEAD_NUMBERS_HEIGHT = 4.5
SAFETY = 5.0
"""Height kept free under the flowchart so that a page never overflows."""
BAND_HEIGHT = 10.0
MAX_ROWS_PER_PAGE = 9
MAX_ROW_HEIGHT = 24.0
CELL_PAD_X, CELL_PAD_Y = 1.0, 0.8
BORDER = 0.25

COL_NO, COL_TIME, COL_NOTE, COL_INPUTS, COL_OUTPUT = 8.0, 15.0, 24.0, 32.0, 28.0
ACTIVITY_MIN = 58.0
LANE_MAX = 30.0

PT = 25.4 / 72  # one point in millimetres
TEXT_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)
"""Font sizes (pt) tried, largest first, to fit a text cell."""
CHAR_WIDTH = 0.53
"""Average glyph width of Liberation Sans / DejaVu Sans text, in em (a safe estimate)."""
LINE_HEIGHT = 1.15


@dataclass(frozen=True, slots=True)
class Columns:
    no: float
    activity: float
    lane: float
    lanes: int
    inputs: float
    time: float
    output: float
    note: float

    @property
    def lanes_left(self) -> float:
        return self.no + self.activity

    @property
    def total(self) -> float:
        fixed = self.no + self.activity + self.inputs + self.time + self.output + self.note
        return fixed + self.lane * self.lanes


def columns_for(lanes: int) -> Columns:
    fixed = COL_NO + COL_TIME + COL_NOTE + COL_INPUTS + COL_OUTPUT
    free = CONTENT_WIDTH - fixed
    lane = min(LANE_MAX, (free - ACTIVITY_MIN) / lanes)
    surplus = free - ACTIVITY_MIN - lane * lanes
    return Columns(
        no=COL_NO,
        activity=ACTIVITY_MIN + surplus * 0.5,
        lane=lane,
        lanes=lanes,
        inputs=COL_INPUTS + surplus * 0.25,
        time=COL_TIME,
        output=COL_OUTPUT + surplus * 0.25,
        note=COL_NOTE,
    )


# -- text ------------------------------------------------------------------------------------


def format_date(value: SopDate | None) -> str:
    """``20 Oktober 2019``, ``Maret 2024``, ``2024``, or empty for no date."""
    if value is None:
        return ""
    if value.month is None:
        return f"{value.year}"
    month = MONTHS[value.month - 1]
    if value.day is None:
        return f"{month} {value.year}"
    return f"{value.day} {month} {value.year}"


def estimated_lines(text: str, width_mm: float, size_pt: float) -> int:
    """How many lines ``text`` takes in a box ``width_mm`` wide (an estimate)."""
    per_line = max(1, int(width_mm / (size_pt * PT * CHAR_WIDTH)))
    total = 0
    for paragraph in text.split("\n"):
        line = 0
        count = 1
        for word in paragraph.split():
            length = len(word)
            while length > per_line:  # a long word breaks anywhere
                if line:
                    count += 1
                count += 1
                length -= per_line
                line = 0
            if line and line + 1 + length > per_line:
                count += 1
                line = length
            else:
                line = line + 1 + length if line else length
        total += count
    return total


def fit_size(text: str, width_mm: float, height_mm: float) -> float:
    """The largest font size (pt) at which ``text`` fits the box, or the smallest size."""
    for size in TEXT_SIZES:
        lines = estimated_lines(text, width_mm, size)
        if lines * size * LINE_HEIGHT * PT <= height_mm:
            return size
    return TEXT_SIZES[-1]


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    out = []
    for char in text:
        if char.isalnum() or char in " .,-:/()":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return mark_safe('"' + "".join(out) + '"')


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(points: tuple[Point, ...] | list[Point]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


# -- the context ------------------------------------------------------------------------------


def _lines(items: tuple[str, ...]) -> dict[str, Any]:
    return {"items": list(items), "numbered": len(items) > 1}


def _identity(definition: SopDefinition) -> dict[str, Any]:
    approval = definition.approved_by
    return {
        "pemda": definition.agency.pemda,
        "opd": definition.agency.opd,
        "unit": definition.agency.unit or "",
        "number": definition.number or "",
        "made": format_date(definition.dates.made),
        "revised": format_date(definition.dates.revised),
        "effective": format_date(definition.dates.effective),
        "approval": (
            {
                "position": approval.position,
                "name": approval.name or "",
                "rank": approval.rank or "",
                "nip": approval.nip or "",
            }
            if approval
            else None
        ),
        "name": definition.name,
        "legal_basis": _lines(definition.legal_basis),
        "qualifications": _lines(definition.qualifications),
        "related_sops": _lines(definition.related_sops),
        "equipment": _lines(definition.equipment),
        "warning": _lines(definition.warning),
        "recording": _lines(definition.recording),
    }


def _cell(text: str, width: float, height: float) -> dict[str, Any]:
    inner_w = width - 2 * CELL_PAD_X - BORDER
    inner_h = height - 2 * CELL_PAD_Y - BORDER
    return {
        "lines": text.split("\n") if text else [],
        "size": _num(fit_size(text, inner_w, inner_h)),
    }


def _step_row(step: Step, columns: Columns, height: float) -> dict[str, Any]:
    return {
        "kind": "step",
        "id": step.id,
        "no": "" if step.no is None else str(step.no),
        "activity": _cell(step.activity, columns.activity, height),
        "inputs": _cell("\n".join(step.inputs), columns.inputs, height),
        "time": _cell(step.time or "", columns.time, height),
        "output": _cell(step.output or "", columns.output, height),
        "note": _cell(step.note or "", columns.note, height),
    }


def _shape(shape: Shape) -> dict[str, Any]:
    x, y, w, h = shape.x, shape.y, shape.width, shape.height
    data: dict[str, Any] = {
        "kind": str(shape.kind),
        "step_id": shape.step_id or "",
        "text": shape.text,
        "x": _num(x),
        "left": _num(x - w / 2),
        "top": _num(y - h / 2),
        "width": _num(w),
        "height": _num(h),
        "radius": _num(h / 2),
    }
    if shape.kind is SymbolKind.DECISION:
        data["points"] = _points([(x, y - h / 2), (x + w / 2, y), (x, y + h / 2), (x - w / 2, y)])
    elif shape.kind is SymbolKind.CONNECTOR:
        shoulder = y - h / 2 + 0.6 * h
        data["points"] = _points(
            [
                (x - w / 2, y - h / 2),
                (x + w / 2, y - h / 2),
                (x + w / 2, shoulder),
                (x, y + h / 2),
                (x - w / 2, shoulder),
            ]
        )
    size = 2.2 if shape.kind is not SymbolKind.CONNECTOR else 2.6
    if shape.text:
        size = min(size, w / (len(shape.text) * 0.6))
    text_y = y if shape.kind is not SymbolKind.CONNECTOR else y - h / 2 + 0.3 * h
    data["text_size"] = _num(size)
    data["text_y"] = _num(text_y + size * 0.35)
    return data


def _label(label: Label) -> dict[str, Any]:
    return {
        "x": _num(label.x),
        "y": _num(label.y),
        "anchor": label.anchor,
        "size": _num(label.size),
        "first": label.lines[0],
        "more": [{"text": line, "dy": _num(label.size * 1.1)} for line in label.lines[1:]],
    }


def _flow_page(
    page: PageLayout, definition: SopDefinition, columns: Columns, count: int
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    if page.top_band:
        rows.append({"kind": "band", "height": _num(page.band_height)})
    for row in page.rows:
        item = _step_row(definition.steps[row], columns, page.row_height)
        item["height"] = _num(page.row_height)
        item["inner"] = _num(page.row_height - 2 * CELL_PAD_Y - BORDER)
        rows.append(item)
    if page.bottom_band:
        rows.append({"kind": "band", "height": _num(page.band_height)})
    return {
        "number": page.index + 1,
        "count": count,
        "rows": rows,
        "svg": {
            "left": _num(columns.lanes_left),
            "width": _num(page.width),
            "height": _num(page.height),
            "shapes": [_shape(shape) for shape in page.shapes],
            "paths": [
                {"points": _points(path.points), "head": _points(path.arrowhead)}
                for path in page.paths
            ],
            "labels": [_label(label) for label in page.labels],
        },
    }


def _lane_heading(definition: SopDefinition, width: float) -> tuple[float, float]:
    """Font size (pt) and row height (mm) for the lane headings."""
    inner = width - 2 * CELL_PAD_X - BORDER
    for size in (7.0, 6.5, 6.0, 5.5, 5.0):
        lines = max(estimated_lines(lane.label, inner, size) for lane in definition.lanes)
        height = lines * size * LINE_HEIGHT * PT + 2 * CELL_PAD_Y + 1.0
        if height <= 20.0:
            return size, max(11.0, height)
    return 5.0, 20.0


def sheet_context(definition: SopDefinition) -> dict[str, Any]:
    """Everything the sheet template shows, as text and pre-computed numbers."""
    columns = columns_for(len(definition.lanes))
    lane_size, lane_head = _lane_heading(definition, columns.lane)
    head_height = HEAD_TOP_HEIGHT + lane_head + HEAD_NUMBERS_HEIGHT
    body_height = CONTENT_HEIGHT - TITLE_HEIGHT - head_height - SAFETY
    layout: SheetLayout = layout_sheet(
        definition,
        lane_width=columns.lane,
        body_height=body_height,
        max_rows_per_page=MAX_ROWS_PER_PAGE,
        max_row_height=MAX_ROW_HEIGHT,
        band_height=BAND_HEIGHT,
    )
    number = definition.number
    footer = f"SOP {number}: {definition.name}" if number else f"SOP: {definition.name}"
    widths = (
        [columns.no, columns.activity]
        + [columns.lane] * columns.lanes
        + [columns.inputs, columns.time, columns.output, columns.note]
    )
    return {
        "sop": definition,
        "title": f"SOP {definition.name}",
        "footer_css": css_string(footer),
        "identity": _identity(definition),
        "lanes": [lane.label for lane in definition.lanes],
        "lane_count": len(definition.lanes),
        "lane_size": _num(lane_size),
        "column_numbers": list(range(1, len(widths) + 1)),
        "col_widths": [_num(width) for width in widths],
        "table_width": _num(sum(widths)),
        "head": {
            "top": _num(HEAD_TOP_HEIGHT),
            "lanes": _num(lane_head),
            "numbers": _num(HEAD_NUMBERS_HEIGHT),
        },
        "title_height": _num(TITLE_HEIGHT),
        "pad_x": _num(CELL_PAD_X),
        "pad_y": _num(CELL_PAD_Y),
        "border": _num(BORDER),
        "page": {
            "width": _num(PAGE_WIDTH),
            "height": _num(PAGE_HEIGHT),
            "margin_top": _num(MARGIN_TOP),
            "margin_side": _num(MARGIN_SIDE),
            "margin_bottom": _num(MARGIN_BOTTOM),
        },
        "pages": [
            _flow_page(page, definition, columns, len(layout.pages)) for page in layout.pages
        ],
        "layout": layout,
        "inner_offset": _num(2 * CELL_PAD_Y + BORDER),
    }


def sop_sheet_html(definition: SopDefinition) -> str:
    """The sheet as a self-contained HTML document (CSS and SVG inline, no assets)."""
    template = ENGINE.get_template(TEMPLATE_NAME)
    return template.render(Context(sheet_context(definition), autoescape=True))


def sop_sheet_pdf(definition: SopDefinition) -> bytes:
    """The sheet as a PDF, A4 landscape, through WeasyPrint."""
    # WeasyPrint reports every rendering step at INFO; keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    pdf = HTML(string=sop_sheet_html(definition), base_url=str(TEMPLATES_DIR)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
