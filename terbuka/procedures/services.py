"""Writes for SOP runs: start a case, complete, claim and hand on steps, cancel.

Every function locks the case row, checks the state, asks the pure engine what happens,
writes the rows with their audit events, and returns. Domain modules start cases through
:func:`case_start` and never write these models themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.organizations.models import Opd, Unit, User
from terbuka.procedures import actions, engine, handlers
from terbuka.procedures.definition import LaneKind, Record, SopDefinition, Step
from terbuka.procedures.models import (
    Case,
    CaseStatus,
    Sop,
    StepRun,
    StepRunFile,
    StepRunStatus,
)
from terbuka.procedures.selectors import definition_of, lane_position
from terbuka.procedures.timing import elapsed, standard_amount
from terbuka.workcalendar.rules import WorkCalendar
from terbuka.workcalendar.selectors import calendar_for

NOT_RUNNABLE = _("SOP ini belum memiliki versi yang berlaku.")
CASE_NOT_OPEN = _("Kasus ini sudah %(status)s.")
STEP_NOT_OPEN = _("Langkah ini sudah tidak terbuka.")
NOTE_REQUIRED = _("Langkah ini wajib mencatat keterangan/hasil.")
FILE_REQUIRED = _("Langkah ini wajib melampirkan berkas (%(output)s).")
REASON_REQUIRED = _("Alasan wajib diisi.")
FIELD_REQUIRED = _("Data '%(field)s' wajib diisi untuk memulai kasus.")
SYSTEM_LOOP = _("Langkah sistem berulang tanpa henti; periksa definisi SOP.")

FILE_RECORDS = {Record.FILE, Record.LETTER}
NOTE_RECORDS = {Record.NOTE, Record.DISPOSITION}
MAX_SYSTEM_STEPS = 50
ITEMS_FIELD = "jumlah_item"


def _items(case: Case) -> int:
    """How many items a per-item standard (``5 menit/ Elemen Data``) counts for this case."""
    try:
        return max(int(case.data.get(ITEMS_FIELD, 1)), 1)
    except (TypeError, ValueError):
        return 1


def _calendar(case: Case) -> WorkCalendar:
    return calendar_for(case.opd.pemda, case.opd)


def _open_step(
    *,
    case: Case,
    definition: SopDefinition,
    opened: engine.OpenStep,
    at: dt.datetime,
    sequence: int,
) -> StepRun:
    step = definition.step(opened.step_id)
    lane = definition.lanes_by_id[step.lane]
    assignee = case.started_by if lane.kind == LaneKind.EXTERNAL else None
    return StepRun.objects.create(
        case=case,
        sequence=sequence,
        step_id=step.id,
        lane_id=lane.id,
        opd=case.opd,
        position=lane_position(lane, case.opd, case.unit),
        assignee=assignee,
        started_at=at,
        due_at=opened.due_at,
    )


def _is_system_step(definition: SopDefinition, step: Step) -> bool:
    return step.by_system or definition.lanes_by_id[step.lane].kind == LaneKind.SYSTEM


def _finish_step(
    *,
    run: StepRun,
    step: Step,
    at: dt.datetime,
    cal: WorkCalendar,
    items: int,
    actor: User | None,
    decision: str,
    note: str,
    on_behalf_of: str,
) -> None:
    run.status = StepRunStatus.DONE
    run.completed_at = at
    run.completed_by = actor
    run.decision = decision
    run.note = note
    run.on_behalf_of = on_behalf_of
    run.elapsed = elapsed(step.standard, run.started_at, at, cal)
    limit = standard_amount(step.standard, items)
    run.within_standard = None if run.elapsed is None or limit is None else run.elapsed <= limit
    run.save(
        update_fields=[
            "status",
            "completed_at",
            "completed_by",
            "decision",
            "note",
            "on_behalf_of",
            "elapsed",
            "within_standard",
        ]
    )


def _advance(
    *,
    case: Case,
    run: StepRun,
    definition: SopDefinition,
    actor: User | None,
    decision: str | None,
    note: str,
    on_behalf_of: str = "",
    repeat: bool = False,
) -> StepRun | None:
    """Complete ``run`` and open what follows; system steps run at once. Returns the step now
    waiting for a person, or None when the case has ended."""
    cal = _calendar(case)
    items = _items(case)
    for _attempt in range(MAX_SYSTEM_STEPS):
        at = clock.now()
        step = definition.step(run.step_id)
        result = engine.complete(
            definition,
            open_step=run.step_id,
            step_id=run.step_id,
            decision=decision,
            at=at,
            cal=cal,
            items=items,
            repeat=repeat,
        )
        _finish_step(
            run=run,
            step=step,
            at=at,
            cal=cal,
            items=items,
            actor=actor,
            decision=result.branch or "",
            note=note,
            on_behalf_of=on_behalf_of,
        )
        audit.record(
            action=actions.STEP_COMPLETED if actor else actions.STEP_RUN_BY_SYSTEM,
            actor=actor,
            obj=case,
            opd_id=case.opd_id,
            data={
                "langkah": step.id,
                "no": step.no,
                "keputusan": result.branch,
                "catatan": note,
                "atas_nama": on_behalf_of,
                "diulang": repeat,
            },
        )
        if result.opened is None:
            case.status, case.ended_at = CaseStatus.COMPLETED, at
            case.save(update_fields=["status", "ended_at"])
            audit.record(action=actions.CASE_COMPLETED, obj=case, opd_id=case.opd_id)
            return None
        run = _open_step(
            case=case,
            definition=definition,
            opened=result.opened,
            at=at,
            sequence=run.sequence + 1,
        )
        following = definition.step(run.step_id)
        if not _is_system_step(definition, following):
            return run
        handler = handlers.handler_for(case.version.sop.code, following.id)
        outcome = (
            handler(case, run)
            if handler
            else handlers.SystemResult(note=str(_("Dijalankan oleh sistem.")))
        )
        actor, decision, note, on_behalf_of = None, outcome.decision, outcome.note, ""
        repeat = False
    raise DomainError(SYSTEM_LOOP)


def case_start(
    *,
    sop: Sop,
    opd: Opd,
    actor: User | None,
    title: str,
    unit: Unit | None = None,
    data: dict[str, Any] | None = None,
    subject: models.Model | None = None,
    check_required: bool = True,
) -> Case:
    """Open a case of the SOP's current version for ``opd``; its start step lands in an inbox.

    ``actor`` is None when a module starts the case for the public. A module that keeps the
    case's data on its own record (``subject``) may pass ``check_required=False``.
    """
    version = sop.current_version
    if version is None:
        raise DomainError(NOT_RUNNABLE)
    definition = definition_of(version)
    data = dict(data or {})
    for field in definition.fields:
        if check_required and field.required and data.get(field.id) in (None, ""):
            raise DomainError(FIELD_REQUIRED, field=field.label)
    at = clock.now()
    with transaction.atomic():
        case = Case.objects.create(
            version=version,
            opd=opd,
            unit=unit,
            title=title.strip() or sop.name,
            data=data,
            started_at=at,
            started_by=actor,
            subject_type=ContentType.objects.get_for_model(subject) if subject else None,
            subject_id=str(subject.pk) if subject else "",
        )
        audit.record(
            action=actions.CASE_STARTED,
            actor=actor,
            obj=case,
            opd_id=opd.pk,
            data={"sop": sop.code, "revisi": version.number},
        )
        opened = engine.start(definition, at=at, cal=_calendar(case), items=_items(case))
        run = _open_step(case=case, definition=definition, opened=opened, at=at, sequence=1)
        if _is_system_step(definition, definition.step(run.step_id)):
            _advance(
                case=case,
                run=run,
                definition=definition,
                actor=None,
                decision=None,
                note=str(_("Dijalankan oleh sistem.")),
            )
    return case


def _locked_open_run(run: StepRun) -> tuple[Case, StepRun]:
    case = (
        Case.objects.select_for_update()
        .select_related("version__sop", "opd__pemda")
        .get(pk=run.case_id)
    )
    if case.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, status=case.get_status_display().lower())
    fresh = StepRun.objects.get(pk=run.pk)
    if fresh.status != StepRunStatus.OPEN:
        raise DomainError(STEP_NOT_OPEN)
    fresh.case = case
    return case, fresh


def step_complete(
    *,
    step_run: StepRun,
    actor: User,
    decision: str | None = None,
    note: str = "",
    files: Sequence[UploadedFile] = (),
    on_behalf_of: str = "",
    repeat: bool = False,
) -> StepRun | None:
    """Record the step's output and move the case on. Returns the next open step, if any."""
    with transaction.atomic():
        case, run = _locked_open_run(step_run)
        definition = definition_of(case.version)
        step = definition.step(run.step_id)
        note = note.strip()
        if NOTE_RECORDS.intersection(step.records) and not note:
            raise DomainError(NOTE_REQUIRED)
        if FILE_RECORDS.intersection(step.records) and not files and not run.files.exists():
            raise DomainError(FILE_REQUIRED, output=step.output or step.activity)
        at = clock.now()
        for upload in files:
            StepRunFile.objects.create(
                step_run=run, file=upload, name=upload.name or "berkas", uploaded_at=at
            )
        return _advance(
            case=case,
            run=run,
            definition=definition,
            actor=actor,
            decision=decision,
            note=note,
            on_behalf_of=on_behalf_of,
            repeat=repeat,
        )


def step_claim(*, step_run: StepRun, actor: User) -> StepRun:
    """One of the position's holders takes the step as their own."""
    with transaction.atomic():
        case, run = _locked_open_run(step_run)
        run.assignee = actor
        run.save(update_fields=["assignee"])
        audit.record(
            action=actions.STEP_CLAIMED,
            actor=actor,
            obj=case,
            opd_id=case.opd_id,
            data={"langkah": run.step_id},
        )
    return run


def step_reassign(*, step_run: StepRun, actor: User, to: User, reason: str) -> StepRun:
    """Hand the step to a named person (reassignment, or delegation by its holder)."""
    if not reason.strip():
        raise DomainError(REASON_REQUIRED)
    with transaction.atomic():
        case, run = _locked_open_run(step_run)
        previous = run.assignee
        run.assignee = to
        run.save(update_fields=["assignee"])
        audit.record(
            action=actions.STEP_REASSIGNED,
            actor=actor,
            obj=case,
            opd_id=case.opd_id,
            data={
                "langkah": run.step_id,
                "dari": previous.username if previous else None,
                "ke": to.username,
                "alasan": reason.strip(),
            },
        )
    return run


def case_cancel(*, case: Case, actor: User, reason: str) -> Case:
    if not reason.strip():
        raise DomainError(REASON_REQUIRED)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.OPEN:
            raise DomainError(CASE_NOT_OPEN, status=locked.get_status_display().lower())
        at = clock.now()
        locked.status, locked.ended_at, locked.cancel_reason = (
            CaseStatus.CANCELLED,
            at,
            reason.strip(),
        )
        locked.save(update_fields=["status", "ended_at", "cancel_reason"])
        locked.step_runs.filter(status=StepRunStatus.OPEN).update(status=StepRunStatus.CANCELLED)
        audit.record(
            action=actions.CASE_CANCELLED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={"alasan": reason.strip()},
        )
    return locked
