"""Export an SOP definition as BPMN 2.0 XML, for Camunda Modeler, bpmn.io and other BPMN tools.

A pure function of a :class:`SopDefinition` (no Django models, no database): one pool, one
lane per pelaksana, and a left-to-right swimlane diagram (BPMN DI).

    >>> from terbuka.procedures.bpmn import sop_to_bpmn
    >>> xml = sop_to_bpmn(load_sop("sops/tebingtinggi-dpmptsp-pdi.yaml"))

Mapping of the sheet's symbols (each step's nodes sit in the step's lane):

- ``start``: a start event ("Mulai") followed by the step's task (the first row of a sheet
  is both the terminator and an activity);
- ``process``: a task;
- ``decision``: a task for the check, followed by an exclusive gateway with one outgoing
  flow per branch, named after the branch label and conditioned on
  ``decision_<step id> == "<label>"`` (a Python expression, as SpiffWorkflow evaluates it);
- ``end``: the step's task followed by an end event ("Selesai").

Tasks are user tasks, or service tasks when an application does the step (``by_system`` or a
``system`` lane). Loops back always enter the target step's task, never its start event.
The output is deterministic: the same definition gives the same bytes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .definition import LaneKind, SopDefinition, Step, Symbol

NAMESPACES = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
TARGET_NAMESPACE = "https://terbuka.id/sop"

# Layout, in pixels: lanes are stacked rows, nodes advance one column each, by step order.
ORIGIN_X, ORIGIN_Y = 160, 80
POOL_HEADER = 30  # the pool's name band, left of the lanes
LANE_HEIGHT = 140
COLUMN_WIDTH = 150
MARGIN = 20
SIZES = {  # width, height by node kind
    "bpmn:startEvent": (36, 36),
    "bpmn:endEvent": (36, 36),
    "bpmn:exclusiveGateway": (50, 50),
    "bpmn:userTask": (100, 80),
    "bpmn:serviceTask": (100, 80),
}


def decision_variable(step_id: str) -> str:
    """The process variable that a decision step's gateway conditions read."""
    return f"decision_{step_id}"


@dataclass(frozen=True)
class _Node:
    id: str
    tag: str
    name: str | None
    lane: str
    column: int
    documentation: str | None = None


@dataclass(frozen=True)
class _Flow:
    id: str
    source: str
    target: str
    name: str | None = None
    condition: str | None = None


@dataclass
class _Graph:
    nodes: list[_Node] = field(default_factory=list)
    flows: list[_Flow] = field(default_factory=list)

    def add_node(self, node_id: str, tag: str, name: str | None, step: Step) -> None:
        documentation = _documentation(step) if tag.endswith("Task") else None
        self.nodes.append(_Node(node_id, tag, name, step.lane, len(self.nodes), documentation))

    def add_flow(self, flow_id: str, source: str, target: str, label: str | None = None) -> None:
        """A sequence flow; a labelled one leaves a gateway, conditioned on its label."""
        condition = None
        if label is not None:
            step_id = source.removeprefix("Gateway_")
            condition = f"{decision_variable(step_id)} == {json.dumps(label, ensure_ascii=False)}"
        self.flows.append(_Flow(flow_id, source, target, label, condition))


def sop_to_bpmn(definition: SopDefinition) -> bytes:
    """The SOP as a BPMN 2.0 document: UTF-8 bytes with an XML declaration."""
    graph = _graph(definition)
    process_id = "Process_" + _ncname(definition.id)
    root = _el(None, "bpmn:definitions", id="Definitions_" + _ncname(definition.id))
    for prefix, uri in NAMESPACES.items():
        root.set(f"xmlns:{prefix}", uri)
    root.set("targetNamespace", TARGET_NAMESPACE)
    root.set("exporter", "Terbuka")
    collaboration_id = "Collaboration_" + _ncname(definition.id)
    participant_id = "Participant_" + _ncname(definition.id)
    collaboration = _el(root, "bpmn:collaboration", id=collaboration_id)
    _el(
        collaboration,
        "bpmn:participant",
        id=participant_id,
        name=definition.name,
        processRef=process_id,
    )
    _process(root, definition, graph, process_id)
    _diagram(root, definition, graph, collaboration_id, participant_id)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _graph(definition: SopDefinition) -> _Graph:
    """The flow nodes and sequence flows of the process, in step order."""
    graph = _Graph()
    for step in definition.steps:  # ids: a prefix, the step id, and a "-" suffix if needed
        task = f"Task_{step.id}"
        if step.symbol is Symbol.START:
            graph.add_node(f"StartEvent_{step.id}", "bpmn:startEvent", "Mulai", step)
            graph.add_flow(f"Flow_{step.id}-start", f"StartEvent_{step.id}", task)
        graph.add_node(task, _task_tag(definition, step), step.activity, step)
        if step.next is not None:
            graph.add_flow(f"Flow_{step.id}-next", task, f"Task_{step.next}")
        elif step.symbol is Symbol.DECISION:
            gateway = f"Gateway_{step.id}"
            graph.add_node(gateway, "bpmn:exclusiveGateway", None, step)
            graph.add_flow(f"Flow_{step.id}-check", task, gateway)
            for index, branch in enumerate(step.branches, start=1):
                graph.add_flow(
                    f"Flow_{step.id}-{index}", gateway, f"Task_{branch.to}", branch.label
                )
        elif step.symbol is Symbol.END:
            graph.add_node(f"EndEvent_{step.id}", "bpmn:endEvent", "Selesai", step)
            graph.add_flow(f"Flow_{step.id}-end", task, f"EndEvent_{step.id}")
    return graph


def _task_tag(definition: SopDefinition, step: Step) -> str:
    by_system = step.by_system or definition.lanes_by_id[step.lane].kind is LaneKind.SYSTEM
    return "bpmn:serviceTask" if by_system else "bpmn:userTask"


def _documentation(step: Step) -> str:
    """The sheet's row beside the activity: number and mutu baku, one item a line."""
    items = [
        ("No", None if step.no is None else str(step.no)),
        ("Waktu", step.time),
        ("Kelengkapan", "; ".join(step.inputs) or None),
        ("Output", step.output),
        ("Keterangan", step.note),
    ]
    return "\n".join(f"{label}: {value}" for label, value in items if value)


def _process(root: ET.Element, definition: SopDefinition, graph: _Graph, process_id: str) -> None:
    process = _el(root, "bpmn:process", id=process_id, name=definition.name, isExecutable="true")
    lane_set = _el(process, "bpmn:laneSet", id=f"LaneSet_{_ncname(definition.id)}")
    for lane in definition.lanes:
        element = _el(lane_set, "bpmn:lane", id=f"Lane_{lane.id}", name=lane.label)
        for node in graph.nodes:
            if node.lane == lane.id:
                _el(element, "bpmn:flowNodeRef").text = node.id
    for node in graph.nodes:
        element = _el(process, node.tag, id=node.id, name=node.name)
        if node.documentation:
            _el(element, "bpmn:documentation").text = node.documentation
        for flow in graph.flows:
            if flow.target == node.id:
                _el(element, "bpmn:incoming").text = flow.id
        for flow in graph.flows:
            if flow.source == node.id:
                _el(element, "bpmn:outgoing").text = flow.id
    for flow in graph.flows:
        element = _el(
            process,
            "bpmn:sequenceFlow",
            id=flow.id,
            name=flow.name,
            sourceRef=flow.source,
            targetRef=flow.target,
        )
        if flow.condition is not None:
            expression = _el(element, "bpmn:conditionExpression")
            expression.set("xsi:type", "bpmn:tFormalExpression")
            expression.text = flow.condition


def _diagram(
    root: ET.Element,
    definition: SopDefinition,
    graph: _Graph,
    collaboration_id: str,
    participant_id: str,
) -> None:
    """BPMN DI: the pool, one horizontal lane per pelaksana, nodes left to right."""
    diagram = _el(root, "bpmndi:BPMNDiagram", id=f"Diagram_{_ncname(definition.id)}")
    plane = _el(
        diagram,
        "bpmndi:BPMNPlane",
        id=f"Plane_{_ncname(definition.id)}",
        bpmnElement=collaboration_id,
    )
    rows = {lane.id: row for row, lane in enumerate(definition.lanes)}
    lanes_x = ORIGIN_X + POOL_HEADER
    lanes_width = 2 * MARGIN + len(graph.nodes) * COLUMN_WIDTH
    height = len(definition.lanes) * LANE_HEIGHT
    _shape(plane, participant_id, (ORIGIN_X, ORIGIN_Y, POOL_HEADER + lanes_width, height))
    for lane in definition.lanes:
        top = ORIGIN_Y + rows[lane.id] * LANE_HEIGHT
        _shape(plane, f"Lane_{lane.id}", (lanes_x, top, lanes_width, LANE_HEIGHT))
    bounds: dict[str, tuple[int, int, int, int]] = {}
    for node in graph.nodes:
        width, height = SIZES[node.tag]
        centre_x = lanes_x + MARGIN + node.column * COLUMN_WIDTH + COLUMN_WIDTH // 2
        centre_y = ORIGIN_Y + rows[node.lane] * LANE_HEIGHT + LANE_HEIGHT // 2
        bounds[node.id] = (centre_x - width // 2, centre_y - height // 2, width, height)
        _shape(plane, node.id, bounds[node.id])
    for flow in graph.flows:
        edge = _el(plane, "bpmndi:BPMNEdge", id=f"{flow.id}-di", bpmnElement=flow.id)
        for x, y in _waypoints(bounds[flow.source], bounds[flow.target]):
            _el(edge, "di:waypoint", x=str(x), y=str(y))


def _waypoints(
    source: tuple[int, int, int, int], target: tuple[int, int, int, int]
) -> list[tuple[int, int]]:
    """An orthogonal route: forward flows run right, loops back run under both nodes.

    A forward flow that skips columns within one lane runs over the nodes in between.
    """
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    skips = (tx + tw // 2) - (sx + sw // 2) > COLUMN_WIDTH
    if tx > sx and sy + sh // 2 == ty + th // 2 and skips:
        above = min(sy, ty) - MARGIN
        start, end = (sx + sw // 2, sy), (tx + tw // 2, ty)
        return [start, (start[0], above), (end[0], above), end]
    if tx > sx:  # forward: out of the right side, into the left side
        start, end = (sx + sw, sy + sh // 2), (tx, ty + th // 2)
        if start[1] == end[1]:
            return [start, end]
        middle = (start[0] + end[0]) // 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    below = max(sy + sh, ty + th) + MARGIN
    start, end = (sx + sw // 2, sy + sh), (tx + tw // 2, ty + th)
    return [start, (start[0], below), (end[0], below), end]


def _shape(plane: ET.Element, element_id: str, box: tuple[int, int, int, int]) -> None:
    shape = _el(plane, "bpmndi:BPMNShape", id=f"{element_id}-di", bpmnElement=element_id)
    if element_id.startswith(("Participant_", "Lane_")):
        shape.set("isHorizontal", "true")
    x, y, width, height = box
    _el(shape, "dc:Bounds", x=str(x), y=str(y), width=str(width), height=str(height))


def _el(parent: ET.Element | None, tag: str, **attributes: str | None) -> ET.Element:
    """A child element; the tag and attributes carry their prefix (``bpmn:task``)."""
    values = {key: value for key, value in attributes.items() if value is not None}
    if parent is None:
        return ET.Element(tag, values)
    return ET.SubElement(parent, tag, values)


def _ncname(text: str) -> str:
    """``text`` made a valid XML NCName (letters, digits, ``_``, ``-``, ``.``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"
