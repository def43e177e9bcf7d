"""The flowchart of an SOP sheet as pure geometry: pages, rows, symbols, arrows, connectors.

Nothing here touches Django. :func:`layout_sheet` places every step of a
:class:`~terbuka.procedures.definition.SopDefinition` in its row and lane column, with the
symbol PermenPAN-RB 35/2012 prescribes (terminator, process box, decision diamond), draws an
elbow arrow for every ``next`` and decision branch (branch labels included, loops back to an
earlier row too), splits the rows over pages and, where an arrow crosses a page break, ends
it at an off-page connector (pentagon) and picks it up again at the matching one on the
other page. There are no on-page circle connectors.

All coordinates are millimetres inside the lane columns area of one page (the SVG overlay):
``x`` from the left edge of the first lane column, ``y`` from the top of the first body row
(the connector band, if the page has one). Shapes are given by their centre.
"""

from __future__ import annotations

import itertools
import math
import string
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from ..definition.model import SopDefinition
from ..definition.vocab import Symbol

Point = tuple[float, float]
Side = Literal["top", "bottom", "left", "right"]
Band = Literal["top", "bottom"]


class SymbolKind(StrEnum):
    """The shapes a sheet may carry: the PermenPAN-RB symbols, without the on-page circle."""

    TERMINATOR = "terminator"
    """Rounded capsule: the first (``start``) and last (``end``) activity."""
    PROCESS = "process"
    DECISION = "decision"
    CONNECTOR = "connector"
    """Off-page connector (pentagon) where an arrow crosses a page break."""


SYMBOL_OF_STEP = {
    Symbol.START: SymbolKind.TERMINATOR,
    Symbol.END: SymbolKind.TERMINATOR,
    Symbol.PROCESS: SymbolKind.PROCESS,
    Symbol.DECISION: SymbolKind.DECISION,
}
TERMINATOR_TEXT = {Symbol.START: "Mulai", Symbol.END: "Selesai"}

# Sizes, in millimetres.
CHANNEL_OFFSET = 1.3
"""Distance from a lane border of the first vertical channel along it."""
CHANNEL_STEP = 0.9
"""Distance between two channels along the same lane border."""
SYMBOL_MARGIN = 3.4
"""Room kept free on both sides of a symbol for the channels."""
ARROW_LENGTH = 1.8
ARROW_HALF_WIDTH = 0.75
LABEL_SIZE = 2.1
"""Font size of branch labels."""
LABEL_WRAP = 22
"""Characters per line of a branch label, at least."""
LABEL_CHAR_WIDTH = 0.52
"""Average glyph width of a label, in em."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A place in the flowchart: a row (the step's index in printed order) and lane column."""

    row: int
    lane: int


@dataclass(frozen=True, slots=True)
class SymbolCell:
    """Where a step's symbol goes."""

    step_id: str
    row: int
    lane: int
    kind: SymbolKind
    text: str
    page: int
    """Index of the flowchart page (0 for the first)."""
    page_row: int
    """Row index on that page."""


@dataclass(frozen=True, slots=True)
class Edge:
    """An arrow of the flow: a step's ``next``, or one branch of a decision."""

    source: str
    target: str
    label: str | None
    source_cell: Cell
    target_cell: Cell

    @property
    def loop(self) -> bool:
        """The arrow goes back to the same or an earlier row."""
        return self.target_cell.row <= self.source_cell.row


@dataclass(frozen=True, slots=True)
class OffPageConnector:
    """One end of an arrow that crosses a page break (they come in pairs of one label)."""

    label: str
    edge: int
    """Index into :attr:`SheetLayout.edges`."""
    page: int
    band: Band
    """The band of the page it sits in: above the first row or below the last."""
    lane: int
    outgoing: bool
    """True where the arrow leaves the page, False where it comes in."""


@dataclass(frozen=True, slots=True)
class Shape:
    kind: SymbolKind
    x: float
    y: float
    width: float
    height: float
    text: str = ""
    step_id: str | None = None


@dataclass(frozen=True, slots=True)
class Path:
    """An elbow line (vertical and horizontal segments) ending in an arrowhead."""

    points: tuple[Point, ...]
    arrowhead: tuple[Point, Point, Point]
    edge: int


@dataclass(frozen=True, slots=True)
class Label:
    """A branch label (``ya``, ``sudah benar`` ...), set next to where the branch leaves."""

    x: float
    y: float
    lines: tuple[str, ...]
    anchor: Literal["start", "end"]
    edge: int
    size: float = LABEL_SIZE


@dataclass(frozen=True, slots=True)
class PageLayout:
    index: int
    rows: tuple[int, ...]
    """The global rows (step indexes) printed on this page, in order."""
    top_band: bool
    bottom_band: bool
    row_height: float
    band_height: float
    width: float
    height: float
    shapes: tuple[Shape, ...]
    paths: tuple[Path, ...]
    labels: tuple[Label, ...]
    connectors: tuple[OffPageConnector, ...]

    def row_top(self, page_row: int) -> float:
        return (self.band_height if self.top_band else 0.0) + page_row * self.row_height


@dataclass(frozen=True, slots=True)
class SheetLayout:
    lane_count: int
    lane_width: float
    row_height: float
    band_height: float
    cells: tuple[SymbolCell, ...]
    """One per step, in printed order."""
    edges: tuple[Edge, ...]
    pages: tuple[PageLayout, ...]
    connectors: tuple[OffPageConnector, ...]


def split_rows(count: int, max_rows: int) -> list[range]:
    """Split ``count`` rows over as few pages as possible, as evenly as possible."""
    if count <= 0:
        return []
    pages = math.ceil(count / max(1, max_rows))
    base, extra = divmod(count, pages)
    result, start = [], 0
    for index in range(pages):
        size = base + (1 if index < extra else 0)
        result.append(range(start, start + size))
        start += size
    return result


def wrap(text: str, width: int) -> tuple[str, ...]:
    """Greedy word wrap (a word longer than ``width`` gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return tuple(lines) or ("",)


def layout_sheet(
    definition: SopDefinition,
    *,
    lane_width: float = 25.0,
    body_height: float = 150.0,
    max_rows_per_page: int = 8,
    max_row_height: float = 24.0,
    band_height: float = 10.0,
) -> SheetLayout:
    """Lay out the flowchart of ``definition``.

    ``body_height`` is the height available on a page for the step rows and connector
    bands; rows get a fixed height, the same on every page, at most ``max_row_height``.
    """
    steps = definition.steps
    lane_index = {lane.id: index for index, lane in enumerate(definition.lanes)}
    row_of = {step.id: index for index, step in enumerate(steps)}
    page_ranges = split_rows(len(steps), max_rows_per_page)
    page_of: dict[int, tuple[int, int]] = {}
    for page_index, rows in enumerate(page_ranges):
        for page_row, row in enumerate(rows):
            page_of[row] = (page_index, page_row)

    cells = tuple(
        SymbolCell(
            step_id=step.id,
            row=row,
            lane=lane_index[step.lane],
            kind=SYMBOL_OF_STEP[step.symbol],
            text=TERMINATOR_TEXT.get(step.symbol, ""),
            page=page_of[row][0],
            page_row=page_of[row][1],
        )
        for row, step in enumerate(steps)
    )
    edges: list[Edge] = []
    for row, step in enumerate(steps):
        pairs: list[tuple[str, str | None]] = (
            [(step.next, None)]
            if step.next is not None
            else [(branch.to, branch.label) for branch in step.branches]
        )
        for target, label in pairs:
            target_row = row_of[target]
            edges.append(
                Edge(
                    source=step.id,
                    target=target,
                    label=label,
                    source_cell=Cell(row, cells[row].lane),
                    target_cell=Cell(target_row, cells[target_row].lane),
                )
            )

    # Off-page connectors, in pairs: forward arrows leave at the bottom of their page and
    # come in at the top of the target's; loops back leave at the top and come in below.
    connectors: list[OffPageConnector] = []
    pair_labels = iter(_connector_labels())
    for index, edge in enumerate(edges):
        source_page = cells[edge.source_cell.row].page
        target_page = cells[edge.target_cell.row].page
        if source_page == target_page:
            continue
        label = next(pair_labels)
        forward = target_page > source_page
        connectors.append(
            OffPageConnector(
                label, index, source_page, "bottom" if forward else "top", -1, outgoing=True
            )
        )
        connectors.append(
            OffPageConnector(
                label, index, target_page, "top" if forward else "bottom", -1, outgoing=False
            )
        )

    bands = {
        page: (
            any(c.page == page and c.band == "top" for c in connectors),
            any(c.page == page and c.band == "bottom" for c in connectors),
        )
        for page in range(len(page_ranges))
    }
    row_height = max_row_height
    for page, rows in enumerate(page_ranges):
        free = body_height - band_height * sum(bands[page])
        row_height = min(row_height, free / len(rows))

    router_pages = [
        _PageRouter(
            page,
            rows,
            lane_count=len(definition.lanes),
            lane_width=lane_width,
            row_height=row_height,
            band_height=band_height,
            top_band=bands[page][0],
            bottom_band=bands[page][1],
        )
        for page, rows in enumerate(page_ranges)
    ]
    for cell in cells:
        router_pages[cell.page].add_step(cell)

    # Route: arrows to the next row first (they get the straight ports), then the rest.
    # A connector is placed when its arrow is routed, where that arrow runs cleanest.
    def priority(index: int) -> tuple[int, int, int]:
        edge = edges[index]
        step_gap = edge.target_cell.row - edge.source_cell.row
        return (0 if step_gap == 1 else 1 if step_gap > 0 else 2, edge.source_cell.row, index)

    placed: dict[tuple[int, bool], OffPageConnector] = {}
    for index in sorted(range(len(edges)), key=priority):
        edge = edges[index]
        from_cell, to_cell = cells[edge.source_cell.row], cells[edge.target_cell.row]
        source_key, target_key = f"step:{from_cell.step_id}", f"step:{to_cell.step_id}"
        if from_cell.page == to_cell.page:
            router_pages[from_cell.page].route(index, source_key, target_key, edge.label)
            continue
        out, into = (c for c in connectors if c.edge == index)
        out_router, in_router = router_pages[out.page], router_pages[into.page]
        placed[(index, True)] = out_router.add_connector(out, source_key)
        out_router.route(index, source_key, f"connector:{out.label}", edge.label)
        placed[(index, False)] = in_router.add_connector(into, target_key)
        in_router.route(index, f"connector:{into.label}", target_key)

    pages = tuple(router.finish() for router in router_pages)
    return SheetLayout(
        lane_count=len(definition.lanes),
        lane_width=lane_width,
        row_height=row_height,
        band_height=band_height,
        cells=cells,
        edges=tuple(edges),
        pages=pages,
        connectors=tuple(placed[(c.edge, c.outgoing)] for c in connectors),
    )


def _connector_labels() -> list[str]:
    letters = string.ascii_uppercase
    return list(letters) + [a + b for a in letters for b in letters]


@dataclass(slots=True)
class _Node:
    key: str
    kind: SymbolKind
    lane: int
    level: float
    """Page row; -1 for the top band, the row count for the bottom band."""
    x: float
    y: float
    width: float
    height: float
    text: str = ""
    step_id: str | None = None
    used: set[str] = field(default_factory=set)

    def port(self, side: Side) -> Point:
        half_w, half_h = self.width / 2, self.height / 2
        if side == "top":
            return (self.x, self.y - half_h)
        if side == "bottom":
            return (self.x, self.y + half_h)
        y = self.y
        if self.kind is SymbolKind.CONNECTOR:
            y = self.y - half_h + 0.3 * self.height  # middle of the pentagon's square part
        return (self.x - half_w if side == "left" else self.x + half_w, y)


class _PageRouter:
    """Places the symbols of one page and routes its arrows with elbow lines."""

    def __init__(
        self,
        index: int,
        rows: range,
        *,
        lane_count: int,
        lane_width: float,
        row_height: float,
        band_height: float,
        top_band: bool,
        bottom_band: bool,
    ) -> None:
        self.index = index
        self.rows = rows
        self.lane_count = lane_count
        self.lane_width = lane_width
        self.row_height = row_height
        self.band_height = band_height
        self.top_band = top_band
        self.bottom_band = bottom_band
        self.top = band_height if top_band else 0.0
        self.height = self.top + len(rows) * row_height + (band_height if bottom_band else 0.0)
        self.nodes: dict[str, _Node] = {}
        self.connectors: list[OffPageConnector] = []
        self.paths: list[Path] = []
        self.labels: list[Label] = []
        self.channels: dict[tuple[int, str], list[tuple[float, float, int]]] = {}
        self.band_crossed: dict[str, set[int]] = {"top": set(), "bottom": set()}
        width = max(4.0, min(lane_width - 2 * SYMBOL_MARGIN, 20.0))
        self.symbol_width = width
        self.box_height = max(3.5, min(row_height * 0.42, 8.5, width * 0.6))
        self.diamond_height = max(5.0, min(row_height * 0.62, 12.0))
        self.connector_size = max(4.0, min(band_height * 0.7, lane_width - 2 * SYMBOL_MARGIN, 6.5))

    # -- placing ------------------------------------------------------------------------

    def lane_x(self, lane: int) -> float:
        return (lane + 0.5) * self.lane_width

    def add_step(self, cell: SymbolCell) -> None:
        level = cell.page_row
        height = self.diamond_height if cell.kind is SymbolKind.DECISION else self.box_height
        self.nodes[f"step:{cell.step_id}"] = _Node(
            key=f"step:{cell.step_id}",
            kind=cell.kind,
            lane=cell.lane,
            level=level,
            x=self.lane_x(cell.lane),
            y=self.top + (level + 0.5) * self.row_height,
            width=self.symbol_width,
            height=height,
            text=cell.text,
            step_id=cell.step_id,
        )

    def add_connector(self, connector: OffPageConnector, anchor_key: str) -> OffPageConnector:
        """Place a connector in its band, where the arrow from or to its step runs cleanest.

        ``anchor_key`` is the step the arrow leaves (outgoing) or enters (incoming).
        """
        anchor = self.nodes[anchor_key]
        level = -1.0 if connector.band == "top" else float(len(self.rows))
        taken = {n.lane for n in self.nodes.values() if n.level == level}
        taken |= self.band_crossed[connector.band]
        free_lanes = [lane for lane in range(self.lane_count) if lane not in taken] or [
            lane for lane in range(self.lane_count) if lane not in self.band_lanes(level)
        ]
        low, high = sorted((level, anchor.level))

        def facing_free(lane: int) -> bool:
            side = "left" if lane < anchor.lane else "right"
            return side not in anchor.used

        def rank(lane: int) -> tuple[int, int]:
            clear = self.column_free(lane, low, high)
            if connector.band == "bottom" and connector.outgoing:
                # Straight down from the step, or out of its side and down.
                if lane == anchor.lane:
                    return (0 if clear and "bottom" not in anchor.used else 2, 0)
                return (1 if clear and facing_free(lane) else 2, abs(lane - anchor.lane))
            if connector.band == "top" and not connector.outgoing:
                # Straight down into the step, or down and across into its side.
                if lane == anchor.lane:
                    return (0 if clear and "top" not in anchor.used else 2, 0)
                ok = clear and facing_free(lane) and anchor.kind is not SymbolKind.DECISION
                return (1 if ok else 2, abs(lane - anchor.lane))
            return (2, abs(lane - anchor.lane))

        lane = min(free_lanes or range(self.lane_count), key=rank)
        y = self.band_height / 2 if connector.band == "top" else self.height - self.band_height / 2
        size = self.connector_size
        self.nodes[f"connector:{connector.label}"] = _Node(
            key=f"connector:{connector.label}",
            kind=SymbolKind.CONNECTOR,
            lane=lane,
            level=level,
            x=self.lane_x(lane),
            y=y,
            width=size,
            height=size,
            text=connector.label,
        )
        result = OffPageConnector(
            connector.label,
            connector.edge,
            connector.page,
            connector.band,
            lane,
            connector.outgoing,
        )
        self.connectors.append(result)
        return result

    def band_lanes(self, level: float) -> set[int]:
        return {n.lane for n in self.nodes.values() if n.level == level}

    def column_free(self, lane: int, low: float, high: float) -> bool:
        """No symbol in ``lane`` strictly between the levels ``low`` and ``high``."""
        return not any(n.lane == lane and low < n.level < high for n in self.nodes.values())

    # -- routing ------------------------------------------------------------------------

    def route(self, edge: int, source_key: str, target_key: str, label: str | None = None) -> None:
        source, target = self.nodes[source_key], self.nodes[target_key]
        result = None
        if source.level < target.level:
            result = self._route_down(source, target) or self._route_across_down(source, target)
        if result is None:
            result = self._route_side(source, target, label)
        points, out_side = result
        self.paths.append(Path(tuple(points), _arrowhead(points[-2], points[-1]), edge))
        self._mark_band_crossings(points)
        if label:
            room = abs(points[1][0] - points[0][0]) - 1.0 if out_side != "bottom" else 0.0
            self.labels.append(_branch_label(label, points[0], out_side, edge, room))

    def _route_down(self, source: _Node, target: _Node) -> tuple[list[Point], Side] | None:
        """Down from the source's bottom, then across into the target (or straight down).

        A decision is entered from the top, keeping its sides free for its branches.
        """
        if "bottom" in source.used or not self.column_free(source.lane, source.level, target.level):
            return None
        start = source.port("bottom")
        if source.lane == target.lane:
            if "top" in target.used:
                return None
            points = [start, target.port("top")]
            self._use(source, "bottom", target, "top")
            return points, "bottom"
        side: Side = "left" if source.x < target.x else "right"
        if side not in target.used and target.kind is not SymbolKind.DECISION:
            end = target.port(side)
            self._use(source, "bottom", target, side)
            return [start, (start[0], end[1]), end], "bottom"
        if "top" not in target.used:
            end = target.port("top")
            row_top = target.y - self.row_height / 2 if target.level >= 0 else 0.0
            gap_y = max(row_top + 1.0, end[1] - min(2.5, (end[1] - row_top) / 2))
            self._use(source, "bottom", target, "top")
            return [start, (start[0], gap_y), (end[0], gap_y), end], "bottom"
        return None

    def _route_across_down(self, source: _Node, target: _Node) -> tuple[list[Point], Side] | None:
        """Out of the source's side, across to the target's lane, then down into its top."""
        if source.lane == target.lane or "top" in target.used:
            return None
        side: Side = "right" if target.x > source.x else "left"
        if side in source.used or not self.column_free(target.lane, source.level, target.level):
            return None
        start, end = source.port(side), target.port("top")
        self._use(source, side, target, "top")
        return [start, (end[0], start[1]), end], side

    def _mark_band_crossings(self, points: list[Point]) -> None:
        """Keep connectors off the lanes that a horizontal line in a band runs across."""
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if abs(y0 - y1) > 1e-6:
                continue
            for band, (top, bottom) in self._band_spans().items():
                if top <= y0 <= bottom:
                    low, high = sorted((x0, x1))
                    for lane in range(self.lane_count):
                        if low < self.lane_x(lane) < high:
                            self.band_crossed[band].add(lane)

    def _band_spans(self) -> dict[str, tuple[float, float]]:
        spans: dict[str, tuple[float, float]] = {}
        if self.top_band:
            spans["top"] = (0.0, self.band_height)
        if self.bottom_band:
            spans["bottom"] = (self.height - self.band_height, self.height)
        return spans

    def _route_side(
        self, source: _Node, target: _Node, label: str | None = None
    ) -> tuple[list[Point], Side]:
        """Out of a side of the source, along a channel by a lane border, into a side.

        The channel runs along a border of the target's or the source's lane, on the side
        of each that the arrow leaves and enters by; free ports and short lines win.
        """
        sides: tuple[Side, Side] = ("left", "right")
        label_room = label_width(label, lines=2) + 1.0 if label else 0.0
        best: tuple[float, Side, Side, int, Side] | None = None
        for source_side in sides:
            for target_side in sides:
                for lane, strip in ((target.lane, target_side), (source.lane, source_side)):
                    x = self._strip_x(lane, strip, 0)
                    if (x > source.x) != (source_side == "right"):
                        continue
                    if (x > target.x) != (target_side == "right"):
                        continue
                    cost = abs(x - source.x) + abs(x - target.x)
                    cost += 1000.0 * (source_side in source.used)
                    cost += 1000.0 * (target_side in target.used)
                    if label and abs(x - source.x) - source.width / 2 < label_room:
                        cost += 50.0  # the label would run over the channel
                    if best is None or cost < best[0]:
                        best = (cost, source_side, target_side, lane, strip)
        if best is None:  # pragma: no cover - the same lane's strips always qualify
            raise AssertionError("no channel")
        _, source_side, target_side, lane, strip = best
        start, end = source.port(source_side), target.port(target_side)
        low, high = sorted((start[1], end[1]))
        channel = self._channel(lane, strip, low, high)
        self._use(source, source_side, target, target_side)
        return [start, (channel, start[1]), (channel, end[1]), end], source_side

    def _strip_x(self, lane: int, side: Side, slot: int) -> float:
        offset = min(CHANNEL_OFFSET + slot * CHANNEL_STEP, SYMBOL_MARGIN - 0.4)
        left = lane * self.lane_width
        return left + offset if side == "left" else left + self.lane_width - offset

    def _channel(self, lane: int, side: Side, low: float, high: float) -> float:
        """The x of a free vertical channel along the ``side`` border of ``lane``."""
        used = self.channels.setdefault((lane, side), [])
        slot = 0
        while any(s == slot and not (high < a - 1.0 or low > b + 1.0) for a, b, s in used):
            slot += 1
        used.append((low, high, slot))
        return self._strip_x(lane, side, slot)

    @staticmethod
    def _use(source: _Node, source_side: str, target: _Node, target_side: str) -> None:
        source.used.add(source_side)
        target.used.add(target_side)

    def finish(self) -> PageLayout:
        shapes = tuple(
            Shape(n.kind, n.x, n.y, n.width, n.height, n.text, n.step_id)
            for n in self.nodes.values()
        )
        return PageLayout(
            index=self.index,
            rows=tuple(self.rows),
            top_band=self.top_band,
            bottom_band=self.bottom_band,
            row_height=self.row_height,
            band_height=self.band_height,
            width=self.lane_count * self.lane_width,
            height=self.height,
            shapes=shapes,
            paths=tuple(self.paths),
            labels=tuple(self.labels),
            connectors=tuple(self.connectors),
        )


def _arrowhead(before: Point, tip: Point) -> tuple[Point, Point, Point]:
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    base = (tip[0] - ux * ARROW_LENGTH, tip[1] - uy * ARROW_LENGTH)
    return (
        tip,
        (base[0] - uy * ARROW_HALF_WIDTH, base[1] + ux * ARROW_HALF_WIDTH),
        (base[0] + uy * ARROW_HALF_WIDTH, base[1] - ux * ARROW_HALF_WIDTH),
    )


def label_width(text: str, lines: int = 1) -> float:
    """Estimated width (mm) of a branch label set in ``lines`` lines."""
    per_line = math.ceil(len(text) / lines)
    return per_line * LABEL_SIZE * LABEL_CHAR_WIDTH


def _branch_label(text: str, start: Point, side: Side, edge: int, room: float = 0.0) -> Label:
    """The label of a branch, next to where it leaves the decision.

    Leaving by the bottom, it stands right of the line; leaving sideways, above the line,
    wrapped to the ``room`` the horizontal stretch gives (at least :data:`LABEL_WRAP`).
    """
    width = LABEL_WRAP
    if room > 0:
        width = max(LABEL_WRAP, int(room / (LABEL_SIZE * LABEL_CHAR_WIDTH)))
    lines = wrap(text, width)
    line = LABEL_SIZE * 1.1
    if side == "bottom":
        return Label(start[0] + 0.8, start[1] + LABEL_SIZE + 0.2, lines, "start", edge)
    # Above the line leaving sideways; the last line sits just over it.
    y = start[1] - 0.9 - (len(lines) - 1) * line
    if side == "right":
        return Label(start[0] + 0.8, y, lines, "start", edge)
    return Label(start[0] - 0.8, y, lines, "end", edge)
