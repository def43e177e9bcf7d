"""Staff pages of the DIP cycle (seed 004): submissions from the OPDs, their receipt and
control card, verification, the report to the PPID, and the PPID's decrees.

Who sees what: an OPD's team (admin OPD, PPID Pelaksana) sees and acts on its own OPD's
submissions; the PPID's secretariat (petugas PPID) and the PPID Utama see every submission
of their Pemda, since receiving and verifying them is their work; decrees are seen by
everyone with a part in the DIP of that Pemda. Anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terbuka.core import audit
from terbuka.core.errors import DomainError
from terbuka.core.http import StaffRequest
from terbuka.core.views.forms import attempt
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd
from terbuka.organizations.selectors import local_today, primary_pemda, scope_of
from terbuka.procedures.definition import Lane, Step
from terbuka.procedures.models import StepRun, StepRunFile, StepRunStatus
from terbuka.procedures.selectors import cases_visible, definition_of
from terbuka.public_information import cycle, letters
from terbuka.public_information.exemptions import may_establish
from terbuka.public_information.forms_cycle import DecreeForm, SubmissionForm, VerifyForm
from terbuka.public_information.models import (
    Category,
    Decree,
    DipEntry,
    EntryStatus,
    Submission,
)
from terbuka.public_information.selectors import (
    can_manage_entries,
    entries_visible,
    is_secretariat,
    submissions_visible,
)

PAGE_SIZE = 50


# --- who sees what -----------------------------------------------------------------------


def _pemda_ids(scope: Scope) -> set[int]:
    return {seat.pemda_id for seat in scope.seats}


def _managed(scope: Scope) -> set[int]:
    """The OPDs whose entries (and so submissions) this person manages."""
    return {opd_id for opd_id in scope.opd_ids if can_manage_entries(scope, opd_id)}


def _secretariat_of(scope: Scope, pemda_id: int) -> bool:
    return is_secretariat(scope) and (scope.is_superuser or pemda_id in _pemda_ids(scope))


def _submissions_for(scope: Scope) -> QuerySet[Submission]:
    """The submissions on this person's list; 404 for people who have no part in the DIP."""
    base = Submission.objects.select_related("opd", "submitted_by")
    if scope.is_superuser:
        return base
    if is_secretariat(scope):
        return base.filter(pemda_id__in=_pemda_ids(scope))
    managed = _managed(scope)
    if not managed:
        raise Http404
    return submissions_visible(scope).select_related("submitted_by").filter(opd_id__in=managed)


def _submission_or_404(scope: Scope, submission_id: int) -> Submission:
    submission = (
        _submissions_for(scope)
        .select_related("pemda", "case__version__sop", "case__opd")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def _decrees_for(scope: Scope) -> QuerySet[Decree]:
    base = Decree.objects.select_related("decided_by")
    if scope.is_superuser:
        return base
    if not (is_secretariat(scope) or _managed(scope)):
        raise Http404
    return base.filter(pemda_id__in=_pemda_ids(scope))


def _with_counts(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """Each submission with its entries counted by status and the SOP step its case waits
    at, in the same query."""

    def count(status: str) -> Count:
        return Count("entries", filter=Q(entries__status=status))

    waiting = StepRun.objects.filter(case_id=OuterRef("case_id"), status=StepRunStatus.OPEN)
    return submissions.annotate(
        submitted_count=count(EntryStatus.SUBMITTED),
        returned_count=count(EntryStatus.RETURNED),
        verified_count=count(EntryStatus.VERIFIED),
        established_count=count(EntryStatus.ESTABLISHED),
        open_step=Subquery(waiting.values("step_id")[:1]),
    )


def _counts(submission: Any) -> cycle.EntryCounts:
    """The entry counts of a submission loaded through :func:`_with_counts`."""
    return cycle.EntryCounts(
        submitted=submission.submitted_count,
        returned=submission.returned_count,
        verified=submission.verified_count,
        established=submission.established_count,
    )


def _stage(submission: Any) -> cycle.Stage:
    """The stage of a submission loaded through :func:`_with_counts`."""
    return cycle.stage_of(
        status=submission.status,
        receipt_number=submission.receipt_number,
        counts=_counts(submission),
        open_step=submission.open_step,
    )


def _step_label(submission: Submission, step_id: str | None) -> str:
    if step_id is None or submission.case is None:
        return ""
    step = definition_of(submission.case.version).step(step_id)
    return f"{step.no}. {step.activity}" if step.no else step.activity


# --- submissions ----------------------------------------------------------------------------


@login_required
def submission_list(request: StaffRequest) -> HttpResponse:
    """The submissions this person sees, newest first, with their stage and the SOP step
    waiting. A fixed number of queries."""
    scope = scope_of(request)
    submissions = _submissions_for(scope)
    status = request.GET.get("status", "")
    if status in Submission.Status.values:
        submissions = submissions.filter(status=status)
    listed = _with_counts(submissions.select_related("case__version__sop")).order_by(
        "-submitted_at", "-id"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [
        {
            "submission": submission,
            "stage": _stage(submission),
            "total": _counts(submission).total,
            "step": _step_label(submission, getattr(submission, "open_step", None)),
        }
        for submission in page
    ]
    return render(
        request,
        "public_information/staff/cycle_submission_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Submission.Status.choices,
            "can_submit": bool(_managed(scope)),
            "can_establish": _may_establish_here(scope),
        },
    )


def _opds_to_submit(scope: Scope) -> QuerySet[Opd]:
    return Opd.objects.filter(pk__in=_managed(scope), is_active=True).order_by("name")


def _eligible_entries(opd_ids: list[int]) -> QuerySet[DipEntry]:
    """Draft entries of these OPDs that no running submission holds."""
    return (
        DipEntry.objects.filter(opd_id__in=opd_ids, status=EntryStatus.DRAFT)
        .exclude(submissions__status=Submission.Status.OPEN)
        .select_related("opd")
        .order_by("opd__name", "title", "pk")
    )


@login_required
def submission_create(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    opds = _opds_to_submit(scope)
    opd_ids = list(opds.values_list("pk", flat=True))
    if not opd_ids:
        raise Http404
    initial: dict[str, Any] = {"opd": opd_ids[0]} if len(opd_ids) == 1 else {}
    form = SubmissionForm(
        request.POST or None, opds=opds, entries=_eligible_entries(opd_ids), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        ok, submission = attempt(
            form,
            cycle.submission_create,
            opd=form.cleaned_data["opd"],
            actor=request.user,
            entries=list(form.cleaned_data["entries"]),
        )
        if ok and submission is not None:
            messages.success(request, _("Entri diajukan ke sekretariat PPID."))
            return redirect("dip:submission_detail", submission_id=submission.pk)
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Ajukan entri DIP ke sekretariat PPID"),
            "breadcrumbs": [{"label": _("Pengajuan DIP"), "url": reverse("dip:submission_list")}],
            "cancel_url": reverse("dip:submission_list"),
            "intro": _(
                "Entri yang diajukan diterima, diklasifikasikan dan diverifikasi sekretariat "
                "PPID, lalu ditetapkan PPID Utama. Setiap entri harus lengkap kolom DIP-nya; "
                "informasi berkala harus punya jadwal pembaruan."
            ),
            "submit_label": _("Ajukan"),
        },
    )


@dataclass(frozen=True)
class StepRow:
    run: StepRun
    step: Step
    lane: Lane | None
    files: list[StepRunFile]

    @property
    def who(self) -> str:
        run = self.run
        if run.completed_by is not None:
            return run.completed_by.display_name
        if run.assignee is not None:
            return run.assignee.display_name
        return run.position.title if run.position is not None else ""


def _step_rows(submission: Submission) -> list[StepRow]:
    """The case's step runs in order, in a fixed number of queries."""
    case = submission.case
    if case is None:
        return []
    definition = definition_of(case.version)
    lanes = definition.lanes_by_id
    runs = case.step_runs.select_related("position", "assignee", "completed_by").prefetch_related(
        "files"
    )
    return [
        StepRow(
            run=run,
            step=definition.step(run.step_id),
            lane=lanes.get(run.lane_id),
            files=list(run.files.all()),
        )
        for run in runs
    ]


def _may_establish_here(scope: Scope) -> bool:
    pemda = primary_pemda()
    return pemda is not None and may_establish(scope, pemda.pk)


@login_required
def submission_detail(request: StaffRequest, submission_id: int) -> HttpResponse:
    scope = scope_of(request)
    submission = _submission_or_404(scope, submission_id)
    entries = list(
        submission.entries.select_related("opd", "exemption")
        .annotate(document_count=Count("documents"))
        .order_by("title", "pk")
    )
    stage = cycle.submission_stage(submission, entries)
    visible = set(
        entries_visible(scope)
        .filter(pk__in=[entry.pk for entry in entries])
        .values_list("pk", flat=True)
    )
    secretariat = _secretariat_of(scope, submission.pemda_id)
    team = can_manage_entries(scope, submission.opd_id)
    case = submission.case
    return render(
        request,
        "public_information/staff/cycle_submission_detail.html",
        {
            "submission": submission,
            "stage": stage,
            "stages": cycle.Stage,
            "entries": [
                {
                    "entry": entry,
                    "linked": entry.pk in visible,
                    "editable": team and entry.status == EntryStatus.RETURNED,
                }
                for entry in entries
            ],
            "steps": _step_rows(submission),
            "case": case,
            "case_linked": case is not None and cases_visible(scope).filter(pk=case.pk).exists(),
            "decrees": list(
                Decree.objects.filter(Q(submission=submission) | Q(entries__submissions=submission))
                .distinct()
                .order_by("-decided_on", "-pk")
            ),
            "events": audit.timeline(submission),
            "can_acknowledge": secretariat and stage == cycle.Stage.AWAITING_RECEIPT,
            "can_verify": secretariat and stage == cycle.Stage.AWAITING_VERIFICATION,
            "can_report": secretariat and stage == cycle.Stage.AWAITING_REPORT,
            "can_resubmit": team and stage == cycle.Stage.RETURNED,
            "can_establish": stage == cycle.Stage.AWAITING_DECREE
            and may_establish(scope, submission.pemda_id),
        },
    )


def _act(
    request: StaffRequest, submission: Submission, done: str, call: Any, **kwargs: Any
) -> None:
    try:
        call(submission=submission, actor=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


@login_required
@require_POST
def submission_acknowledge(request: StaffRequest, submission_id: int) -> HttpResponse:
    scope = scope_of(request)
    submission = _submission_or_404(scope, submission_id)
    if not _secretariat_of(scope, submission.pemda_id):
        raise Http404
    _act(
        request,
        submission,
        _("Pengajuan diterima; tanda terima dibuat."),
        cycle.submission_acknowledge,
    )
    return redirect("dip:submission_detail", submission_id=submission.pk)


@login_required
@require_POST
def submission_resubmit(request: StaffRequest, submission_id: int) -> HttpResponse:
    scope = scope_of(request)
    submission = _submission_or_404(scope, submission_id)
    if not can_manage_entries(scope, submission.opd_id):
        raise Http404
    _act(request, submission, _("Entri yang dilengkapi diajukan ulang."), cycle.submission_resubmit)
    return redirect("dip:submission_detail", submission_id=submission.pk)


@login_required
@require_POST
def submission_report(request: StaffRequest, submission_id: int) -> HttpResponse:
    scope = scope_of(request)
    submission = _submission_or_404(scope, submission_id)
    if not _secretariat_of(scope, submission.pemda_id):
        raise Http404
    _act(request, submission, _("Hasil verifikasi dilaporkan ke PPID."), cycle.submission_report)
    return redirect("dip:submission_detail", submission_id=submission.pk)


@login_required
def submission_verify(request: StaffRequest, submission_id: int) -> HttpResponse:
    scope = scope_of(request)
    submission = _submission_or_404(scope, submission_id)
    if not _secretariat_of(scope, submission.pemda_id):
        raise Http404
    waiting = submission.entries.filter(status=EntryStatus.SUBMITTED).order_by("title", "pk")
    form = VerifyForm(request.POST or None, waiting=waiting)
    if request.method == "POST" and form.is_valid():
        ok, _verified = attempt(
            form,
            cycle.submission_verify,
            submission=submission,
            actor=request.user,
            complete=form.complete,
            note=form.cleaned_data["note"],
            returned_entries=list(form.cleaned_data["returned_entries"]),
        )
        if ok:
            messages.success(
                request,
                _("Pengajuan dinyatakan lengkap dan sesuai.")
                if form.complete
                else _("Entri dikembalikan ke perangkat daerah untuk dilengkapi."),
            )
            return redirect("dip:submission_detail", submission_id=submission.pk)
    detail = reverse("dip:submission_detail", args=[submission.pk])
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Verifikasi pengajuan %(label)s") % {"label": cycle.label_of(submission)},
            "breadcrumbs": [
                {"label": _("Pengajuan DIP"), "url": reverse("dip:submission_list")},
                {"label": cycle.label_of(submission), "url": detail},
            ],
            "cancel_url": detail,
            "intro": _(
                "Periksa kelengkapan dan kesesuaian setiap entri dengan ketentuan. Entri yang "
                "dikembalikan dilengkapi perangkat daerah lalu diajukan ulang; verifikasi dapat "
                "berulang sebanyak yang diperlukan."
            ),
            "submit_label": _("Simpan hasil verifikasi"),
        },
    )


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def submission_receipt_pdf(request: StaffRequest, submission_id: int) -> HttpResponse:
    """The receipt and control card, once the secretariat has received the submission."""
    submission = _submission_or_404(scope_of(request), submission_id)
    if not submission.receipt_number:
        raise Http404
    name = f"tanda-terima-{submission.receipt_number.replace('/', '-')}.pdf"
    return _pdf_response(cycle.receipt_pdf(submission), name)


# --- decrees --------------------------------------------------------------------------------


@login_required
def decree_list(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    decrees = (
        _decrees_for(scope).annotate(entry_count=Count("entries")).order_by("-decided_on", "-pk")
    )
    page = Paginator(decrees, PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "public_information/staff/cycle_decree_list.html",
        {"page": page, "can_establish": _may_establish_here(scope)},
    )


@login_required
def decree_create(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    pemda = primary_pemda()
    if pemda is None or not may_establish(scope, pemda.pk):
        raise Http404
    candidates = _with_counts(
        Submission.objects.filter(pemda=pemda, status=Submission.Status.OPEN).select_related("opd")
    )
    ready = [s.pk for s in candidates if _stage(s) == cycle.Stage.AWAITING_DECREE]
    eligible = _with_counts(Submission.objects.filter(pk__in=ready).select_related("opd")).order_by(
        "opd__name", "submitted_at"
    )
    today = local_today(pemda)
    wanted = [int(v) for v in request.GET.getlist("pengajuan") if v.isdigit()]
    form = DecreeForm(
        request.POST or None,
        submissions=eligible,
        today=today,
        initial={"decided_on": today, "submissions": [pk for pk in wanted if pk in ready]},
    )
    if request.method == "POST" and form.is_valid():
        ok, decree = attempt(
            form,
            cycle.decree_establish,
            pemda=pemda,
            actor=request.user,
            number=form.cleaned_data["number"],
            decided_on=form.cleaned_data["decided_on"],
            submissions=list(form.cleaned_data["submissions"]),
        )
        if ok and decree is not None:
            messages.success(request, _("Daftar Informasi Publik ditetapkan."))
            return redirect("dip:decree_detail", decree_id=decree.pk)
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Penetapan Daftar Informasi Publik"),
            "breadcrumbs": [{"label": _("Penetapan DIP"), "url": reverse("dip:decree_list")}],
            "cancel_url": reverse("dip:decree_list"),
            "intro": _(
                "Entri yang lengkap dan sesuai dari pengajuan terpilih ditetapkan dan informasi "
                "yang terbuka langsung tampil di situs publik. Informasi yang dikecualikan hanya "
                "dapat ditetapkan berdasarkan uji konsekuensi yang sudah disetujui."
            ),
            "submit_label": _("Tetapkan"),
        },
    )


def _decree_or_404(scope: Scope, decree_id: int) -> Decree:
    decree = _decrees_for(scope).select_related("pemda").filter(pk=decree_id).first()
    if decree is None:
        raise Http404
    return decree


@login_required
def decree_detail(request: StaffRequest, decree_id: int) -> HttpResponse:
    scope = scope_of(request)
    decree = _decree_or_404(scope, decree_id)
    entries = list(
        decree.entries.select_related("opd", "exemption").order_by("category", "opd__name", "title")
    )
    visible = set(
        entries_visible(scope)
        .filter(pk__in=[entry.pk for entry in entries])
        .values_list("pk", flat=True)
    )
    groups = [
        {
            "label": Category(category).label,
            "rows": [
                {"entry": entry, "linked": entry.pk in visible}
                for entry in entries
                if entry.category == category
            ],
        }
        for category in (*letters.DECREE_CATEGORIES, Category.DIKECUALIKAN)
    ]
    submissions = list(
        _submissions_for(scope)
        .filter(entries__decrees=decree)
        .distinct()
        .order_by("opd__name", "pk")
    )
    return render(
        request,
        "public_information/staff/cycle_decree_detail.html",
        {
            "decree": decree,
            "groups": [group for group in groups if group["rows"]],
            "count": len(entries),
            "submissions": submissions,
            "events": audit.timeline(decree),
        },
    )


@login_required
def decree_pdf(request: StaffRequest, decree_id: int) -> HttpResponse:
    decree = _decree_or_404(scope_of(request), decree_id)
    name = f"keputusan-dip-{decree.number.replace('/', '-')}.pdf"
    return _pdf_response(letters.decree_pdf(decree), name)
