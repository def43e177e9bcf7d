"""The JSON Schema is generated from the same spec the loader uses.

``jsonschema`` is not installed, so :func:`schema_errors` below checks documents against the
subset of draft 2020-12 that :mod:`schema` emits. It refuses any keyword it does not know, so
the schema cannot silently grow beyond what these tests check.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from terbuka.organizations.models import Role as OrganisationRole
from terbuka.procedures.definition import vocab
from terbuka.procedures.definition.schema import DIALECT, main, sop_json_schema
from terbuka.procedures.definition.spec import SOP, ListOf, Obj, Spec

ROOT = Path(__file__).resolve().parents[3]
LIBRARY = sorted((ROOT / "sops").glob("*.yaml"))
BROKEN = Path(__file__).parent / "broken"

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


class KeysAsText(yaml.SafeLoader):
    """Reads mapping keys as written, as the SOP loader does (YAML 1.1 reads ``no`` as false)."""

    def construct_mapping(self, node, deep=False):
        return {str(key.value): self.construct_object(value, deep) for key, value in node.value}


def as_json(path: Path) -> Any:
    """The YAML file as JSON data (dates become ISO strings)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=KeysAsText)  # noqa: S506
    return json.loads(json.dumps(data, default=str))


def _type_ok(value: Any, name: str) -> bool:
    if name in {"integer", "string"} and isinstance(value, bool):
        return False
    return isinstance(value, JSON_TYPES[name])


def schema_errors(value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "") -> list:
    unknown = set(schema) - ANNOTATIONS - {
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "minLength", "pattern", "minimum", "anyOf", "allOf",
        "if", "then", "not",
    }  # fmt: skip
    assert not unknown, f"keywords this test does not check: {unknown}"
    errors: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        errors += schema_errors(value, root["$defs"][name], root, at)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, t) for t in types):
            return [*errors, f"{at}: not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{at}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{at}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{at}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{at}: {value!r} does not match")
    if isinstance(value, int) and value < schema.get("minimum", value):
        errors.append(f"{at}: below minimum")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            errors.append(f"{at}: wrong number of items")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), root, f"{at}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{at}.{key}: required")
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], root, f"{at}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{at}.{key}: not allowed")
    if "anyOf" in schema and all(schema_errors(value, s, root, at) for s in schema["anyOf"]):
        errors.append(f"{at}: matches none of anyOf")
    for part in schema.get("allOf", []):
        errors += schema_errors(value, part, root, at)
    if "if" in schema and not schema_errors(value, schema["if"], root, at):
        errors += schema_errors(value, schema.get("then", {}), root, at)
    if "not" in schema and not schema_errors(value, schema["not"], root, at):
        errors.append(f"{at}: matches a forbidden schema")
    return errors


def _options(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    if "$ref" in schema:
        return _options(root["$defs"][schema["$ref"].removeprefix("#/$defs/")], root)
    if "anyOf" in schema:
        return [option for part in schema["anyOf"] for option in _options(part, root)]
    return [schema]


def keys_used(value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "") -> list:
    """Every mapping key in ``value`` that the schema does not declare, as paths."""
    options = _options(schema, root)
    missing = []
    if isinstance(value, dict):
        properties = {k: v for option in options for k, v in option.get("properties", {}).items()}
        for key, item in value.items():
            if key not in properties:
                missing.append(f"{at}.{key}")
            else:
                missing += keys_used(item, properties[key], root, f"{at}.{key}")
    elif isinstance(value, list):
        items: dict[str, Any] = next((o["items"] for o in options if "items" in o), {})
        for i, item in enumerate(value):
            missing += keys_used(item, items, root, f"{at}[{i}]")
    return missing


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return sop_json_schema()


def test_schema_is_draft_2020_12_and_json_serialisable(schema):
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert json.loads(json.dumps(schema)) == schema


def test_schema_is_generated_from_the_vocabularies(schema):
    defs = schema["$defs"]

    assert schema["properties"]["format"]["const"] == vocab.FORMAT
    assert defs["lane"]["properties"]["role"]["anyOf"][0]["enum"] == [r.value for r in vocab.Role]
    assert defs["lane"]["properties"]["actor"]["anyOf"][0]["enum"] == [a.value for a in vocab.Actor]
    assert defs["step"]["properties"]["symbol"]["enum"] == [s.value for s in vocab.Symbol]
    assert defs["field"]["properties"]["type"]["enum"] == [t.value for t in vocab.FieldType]
    assert defs["step"]["properties"]["branches"]["anyOf"][0]["minItems"] == 2
    assert set(defs["step"]["required"]) == {"id", "activity", "lane", "symbol"}


def _objects(spec: Spec) -> list[Obj]:
    if isinstance(spec, ListOf):
        return _objects(spec.item)
    if not isinstance(spec, Obj):
        return []
    return [spec, *(obj for key in spec.keys for obj in _objects(key.spec))]


def test_every_spec_key_is_in_the_schema_and_the_documentation(schema):
    doc = (ROOT / "docs" / "sop-format.md").read_text(encoding="utf-8")

    for obj in _objects(SOP):
        declared = schema if obj is SOP else schema["$defs"][obj.name]
        assert list(declared["properties"]) == list(obj.key_names)
        for key in obj.key_names:
            assert f"`{key}`" in doc, f"{obj.name}.{key} is not documented"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_schema_covers_every_key_used_in_the_library(schema, path):
    assert keys_used(as_json(path), schema, schema) == []


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_library_files_validate_against_the_schema(schema, path):
    assert schema_errors(as_json(path), schema, schema) == []


@pytest.mark.parametrize(
    ("fixture", "where"),
    [
        ("unknown_key.yaml", ".steps[1].activty: not allowed"),
        ("decision_one_branch.yaml", ".steps[1]"),
        ("many_errors.yaml", ".agency.opd: required"),
    ],
)
def test_schema_refuses_structurally_broken_fixtures(schema, fixture, where):
    errors = schema_errors(as_json(BROKEN / fixture), schema, schema)

    assert any(error.startswith(where) for error in errors), errors


def test_module_prints_the_schema(capsys):
    main()

    assert json.loads(capsys.readouterr().out) == sop_json_schema()


def test_sop_role_codes_are_the_organisation_roles() -> None:
    """A lane's role must resolve to positions, so both vocabularies must stay the same."""
    assert {role.value for role in vocab.Role} == set(OrganisationRole.values)
