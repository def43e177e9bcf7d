"""Panels on the staff dashboard. Apps register a panel; the dashboard shows those that apply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # Returns the panel's context for this request, or None when the panel does not apply.
    context: Callable[[HttpRequest], dict[str, Any] | None]


_PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if any(existing.key == panel.key for existing in _PANELS):
        raise ValueError(f"dashboard panel {panel.key!r} registered twice")
    _PANELS.append(panel)
    return panel


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    shown = []
    for panel in _PANELS:
        context = panel.context(request)
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown
