"""PPID reporting: the periodic service report (page with charts, PDF, XLSX), the PPID
Utama's live dashboard, and the register's XLSX/PDF exports.

Who may look:

* the report: any signed-in officer, over the requests their scope sees (it holds aggregates
  only, no personal data);
* the live dashboard: the PPID Utama, the Atasan PPID and operators; everyone else gets 404;
* the register exports: whoever sees the register page, with the same filters and the same
  masking of the requester's address and contact;
* the objection register exports: whoever sees the objection register page, over the same
  objections, with the requester's contact masked the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terbuka.core.forms import StaffForm
from terbuka.core.http import StaffRequest
from terbuka.information_requests import exports
from terbuka.information_requests.models import Channel, Status
from terbuka.information_requests.reports import (
    QUARTER,
    SEMESTER,
    YEAR,
    Tally,
    annual_report_due,
    filtered_register,
    live_dashboard,
    objections_visible,
    period_label,
    register_filters,
    report_period,
    service_report,
)
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd, Role
from terbuka.organizations.selectors import local_today, primary_pemda, scope_of

LIVE_ROLES = (Role.PPID_UTAMA, Role.ATASAN_PPID)
KINDS = {"triwulan": QUARTER, "semester": SEMESTER, "tahunan": YEAR}
KIND_CHOICES = [
    ("triwulan", gettext_lazy("Triwulan")),
    ("semester", gettext_lazy("Semester")),
    ("tahunan", gettext_lazy("Tahunan")),
]
PDF_TYPE = "application/pdf"


def _may_see_live(scope: Scope) -> bool:
    return scope.is_operator or scope.has_role(*LIVE_ROLES)


class ReportPeriodForm(StaffForm):
    jenis = forms.ChoiceField(choices=KIND_CHOICES, label=gettext_lazy("Jenis laporan"))
    tahun = forms.IntegerField(min_value=2000, max_value=2100, label=gettext_lazy("Tahun"))
    ke = forms.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        label=gettext_lazy("Ke-"),
        help_text=gettext_lazy("Triwulan 1–4 atau semester 1–2; kosongkan untuk tahunan."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = KINDS.get(data.get("jenis", ""))
        if kind == SEMESTER and (data.get("ke") or 1) > 2:
            self.add_error("ke", _("Semester hanya 1 atau 2."))
        return data


@dataclasses.dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    label: str


def _period(request: StaffRequest, today: dt.date) -> tuple[ReportPeriodForm, Period]:
    """The period asked for (this quarter by default); with invalid parameters the form
    carries the errors and the period is this quarter."""
    params = request.GET.copy()
    params.setdefault("jenis", "triwulan")
    params.setdefault("tahun", str(today.year))
    params.setdefault("ke", str((today.month - 1) // 3 + 1))
    form = ReportPeriodForm(params)
    if form.is_valid():
        kind = KINDS[form.cleaned_data["jenis"]]
        year: int = form.cleaned_data["tahun"]
        number: int = 1 if kind == YEAR else form.cleaned_data.get("ke") or 1
    else:
        kind, year, number = QUARTER, today.year, (today.month - 1) // 3 + 1
    start, end = report_period(kind, year, number)
    return form, Period(kind, year, number, start, end, period_label(kind, year, number))


def _period_or_404(request: StaffRequest, today: dt.date) -> Period:
    form, period = _period(request, today)
    if form.errors:
        raise Http404
    return period


def _titles(period: Period) -> tuple[str, str]:
    pemda = primary_pemda()
    title = _("Laporan Layanan Informasi Publik %(period)s") % {"period": period.label}
    return title, str(pemda.name if pemda else "")


def _query(request: StaffRequest) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


@login_required
def report_view(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    today = local_today()
    form, period = _period(request, today)
    report = service_report(scope, period.start, period.end, today=today)
    title, heading = _titles(period)
    query = _query(request)
    register_query = f"?dari={period.start.isoformat()}&sampai={period.end.isoformat()}"
    return render(
        request,
        "information_requests/reports/report.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "charts": exports.report_charts(report),
            "title": title,
            "heading": heading,
            "annual_due": annual_report_due(period.year) if period.kind == YEAR else None,
            "pdf_url": reverse("ppid_reports:report_pdf") + query,
            "xlsx_url": reverse("ppid_reports:report_xlsx") + query,
            "register_xlsx_url": reverse("ppid_reports:register_xlsx") + register_query,
            "register_pdf_url": reverse("ppid_reports:register_pdf") + register_query,
            "shows_live": _may_see_live(scope),
        },
    )


@login_required
def report_pdf(request: StaffRequest) -> HttpResponse:
    today = local_today()
    period = _period_or_404(request, today)
    report = service_report(scope_of(request), period.start, period.end, today=today)
    title, heading = _titles(period)
    pdf = exports.report_pdf(report, title, heading, exports.report_charts(report), _printed(today))
    return _download(pdf, PDF_TYPE, f"laporan-ppid-{_slug(period)}.pdf")


@login_required
def report_xlsx(request: StaffRequest) -> HttpResponse:
    today = local_today()
    period = _period_or_404(request, today)
    report = service_report(scope_of(request), period.start, period.end, today=today)
    title, heading = _titles(period)
    book = exports.report_workbook(report, title, heading)
    return _download(
        exports.workbook_bytes(book), exports.XLSX_TYPE, f"laporan-ppid-{_slug(period)}.xlsx"
    )


@login_required
def live_dashboard_view(request: StaffRequest) -> HttpResponse:
    """The PPID Utama's real-time reconciliation of every PPID Pelaksana (SOP step 1)."""
    scope = scope_of(request)
    if not _may_see_live(scope):
        raise Http404
    dashboard = live_dashboard(scope, local_today())
    chart = exports.Chart(
        "terbuka",
        gettext_lazy("Permohonan belum diberitahukan per perangkat daerah"),
        tuple(Tally(str(row.opd_id), row.name, row.open) for row in dashboard.rows),
    )
    return render(
        request,
        "information_requests/reports/live.html",
        {"dashboard": dashboard, "chart": chart},
    )


# Register exports -------------------------------------------------------------------------


def _register(request: StaffRequest) -> tuple[list[exports.RegisterRow], str, str, dt.date]:
    scope = scope_of(request)
    today = local_today()
    items = filtered_register(scope, request.GET, today).order_by("received_at", "id")
    rows = exports.register_rows(scope, items)
    pemda = primary_pemda()
    title = _("Buku Register Permohonan Informasi Publik")
    if pemda is not None:
        title = f"{title} — {pemda.name}"
    return rows, title, _register_subtitle(request, today), today


def _register_subtitle(request: StaffRequest, today: dt.date) -> str:
    filters = register_filters(request.GET)
    parts = []
    if filters["opd"].isdigit():
        opd = Opd.objects.filter(pk=int(filters["opd"])).first()
        if opd is not None:
            parts.append(_("Perangkat daerah: %(opd)s") % {"opd": opd.name})
    if filters["status"] in Status.values:
        parts.append(_("Status: %(status)s") % {"status": Status(filters["status"]).label})
    if filters["saluran"] in Channel.values:
        channel = Channel(filters["saluran"]).label
        parts.append(_("Cara permohonan: %(channel)s") % {"channel": channel})
    dates = [_valid_date(filters["dari"]), _valid_date(filters["sampai"])]
    if any(dates):
        parts.append(
            _("Diterima %(start)s – %(end)s") % {"start": dates[0] or "…", "end": dates[1] or "…"}
        )
    if filters["terlambat"]:
        parts.append(_("hanya yang terlambat"))
    parts.append(_printed(today))
    return "; ".join(parts)


def _valid_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
    except ValueError:
        return ""


@login_required
def register_xlsx(request: StaffRequest) -> HttpResponse:
    rows, title, subtitle, today = _register(request)
    book = exports.register_workbook(rows, title, subtitle)
    return _download(
        exports.workbook_bytes(book), exports.XLSX_TYPE, f"register-ppid-{today:%Y%m%d}.xlsx"
    )


@login_required
def register_pdf(request: StaffRequest) -> HttpResponse:
    rows, title, subtitle, today = _register(request)
    pdf = exports.register_pdf(rows, title, subtitle)
    return _download(pdf, PDF_TYPE, f"register-ppid-{today:%Y%m%d}.pdf")


# Objection register exports ---------------------------------------------------------------


def _objection_register(
    request: StaffRequest,
) -> tuple[list[exports.ObjectionRow], str, str, dt.date]:
    scope = scope_of(request)
    today = local_today()
    items = objections_visible(scope).order_by("filed_at", "id")
    rows = exports.objection_rows(scope, items)
    pemda = primary_pemda()
    title = _("Register Keberatan Informasi Publik")
    if pemda is not None:
        title = f"{title} — {pemda.name}"
    return rows, title, _printed(today), today


@login_required
def objection_register_xlsx(request: StaffRequest) -> HttpResponse:
    rows, title, subtitle, today = _objection_register(request)
    book = exports.objection_workbook(rows, title, subtitle)
    return _download(
        exports.workbook_bytes(book), exports.XLSX_TYPE, f"register-keberatan-{today:%Y%m%d}.xlsx"
    )


@login_required
def objection_register_pdf(request: StaffRequest) -> HttpResponse:
    rows, title, subtitle, today = _objection_register(request)
    pdf = exports.objection_pdf(rows, title, subtitle)
    return _download(pdf, PDF_TYPE, f"register-keberatan-{today:%Y%m%d}.pdf")


# Helpers ----------------------------------------------------------------------------------


def _printed(today: dt.date) -> str:
    return _("Dicetak %(date)s") % {"date": formats.date_format(today, "j F Y")}


def _slug(period: Period) -> str:
    if period.kind == YEAR:
        return str(period.year)
    prefix = "tw" if period.kind == QUARTER else "s"
    return f"{period.year}-{prefix}{period.number}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
