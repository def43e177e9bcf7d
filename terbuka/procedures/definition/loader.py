"""Load SOP files: YAML → checked structure → frozen dataclasses → validated definition.

Every problem is collected; :class:`.errors.DefinitionInvalid` carries them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node

from .errors import DefinitionError, DefinitionInvalid
from .model import (
    Agency,
    Approval,
    Branch,
    Dates,
    Field,
    Lane,
    SopDefinition,
    Step,
    TimeOverride,
)
from .spec import GRAPH_KEYS, SOP
from .structure import INVALID, Checker, Marks, child
from .timestandard import TimeKind, TimeStandard, TimeStandardError, parse_time_standard
from .validate import Gaps, validate

LIBRARY_SUFFIX = ".yaml"


def load_sop(path: str | Path) -> SopDefinition:
    """Load and validate one SOP file. Raises :class:`DefinitionInvalid` with every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = DefinitionError(str(path), None, "", f"cannot read the file: {exc}")
        raise DefinitionInvalid([error]) from exc
    return load_sop_text(text, str(path))


def load_sop_text(text: str, filename: str = "<text>") -> SopDefinition:
    """Load and validate an SOP from YAML text; ``filename`` names it in errors."""
    definition, errors = check_sop_text(text, filename)
    if errors or definition is None:
        raise DefinitionInvalid(errors)
    return definition


def check_sop_text(text: str, filename: str) -> tuple[SopDefinition | None, list[DefinitionError]]:
    """Every problem in the text, and the definition if there is none."""
    definition, errors, _marks = _check(text, filename)
    return definition, errors


def _check(text: str, filename: str) -> tuple[SopDefinition | None, list[DefinitionError], Marks]:
    checker = Checker(filename)
    root = _compose(text, checker)
    values = checker.check(root, SOP, "") if root is not None else None
    if not isinstance(values, dict):
        return None, checker.errors, checker.marks
    definition, gaps = _Builder(checker).sop(values)
    errors = [*checker.errors, *validate(definition, file=filename, marks=checker.marks, gaps=gaps)]
    errors.sort(key=lambda error: error.line or 0)
    return (None if errors else definition), errors, checker.marks


def load_library(directory: str | Path) -> dict[str, SopDefinition]:
    """Load every ``*.yaml`` in ``directory`` (the ``sops/`` library), keyed by SOP id.

    Each file must be named after its SOP id. All problems in all files are raised together.
    """
    directory = Path(directory)
    library: dict[str, SopDefinition] = {}
    errors: list[DefinitionError] = []
    for path in sorted(directory.glob(f"*{LIBRARY_SUFFIX}")):
        definition, found, marks = _check(path.read_text(encoding="utf-8"), str(path))
        errors.extend(found)
        if definition is None:
            continue
        if definition.id != path.stem:
            errors.append(
                DefinitionError(
                    str(path),
                    marks.line("id"),
                    "id",
                    f"expected the id to match the file name {path.stem!r}, got {definition.id!r}",
                )
            )
            continue
        library[definition.id] = definition
    if errors:
        raise DefinitionInvalid(errors)
    return library


def _compose(text: str, checker: Checker) -> Node | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        checker.error("", f"not valid YAML: {problem}", line)
        return None
    except yaml.YAMLError as exc:
        checker.error("", f"not valid YAML: {exc}", None)
        return None
    if root is None:
        checker.error("", "expected an SOP (a YAML mapping), the file is empty", 1)
        return None
    return root


class _Builder:
    """Turns checked values into dataclasses; a step with a bad graph key is left out and
    recorded in :class:`Gaps` so that the graph checks do not report follow-on errors."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker

    def sop(self, values: dict[str, Any]) -> tuple[SopDefinition, Gaps]:
        lanes, lane_positions, lane_gaps, lanes_incomplete = self._lanes(values["lanes"])
        steps, step_positions, step_gaps, steps_incomplete = self._steps(values["steps"])
        definition = SopDefinition(
            format=_ok(values["format"], ""),
            id=_ok(values["id"], ""),
            number=_ok(values["number"], None),
            name=_ok(values["name"], ""),
            agency=self._agency(values["agency"]),
            dates=self._dates(values["dates"]),
            approved_by=self._approval(values["approved_by"]),
            legal_basis=_ok(values["legal_basis"], ()),
            qualifications=_ok(values["qualifications"], ()),
            related_sops=_ok(values["related_sops"], ()),
            equipment=_ok(values["equipment"], ()),
            warning=_ok(values["warning"], ()),
            recording=_ok(values["recording"], ()),
            notes=_ok(values["notes"], ()),
            lanes=lanes,
            steps=steps,
            fields=self._fields(values["fields"]),
        )
        gaps = Gaps(
            lane_ids=frozenset(lane_gaps),
            lanes_incomplete=lanes_incomplete,
            step_ids=frozenset(step_gaps),
            steps_incomplete=steps_incomplete,
            lane_positions=lane_positions,
            step_positions=step_positions,
        )
        return definition, gaps

    def _agency(self, values: Any) -> Agency:
        if not isinstance(values, dict):
            return Agency(pemda="", opd="")
        return Agency(
            pemda=_ok(values["pemda"], ""),
            opd=_ok(values["opd"], ""),
            unit=_ok(values["unit"], None),
        )

    def _dates(self, values: Any) -> Dates:
        if not isinstance(values, dict):
            return Dates()
        return Dates(
            made=_ok(values["made"], None),
            revised=_ok(values["revised"], None),
            effective=_ok(values["effective"], None),
        )

    def _approval(self, values: Any) -> Approval | None:
        if not isinstance(values, dict):
            return None
        return Approval(
            position=_ok(values["position"], ""),
            name=_ok(values["name"], None),
            nip=_ok(values["nip"], None),
            rank=_ok(values["rank"], None),
        )

    def _lanes(self, items: Any) -> tuple[tuple[Lane, ...], tuple[int, ...], set[str], bool]:
        if items is INVALID:
            return (), (), set(), True
        lanes: list[Lane] = []
        positions: list[int] = []
        known_broken: set[str] = set()
        incomplete = False
        for index, values in enumerate(items):
            if not isinstance(values, dict) or values["id"] is INVALID:
                incomplete = True
                continue
            if values["kind"] is INVALID:
                known_broken.add(values["id"])
                continue
            positions.append(index)
            lanes.append(
                Lane(
                    id=values["id"],
                    label=_ok(values["label"], ""),
                    kind=values["kind"],
                    role=_ok(values["role"], None),
                    actor=_ok(values["actor"], None),
                    unit_hint=_ok(values["unit_hint"], None),
                    inferred=_ok(values["inferred"], False),
                    note=_ok(values["note"], None),
                )
            )
        return tuple(lanes), tuple(positions), known_broken, incomplete

    def _steps(self, items: Any) -> tuple[tuple[Step, ...], tuple[int, ...], set[str], bool]:
        if items is INVALID:
            return (), (), set(), True
        steps: list[Step] = []
        positions: list[int] = []
        known_broken: set[str] = set()
        incomplete = False
        for index, values in enumerate(items):
            if not isinstance(values, dict):
                incomplete = True
                continue
            if _graph_broken(values):
                incomplete = True
                if isinstance(values["id"], str):
                    known_broken.add(values["id"])
                continue
            positions.append(index)
            steps.append(self._step(values, child("steps", index)))
        return tuple(steps), tuple(positions), known_broken, incomplete

    def _step(self, values: dict[str, Any], path: str) -> Step:
        override = self._override(values["time_override"])
        time = _ok(values["time"], None)
        return Step(
            no=_ok(values["no"], None),
            id=values["id"],
            activity=_ok(values["activity"], ""),
            lane=values["lane"],
            symbol=values["symbol"],
            inputs=_ok(values["inputs"], ()),
            time=time,
            time_override=override,
            standard=self._standard(time, override, path, values["time"] is INVALID),
            output=_ok(values["output"], None),
            note=_ok(values["note"], None),
            repeatable=_ok(values["repeatable"], False),
            by_system=_ok(values["by_system"], False),
            next=values["next"],
            branches=tuple(Branch(label=b["label"], to=b["to"]) for b in values["branches"]),
            records=_ok(values["records"], ()),
            lane_inferred=_ok(values["lane_inferred"], False),
        )

    def _override(self, values: Any) -> TimeOverride | None:
        if not isinstance(values, dict):
            return None
        unit, calendar = _ok(values["unit"], None), _ok(values["calendar"], None)
        if unit is None and calendar is None:
            return None
        return TimeOverride(unit=unit, calendar=calendar)

    def _standard(
        self, time: str | None, override: TimeOverride | None, path: str, time_invalid: bool
    ) -> TimeStandard:
        placeholder = TimeStandard(kind=TimeKind.NONE, raw=time)
        if time_invalid:
            return placeholder
        try:
            return parse_time_standard(
                time,
                unit=override.unit if override else None,
                calendar=override.calendar if override else None,
            )
        except TimeStandardError as exc:
            self.checker.error(child(path, "time"), str(exc))
            return placeholder

    def _fields(self, items: Any) -> tuple[Field, ...]:
        if items is INVALID:
            return ()
        fields = []
        for values in items:
            if not isinstance(values, dict) or INVALID in (values["id"], values["type"]):
                continue
            fields.append(
                Field(
                    id=values["id"],
                    label=_ok(values["label"], ""),
                    type=values["type"],
                    required=_ok(values["required"], False),
                    choices=_ok(values["choices"], ()),
                )
            )
        return tuple(fields)


def _ok(value: Any, placeholder: Any) -> Any:
    """The checked value, or a placeholder where a problem was already reported."""
    return placeholder if value is INVALID else value


def _graph_broken(values: dict[str, Any]) -> bool:
    if any(values[key] is INVALID for key in GRAPH_KEYS):
        return True
    return any(
        not isinstance(branch, dict) or INVALID in branch.values() for branch in values["branches"]
    )
