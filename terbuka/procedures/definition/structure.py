"""Check a composed YAML document against :data:`.spec.SOP`, remembering lines.

The checker walks PyYAML nodes (``yaml.compose``), so every value keeps the line it was
written on. It never stops at the first problem: a bad value is reported, replaced by
:data:`INVALID`, and the walk goes on.
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any, Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DefinitionError
from .model import SopDate
from .spec import (
    Boolean,
    Choice,
    Const,
    Date,
    Integer,
    ListOf,
    Obj,
    Spec,
    Text,
    TextOrList,
)
from .vocab import DATE_PATTERN


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()
"""Stands in for a value that had a problem (already reported)."""

_NULL_TAG = "tag:yaml.org,2002:null"
_PARENT = re.compile(r"^(.*?)(?:\.[^.\[\]]+|\[\d+\])$")


def child(path: str, key: str | int) -> str:
    """``child("steps", 3)`` is ``steps[3]``; ``child("steps[3]", "lane")`` is ``steps[3].lane``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Marks:
    """Line numbers (1-based) of field paths. A path without a line of its own gets the line
    of its nearest ancestor, so a missing key points at the mapping it is missing from."""

    def __init__(self) -> None:
        self._lines: dict[str, int] = {}

    def set(self, path: str, line: int) -> None:
        self._lines.setdefault(path, line)

    def line(self, path: str) -> int | None:
        while True:
            if path in self._lines:
                return self._lines[path]
            parent = _PARENT.match(path)
            if parent is None:
                return self._lines.get("")
            path = parent.group(1)


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe(value: Any) -> str:
    """Name a wrongly typed value in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"


class Checker:
    """Walks nodes against specs; collects :class:`DefinitionError` and :class:`Marks`."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[DefinitionError] = []
        self.marks = Marks()
        self._constructor = SafeConstructor()

    def error(self, path: str, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.marks.line(path)
        self.errors.append(DefinitionError(self.file, line, path, message))

    def check(self, node: Node, spec: Spec, path: str) -> Any:
        self.marks.set(path, node.start_mark.line + 1)
        if isinstance(spec, Obj):
            return self._object(node, spec, path)
        if isinstance(spec, ListOf):
            return self._list(node, spec, path)
        if isinstance(spec, TextOrList):
            if isinstance(node, SequenceNode):
                return self._list(node, ListOf(Text(), what="texts"), path)
            value = self._text(node, Text(nullable=True), path)
            return () if value is None else value if value is INVALID else (value,)
        return self._scalar(node, spec, path)

    # -- containers -------------------------------------------------------------------------

    def _object(self, node: Node, spec: Obj, path: str) -> Any:
        if not isinstance(node, MappingNode):
            self.error(path, f"expected a mapping ({spec.doc}), got {self._shown(node)}")
            return INVALID
        values: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                self.error(path, "expected a text key", line)
                continue
            name = str(key_node.value)
            where = child(path, name)
            if name in seen:
                self.error(where, f"duplicate key {name!r} (first at line {seen[name]})", line)
                continue
            seen[name] = line
            self.marks.set(where, line)
            if name not in spec.key_names:
                self.error(
                    where,
                    f"unknown key {name!r} in {spec.name} (expected one of: "
                    f"{', '.join(spec.key_names)}){did_you_mean(name, spec.key_names)}",
                    line,
                )
                continue
            key = spec.key(name)
            if self._is_null(value_node) and not key.required:
                values[name] = key.default
                continue
            values[name] = self.check(value_node, key.spec, where)
        for key in spec.keys:
            if key.name in values:
                continue
            if key.required:
                self.error(child(path, key.name), f"missing required key {key.name!r}: {key.doc}")
                values[key.name] = INVALID
            else:
                values[key.name] = key.default
        self._rules(spec, values, path)
        return values

    def _rules(self, spec: Obj, values: dict[str, Any], path: str) -> None:
        for rule in spec.rules:
            if values.get(rule.key) not in rule.values:
                continue
            condition = f"{rule.key} is {str(values[rule.key])!r}"
            for name in rule.require:
                if _empty(values.get(name)):
                    key = spec.key(name)
                    self.error(
                        child(path, name), f"missing {name!r}, needed when {condition}: {key.doc}"
                    )
                    values[name] = INVALID
            for name in rule.forbid:
                value = values.get(name)
                if value is not INVALID and not _empty(value):
                    self.error(child(path, name), f"no {name!r} is allowed when {condition}")
                    # Reported; dropping the value keeps the rest of the item usable.
                    values[name] = spec.key(name).default

    def _list(self, node: Node, spec: ListOf, path: str) -> Any:
        if not isinstance(node, SequenceNode):
            self.error(path, f"expected a list of {spec.what}, got {self._shown(node)}")
            return INVALID
        items = [self.check(item, spec.item, child(path, i)) for i, item in enumerate(node.value)]
        if len(items) < spec.min_items:
            self.error(
                path,
                f"expected at least {spec.min_items} {spec.what}, found {len(items)}",
            )
            return INVALID
        if not isinstance(spec.item, Obj) and INVALID in items:
            return tuple(item for item in items if item is not INVALID)
        return tuple(items)

    # -- scalars ----------------------------------------------------------------------------

    def _scalar(self, node: Node, spec: Spec, path: str) -> Any:
        if isinstance(spec, Text):
            return self._text(node, spec, path)
        value = self._value(node, path)
        if value is INVALID:
            return INVALID
        if isinstance(spec, Integer):
            if not isinstance(value, int) or isinstance(value, bool):
                self.error(path, f"expected a whole number, got {describe(value)}")
                return INVALID
            if spec.minimum is not None and value < spec.minimum:
                self.error(path, f"expected a number of at least {spec.minimum}, got {value}")
                return INVALID
            return value
        if isinstance(spec, Boolean):
            if not isinstance(value, bool):
                self.error(path, f"expected true or false, got {describe(value)}")
                return INVALID
            return value
        if isinstance(spec, Choice):
            allowed = [member.value for member in spec.enum]
            if not isinstance(value, str) or value not in allowed:
                shown = repr(value) if isinstance(value, str) else describe(value)
                self.error(
                    path,
                    f"unknown {spec.what} {shown} (expected one of: {', '.join(allowed)})"
                    f"{did_you_mean(str(value), allowed)}",
                )
                return INVALID
            return spec.enum(value)
        if isinstance(spec, Const):
            if value != spec.value:
                self.error(path, f"expected {spec.value!r}, got {describe(value)}")
                return INVALID
            return value
        if isinstance(spec, Date):
            return self._date(value, path)
        raise TypeError(f"no scalar check for {spec!r}")

    def _text(self, node: Node, spec: Text, path: str) -> Any:
        value = self._value(node, path)
        if value is INVALID:
            return INVALID
        if value is None and spec.nullable:
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | datetime.date) else ""
            self.error(path, f"expected text, got {describe(value)}{hint}")
            return INVALID
        text = value.strip()
        if not text:
            if spec.nullable:
                return None
            self.error(path, "expected non-empty text")
            return INVALID
        if spec.pattern and not re.match(spec.pattern, text):
            self.error(path, f"{text!r} is not a valid id (expected to match {spec.pattern})")
            return INVALID
        return text

    def _date(self, value: Any, path: str) -> Any:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return SopDate(value.year, value.month, value.day)
        if isinstance(value, str) and re.match(DATE_PATTERN, value.strip()):
            parts = [int(part) for part in value.strip().split("-")]
            try:
                datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, 1)
            except ValueError:
                pass
            else:
                return SopDate(*parts)
        self.error(
            path,
            f"expected a date such as 2024-03-01 or 2024-03 (month precision), "
            f"got {describe(value)}",
        )
        return INVALID

    def _value(self, node: Node, path: str) -> Any:
        if not isinstance(node, ScalarNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            self.error(path, f"expected a single value, got {kind}")
            return INVALID
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.error(path, f"cannot read the value {node.value!r}: {exc}")
            return INVALID

    def _is_null(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == _NULL_TAG

    def _shown(self, node: Node) -> str:
        if isinstance(node, SequenceNode):
            return "a list"
        if isinstance(node, MappingNode):
            return "a mapping"
        if self._is_null(node):
            return "nothing (null)"
        return repr(node.value)


def _empty(value: Any) -> bool:
    return value is None or value == ()
