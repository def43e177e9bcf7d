"""Staff pages of the SOP engine: the library, cases, the inbox and the task page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terbuka.core import audit
from terbuka.core.errors import DomainError
from terbuka.core.http import StaffRequest
from terbuka.core.views.forms import attempt
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Role
from terbuka.organizations.selectors import opds_visible, primary_pemda, scope_of
from terbuka.procedures import services
from terbuka.procedures.bpmn import sop_to_bpmn
from terbuka.procedures.definition import DefinitionInvalid, LaneKind
from terbuka.procedures.forms import (
    CancelForm,
    CaseStartForm,
    ReassignForm,
    SopSourceForm,
    StepCompleteForm,
)
from terbuka.procedures.library import sop_save_version
from terbuka.procedures.models import Case, CaseStatus, Sop, SopVersion, StepRun
from terbuka.procedures.printing import sop_sheet_html, sop_sheet_pdf
from terbuka.procedures.selectors import (
    can_act,
    cases_visible,
    definition_of,
    inbox,
    overdue,
    sops_for,
    with_steps,
)


def _sop_or_404(scope: Scope, code: str) -> Sop:
    sop = sops_for(scope).filter(code=code).first()
    if sop is None:
        raise Http404
    return sop


@login_required
def sop_list(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "procedures/sop_list.html",
        {
            "sops": sops_for(scope).order_by("name"),
            "scope": scope,
        },
    )


@login_required
def sop_detail(request: StaffRequest, code: str) -> HttpResponse:
    scope = scope_of(request)
    sop = _sop_or_404(scope, code)
    assert sop.current_version is not None
    return render(
        request,
        "procedures/sop_detail.html",
        {
            "sop": sop,
            "definition": definition_of(sop.current_version),
            "versions": sop.versions.select_related("created_by"),
            "print_links": [
                {"label": _("Lembar SOP"), "url": reverse("procedures:sop_sheet", args=[sop.code])},
                {"label": _("PDF"), "url": reverse("procedures:sop_pdf", args=[sop.code])},
                {"label": _("BPMN"), "url": reverse("procedures:sop_bpmn", args=[sop.code])},
            ],
            "can_edit": scope.is_operator
            or (sop.opd_id and scope.can_manage_structure(sop.opd_id)),
        },
    )


@login_required
def sop_edit(request: StaffRequest, code: str | None = None) -> HttpResponse:
    """Operators write or upload the YAML; errors name the file, line and field."""
    scope = scope_of(request)
    sop = _sop_or_404(scope, code) if code else None
    allowed = scope.is_operator or bool(
        sop and sop.opd_id and scope.can_manage_structure(sop.opd_id)
    )
    if not allowed:
        raise Http404
    initial = {"source": sop.current_version.source} if sop and sop.current_version else {}
    form = SopSourceForm(request.POST or None, request.FILES or None, initial=initial)
    errors: list[object] = []
    pemda = sop.pemda if sop else primary_pemda()
    if request.method == "POST" and form.is_valid() and pemda is not None:
        try:
            version = sop_save_version(
                pemda=pemda,
                source=form.cleaned_data["source"],
                actor=request.user,
                opd=sop.opd if sop else None,
                note=form.cleaned_data["note"],
                filename=f"{code or 'sop-baru'}.yaml",
                expected_code=code,
            )
        except DefinitionInvalid as invalid:
            errors = list(invalid.errors)
            form.add_error(
                None, _("Definisi belum valid: %(count)s masalah.") % {"count": len(errors)}
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Revisi %(number)s disimpan.") % {"number": version.number})
            return redirect("procedures:sop_detail", code=version.sop.code)
    return render(
        request,
        "procedures/sop_edit.html",
        {
            "form": form,
            "sop": sop,
            "errors": errors,
        },
    )


@login_required
def case_start(request: StaffRequest, code: str) -> HttpResponse:
    scope = scope_of(request)
    sop = _sop_or_404(scope, code)
    assert sop.current_version is not None
    definition = definition_of(sop.current_version)
    opds = opds_visible(scope)
    if sop.opd_id:
        opds = opds.filter(pk=sop.opd_id)
    form = CaseStartForm(
        request.POST or None, definition=definition, opds=opds, initial={"title": sop.name}
    )
    if request.method == "POST" and form.is_valid():
        ok, case = attempt(
            form,
            services.case_start,
            sop=sop,
            opd=form.cleaned_data["opd"],
            unit=form.cleaned_data["unit"],
            actor=request.user,
            title=form.cleaned_data["title"],
            data=form.case_data(),
        )
        if ok and case is not None:
            messages.success(request, _("Kasus dimulai."))
            return redirect("procedures:case_detail", case_id=case.pk)
    return render(
        request,
        "procedures/case_start.html",
        {
            "form": form,
            "sop": sop,
            "definition": definition,
        },
    )


@login_required
def case_list(request: StaffRequest) -> HttpResponse:
    cases = cases_visible(scope_of(request)).order_by("-started_at")
    status = request.GET.get("status")
    if status:
        cases = cases.filter(status=status)
    page = Paginator(cases, 50).get_page(request.GET.get("halaman"))
    return render(request, "procedures/case_list.html", {"page": page, "status": status})


def _case_or_404(scope: Scope, case_id: int) -> Case:
    case = (
        cases_visible(scope)
        .select_related("opd__pemda", "unit", "started_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


@login_required
def case_detail(request: StaffRequest, case_id: int) -> HttpResponse:
    scope = scope_of(request)
    case = _case_or_404(scope, case_id)
    definition = definition_of(case.version)
    runs = list(
        case.step_runs.select_related("position", "assignee", "completed_by").prefetch_related(
            "files"
        )
    )
    for run in runs:
        run.step = definition.step(run.step_id)  # type: ignore[attr-defined]
    return render(
        request,
        "procedures/case_detail.html",
        {
            "case": case,
            "definition": definition,
            "runs": runs,
            "events": audit.timeline(case),
            "cancel_form": CancelForm(),
            "can_cancel": case.status == CaseStatus.OPEN
            and (
                case.started_by_id == request.user.pk
                or scope.is_operator
                or scope.has_role(Role.KEPALA, opd_id=case.opd_id)
            ),
        },
    )


@login_required
@require_POST
def case_cancel(request: StaffRequest, case_id: int) -> HttpResponse:
    scope = scope_of(request)
    case = _case_or_404(scope, case_id)
    if not (
        case.started_by_id == request.user.pk
        or scope.is_operator
        or scope.has_role(Role.KEPALA, opd_id=case.opd_id)
    ):
        raise Http404
    form = CancelForm(request.POST)
    if (
        form.is_valid()
        and attempt(
            form,
            services.case_cancel,
            case=case,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )[0]
    ):
        messages.success(request, _("Kasus dibatalkan."))
    else:
        messages.error(
            request,
            _("Kasus tidak dibatalkan: %(errors)s")
            % {"errors": " ".join(str(e) for e in form.errors.values())},
        )
    return redirect("procedures:case_detail", case_id=case.pk)


@login_required
def inbox_view(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    page: Page[StepRun] = Paginator(inbox(scope), 50).get_page(request.GET.get("halaman"))
    page.object_list = with_steps(page.object_list)
    return render(request, "procedures/inbox.html", {"page": page})


@login_required
def overdue_view(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    page = Paginator(overdue(scope), 50).get_page(request.GET.get("halaman"))
    page.object_list = with_steps(page.object_list)
    return render(request, "procedures/overdue.html", {"page": page})


def _run_or_404(scope: Scope, run_id: int) -> StepRun:
    run = get_object_or_404(
        StepRun.objects.select_related("case__version__sop", "case__opd", "position", "assignee"),
        pk=run_id,
    )
    if not (scope.can_view(run.opd_id) or run.assignee_id == scope.user_id):
        raise Http404
    return run


@login_required
def task_detail(request: StaffRequest, run_id: int) -> HttpResponse:
    scope = scope_of(request)
    run = _run_or_404(scope, run_id)
    definition = definition_of(run.case.version)
    step = definition.step(run.step_id)
    lane = definition.lanes_by_id[run.lane_id]
    external = lane.kind == LaneKind.EXTERNAL
    actionable = can_act(scope, run)
    form = StepCompleteForm(
        request.POST or None, request.FILES or None, step=step, external=external
    )
    if request.method == "POST":
        if not actionable:
            raise Http404
        if form.is_valid():
            ok, _following = attempt(
                form,
                services.step_complete,
                step_run=run,
                actor=request.user,
                decision=form.cleaned_data.get("decision"),
                note=form.cleaned_data["note"],
                files=form.cleaned_data["attachments"],
                on_behalf_of=form.cleaned_data.get("on_behalf_of", ""),
                repeat=form.cleaned_data.get("repeat", False),
            )
            if ok:
                messages.success(request, _("Langkah selesai."))
                return redirect("procedures:inbox")
    return render(
        request,
        "procedures/task.html",
        {
            "run": run,
            "step": step,
            "lane": lane,
            "definition": definition,
            "form": form,
            "actionable": actionable,
            "external": external,
            "reassign_form": ReassignForm(opd=run.case.opd),
        },
    )


@login_required
@require_POST
def task_claim(request: StaffRequest, run_id: int) -> HttpResponse:
    scope = scope_of(request)
    run = _run_or_404(scope, run_id)
    if not can_act(scope, run):
        raise Http404
    services.step_claim(step_run=run, actor=request.user)
    messages.success(request, _("Tugas diambil."))
    return redirect("procedures:task", run_id=run.pk)


@login_required
@require_POST
def task_reassign(request: StaffRequest, run_id: int) -> HttpResponse:
    scope = scope_of(request)
    run = _run_or_404(scope, run_id)
    if not can_act(scope, run):
        raise Http404
    form = ReassignForm(request.POST, opd=run.case.opd)
    if (
        form.is_valid()
        and attempt(
            form,
            services.step_reassign,
            step_run=run,
            actor=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )[0]
    ):
        messages.success(request, _("Tugas dialihkan."))
        return redirect("procedures:inbox")
    messages.error(request, _("Tugas tidak dialihkan: periksa penerima dan alasan."))
    return redirect("procedures:task", run_id=run.pk)


def _version_for(request: StaffRequest, code: str) -> SopVersion:
    """The SOP's current version, or the revision named by ``?revisi=N``."""
    sop = _sop_or_404(scope_of(request), code)
    number = request.GET.get("revisi", "")
    if number.isdigit():
        return get_object_or_404(sop.versions.select_related("sop"), number=int(number))
    assert sop.current_version is not None
    return sop.current_version


@login_required
def sop_sheet(request: StaffRequest, code: str) -> HttpResponse:
    """The official sheet as HTML (to read on screen or print from the browser)."""
    return HttpResponse(sop_sheet_html(definition_of(_version_for(request, code))))


@login_required
def sop_sheet_pdf_view(request: StaffRequest, code: str) -> HttpResponse:
    version = _version_for(request, code)
    response = HttpResponse(sop_sheet_pdf(definition_of(version)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-revisi-{version.number}.pdf"'
    return response


@login_required
def sop_bpmn(request: StaffRequest, code: str) -> HttpResponse:
    version = _version_for(request, code)
    response = HttpResponse(sop_to_bpmn(definition_of(version)), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{code}-revisi-{version.number}.bpmn"'
    return response
