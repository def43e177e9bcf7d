"""BPMN export: every library SOP gives BPMN that SpiffWorkflow's parser reads and runs.

Pure tests: definitions and XML only, no database (no ``django_db`` mark).
"""

import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.util.task import TaskState

from terbuka.procedures.bpmn import NAMESPACES, decision_variable, sop_to_bpmn
from terbuka.procedures.definition import (
    LaneKind,
    SopDefinition,
    Symbol,
    load_library,
    load_sop,
)

ROOT = Path(__file__).resolve().parents[3]
SOPS = ROOT / "sops"
TEBING = SOPS / "tebingtinggi-dpmptsp-pdi.yaml"
LIBRARY_FILES = sorted(SOPS.glob("*.yaml"))

BPMN = f"{{{NAMESPACES['bpmn']}}}"
BPMNDI = f"{{{NAMESPACES['bpmndi']}}}"
DC = f"{{{NAMESPACES['dc']}}}"
DI = f"{{{NAMESPACES['di']}}}"
FLOW_NODES = ("startEvent", "endEvent", "userTask", "serviceTask", "exclusiveGateway")

library = pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda path: path.stem)


def parse_spec(definition: SopDefinition, validate: bool = True):
    """The process spec SpiffWorkflow reads from the export (XSD-validated by default)."""
    parser = BpmnParser(validator=BpmnValidator() if validate else None)
    parser.add_bpmn_str(sop_to_bpmn(definition), filename=f"{definition.id}.bpmn")
    [process_id] = parser.get_process_ids()
    return parser.get_spec(process_id)


def export_root(definition: SopDefinition) -> ET.Element:
    """The export read back with the standard library's parser."""
    return ET.fromstring(sop_to_bpmn(definition))  # noqa: S314 - our own output


def process_of(root: ET.Element) -> ET.Element:
    process = root.find(f"{BPMN}process")
    assert process is not None
    return process


def flow_nodes(process: ET.Element) -> dict[str, ET.Element]:
    return {
        node.get("id", ""): node for tag in FLOW_NODES for node in process.findall(f"{BPMN}{tag}")
    }


def test_the_library_is_not_empty() -> None:
    assert len(LIBRARY_FILES) >= 2
    assert set(load_library(SOPS)) == {path.stem for path in LIBRARY_FILES}


@library
def test_spiffworkflow_parses_the_export_with_a_task_per_step(path: Path) -> None:
    definition = load_sop(path)
    spec = parse_spec(definition)
    for step in definition.steps:
        task = spec.task_specs[f"Task_{step.id}"]
        lane = definition.lanes_by_id[step.lane]
        assert task.bpmn_name == step.activity
        assert task.lane == lane.label
        by_system = step.by_system or lane.kind is LaneKind.SYSTEM
        assert type(task).__name__ == ("ServiceTask" if by_system else "UserTask")
        if step.no is not None:
            assert task.documentation.startswith(f"No: {step.no}\n")
    start = definition.start
    assert (
        spec.task_specs[f"StartEvent_{start.id}"].lane == definition.lanes_by_id[start.lane].label
    )
    for step in definition.steps:
        if step.symbol is Symbol.DECISION:
            assert type(spec.task_specs[f"Gateway_{step.id}"]).__name__ == "ExclusiveGateway"
        if step.symbol is Symbol.END:
            assert type(spec.task_specs[f"EndEvent_{step.id}"]).__name__ == "EndEvent"


@library
def test_the_lanes_are_the_definitions_lanes(path: Path) -> None:
    definition = load_sop(path)
    process = process_of(export_root(definition))
    lanes = process.findall(f"{BPMN}laneSet/{BPMN}lane")
    assert [lane.get("name") for lane in lanes] == [lane.label for lane in definition.lanes]
    nodes = flow_nodes(process)
    members: dict[str, str] = {}
    for element, lane in zip(lanes, definition.lanes, strict=True):
        refs = [ref.text or "" for ref in element.findall(f"{BPMN}flowNodeRef")]
        steps = [step for step in definition.steps if step.lane == lane.id]
        assert {f"Task_{step.id}" for step in steps} <= set(refs)
        for ref in refs:
            assert ref in nodes
            assert ref.split("_", 1)[1] in {step.id for step in steps}
            members[ref] = lane.id
    assert set(members) == set(nodes)  # every flow node in exactly one lane
    assert len(members) == sum(len(lane.findall(f"{BPMN}flowNodeRef")) for lane in lanes)


@library
def test_the_export_is_structurally_sound(path: Path) -> None:
    definition = load_sop(path)
    data = sop_to_bpmn(definition)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert data == sop_to_bpmn(definition)  # deterministic
    root = export_root(definition)
    assert root.tag == f"{BPMN}definitions"
    assert root.get("exporter") == "Terbuka"
    process = process_of(root)
    assert process.get("isExecutable") == "true"
    assert process.get("name") == definition.name
    participant = root.find(f"{BPMN}collaboration/{BPMN}participant")
    assert participant is not None
    assert participant.get("processRef") == process.get("id")

    ids = [element.get("id") for element in root.iter() if element.get("id") is not None]
    assert len(ids) == len(set(ids))
    nodes = flow_nodes(process)
    flows = process.findall(f"{BPMN}sequenceFlow")
    flow_ids = {flow.get("id") for flow in flows}
    for flow in flows:
        assert flow.get("sourceRef") in nodes
        assert flow.get("targetRef") in nodes
    for node_id, node in nodes.items():
        for ref in node.findall(f"{BPMN}incoming") + node.findall(f"{BPMN}outgoing"):
            assert ref.text in flow_ids, node_id
    for gateway in process.findall(f"{BPMN}exclusiveGateway"):
        outgoing = [flow for flow in flows if flow.get("sourceRef") == gateway.get("id")]
        assert len(outgoing) >= 2
        for flow in outgoing:
            assert flow.get("name")
            condition = flow.find(f"{BPMN}conditionExpression")
            assert condition is not None
            assert condition.get(f"{{{NAMESPACES['xsi']}}}type") == "bpmn:tFormalExpression"

    plane = root.find(f"{BPMNDI}BPMNDiagram/{BPMNDI}BPMNPlane")
    assert plane is not None
    shapes = {shape.get("bpmnElement"): shape for shape in plane.findall(f"{BPMNDI}BPMNShape")}
    lane_ids = {lane.get("id") for lane in process.iter(f"{BPMN}lane")}
    assert set(shapes) == set(nodes) | lane_ids | {participant.get("id")}
    for shape in shapes.values():
        bounds = shape.find(f"{DC}Bounds")
        assert bounds is not None
        assert int(bounds.get("width", "0")) > 0
        assert int(bounds.get("height", "0")) > 0
    edges = {edge.get("bpmnElement"): edge for edge in plane.findall(f"{BPMNDI}BPMNEdge")}
    assert set(edges) == flow_ids
    for edge in edges.values():
        assert len(edge.findall(f"{DI}waypoint")) >= 2


@library
def test_nodes_sit_inside_their_lanes_left_to_right(path: Path) -> None:
    definition = load_sop(path)
    root = export_root(definition)
    process = process_of(root)
    boxes = {}
    for shape in root.iter(f"{BPMNDI}BPMNShape"):
        bounds = shape.find(f"{DC}Bounds")
        assert bounds is not None
        x, y, width, height = (int(bounds.get(key, "0")) for key in ("x", "y", "width", "height"))
        boxes[shape.get("bpmnElement")] = (x, y, x + width, y + height)
    lane_tops = []
    for lane in process.iter(f"{BPMN}lane"):
        left, top, right, bottom = boxes[lane.get("id")]
        lane_tops.append(top)
        for ref in lane.findall(f"{BPMN}flowNodeRef"):
            x0, y0, x1, y1 = boxes[ref.text]
            assert left <= x0 < x1 <= right
            assert top <= y0 < y1 <= bottom
    assert lane_tops == sorted(lane_tops)  # lanes stacked in printed order
    task_lefts = [boxes[f"Task_{step.id}"][0] for step in definition.steps]
    assert task_lefts == sorted(task_lefts)  # steps run left to right


def run_to_completion(definition: SopDefinition, choose) -> list[str]:
    """Run the exported process in SpiffWorkflow and return the steps done, in order.

    User tasks wait READY for a person; service tasks wait STARTED for their application.
    Both are completed here, a decision's task after ``choose(step_id, visit)`` set its
    variable.
    """
    workflow = BpmnWorkflow(parse_spec(definition, validate=False))
    workflow.do_engine_steps()
    done: list[str] = []
    while not workflow.is_completed():
        waiting = workflow.get_tasks(state=TaskState.READY, manual=True)
        waiting += workflow.get_tasks(state=TaskState.STARTED)
        assert len(waiting) == 1, [task.task_spec.name for task in waiting]
        task = waiting[0]
        step_id = task.task_spec.name.removeprefix("Task_")
        if definition.step(step_id).symbol is Symbol.DECISION:
            task.data[decision_variable(step_id)] = choose(step_id, done.count(step_id))
        done.append(step_id)
        if task.state == TaskState.READY:
            task.run()
        else:
            task.complete()
        workflow.do_engine_steps()
        assert len(done) <= 10 * len(definition.steps)
    return done


def test_the_decision_loop_runs_in_spiffworkflow() -> None:
    definition = load_sop(TEBING)
    choices = {0: "belum benar", 1: "sudah benar"}

    done = run_to_completion(definition, lambda step_id, visit: choices[visit])

    loop = ["olah_data", "sajikan_data", "ajukan_persetujuan", "periksa_data"]
    assert done == [
        "siapkan_data",
        "konfirmasi_data",
        *loop,
        *loop,
        "terbitkan_publikasi",
        "simpan_arsip",
    ]


@library
def test_every_sop_runs_to_an_end_along_its_shortest_route(path: Path) -> None:
    definition = load_sop(path)
    distance = distances_to_an_end(definition)

    def nearest(step_id: str, visit: int) -> str:
        branches = definition.step(step_id).branches
        return min(branches, key=lambda branch: distance[branch.to]).label

    done = run_to_completion(definition, nearest)

    assert done[0] == definition.start.id
    assert definition.step(done[-1]).symbol is Symbol.END
    assert len(done) == distance[definition.start.id] + 1


def distances_to_an_end(definition: SopDefinition) -> dict[str, int]:
    """Steps from each step to the nearest end step (breadth first, backwards)."""
    distance = {step.id: 0 for step in definition.ends}
    queue = deque(distance)
    while queue:
        current = queue.popleft()
        for step in definition.steps:
            if current in step.targets and step.id not in distance:
                distance[step.id] = distance[current] + 1
                queue.append(step.id)
    return distance
