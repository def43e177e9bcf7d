"""The PPID officer's side: the register, counter intake, the request page and its actions,
the objection register, the Atasan PPID's answers and the record of disputes before the
Komisi Informasi."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BaseForm, Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terbuka.core import audit, clock
from terbuka.core.forms import StaffForm
from terbuka.core.http import StaffRequest
from terbuka.core.views.forms import attempt
from terbuka.information_requests import deadlines, objections, services
from terbuka.information_requests.exports import objection_ground_text
from terbuka.information_requests.forms import (
    CounterIntakeForm,
    DecideForm,
    DeliverForm,
    ExtendForm,
    FeeForm,
    ForwardForm,
    ObjectionAnswerForm,
    PpidSettingsForm,
)
from terbuka.information_requests.models import (
    AttachmentKind,
    Channel,
    Dispute,
    InformationRequest,
    Objection,
    Status,
)
from terbuka.information_requests.reports import (
    filtered_register,
    objections_visible,
    register_filters,
)
from terbuka.information_requests.selectors import (
    can_handle,
    personal_view,
    requests_visible,
    sees_personal_data,
)
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Role
from terbuka.organizations.selectors import (
    local_today,
    opds_visible,
    primary_pemda,
    scope_of,
)
from terbuka.procedures.definition import Lane, Step
from terbuka.procedures.measurement import unit_label
from terbuka.procedures.models import Case, StepRun, StepRunFile, StepRunStatus
from terbuka.procedures.selectors import definition_of
from terbuka.procedures.services import FILE_RECORDS
from terbuka.public_information.exemptions import tests_citable
from terbuka.workcalendar.rules import WorkCalendar
from terbuka.workcalendar.selectors import calendar_for


@login_required
def register(request: StaffRequest) -> HttpResponse:
    """The buku register permohonan, with filters."""
    scope = scope_of(request)
    filters = register_filters(request.GET)
    items = filtered_register(scope, request.GET, local_today())
    page = Paginator(items, 50).get_page(request.GET.get("halaman"))
    rows = [{"item": item, "personal": personal_view(scope, item)} for item in page]
    return render(
        request,
        "information_requests/staff/register.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "statuses": Status.choices,
            "channels": Channel.choices,
            "opds": opds_visible(scope).order_by("name").values_list("pk", "name"),
            "today": local_today(),
        },
    )


@login_required
def intake(request: StaffRequest) -> HttpResponse:
    """Counter intake of walk-in, letter, phone and e-mail requests."""
    scope = scope_of(request)
    pemda = primary_pemda()
    if pemda is None or not (
        scope.is_operator or scope.has_role("ppid_utama", "ppid_pelaksana", "petugas_ppid")
    ):
        raise Http404
    form = CounterIntakeForm(
        request.POST or None,
        request.FILES or None,
        pemda_id=pemda.pk,
        initial={"submission_key": "loket"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [(AttachmentKind.LETTER, data["letter_file"])] if data.get("letter_file") else []
        if data.get("identity_file"):
            files.append((AttachmentKind.IDENTITY, data["identity_file"]))
        ok, created = attempt(
            form,
            services.request_register,
            pemda=pemda,
            opd=data["opd"],
            requester=form.requester(get_language() or "id"),
            asked=form.asked(),
            channel=data["channel"],
            received_at=data["received_at"],
            actor=request.user,
            files=files,
        )
        if ok and created is not None:
            messages.success(
                request, _("Permohonan %(number)s didaftarkan.") % {"number": created.number}
            )
            return redirect("ppid:detail", request_id=created.pk)
    return render(request, "information_requests/staff/intake.html", {"form": form})


def _visible_or_404(scope: Scope, request_id: int) -> InformationRequest:
    item = (
        requests_visible(scope)
        .select_related("pemda", "case__version__sop")
        .filter(pk=request_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class SopStepRow:
    """A step run of the request's SOP case with the step and lane its definition gives."""

    run: StepRun
    step: Step
    lane: Lane | None
    files: list[StepRunFile]
    unit: str
    """The unit the step's time standard and elapsed time are counted in."""
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.run.status == StepRunStatus.OPEN

    @property
    def title(self) -> str:
        activity = Truncator(self.step.activity).words(8)
        return f"{self.step.no}. {activity}" if self.step.no else activity


def _sop_rows(case: Case | None, now: dt.datetime) -> list[SopStepRow]:
    """The case's step runs in order with their SOP steps, lanes and files, in a fixed number
    of queries however many steps and files (``case`` comes with its version and SOP)."""
    if case is None:
        return []
    definition = definition_of(case.version)
    lanes = definition.lanes_by_id
    runs = case.step_runs.select_related("position", "completed_by").prefetch_related(
        Prefetch("files", queryset=StepRunFile.objects.order_by("uploaded_at", "id"))
    )
    rows = []
    for run in runs:
        step = definition.step(run.step_id)
        duration = step.standard.as_duration()
        rows.append(
            SopStepRow(
                run=run,
                step=step,
                lane=lanes.get(run.lane_id),
                files=list(run.files.all()),
                unit=unit_label(duration[0] if duration else None),
                overdue=run.status == StepRunStatus.OPEN
                and run.due_at is not None
                and run.due_at < now,
            )
        )
    return rows


def _step_file_choices(rows: list[SopStepRow]) -> list[tuple[StepRunFile, str]]:
    """The files the case's steps produced, labelled with their step (deliver form)."""
    return [(file, f"{row.title} — {file.name}") for row in rows for file in row.files]


def _latest_file_output(rows: list[SopStepRow]) -> list[str]:
    """The files of the last completed step whose SOP records a file output: what the
    deliver form offers pre-selected."""
    for row in reversed(rows):
        done = row.run.status == StepRunStatus.DONE
        if done and row.files and FILE_RECORDS.intersection(row.step.records):
            return [str(file.pk) for file in row.files]
    return []


def _latest_note(rows: list[SopStepRow]) -> SopStepRow | None:
    """The last step a person completed with a note: the draft the decision starts from."""
    for row in reversed(rows):
        run = row.run
        if run.status == StepRunStatus.DONE and run.completed_by_id and run.note.strip():
            return row
    return None


def _decide_initial(noted: SopStepRow | None) -> dict[str, str]:
    """The decision's free texts start from the latest step note (initial values only)."""
    if noted is None:
        return {}
    note = noted.run.note.strip()
    return {"withheld_parts": note, "consequence_test": note}


@login_required
def detail(request: StaffRequest, request_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = _visible_or_404(scope, request_id)
    cal = calendar_for(item.pemda, item.handling_opd)
    today = clock.today_in(cal.tz)
    due = item.extended_due_on or item.notice_due_on
    open_ = item.status in (Status.RECEIVED, Status.EXTENDED)
    handles = can_handle(scope, item)
    pemda_id = item.pemda_id
    sop_rows = _sop_rows(item.case, clock.now())
    noted = _latest_note(sop_rows)
    context: dict[str, Any] = {
        "item": item,
        "personal": personal_view(scope, item),
        "shows_personal": sees_personal_data(scope, item),
        "due": due,
        "days_left": deadlines.days_left(cal, today, due) if open_ else None,
        "events": audit.timeline(item),
        "attachments": item.attachments.all() if handles else [],
        "handles": handles,
        "forms": {
            "forward": ForwardForm(pemda_id=pemda_id),
            "extend": ExtendForm(),
            "decide": DecideForm(initial=_decide_initial(noted), citable=tests_citable(item.pemda)),
            "deliver": DeliverForm(
                step_files=_step_file_choices(sop_rows),
                initial={"step_files": _latest_file_output(sop_rows)},
            ),
            "fee": FeeForm(),
        }
        if handles
        else {},
        "objections": _objection_rows(item, handles, cal),
        "answers": scope.is_operator or scope.has_role(Role.ATASAN_PPID),
        "answer_form": ObjectionAnswerForm(),
        "sop_rows": sop_rows,
        "zone": cal.tz,
        "open_row": next((row for row in sop_rows if row.is_open), None),
        "noted": noted,
    }
    return render(request, "information_requests/staff/detail.html", context)


class DisputeUpdateForm(StaffForm):
    """What the Komisi Informasi did with a dispute: its register number, dates, outcome and
    the compliance with its decision (UU 14/2008 art. 37–38)."""

    commission_number = forms.CharField(
        label=gettext_lazy("Nomor register Komisi Informasi"), max_length=120, required=False
    )
    registered_on = forms.DateField(
        label=gettext_lazy("Tanggal registrasi"), required=False, widget=forms.DateInput
    )
    mediation_on = forms.DateField(
        label=gettext_lazy("Tanggal mediasi"), required=False, widget=forms.DateInput
    )
    adjudication_on = forms.DateField(
        label=gettext_lazy("Tanggal ajudikasi"), required=False, widget=forms.DateInput
    )
    outcome = forms.CharField(
        label=gettext_lazy("Putusan/hasil"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Tanggal putusan"), required=False, widget=forms.DateInput
    )
    complied_on = forms.DateField(
        label=gettext_lazy("Tanggal putusan dilaksanakan"),
        required=False,
        widget=forms.DateInput,
    )
    compliance_note = forms.CharField(
        label=gettext_lazy("Catatan pelaksanaan putusan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = (
        "commission_number",
        "registered_on",
        "mediation_on",
        "adjudication_on",
        "outcome",
        "decided_on",
        "complied_on",
        "compliance_note",
    )

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_sengketa{dispute.pk}_%s")
        kwargs.setdefault("initial", {name: getattr(dispute, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.dispute = dispute

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filed_on = self.dispute.filed_on
        for name in ("registered_on", "mediation_on", "adjudication_on", "decided_on"):
            day = data.get(name)
            if day is not None and day < filed_on:
                self.add_error(
                    name,
                    _("Tanggal ini sebelum sengketa diajukan (%(date)s).")
                    % {"date": filed_on.strftime("%d-%m-%Y")},
                )
        decided, complied = data.get("decided_on"), data.get("complied_on")
        if decided is not None and not (data.get("outcome") or "").strip():
            self.add_error("outcome", _("Isi putusan/hasil bila tanggal putusan diisi."))
        if complied is not None and decided is None:
            self.add_error("decided_on", _("Catat tanggal putusan sebelum pelaksanaannya."))
        elif complied is not None and decided is not None and complied < decided:
            self.add_error("complied_on", _("Putusan tidak dapat dilaksanakan sebelum diputus."))
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned fields whose value differs from the dispute's."""
        result = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip()
            if value != getattr(self.dispute, name):
                result[name] = value
        return result


def _objection_rows(
    item: InformationRequest, handles: bool, cal: WorkCalendar
) -> list[dict[str, Any]]:
    """The request's objections, each with its dispute's expected commission dates and, for
    staff who handle the request, the form recording the commission's steps."""
    rows = []
    for objection in item.objections.select_related("dispute"):
        dispute = getattr(objection, "dispute", None)
        rows.append(
            {
                "objection": objection,
                "ground": objection_ground_text(objection.ground),
                "dispute": dispute,
                "expected": deadlines.commission_expected_dates(cal, dispute.filed_on)
                if dispute is not None
                else None,
                "dispute_form": DisputeUpdateForm(dispute=dispute)
                if dispute is not None and handles
                else None,
            }
        )
    return rows


@login_required
@require_POST
def act(request: StaffRequest, request_id: int, action: str) -> HttpResponse:
    """One action on the request page: forward, extend, decide, deliver, fee, close."""
    scope = scope_of(request)
    item = _visible_or_404(scope, request_id)
    if not can_handle(scope, item):
        raise Http404
    form: BaseForm
    call: Callable[[dict[str, Any]], object]
    if action == "teruskan":
        form = ForwardForm(request.POST, pemda_id=item.pemda_id)
        call = lambda d: services.request_forward(  # noqa: E731
            request=item, to=d["to"], actor=request.user, note=d["note"]
        )
    elif action == "perpanjang":
        form = ExtendForm(request.POST)
        call = lambda d: services.request_extend(  # noqa: E731
            request=item, actor=request.user, working_days=d["working_days"], reason=d["reason"]
        )
    elif action == "putuskan":
        form = DecideForm(request.POST, citable=tests_citable(item.pemda))
        call = lambda d: services.request_decide(request=item, actor=request.user, **d)  # noqa: E731
    elif action == "serahkan":
        form = DeliverForm(
            request.POST,
            request.FILES,
            step_files=_step_file_choices(_sop_rows(item.case, clock.now())),
        )
        call = lambda d: services.request_deliver(  # noqa: E731
            request=item,
            actor=request.user,
            files=[d["attachment"]] if d.get("attachment") else [],
            step_files=d["step_files"],
        )
    elif action == "biaya":
        form = FeeForm(request.POST)
        call = lambda d: services.request_record_fee(  # noqa: E731
            request=item,
            actor=request.user,
            amount=d["amount"],
            payment_method=d["payment_method"],
            paid_on=d["paid_on"],
        )
    elif action == "tutup":
        form = Form(request.POST)
        call = lambda d: services.request_close(request=item, actor=request.user)  # noqa: E731
    else:
        raise Http404
    if form.is_valid() and attempt(form, call, d=form.cleaned_data)[0]:
        messages.success(request, _("Tersimpan."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Tidak tersimpan: %(errors)s") % {"errors": " ".join(errors)})
    return redirect("ppid:detail", request_id=item.pk)


@login_required
def step_file_download(request: StaffRequest, request_id: int, file_id: int) -> FileResponse:
    """A file produced in a step of the request's SOP case, for the staff who handle the
    request (the SOP pages list step files but serve none)."""
    scope = scope_of(request)
    item = _visible_or_404(scope, request_id)
    if item.case_id is None or not can_handle(scope, item):
        raise Http404
    found = get_object_or_404(StepRunFile, pk=file_id, step_run__case_id=item.case_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def objection_register(request: StaffRequest) -> HttpResponse:
    """The objection register (register keberatan) with the columns RULES.md lists."""
    scope = scope_of(request)
    page = Paginator(objections_visible(scope), 50).get_page(request.GET.get("halaman"))
    rows = [{"objection": o, "ground": objection_ground_text(o.ground)} for o in page]
    return render(
        request, "information_requests/staff/objections.html", {"page": page, "rows": rows}
    )


@login_required
@require_POST
def objection_answer(request: StaffRequest, objection_id: int) -> HttpResponse:
    """The Atasan PPID answers an objection in writing."""
    scope = scope_of(request)
    objection = get_object_or_404(Objection.objects.select_related("request"), pk=objection_id)
    if not (scope.is_operator or scope.has_role(Role.ATASAN_PPID)) or not scope.can_view(
        objection.request.handling_opd_id
    ):
        raise Http404
    form = ObjectionAnswerForm(request.POST)
    if (
        form.is_valid()
        and attempt(
            form,
            objections.objection_answer,
            objection=objection,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            text=form.cleaned_data["text"],
        )[0]
    ):
        messages.success(request, _("Jawaban keberatan disimpan."))
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Tidak tersimpan: %(errors)s") % {"errors": " ".join(errors)})
    return redirect("ppid:detail", request_id=objection.request_id)


@login_required
@require_POST
def dispute_update(request: StaffRequest, dispute_id: int) -> HttpResponse:
    """Staff of the PPID handling the request record the Komisi Informasi's register number,
    dates, outcome and the compliance with its decision; the change is audited."""
    scope = scope_of(request)
    dispute = (
        Dispute.objects.select_related("objection__request__handling_opd")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Http404
    item = dispute.objection.request
    if not scope.can_view(item.handling_opd_id) or not can_handle(scope, item):
        raise Http404
    form = DisputeUpdateForm(request.POST, dispute=dispute)
    if form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Tidak ada perubahan."))
        elif attempt(
            form, objections.dispute_update, dispute=dispute, actor=request.user, **changes
        )[0]:
            messages.success(request, _("Catatan sengketa disimpan."))
    if form.errors:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Tidak tersimpan: %(errors)s") % {"errors": " ".join(errors)})
    return redirect("ppid:detail", request_id=item.pk)


@login_required
def settings_edit(request: StaffRequest) -> HttpResponse:
    """Operators set the PPID rules that RULES.md leaves configurable; changes are audited."""
    pemda = primary_pemda()
    if pemda is None or not scope_of(request).is_operator:
        raise Http404
    current = services.ppid_settings(pemda)
    initial = {
        "number_format": current.number_format,
        "sop_code": current.sop_code,
        "reminder_days": ", ".join(str(d) for d in current.reminder_days),
        "retention_years": current.retention_years,
    }
    form = PpidSettingsForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            services.ppid_settings_update,
            pemda=pemda,
            actor=request.user,
            data=dict(form.cleaned_data),
        )[0]
    ):
        messages.success(request, _("Pengaturan PPID disimpan."))
        return redirect("ppid:register")
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Pengaturan PPID"),
            "cancel_url": reverse("ppid:register"),
            "breadcrumbs": [
                {"label": _("Register permohonan informasi"), "url": reverse("ppid:register")}
            ],
        },
    )
