"""The SOP engine: how a case moves through its SOP. A pure function of
(definition, state, event, time) — no database, no clock.

A case holds one token: exactly one step is open at a time (the SOPs in the PermenPAN-RB
format are sequential flowcharts). Completing a step opens the step its ``next`` names, or,
for a decision, the step of the chosen branch; completing an end step finishes the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from terbuka.core.errors import DomainError
from terbuka.procedures.definition import SopDefinition, Step, Symbol
from terbuka.procedures.timing import due_at
from terbuka.workcalendar.rules import WorkCalendar


class EngineError(DomainError):
    pass


STEP_NOT_OPEN = _("Langkah %(step)s tidak sedang berjalan pada kasus ini.")
DECISION_REQUIRED = _("Pilih keputusan untuk langkah ini: %(choices)s.")
UNKNOWN_DECISION = _("Keputusan '%(label)s' tidak ada. Pilihan: %(choices)s.")
NOT_REPEATABLE = _("Langkah ini tidak dapat diulang menurut SOP.")


@dataclass(frozen=True)
class OpenStep:
    step_id: str
    due_at: dt.datetime | None


@dataclass(frozen=True)
class Advance:
    """What an event does: the step that opens next (if any) and whether the case ends."""

    opened: OpenStep | None
    finished: bool = False
    branch: str | None = None


def _open(step: Step, at: dt.datetime, cal: WorkCalendar, items: int) -> OpenStep:
    return OpenStep(step_id=step.id, due_at=due_at(step.standard, at, cal, items))


def start(
    definition: SopDefinition, *, at: dt.datetime, cal: WorkCalendar, items: int = 1
) -> OpenStep:
    """A new case opens the start step."""
    return _open(definition.start, at, cal, items)


def complete(
    definition: SopDefinition,
    *,
    open_step: str,
    step_id: str,
    decision: str | None,
    at: dt.datetime,
    cal: WorkCalendar,
    items: int = 1,
    repeat: bool = False,
) -> Advance:
    """Complete ``step_id`` (which must be the open step) and move along its transition.

    A step the SOP marks as repeatable ("pelaksanaannya bisa berulang") may open again
    instead of moving on (``repeat``).
    """
    if step_id != open_step:
        raise EngineError(STEP_NOT_OPEN, step=step_id)
    step = definition.step(step_id)
    if repeat:
        if not step.repeatable:
            raise EngineError(NOT_REPEATABLE)
        return Advance(opened=_open(step, at, cal, items))
    if step.symbol == Symbol.DECISION:
        choices = ", ".join(branch.label for branch in step.branches)
        if not decision:
            raise EngineError(DECISION_REQUIRED, choices=choices)
        chosen = next((b for b in step.branches if b.label == decision), None)
        if chosen is None:
            raise EngineError(UNKNOWN_DECISION, label=decision, choices=choices)
        return Advance(
            opened=_open(definition.step(chosen.to), at, cal, items),
            branch=chosen.label,
        )
    if step.next is None:
        return Advance(opened=None, finished=True)
    return Advance(opened=_open(definition.step(step.next), at, cal, items))
