"""SOP definitions: the YAML format, its loader, validator, time standards and JSON Schema.

A pure layer: it imports no Django models and touches no database. The JSON Schema lives in
:mod:`.schema` (``sop_json_schema()``), which is not imported here so that
``python -m terbuka.procedures.definition.schema`` runs cleanly.

    >>> from terbuka.procedures.definition import load_sop
    >>> sop = load_sop("sops/batang-dpmptsp-si.yaml")
    >>> sop.start.id, sop.definition_hash()[:12]
"""

from .errors import DefinitionError, DefinitionInvalid
from .loader import check_sop_text, load_library, load_sop, load_sop_text
from .model import (
    Agency,
    Approval,
    Branch,
    Dates,
    Field,
    Lane,
    SopDate,
    SopDefinition,
    Step,
    TimeOverride,
)
from .timestandard import (
    Calendar,
    DurationUnit,
    TimeKind,
    TimeStandard,
    TimeStandardError,
    TimeUnit,
    parse_time_standard,
)
from .validate import validate
from .vocab import FORMAT, Actor, FieldType, LaneKind, Record, Role, Symbol

__all__ = [
    "FORMAT",
    "Actor",
    "Agency",
    "Approval",
    "Branch",
    "Calendar",
    "Dates",
    "DefinitionError",
    "DefinitionInvalid",
    "DurationUnit",
    "Field",
    "FieldType",
    "Lane",
    "LaneKind",
    "Record",
    "Role",
    "SopDate",
    "SopDefinition",
    "Step",
    "Symbol",
    "TimeKind",
    "TimeOverride",
    "TimeStandard",
    "TimeStandardError",
    "TimeUnit",
    "check_sop_text",
    "load_library",
    "load_sop",
    "load_sop_text",
    "parse_time_standard",
    "validate",
]
