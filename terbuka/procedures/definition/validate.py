"""Reference and graph checks on a structurally sound definition.

* ids of lanes, steps and fields are unique, and so is each printed step number;
* every step's lane is declared, and every declared lane is used;
* ``next`` and ``branches[].to`` name existing steps; branch labels differ within a decision;
* exactly one start step and at least one end step;
* every step can be reached from the start, and an end can be reached from every step
  (loops back to an earlier step are fine as long as a way out exists).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import DefinitionError
from .model import SopDefinition, Step
from .structure import Marks, child, did_you_mean
from .vocab import Symbol


@dataclass(frozen=True, slots=True)
class Gaps:
    """What the loader had to leave out because of problems it already reported.

    Ids in ``*_ids`` exist in the file (so references to them are not dangling); an
    ``incomplete`` list means the graph or lane usage cannot be judged.
    """

    lane_ids: frozenset[str] = frozenset()
    lanes_incomplete: bool = False
    step_ids: frozenset[str] = frozenset()
    steps_incomplete: bool = False
    lane_positions: tuple[int, ...] = ()
    """Position in the file of each built lane, when some were left out."""
    step_positions: tuple[int, ...] = ()
    """Position in the file of each built step, when some were left out."""


def validate(
    definition: SopDefinition,
    *,
    file: str = "<definition>",
    marks: Marks | None = None,
    gaps: Gaps = Gaps(),
) -> list[DefinitionError]:
    """Every reference and graph problem in ``definition``."""
    return _Validator(definition, file, marks or Marks(), gaps).run()


class _Validator:
    def __init__(self, definition: SopDefinition, file: str, marks: Marks, gaps: Gaps) -> None:
        self.definition = definition
        self.file = file
        self.marks = marks
        self.gaps = gaps
        self.errors: list[DefinitionError] = []
        self.step_paths = _paths("steps", len(definition.steps), gaps.step_positions)
        self.lane_paths = _paths("lanes", len(definition.lanes), gaps.lane_positions)

    def error(self, path: str, message: str) -> None:
        self.errors.append(DefinitionError(self.file, self.marks.line(path), path, message))

    def run(self) -> list[DefinitionError]:
        unique = self._unique_ids()
        self._lanes_declared_and_used()
        dangling = self._references()
        self._branch_labels()
        starts = self._terminators()
        if unique and not dangling and len(starts) == 1 and not self.gaps.steps_incomplete:
            self._reachability(starts[0])
        return self.errors

    # -- uniqueness -------------------------------------------------------------------------

    def _unique_ids(self) -> bool:
        """Report duplicates; true when step ids are unique (the graph can be walked)."""
        d = self.definition
        self._unique("lane id", [(self.lane_paths[i], lane.id) for i, lane in enumerate(d.lanes)])
        self._unique("field id", [(child("fields", i), f.id) for i, f in enumerate(d.fields)])
        numbered = [(self.step_paths[i], s.no) for i, s in enumerate(d.steps) if s.no is not None]
        self._unique("step number", numbered, key="no")
        steps = [(self.step_paths[i], step.id) for i, step in enumerate(d.steps)]
        return self._unique("step id", steps)

    def _unique(self, what: str, items: Sequence[tuple[str, object]], key: str = "id") -> bool:
        first: dict[object, str] = {}
        unique = True
        for path, value in items:
            if value in first:
                unique = False
                earlier = first[value]
                self.error(
                    child(path, key),
                    f"duplicate {what} {value!r}; expected each to be unique "
                    f"(first used at {earlier}, line {self.marks.line(earlier)})",
                )
            else:
                first[value] = path
        return unique

    # -- lanes ------------------------------------------------------------------------------

    def _lanes_declared_and_used(self) -> None:
        declared = [lane.id for lane in self.definition.lanes]
        known = set(declared) | self.gaps.lane_ids
        for index, step in enumerate(self.definition.steps):
            if step.lane in known or self.gaps.lanes_incomplete:
                continue
            self.error(
                child(self.step_paths[index], "lane"),
                f"unknown lane {step.lane!r} (declared lanes: {', '.join(declared) or 'none'})"
                f"{did_you_mean(step.lane, declared)}",
            )
        if self.gaps.steps_incomplete:
            return
        used = {step.lane for step in self.definition.steps}
        for index, lane in enumerate(self.definition.lanes):
            if lane.id not in used:
                self.error(
                    child(self.lane_paths[index], "id"),
                    f"lane {lane.id!r} is declared but no step uses it; expected every lane "
                    "to have at least one step (remove it or assign a step to it)",
                )

    # -- step references --------------------------------------------------------------------

    def _references(self) -> bool:
        declared = [step.id for step in self.definition.steps]
        known = set(declared) | self.gaps.step_ids
        dangling = False
        for index, step in enumerate(self.definition.steps):
            path = self.step_paths[index]
            targets: list[tuple[str, str]] = []
            if step.next is not None:
                targets.append((child(path, "next"), step.next))
            for b, branch in enumerate(step.branches):
                targets.append((child(child(child(path, "branches"), b), "to"), branch.to))
            for where, target in targets:
                if target not in known:
                    dangling = True
                    self.error(
                        where,
                        f"unknown step {target!r} (declared steps: {', '.join(declared)})"
                        f"{did_you_mean(target, declared)}",
                    )
        return dangling

    def _branch_labels(self) -> None:
        for index, step in enumerate(self.definition.steps):
            seen: set[str] = set()
            for b, branch in enumerate(step.branches):
                label = branch.label.casefold()
                if label in seen:
                    path = child(child(child(self.step_paths[index], "branches"), b), "label")
                    self.error(
                        path,
                        f"duplicate branch label {branch.label!r}; "
                        "expected each way out of a decision to be labelled differently",
                    )
                seen.add(label)

    # -- the graph --------------------------------------------------------------------------

    def _terminators(self) -> list[Step]:
        steps = self.definition.steps
        starts = [step for step in steps if step.symbol is Symbol.START]
        ends = [step for step in steps if step.symbol is Symbol.END]
        if self.gaps.steps_incomplete:
            return starts
        if not starts:
            self.error("steps", "no start step; expected exactly one step with symbol 'start'")
        for step in starts[1:]:
            self.error(
                child(self._path_of(step), "symbol"),
                f"a second start step {step.id!r}; expected exactly one "
                f"(the first is {starts[0].id!r})",
            )
        if not ends:
            self.error("steps", "no end step; expected at least one step with symbol 'end'")
        return starts

    def _reachability(self, start: Step) -> None:
        steps = self.definition.steps
        forward = {step.id: step.targets for step in steps}
        backward: dict[str, list[str]] = {step.id: [] for step in steps}
        for step in steps:
            for target in step.targets:
                backward[target].append(step.id)
        reached = _walk([start.id], forward)
        for step in steps:
            if step.id not in reached:
                self.error(
                    child(self._path_of(step), "id"),
                    f"step {step.id!r} cannot be reached from the start step {start.id!r}; "
                    "expected a next or a branch to lead to it",
                )
        ends = [step.id for step in steps if step.symbol is Symbol.END]
        if not ends:
            return
        finishing = _walk(ends, backward)
        for step in steps:
            if step.id not in finishing:
                self.error(
                    child(self._path_of(step), "id"),
                    f"no end step can be reached from step {step.id!r}; "
                    "expected every path to lead to an end",
                )

    def _path_of(self, step: Step) -> str:
        index = next(i for i, built in enumerate(self.definition.steps) if built is step)
        return self.step_paths[index]


def _paths(key: str, count: int, positions: tuple[int, ...]) -> list[str]:
    """Field paths of the built items: their positions in the file."""
    return [child(key, positions[i] if positions else i) for i in range(count)]


def _walk(roots: list[str], edges: dict[str, tuple[str, ...]] | dict[str, list[str]]) -> set[str]:
    seen = set(roots)
    queue = deque(roots)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
