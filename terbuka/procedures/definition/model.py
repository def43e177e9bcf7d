"""An SOP definition as frozen dataclasses: what the loader returns once a file is valid.

Nothing here touches the database. :meth:`SopDefinition.canonical` gives the definition as
plain data in the file's own layout, and :meth:`SopDefinition.definition_hash` a digest of
it, so that a run can record the exact version it started on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .timestandard import Calendar, TimeStandard, TimeUnit
from .vocab import FORMAT, Actor, FieldType, LaneKind, Record, Role, Symbol


@dataclass(frozen=True, slots=True, order=True)
class SopDate:
    """A date printed on the sheet, at year, month ("MARET 2024") or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class Dates:
    made: SopDate | None = None
    revised: SopDate | None = None
    effective: SopDate | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved (disahkan oleh) the SOP, as printed."""

    position: str
    name: str | None = None
    nip: str | None = None
    rank: str | None = None


@dataclass(frozen=True, slots=True)
class Agency:
    """The issuing Pemda, office (OPD) and unit, as printed."""

    pemda: str
    opd: str
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Lane:
    """A column of the flowchart (pelaksana)."""

    id: str
    label: str
    kind: LaneKind
    role: Role | None = None
    actor: Actor | None = None
    unit_hint: str | None = None
    inferred: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Branch:
    label: str
    to: str


@dataclass(frozen=True, slots=True)
class TimeOverride:
    unit: TimeUnit | None = None
    calendar: Calendar | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """A row of the flowchart with its mutu baku."""

    id: str
    activity: str
    lane: str
    symbol: Symbol
    standard: TimeStandard
    """The parsed ``time`` (with ``time_override`` applied)."""
    no: int | None = None
    inputs: tuple[str, ...] = ()
    time: str | None = None
    time_override: TimeOverride | None = None
    output: str | None = None
    note: str | None = None
    repeatable: bool = False
    by_system: bool = False
    next: str | None = None
    branches: tuple[Branch, ...] = ()
    records: tuple[Record, ...] = ()
    lane_inferred: bool = False

    @property
    def targets(self) -> tuple[str, ...]:
        """Ids of the steps that can follow this one, in order."""
        if self.next is not None:
            return (self.next,)
        return tuple(branch.to for branch in self.branches)


@dataclass(frozen=True, slots=True)
class Field:
    """A piece of data that a case of this SOP carries."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SopDefinition:
    id: str
    name: str
    agency: Agency
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    format: str = FORMAT
    number: str | None = None
    dates: Dates = Dates()
    approved_by: Approval | None = None
    legal_basis: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    related_sops: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()
    recording: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()

    def step(self, step_id: str) -> Step:
        """The step with this id; ``KeyError`` if there is none."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def start(self) -> Step:
        return next(step for step in self.steps if step.symbol is Symbol.START)

    @property
    def ends(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.symbol is Symbol.END)

    @property
    def lanes_by_id(self) -> dict[str, Lane]:
        return {lane.id: lane for lane in self.lanes}

    def successors(self, step_id: str) -> tuple[Step, ...]:
        """The steps that can follow ``step_id`` (one, or one per decision branch)."""
        return tuple(self.step(target) for target in self.step(step_id).targets)

    def canonical(self) -> dict[str, Any]:
        """The definition as JSON-ready data in the file layout.

        Null values and empty lists are left out, flags are always written, so two files
        that mean the same give the same canonical form. Loading ``canonical()`` (dumped as
        YAML or JSON) gives an equal definition.
        """
        return _canonical(self)

    def definition_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal for equal definitions, whatever the layout."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return str(value)  # enum members become plain text
    if isinstance(value, SopDate):
        return str(value)
    if isinstance(value, TimeStandard):
        raise TypeError("derived values are not part of the canonical form")
    if isinstance(value, tuple):
        return [_canonical(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        data: dict[str, Any] = {}
        for name in value.__dataclass_fields__:
            item = getattr(value, name)
            if item is None or item == () or isinstance(item, TimeStandard):
                continue  # absent, empty and derived values are left out
            data[name] = _canonical(item)
        return data
    return value
