"""Handlers for steps done "by Sistem" or in a system lane.

A module registers what the system does for a step of one of its SOPs::

    @handlers.register("kalbar-diskominfo-81", "rekap_sistem")
    def recap(case: Case, step_run: StepRun) -> SystemResult: ...

A step without a registered handler is recorded as done by the system when it opens, with a
note saying so; nothing waits on a person for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from terbuka.procedures.models import Case, StepRun


@dataclass(frozen=True)
class SystemResult:
    note: str = ""
    decision: str | None = None


Handler = Callable[["Case", "StepRun"], SystemResult]
_HANDLERS: dict[tuple[str, str], Handler] = {}


def register(sop_code: str, step_id: str) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        key = (sop_code, step_id)
        if key in _HANDLERS:
            raise ValueError(f"a handler for {sop_code}:{step_id} is already registered")
        _HANDLERS[key] = handler
        return handler

    return decorate


def handler_for(sop_code: str, step_id: str) -> Handler | None:
    return _HANDLERS.get((sop_code, step_id))
