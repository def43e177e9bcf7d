"""Staff pages that move the DIP in and out of Terbuka and report on it: the import of an
office's XLSX DIP, the DIP in its official columns (XLSX and PDF), and the monthly
availability and six-monthly monitoring reports (page, XLSX, PDF).

Who may use what:

* the page of exports and reports, the exports: whoever sees the entry list, over the same
  entries under the same filters (:func:`views.entries._entries_for` and ``_filtered``);
  ``?publik=1`` keeps the public DIP (established, not exempt);
* the import: whoever manages an OPD's entries, into that OPD (the PPID Utama into any);
* the reports: the PPID's secretariat over the OPDs it sees (every OPD for the PPID Utama),
  an OPD's team over its own (:func:`reports.report_opds`).

Anyone else gets 404, as elsewhere in the DIP.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from terbuka.core.http import StaffRequest
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.selectors import local_today, opds_visible, primary_pemda, scope_of
from terbuka.public_information import exports, imports
from terbuka.public_information.forms_reports import (
    ImportConfirmForm,
    ImportForm,
    MonthForm,
    SemesterForm,
)
from terbuka.public_information.models import Category, EntryStatus
from terbuka.public_information.reports import (
    Period,
    availability_report,
    monitoring_report,
    month_period,
    report_opds,
    semester_period,
)
from terbuka.public_information.selectors import can_manage_entries
from terbuka.public_information.views.entries import _entries_for, _filtered

#: The entry list's filters, which the exports take as they are.
FILTERS = ("opd", "kategori", "status", "tahun", "q", "perlu_diperbarui")


def _crumbs() -> list[dict[str, str]]:
    return [{"label": _("Daftar Informasi Publik"), "url": reverse("dip:entry_list")}]


def _importable_opds(scope: Scope) -> list[Opd]:
    """Active OPDs the person may import entries into."""
    return [
        opd
        for opd in opds_visible(scope).filter(is_active=True)
        if can_manage_entries(scope, opd.pk)
    ]


def _printed(today: dt.date) -> str:
    return _("Dicetak %(date)s") % {"date": formats.date_format(today, "j F Y")}


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The page of exports and reports ----------------------------------------------------------


@login_required
def reports_home(request: StaffRequest) -> HttpResponse:
    """The DIP's exports (with the entry list's filters), reports and import."""
    scope = scope_of(request)
    entries = _entries_for(scope)
    shows_opds = (
        scope.sees_all_opds
        or len({opd_id for opd_id in scope.opd_ids if can_manage_entries(scope, opd_id)}) > 1
    )
    return render(
        request,
        "public_information/reports/index.html",
        {
            "breadcrumbs": _crumbs(),
            "filters": {key: request.GET.get(key, "") for key in FILTERS},
            "categories": Category.choices,
            "statuses": EntryStatus.choices,
            "years": sorted(
                set(entries.order_by().values_list("year", flat=True).distinct()), reverse=True
            ),
            "opds": list(opds_visible(scope).values_list("pk", "name")) if shows_opds else [],
            "can_import": bool(_importable_opds(scope)),
        },
    )


# Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_dip(request: StaffRequest) -> HttpResponse:
    """Upload an XLSX DIP, see every row checked, then confirm: all rows become drafts, or
    (if any row is wrong) none."""
    scope = scope_of(request)
    opds = _importable_opds(scope)
    if not opds:
        raise Http404
    choices = Opd.objects.filter(pk__in=[opd.pk for opd in opds]).order_by("name")
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, choices)
    form = ImportForm(request.POST or None, request.FILES or None, opds=choices)
    context: dict[str, Any] = {"form": form, "row_errors": [], "result": None}
    if request.method == "POST" and form.is_valid():
        opd, upload = form.cleaned_data["opd"], form.cleaned_data["file"]
        try:
            result = imports.sheet_read(upload, opd=opd, name=upload.name)
        except imports.ImportRejected as rejected:
            form.add_error(None, str(rejected))
            context["row_errors"] = rejected.errors
        else:
            context |= {"result": result, "opd": opd, "filename": upload.name}
            if result.ok:
                token = imports.pending_dump(
                    opd=opd, actor=request.user, filename=upload.name, rows=result.rows
                )
                context["confirm"] = ImportConfirmForm(initial={"token": token})
            else:
                form.add_error(None, str(imports.ImportRejected(result.errors)))
                context["row_errors"] = result.errors
    return _import_page(request, context)


def _import_confirm(request: StaffRequest, choices: QuerySet[Opd]) -> HttpResponse:
    form = ImportForm(opds=choices)
    try:
        pending = imports.pending_load(request.POST.get("token", ""))
    except imports.ImportRejected as rejected:
        return _import_page(request, {"form": form, "problem": str(rejected), "row_errors": []})
    opd = choices.filter(pk=pending.opd_id).first()
    if opd is None or pending.actor_id != request.user.pk:
        raise Http404
    try:
        created = imports.dip_import(
            opd=opd, actor=request.user, rows=pending.rows, filename=pending.filename
        )
    except imports.ImportRejected as rejected:
        context = {"form": form, "problem": str(rejected), "row_errors": rejected.errors}
        return _import_page(request, context)
    messages.success(
        request,
        _("%(count)s entri diimpor ke DIP %(opd)s sebagai draf.")
        % {"count": len(created), "opd": opd.name},
    )
    return redirect(f"{reverse('dip:entry_list')}?opd={opd.pk}&status={EntryStatus.DRAFT}")


def _import_page(request: StaffRequest, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        "public_information/staff/import.html",
        {
            **context,
            "breadcrumbs": _crumbs(),
            "columns": [imports.COLUMN_LABELS[key] for key in imports.TEMPLATE_COLUMNS],
            "max_rows": imports.MAX_ROWS,
        },
    )


@login_required
def import_template(request: StaffRequest) -> HttpResponse:
    """An XLSX with the official header row and an example row, and a sheet of guidance."""
    if not _importable_opds(scope_of(request)):
        raise Http404
    book = Workbook()
    sheet = book.active
    sheet.title = "DIP"
    sheet.append([imports.COLUMN_LABELS[key] for key in imports.TEMPLATE_COLUMNS])
    sheet.append([imports.TEMPLATE_EXAMPLE[key] for key in imports.TEMPLATE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip(
        "ABCDEFGHIJK", (5, 46, 28, 28, 24, 22, 16, 14, 28, 8, 18), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(_("Petunjuk"))
    for line in _template_guide():
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    return _download(exports.workbook_bytes(book), exports.XLSX_TYPE, "templat-dip.xlsx")


def _template_guide() -> list[str]:
    return [
        _("Petunjuk pengisian DIP untuk diimpor ke Terbuka"),
        _("Satu baris per informasi. Baris judul kolom boleh didahului kop atau judul tabel."),
        _(
            "Ringkasan isi informasi: baris pertama dipakai sebagai judul informasi, sisanya "
            "sebagai ringkasan. Bila ada kolom Judul tersendiri, judul diambil dari sana."
        ),
        _(
            'Waktu dan tempat pembuatan: tulis waktu lalu tempat, dipisah koma, mis. "2026, '
            'Sekretariat Dinas". Bila tempat tidak disebut, diisi nama perangkat daerah.'
        ),
        _("Bentuk informasi: softcopy, hardcopy, situs web, audio/visual (boleh lebih dari satu)."),
        _(
            "Kategori: berkala, serta merta, setiap saat, atau dikecualikan. Boleh juga tanpa "
            'kolom Kategori, dengan baris bagian di atas entrinya, mis. "A. Informasi yang '
            'Wajib Disediakan dan Diumumkan Secara Berkala".'
        ),
        _("Tahun: empat angka. Bila kosong, diambil dari waktu pembuatan, atau tahun ini."),
        _("Topik: nama topik yang sudah ada, dipisah koma (boleh kosong)."),
        _(
            "Semua entri diimpor sebagai draf. Bila satu baris saja salah, tidak ada yang "
            "diimpor; daftar masalah menyebut nomor baris dan kolomnya."
        ),
    ]


# Export -----------------------------------------------------------------------------------


def _export(request: StaffRequest) -> tuple[list[exports.DipBody], str, str, bool, dt.date]:
    scope = scope_of(request)
    today = local_today()
    entries = _filtered(_entries_for(scope), request.GET, today)
    public = request.GET.get("publik") == "1"
    if public:
        entries = exports.public_entries(entries)
    pemda = primary_pemda()
    title = _("Daftar Informasi Publik")
    if pemda is not None:
        title = f"{title} — {pemda.name}"
    parts = (
        []
        if public
        else [_("Salinan petugas: memuat entri yang belum ditetapkan dan yang dikecualikan")]
    )
    parts += _filter_labels(request, scope)
    parts.append(_printed(today))
    return exports.dip_bodies(entries), title, "; ".join(parts), not public, today


def _filter_labels(request: StaffRequest, scope: Scope) -> list[str]:
    params = request.GET
    parts = []
    if params.get("opd", "").isdigit():
        opd = opds_visible(scope).filter(pk=int(params["opd"])).first()
        if opd is not None:
            parts.append(_("Perangkat daerah: %(opd)s") % {"opd": opd.name})
    if params.get("kategori") in Category.values:
        parts.append(_("Kategori: %(c)s") % {"c": Category(params["kategori"]).label})
    if params.get("status") in EntryStatus.values:
        parts.append(_("Status: %(s)s") % {"s": EntryStatus(params["status"]).label})
    if params.get("tahun", "").isdigit():
        parts.append(_("Tahun: %(y)s") % {"y": params["tahun"]})
    return parts


@login_required
def export_xlsx(request: StaffRequest) -> HttpResponse:
    bodies, title, subtitle, staff, today = _export(request)
    book = exports.dip_workbook(bodies, title, subtitle, staff=staff)
    name = f"dip-{'petugas' if staff else 'publik'}-{today:%Y%m%d}.xlsx"
    return _download(exports.workbook_bytes(book), exports.XLSX_TYPE, name)


@login_required
def export_pdf(request: StaffRequest) -> HttpResponse:
    bodies, title, subtitle, staff, today = _export(request)
    pdf = exports.dip_pdf(bodies, title, subtitle, staff=staff)
    name = f"dip-{'petugas' if staff else 'publik'}-{today:%Y%m%d}.pdf"
    return _download(pdf, exports.PDF_TYPE, name)


# Reports ----------------------------------------------------------------------------------


def _report_scope(request: StaffRequest) -> tuple[Pemda, list[Opd], dt.date]:
    pemda = primary_pemda()
    if pemda is None:
        raise Http404
    opds = report_opds(scope_of(request), pemda)
    if not opds:
        raise Http404
    return pemda, opds, local_today(pemda)


def _month(request: StaffRequest, pemda: Pemda, today: dt.date) -> tuple[MonthForm, Period]:
    """The month asked for (this month by default); with invalid parameters the form carries
    the errors and the period is this month."""
    params = request.GET.copy()
    params.setdefault("bulan", str(today.month))
    params.setdefault("tahun", str(today.year))
    form = MonthForm(params, today=today)
    if form.is_valid():
        return form, month_period(form.cleaned_data["tahun"], form.cleaned_data["bulan"], pemda)
    return form, month_period(today.year, today.month, pemda)


def _semester(request: StaffRequest, pemda: Pemda, today: dt.date) -> tuple[SemesterForm, Period]:
    params = request.GET.copy()
    params.setdefault("semester", "1" if today.month <= 6 else "2")
    params.setdefault("tahun", str(today.year))
    form = SemesterForm(params, today=today)
    if form.is_valid():
        data = form.cleaned_data
        return form, semester_period(data["tahun"], data["semester"], pemda)
    return form, semester_period(today.year, 1 if today.month <= 6 else 2, pemda)


def _query(request: StaffRequest) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


def _availability(request: StaffRequest, *, strict: bool) -> dict[str, Any]:
    pemda, opds, today = _report_scope(request)
    form, period = _month(request, pemda, today)
    if strict and form.errors:
        raise Http404
    report = availability_report(opds, period, today=today)
    title = _("Laporan Bulanan Ketersediaan Informasi Publik %(period)s") % {"period": period.label}
    return {
        "form": form,
        "report": report,
        "title": title,
        "heading": pemda.name,
        "printed": _printed(today),
        "slug": period.slug,
    }


@login_required
def report_monthly(request: StaffRequest) -> HttpResponse:
    context = _availability(request, strict=False)
    query = _query(request)
    context |= {
        "breadcrumbs": _crumbs(),
        "pdf_url": reverse("dip:report_monthly_pdf") + query,
        "xlsx_url": reverse("dip:report_monthly_xlsx") + query,
    }
    return render(request, "public_information/reports/monthly.html", context)


@login_required
def report_monthly_xlsx(request: StaffRequest) -> HttpResponse:
    context = _availability(request, strict=True)
    book = exports.availability_workbook(context["report"], context["title"], context["heading"])
    name = f"ketersediaan-informasi-{context['slug']}.xlsx"
    return _download(exports.workbook_bytes(book), exports.XLSX_TYPE, name)


@login_required
def report_monthly_pdf(request: StaffRequest) -> HttpResponse:
    context = _availability(request, strict=True)
    pdf = exports.report_pdf("public_information/reports/monthly_pdf.html", context)
    return _download(pdf, exports.PDF_TYPE, f"ketersediaan-informasi-{context['slug']}.pdf")


def _monitoring(request: StaffRequest, *, strict: bool) -> dict[str, Any]:
    pemda, opds, today = _report_scope(request)
    form, period = _semester(request, pemda, today)
    if strict and form.errors:
        raise Http404
    report = monitoring_report(opds, period, today=today)
    title = _("Laporan Monitoring dan Evaluasi DIP %(period)s") % {"period": period.label}
    return {
        "form": form,
        "report": report,
        "chart": exports.score_chart(report),
        "title": title,
        "heading": pemda.name,
        "printed": _printed(today),
        "slug": period.slug,
    }


@login_required
def report_monitoring(request: StaffRequest) -> HttpResponse:
    context = _monitoring(request, strict=False)
    query = _query(request)
    context |= {
        "breadcrumbs": _crumbs(),
        "pdf_url": reverse("dip:report_monitoring_pdf") + query,
        "xlsx_url": reverse("dip:report_monitoring_xlsx") + query,
    }
    return render(request, "public_information/reports/monitoring.html", context)


@login_required
def report_monitoring_xlsx(request: StaffRequest) -> HttpResponse:
    context = _monitoring(request, strict=True)
    book = exports.monitoring_workbook(context["report"], context["title"], context["heading"])
    name = f"monev-dip-{context['slug']}.xlsx"
    return _download(exports.workbook_bytes(book), exports.XLSX_TYPE, name)


@login_required
def report_monitoring_pdf(request: StaffRequest) -> HttpResponse:
    context = _monitoring(request, strict=True)
    pdf = exports.report_pdf("public_information/reports/monitoring_pdf.html", context)
    return _download(pdf, exports.PDF_TYPE, f"monev-dip-{context['slug']}.pdf")
