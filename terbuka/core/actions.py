"""Audit action constants. Each app declares its actions in its own ``actions.py``.

An :class:`Action` is the dotted name stored in the log (``organization.opd_created``) and
carries the translatable label that timelines show.
"""

from __future__ import annotations

from typing import Any

_REGISTRY: dict[str, Action] = {}


class Action(str):
    label: Any

    def __new__(cls, name: str, label: Any) -> Action:
        if name in _REGISTRY:
            raise ValueError(f"audit action {name!r} declared twice")
        action = super().__new__(cls, name)
        action.label = label
        _REGISTRY[name] = action
        return action


def label_of(name: str) -> Any:
    action = _REGISTRY.get(name)
    return action.label if action is not None else name
