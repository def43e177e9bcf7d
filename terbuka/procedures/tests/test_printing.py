"""The printed SOP sheet: the pure flowchart layout, the HTML and the PDF (A4 landscape)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from terbuka.procedures.definition import SopDate, SopDefinition, load_sop, load_sop_text
from terbuka.procedures.printing import sop_sheet_html, sop_sheet_pdf
from terbuka.procedures.printing.layout import (
    PageLayout,
    Shape,
    SheetLayout,
    SymbolKind,
    layout_sheet,
    split_rows,
)
from terbuka.procedures.printing.render import (
    CONTENT_WIDTH,
    columns_for,
    css_string,
    format_date,
    sheet_context,
)

ROOT = Path(__file__).resolve().parents[3]
SOPS = ROOT / "sops"
ALL_SOPS = sorted(SOPS.glob("*.yaml"))
BATANG = SOPS / "batang-dpmptsp-si.yaml"
TEBING = SOPS / "tebingtinggi-dpmptsp-pdi.yaml"
JEPARA = SOPS / "jepara-diskominfo-002.yaml"

STEP_SYMBOLS = {
    "start": SymbolKind.TERMINATOR,
    "end": SymbolKind.TERMINATOR,
    "process": SymbolKind.PROCESS,
    "decision": SymbolKind.DECISION,
}


def long_sop(steps: int = 20, decision: int = 14, loop_to: int = 3, lanes: int = 3) -> str:
    """A made-up SOP long enough for three flowchart pages, with a loop across a page break."""
    lines = [
        "format: terbuka-sop/1",
        "id: uji-panjang",
        "name: SOP Uji Panjang",
        "number: 9/UJI/2024",
        "agency: {pemda: Pemerintah Kota Uji, opd: Dinas Uji, unit: Bidang Uji}",
        "lanes:",
    ]
    lines += [
        f"  - {{id: l{lane}, label: Lane {lane}, kind: internal, role: staf}}"
        for lane in range(lanes)
    ]
    lines.append("steps:")
    for no in range(1, steps + 1):
        symbol = (
            "start"
            if no == 1
            else "end"
            if no == steps
            else "decision"
            if no == decision
            else "process"
        )
        line = (
            f"  - {{no: {no}, id: s{no}, activity: Kegiatan nomor {no}, "
            f"lane: l{(no * 7) % lanes}, symbol: {symbol}"
        )
        if symbol == "decision":
            line += f", branches: [{{label: ya, to: s{no + 1}}}, {{label: tidak, to: s{loop_to}}}]"
        elif symbol != "end":
            line += f", next: s{no + 1}"
        lines.append(line + "}")
    return "\n".join(lines) + "\n"


def layout_of(definition: SopDefinition, **options: float) -> SheetLayout:
    return layout_sheet(definition, lane_width=25.0, body_height=150.0, **options)  # type: ignore[arg-type]


def shape_of(page: PageLayout, step_id: str) -> Shape:
    return next(shape for shape in page.shapes if shape.step_id == step_id)


def connector_shape(page: PageLayout, label: str) -> Shape:
    return next(
        shape for shape in page.shapes if shape.kind is SymbolKind.CONNECTOR and shape.text == label
    )


def touches(point: tuple[float, float], shape: Shape) -> bool:
    """The point lies on the border (or inside) of the shape's bounding box."""
    x, y = point
    return (
        abs(x - shape.x) <= shape.width / 2 + 1e-6 and abs(y - shape.y) <= shape.height / 2 + 1e-6
    )


# -- layout -----------------------------------------------------------------------------------


def test_split_rows_balances_pages():
    assert split_rows(8, 9) == [range(0, 8)]
    assert split_rows(14, 9) == [range(0, 7), range(7, 14)]
    assert split_rows(20, 9) == [range(0, 7), range(7, 14), range(14, 20)]
    assert split_rows(0, 9) == []


@pytest.mark.parametrize("path", ALL_SOPS, ids=lambda path: path.stem)
def test_every_step_gets_its_symbol_centred_in_its_lane(path):
    sop = load_sop(path)
    layout = layout_of(sop)

    assert [cell.step_id for cell in layout.cells] == [step.id for step in sop.steps]
    lanes = [lane.id for lane in sop.lanes]
    for cell, step in zip(layout.cells, sop.steps, strict=True):
        assert cell.kind is STEP_SYMBOLS[step.symbol]
        assert cell.lane == lanes.index(step.lane)
        page = layout.pages[cell.page]
        shape = shape_of(page, step.id)
        assert shape.kind is cell.kind
        assert shape.x == pytest.approx((cell.lane + 0.5) * layout.lane_width)
        assert shape.y == pytest.approx(page.row_top(cell.page_row) + layout.row_height / 2)
        assert shape.width < layout.lane_width
        assert shape.height < layout.row_height
    assert layout.cells[0].text == "Mulai"
    assert {cell.text for cell in layout.cells if cell.step_id in {s.id for s in sop.ends}} == {
        "Selesai"
    }


@pytest.mark.parametrize("path", [*ALL_SOPS, None], ids=lambda path: path.stem if path else "long")
def test_only_the_five_symbols_and_no_arrow_runs_through_a_symbol(path):
    sop = load_sop(path) if path else load_sop_text(long_sop(), "long.yaml")
    layout = layout_of(sop)

    for page in layout.pages:
        assert {shape.kind for shape in page.shapes} <= set(SymbolKind)
        assert "circle" not in {str(kind) for kind in SymbolKind}
        for path_ in page.paths:
            ends = [s for s in page.shapes if touches(path_.points[0], s)]
            ends += [s for s in page.shapes if touches(path_.points[-1], s)]
            for start, stop in zip(path_.points, path_.points[1:], strict=False):
                # elbow lines only: every segment is vertical or horizontal
                assert start[0] == pytest.approx(stop[0]) or start[1] == pytest.approx(stop[1])
                for shape in page.shapes:
                    if shape in ends:
                        continue
                    assert not _crosses(start, stop, shape), (path_, shape)


def _crosses(start: tuple[float, float], stop: tuple[float, float], shape: Shape) -> bool:
    left, right = shape.x - shape.width / 2 + 0.2, shape.x + shape.width / 2 - 0.2
    top, bottom = shape.y - shape.height / 2 + 0.2, shape.y + shape.height / 2 - 0.2
    (x0, y0), (x1, y1) = start, stop
    if x0 == pytest.approx(x1):
        low, high = sorted((y0, y1))
        return left < x0 < right and low < bottom and high > top
    low, high = sorted((x0, x1))
    return top < y0 < bottom and low < right and high > left


@pytest.mark.parametrize("path", ALL_SOPS, ids=lambda path: path.stem)
def test_an_edge_and_an_arrow_for_every_next_and_branch(path):
    sop = load_sop(path)
    layout = layout_of(sop)

    expected: list[tuple[str, str, str | None]] = []
    for step in sop.steps:
        if step.next:
            expected.append((step.id, step.next, None))
        expected += [(step.id, branch.to, branch.label) for branch in step.branches]
    assert [(edge.source, edge.target, edge.label) for edge in layout.edges] == expected

    for index, edge in enumerate(layout.edges):
        source = layout.cells[edge.source_cell.row]
        target = layout.cells[edge.target_cell.row]
        paths = [(page, p) for page in layout.pages for p in page.paths if p.edge == index]
        if source.page == target.page:
            assert len(paths) == 1
            page, arrow = paths[0]
            assert touches(arrow.points[0], shape_of(page, edge.source))
            assert touches(arrow.points[-1], shape_of(page, edge.target))
        else:
            assert len(paths) == 2  # up to the connector, and on from its pair
        for _, arrow in paths:
            assert arrow.arrowhead[0] == arrow.points[-1]


def test_decision_branches_carry_their_labels_and_loop_back():
    sop = load_sop(TEBING)
    layout = layout_of(sop)

    decision = next(cell for cell in layout.cells if cell.step_id == "periksa_data")
    assert decision.kind is SymbolKind.DECISION
    branches = {edge.label: edge for edge in layout.edges if edge.source == "periksa_data"}
    assert set(branches) == {"sudah benar", "belum benar"}
    assert branches["sudah benar"].target == "terbitkan_publikasi"
    assert not branches["sudah benar"].loop
    loop = branches["belum benar"]
    assert loop.target == "olah_data"
    assert loop.loop

    page = layout.pages[0]
    labels = {" ".join(label.lines): label for label in page.labels}
    assert set(labels) == {"sudah benar", "belum benar"}
    edges = list(layout.edges)
    loop_path = next(p for p in page.paths if edges[p.edge] is loop)
    assert loop_path.points[-1][1] < loop_path.points[0][1]  # it runs back up
    assert touches(loop_path.points[-1], shape_of(page, "olah_data"))
    # each label sits next to where its branch leaves the diamond
    diamond = shape_of(page, "periksa_data")
    for label in page.labels:
        assert abs(label.y - diamond.y) < diamond.height
        assert abs(label.x - diamond.x) < diamond.width


def test_page_break_ends_arrows_at_paired_off_page_connectors():
    sop = load_sop(JEPARA)
    layout = layout_of(sop, max_rows_per_page=9)

    assert [len(page.rows) for page in layout.pages] == [7, 7]
    first, second = layout.pages
    assert first.bottom_band
    assert not first.top_band
    assert second.top_band
    assert not second.bottom_band
    out, into = layout.connectors
    assert out.label == into.label == "A"
    assert (out.page, out.band, out.outgoing) == (0, "bottom", True)
    assert (into.page, into.band, into.outgoing) == (1, "top", False)
    edge = layout.edges[out.edge]
    assert (edge.source, edge.target) == ("laporkan_verifikasi", "tetapkan_klasifikasi")
    leaving = next(p for p in first.paths if p.edge == out.edge)
    assert touches(leaving.points[-1], connector_shape(first, "A"))
    arriving = next(p for p in second.paths if p.edge == out.edge)
    assert touches(arriving.points[0], connector_shape(second, "A"))
    assert touches(arriving.points[-1], shape_of(second, "tetapkan_klasifikasi"))
    # the connector stands in the band: below the last row, above the first
    assert connector_shape(first, "A").y > first.row_top(len(first.rows))
    assert connector_shape(second, "A").y < second.row_top(0)


def test_loop_across_a_page_break_gets_its_own_pair_of_connectors():
    sop = load_sop_text(long_sop(), "long.yaml")
    layout = layout_of(sop, max_rows_per_page=9)

    assert [len(page.rows) for page in layout.pages] == [7, 7, 6]
    labels = [connector.label for connector in layout.connectors]
    assert sorted(set(labels)) == ["A", "B", "C"]
    for label in set(labels):
        pair = [c for c in layout.connectors if c.label == label]
        assert len(pair) == 2
        assert {c.outgoing for c in pair} == {True, False}
        assert pair[0].edge == pair[1].edge
        for connector in pair:
            page = layout.pages[connector.page]
            assert connector_shape(page, label).kind is SymbolKind.CONNECTOR
            assert connector in page.connectors
    loop = next(c for c in layout.connectors if layout.edges[c.edge].loop and c.outgoing)
    assert (loop.page, loop.band) == (1, "top")
    back = next(c for c in layout.connectors if c.label == loop.label and not c.outgoing)
    assert (back.page, back.band) == (0, "bottom")
    # every page keeps the same row height, within the body height
    for page in layout.pages:
        assert page.row_height == layout.row_height
        assert page.height <= 150.0 + 1e-6


def test_short_sop_has_one_page_and_no_connectors():
    layout = layout_of(load_sop(TEBING))

    assert len(layout.pages) == 1
    assert layout.connectors == ()
    assert not layout.pages[0].top_band
    assert not layout.pages[0].bottom_band
    assert all(shape.kind is not SymbolKind.CONNECTOR for shape in layout.pages[0].shapes)


# -- HTML -------------------------------------------------------------------------------------


def identity_value(page: str, label: str) -> str:
    match = re.search(
        rf'<th class="key">{re.escape(label)}</th>\s*<td[^>]*>(.*?)</td>', page, re.DOTALL
    )
    assert match, label
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    return text.removeprefix(":").strip()


def section_items(page: str, heading: str) -> list[str]:
    """The items under one of the six headings (the cell below it, left or right)."""
    pattern = r'<tr class="section"><th>(.*?)</th><th>(.*?)</th></tr>\s*<tr class="section">'
    pattern += r"\s*<td>(.*?)</td>\s*<td>(.*?)</td>"
    for match in re.finditer(pattern, page, re.DOTALL):
        left, right, left_cell, right_cell = match.groups()
        if heading in (left, right):
            cell = left_cell if heading == left else right_cell
            items = re.findall(r"<(?:li|p)>(.*?)</(?:li|p)>", cell, re.DOTALL)
            return [html.unescape(item) for item in items]
    raise AssertionError(heading)


IDENTITY_LABELS = [
    "Nomor SOP",
    "Tanggal Pembuatan",
    "Tanggal Revisi",
    "Tanggal Pengesahan",
    "Disahkan oleh",
    "Nama SOP",
]
SECTION_HEADINGS = [
    "Dasar Hukum",
    "Kualifikasi Pelaksana",
    "Keterkaitan",
    "Peralatan/Perlengkapan",
    "Peringatan",
    "Pencatatan dan Pendataan",
]


@pytest.mark.parametrize("lanes", range(1, 9))
def test_columns_fill_the_printable_width(lanes):
    columns = columns_for(lanes)

    assert columns.total == pytest.approx(CONTENT_WIDTH)
    assert columns.lane <= 30.0
    assert columns.activity >= 58.0


def test_format_date_prints_day_month_or_year():
    assert format_date(SopDate(2019, 10, 20)) == "20 Oktober 2019"
    assert format_date(SopDate(2024, 3)) == "Maret 2024"
    assert format_date(SopDate(2024)) == "2024"
    assert format_date(None) == ""


def test_identity_block_of_tebing_tinggi():
    sop = load_sop(TEBING)
    page = sop_sheet_html(sop)

    for label in IDENTITY_LABELS:
        assert f'<th class="key">{label}</th>' in page
    assert identity_value(page, "Nomor SOP") == ""
    assert identity_value(page, "Tanggal Pembuatan") == "Maret 2024"
    assert identity_value(page, "Tanggal Revisi") == "Maret 2024"
    assert identity_value(page, "Tanggal Pengesahan") == "Maret 2024"
    approval = identity_value(page, "Disahkan oleh")
    assert approval == (
        "Plt. Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Tebing Tinggi "
        "Amris Siahaan, S.Pd, M.Si Pembina TK.I NIP. 196910071998021002"
    )
    assert identity_value(page, "Nama SOP") == "Pelaksanaan Pengelolaan Data dan Informasi"
    assert "Pemerintah Kota Tebing Tinggi" in page
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in page
    assert section_items(page, "Dasar Hukum") == list(sop.legal_basis)
    assert section_items(page, "Kualifikasi Pelaksana") == list(sop.qualifications)
    assert section_items(page, "Keterkaitan") == ["SOP Pengelolaan Data"]
    assert section_items(page, "Peralatan/Perlengkapan") == list(sop.equipment)
    assert section_items(page, "Peringatan") == list(sop.warning)
    assert section_items(page, "Pencatatan dan Pendataan") == list(sop.recording)
    assert page.count("<ol>") >= 3  # numbered lists where there is more than one item


def test_identity_block_of_batang_leaves_blank_what_the_sheet_leaves_blank():
    sop = load_sop(BATANG)
    page = sop_sheet_html(sop)

    for label in IDENTITY_LABELS:
        assert identity_value(page, label) == ("" if label != "Nama SOP" else sop.name)
    assert "Pemerintah Kabupaten Batang" in page
    for heading in SECTION_HEADINGS:
        assert f"<th>{heading}</th>" in page
    assert section_items(page, "Dasar Hukum") == list(sop.legal_basis)
    assert len(sop.legal_basis) == 8
    assert section_items(page, "Kualifikasi Pelaksana") == list(sop.qualifications)
    assert section_items(page, "Keterkaitan") == []
    assert section_items(page, "Peringatan") == []
    assert section_items(page, "Peralatan/Perlengkapan") == list(sop.equipment)
    assert section_items(page, "Pencatatan dan Pendataan") == ["Disimpan sebagai data manual"]


def test_identity_block_prints_full_dates():
    page = sop_sheet_html(load_sop(JEPARA))

    assert identity_value(page, "Nomor SOP") == "002/DISKOMINFO/X/2018"
    assert identity_value(page, "Tanggal Pembuatan") == "2 Oktober 2018"
    assert identity_value(page, "Tanggal Revisi") == ""
    assert identity_value(page, "Tanggal Pengesahan") == "2 Oktober 2018"


@pytest.mark.parametrize("path", [BATANG, TEBING, JEPARA], ids=lambda path: path.stem)
def test_flowchart_table_has_every_activity_and_the_lanes_in_order(path):
    sop = load_sop(path)
    page = sop_sheet_html(sop)
    context = sheet_context(sop)

    for step in sop.steps:
        assert html.escape(step.activity) in page
        for text in (*step.inputs, step.output, step.note, step.time):
            if text:
                assert html.escape(text) in page
    flow_pages = page.split('<section class="sheet-page flow-page"')[1:]
    assert len(flow_pages) == len(context["pages"])
    for flow_page in flow_pages:
        headings = re.findall(r'<th class="lane">(.*?)</th>', flow_page, re.DOTALL)
        assert [html.unescape(h) for h in headings] == [lane.label for lane in sop.lanes]
        for heading in ("No", "Kegiatan", "Pelaksana", "Mutu Baku", "Keterangan"):
            assert f">{heading}</th>" in flow_page
        for heading in ("Kelengkapan", "Waktu", "Output"):
            assert f"<th>{heading}</th>" in flow_page
        assert flow_page.count("<svg") == 1  # one overlay per page
    rows = re.findall(r'<tr class="step" data-step="([^"]+)"', page)
    assert rows == [step.id for step in sop.steps]


def test_sheet_html_draws_symbols_without_circles_and_sets_the_page():
    sop = load_sop(TEBING)
    page = sop_sheet_html(sop)

    assert "<circle" not in page
    assert "<ellipse" not in page
    assert page.count('class="terminator"') == 2
    assert page.count('class="decision"') == 1
    assert page.count('class="process"') == 5
    assert page.count("<polyline") == len(layout_of(sop).edges)
    assert "belum benar" in page
    assert "sudah benar" in page
    assert "size: A4 landscape" in page
    assert '"Halaman " counter(page) " dari " counter(pages)' in page
    assert "SOP: Pelaksanaan Pengelolaan Data dan Informasi" in page
    assert 'href="http' not in page
    assert "<link" not in page
    assert "<img" not in page


def test_off_page_connectors_appear_in_the_html():
    page = sop_sheet_html(load_sop(JEPARA))

    assert page.count('class="connector"') == 2
    assert page.count('<tr class="band"') == 2


def test_css_string_escapes_quotes_and_markup():
    text = css_string('SOP "x" </style><b>\\')

    assert text.startswith('"')
    assert text.endswith('"')
    inner = text[1:-1]
    assert '"' not in inner
    assert "<" not in inner
    assert ">" not in inner
    for escape in ("\\22 ", "\\3c ", "\\3e ", "\\5c "):
        assert escape in inner


# -- PDF --------------------------------------------------------------------------------------


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} (poppler-utils) is not installed; scripts/test installs it")
    return path


@pytest.mark.parametrize("path", ALL_SOPS, ids=lambda path: path.stem)
def test_pdf_is_a4_landscape_and_not_blank(path, tmp_path):
    sop = load_sop(path)
    pdf = sop_sheet_pdf(sop)

    assert pdf.startswith(b"%PDF-")
    target = tmp_path / "sheet.pdf"
    target.write_bytes(pdf)
    info = subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_poppler("pdfinfo"), str(target)], capture_output=True, text=True, check=True
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size, info
    width, height = float(size.group(1)), float(size.group(2))
    assert width == pytest.approx(841.89, abs=0.5)  # 297 mm
    assert height == pytest.approx(595.28, abs=0.5)  # 210 mm
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages == 1 + len(sheet_context(sop)["pages"])  # identity page, then the flowchart

    subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_poppler("pdftoppm"), "-png", "-r", "50", str(target), str(tmp_path / "page")],
        check=True,
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image_path in (images[0], images[-1]):
        with Image.open(image_path) as image:
            assert image.width > image.height
            dark = sum(image.convert("L").histogram()[:100])
            assert dark > 500  # black lines and text on a white page
