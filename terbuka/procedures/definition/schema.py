"""JSON Schema (draft 2020-12) of the SOP format, generated from :mod:`.spec`.

Print it with ``python -m terbuka.procedures.definition.schema > sop.schema.json`` (no
Django settings needed). Editors use it to complete and check SOP files; the loader stays
the authority, as the schema cannot express the graph checks (reachability, references).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from .spec import (
    SOP,
    Boolean,
    Choice,
    Const,
    Date,
    Integer,
    Key,
    ListOf,
    Obj,
    Spec,
    Text,
    TextOrList,
)
from .vocab import DATE_PATTERN, FORMAT

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://terbuka.id/schema/terbuka-sop-1.schema.json"


def sop_json_schema() -> dict[str, Any]:
    """The schema as a dict, ready for ``json.dumps``."""
    defs: dict[str, dict[str, Any]] = {}
    root = _object(SOP, defs)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": f"Terbuka SOP definition ({FORMAT})",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _spec(spec: Spec, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if isinstance(spec, Obj):
        if spec.name not in defs:
            defs[spec.name] = {}  # reserve the name first: objects may nest
            defs[spec.name] = _object(spec, defs)
        return {"$ref": f"#/$defs/{spec.name}"}
    if isinstance(spec, ListOf):
        schema: dict[str, Any] = {"type": "array", "items": _spec(spec.item, defs)}
        if spec.min_items:
            schema["minItems"] = spec.min_items
        return schema
    if isinstance(spec, Text):
        text: dict[str, Any] = {"type": ["string", "null"] if spec.nullable else "string"}
        if not spec.nullable:
            text["minLength"] = 1
        if spec.pattern:
            text["pattern"] = spec.pattern
        return text
    if isinstance(spec, Integer):
        number: dict[str, Any] = {"type": "integer"}
        if spec.minimum is not None:
            number["minimum"] = spec.minimum
        return number
    if isinstance(spec, Boolean):
        return {"type": "boolean"}
    if isinstance(spec, Choice):
        return {"enum": [member.value for member in spec.enum]}
    if isinstance(spec, Const):
        return {"const": spec.value}
    if isinstance(spec, Date):
        return {"type": ["string", "null"], "pattern": DATE_PATTERN}
    if isinstance(spec, TextOrList):
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    raise TypeError(f"no schema for {spec!r}")


def _object(spec: Obj, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": spec.doc,
        "properties": {key.name: _property(key, defs) for key in spec.keys},
        "additionalProperties": False,
    }
    required = [key.name for key in spec.keys if key.required]
    if required:
        schema["required"] = required
    conditions = []
    for rule in spec.rules:
        then: dict[str, Any] = {}
        needed = list(rule.require)
        if needed:
            then["required"] = needed
            then["properties"] = {name: {"not": _empty()} for name in needed}
        if rule.forbid:
            then.setdefault("properties", {}).update({name: _empty() for name in rule.forbid})
        conditions.append(
            {
                "if": {
                    "properties": {rule.key: {"enum": list(rule.values)}},
                    "required": [rule.key],
                },
                "then": then,
            }
        )
    if conditions:
        schema["allOf"] = conditions
    return schema


def _property(key: Key, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    inner = _spec(key.spec, defs)
    described = {"description": key.doc}
    if key.required or "null" in inner.get("type", ()):
        return {**described, **inner}
    # An optional key may also be written as null, meaning "not given".
    return {**described, "anyOf": [inner, {"type": "null"}]}


def _empty() -> dict[str, Any]:
    """Null or an empty list: what an absent key may be written as."""
    return {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}


def main() -> None:
    json.dump(sop_json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
