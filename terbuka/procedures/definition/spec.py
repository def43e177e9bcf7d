"""The shape of an SOP file, declared once.

The structural checker (:mod:`.structure`) and the JSON Schema (:mod:`.schema`) both read
this declaration, so the schema cannot drift from what the loader accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .timestandard import Calendar, TimeUnit
from .vocab import (
    FORMAT,
    NAME_PATTERN,
    SOP_ID_PATTERN,
    Actor,
    FieldType,
    LaneKind,
    Record,
    Role,
    Symbol,
)


@dataclass(frozen=True)
class Text:
    """A string. Blank text is refused unless ``nullable``, which turns it into null.

    Whatever the spec, an optional key may be null or left out: it then takes its default.
    """

    nullable: bool = False
    pattern: str | None = None


@dataclass(frozen=True)
class Integer:
    minimum: int | None = None


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Choice:
    enum: type[StrEnum]
    what: str
    """How a message names the value, e.g. ``symbol``."""


@dataclass(frozen=True)
class Const:
    value: str


@dataclass(frozen=True)
class Date:
    """A date at year, month or day precision, or null."""


@dataclass(frozen=True)
class TextOrList:
    """Text or a list of texts; null means none."""


@dataclass(frozen=True)
class ListOf:
    """A list; null means an empty list when ``min_items`` is 0."""

    item: Spec
    min_items: int = 0
    what: str = "items"


@dataclass(frozen=True)
class Key:
    name: str
    spec: Spec
    doc: str
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Rule:
    """When ``key`` has one of ``values``, keys in ``require`` must be present and keys in
    ``forbid`` absent (or null / empty)."""

    key: str
    values: tuple[str, ...]
    require: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()


@dataclass(frozen=True)
class Obj:
    name: str
    doc: str
    keys: tuple[Key, ...]
    rules: tuple[Rule, ...] = field(default=())

    def key(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)


Spec = Text | Integer | Boolean | Choice | Const | Date | TextOrList | ListOf | Obj

TEXTS = ListOf(Text(), what="texts")


def _values(*members: StrEnum) -> tuple[str, ...]:
    return tuple(member.value for member in members)


DATES = Obj(
    "dates",
    "Dates printed in the identity block.",
    (
        Key("made", Date(), "Tanggal pembuatan."),
        Key("revised", Date(), "Tanggal revisi."),
        Key("effective", Date(), "Tanggal efektif / pengesahan."),
    ),
)

APPROVAL = Obj(
    "approval",
    "Disahkan oleh: the official who approved the SOP, as printed.",
    (
        Key("position", Text(), "Position (jabatan), e.g. 'Plt. Kepala Dinas ...'.", True),
        Key("name", Text(nullable=True), "Name with titles, as printed."),
        Key("nip", Text(nullable=True), "NIP, as text (quote it)."),
        Key("rank", Text(nullable=True), "Rank (pangkat/golongan), as printed."),
    ),
)

AGENCY = Obj(
    "agency",
    "The issuing agency, as printed.",
    (
        Key("pemda", Text(), "Regional government, e.g. 'Pemerintah Kota Tebing Tinggi'.", True),
        Key("opd", Text(), "Office (perangkat daerah).", True),
        Key("unit", Text(nullable=True), "Unit inside the office (bidang, bagian), if printed."),
    ),
)

LANE = Obj(
    "lane",
    "A column of the flowchart (pelaksana).",
    (
        Key("id", Text(pattern=NAME_PATTERN), "Lane id, referenced by steps.", True),
        Key("label", Text(), "Column heading as printed on the sheet.", True),
        Key("kind", Choice(LaneKind, "lane kind"), "internal, external or system.", True),
        Key("role", Choice(Role, "role"), "Role code; internal lanes only."),
        Key("actor", Choice(Actor, "actor"), "Who an external lane stands for."),
        Key("unit_hint", Text(nullable=True), "Unit the role sits in, e.g. 'Seksi ...'."),
        Key("inferred", Boolean(), "The column heading was reconstructed.", default=False),
        Key("note", Text(nullable=True), "Transcription note on this lane."),
    ),
    (
        Rule("kind", _values(LaneKind.INTERNAL), require=("role",), forbid=("actor",)),
        Rule("kind", _values(LaneKind.EXTERNAL), require=("actor",), forbid=("role",)),
        Rule("kind", _values(LaneKind.SYSTEM), forbid=("role", "actor")),
    ),
)

BRANCH = Obj(
    "branch",
    "One way out of a decision.",
    (
        Key("label", Text(), "The condition as printed, e.g. 'sudah benar'.", True),
        Key("to", Text(pattern=NAME_PATTERN), "Id of the step that follows.", True),
    ),
)

TIME_OVERRIDE = Obj(
    "time_override",
    "Changes how the printed time is measured.",
    (
        Key("unit", Choice(TimeUnit, "time unit"), "Unit of the printed amount."),
        Key("calendar", Choice(Calendar, "calendar"), "How the duration is counted."),
    ),
)

STEP = Obj(
    "step",
    "A row of the flowchart with its mutu baku.",
    (
        Key("no", Integer(minimum=1), "Row number as printed; null if none."),
        Key("id", Text(pattern=NAME_PATTERN), "Step id, referenced by next and branches.", True),
        Key("activity", Text(), "Kegiatan / uraian prosedur.", True),
        Key("lane", Text(pattern=NAME_PATTERN), "Id of the lane that does the step.", True),
        Key("symbol", Choice(Symbol, "symbol"), "start, process, decision or end.", True),
        Key("inputs", TEXTS, "Kelengkapan: what the step needs.", default=()),
        Key("time", Text(nullable=True), "Waktu exactly as printed."),
        Key("time_override", TIME_OVERRIDE, "Overrides unit or calendar of the time."),
        Key("output", Text(nullable=True), "Output as printed."),
        Key("note", Text(nullable=True), "Keterangan as printed."),
        Key("repeatable", Boolean(), "The step may be done more than once.", default=False),
        Key("by_system", Boolean(), "An application does the step.", default=False),
        Key("next", Text(pattern=NAME_PATTERN), "Id of the following step."),
        Key("branches", ListOf(BRANCH, 2, "branches"), "Ways out of a decision.", default=()),
        Key("records", ListOf(Choice(Record, "record")), "What must be recorded.", default=()),
        Key("lane_inferred", Boolean(), "The lane was inferred from the text.", default=False),
    ),
    (
        Rule("symbol", _values(Symbol.START, Symbol.PROCESS), ("next",), ("branches",)),
        Rule("symbol", _values(Symbol.DECISION), ("branches",), ("next",)),
        Rule("symbol", _values(Symbol.END), forbid=("next", "branches")),
    ),
)

FIELD = Obj(
    "field",
    "A piece of data that a case of this SOP carries.",
    (
        Key("id", Text(pattern=NAME_PATTERN), "Field id.", True),
        Key("label", Text(), "Label shown to staff.", True),
        Key("type", Choice(FieldType, "field type"), "Data type.", True),
        Key("required", Boolean(), "A case cannot finish without it.", default=False),
        Key("choices", TEXTS, "Allowed values; choice fields only.", default=()),
    ),
    (
        Rule("type", _values(FieldType.CHOICE), require=("choices",)),
        Rule(
            "type",
            tuple(t.value for t in FieldType if t is not FieldType.CHOICE),
            forbid=("choices",),
        ),
    ),
)

SOP = Obj(
    "sop",
    "An SOP (Standar Operasional Prosedur) in the PermenPAN-RB 35/2012 layout.",
    (
        Key("format", Const(FORMAT), f"Format version; must be '{FORMAT}'.", True),
        Key("id", Text(pattern=SOP_ID_PATTERN), "Slug; the file is sops/<id>.yaml.", True),
        Key("number", Text(nullable=True), "Nomor SOP as printed; null if blank."),
        Key("name", Text(), "Nama SOP.", True),
        Key("agency", AGENCY, "Issuing agency.", True),
        Key("dates", DATES, "Dates made, revised, effective."),
        Key("approved_by", APPROVAL, "Disahkan oleh."),
        Key("legal_basis", TEXTS, "Dasar hukum.", default=()),
        Key("qualifications", TEXTS, "Kualifikasi pelaksana.", default=()),
        Key("related_sops", TEXTS, "Keterkaitan.", default=()),
        Key("equipment", TEXTS, "Peralatan / perlengkapan.", default=()),
        Key("warning", TextOrList(), "Peringatan.", default=()),
        Key("recording", TextOrList(), "Pencatatan dan pendataan.", default=()),
        Key("notes", TEXTS, "Transcription notes: OCR repairs, inferences.", default=()),
        Key("lanes", ListOf(LANE, 1, "lanes"), "Flowchart columns, in order.", True),
        Key("steps", ListOf(STEP, 1, "steps"), "Flowchart rows, in order.", True),
        Key("fields", ListOf(FIELD, what="fields"), "Data a case carries.", default=()),
    ),
)
"""The whole file."""

GRAPH_KEYS = ("id", "lane", "symbol", "next", "branches")
"""Step keys that the flow graph is made of; a step with a problem in one is left out of the
graph checks."""
