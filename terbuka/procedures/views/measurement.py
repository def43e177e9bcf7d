"""SOP performance for heads of office: the dashboard, its XLSX export and the 6-monthly
monitoring form of PermenPAN-RB 35/2012.

Who may look: operators and holders of kepala, sekretaris, kepala bidang, PPID Utama or
walidata. They see the OPDs where they hold one of those roles (PPID Utama, walidata and
operators: every OPD of their Pemda); everyone else gets 404, as does an SOP or OPD filter
outside what they see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from io import BytesIO
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from terbuka.core import clock
from terbuka.core.forms import StaffForm
from terbuka.core.http import StaffRequest
from terbuka.organizations.access import Scope
from terbuka.organizations.models import PEMDA_WIDE_ROLES, Opd, Role
from terbuka.organizations.selectors import opds_visible, pemda_zone, primary_pemda, scope_of
from terbuka.procedures.measurement import (
    MonitoringSheet,
    OpenWork,
    SopMeasure,
    StepMeasure,
    monitoring_sheet,
    open_work,
    sop_measures,
    step_measures,
)
from terbuka.procedures.models import Sop
from terbuka.procedures.selectors import sops_for

DASHBOARD_ROLES = frozenset(
    {Role.KEPALA, Role.SEKRETARIS, Role.KEPALA_BIDANG, Role.PPID_UTAMA, Role.WALIDATA}
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "0.0"


def viewer_scope(scope: Scope) -> Scope:
    """The part of ``scope`` that may see SOP performance: the OPDs where the person holds a
    dashboard role, and the Pemdas where they hold a Pemda-wide one. 404 for anyone else."""
    if scope.is_superuser:
        return scope
    if not (scope.is_operator or scope.has_role(*DASHBOARD_ROLES)):
        raise Http404
    allowed = DASHBOARD_ROLES | {Role.OPERATOR}
    return dataclasses.replace(
        scope,
        roles_by_opd={
            opd_id: roles for opd_id, roles in scope.roles_by_opd.items() if roles & allowed
        },
        pemda_wide_ids=frozenset(
            seat.pemda_id
            for seat in scope.seats
            if seat.role in allowed and seat.role in PEMDA_WIDE_ROLES
        ),
    )


def _only_opd(scope: Scope, opd: Opd) -> Scope:
    """``scope`` narrowed to one OPD it sees."""
    return dataclasses.replace(
        scope,
        is_superuser=False,
        roles_by_opd={opd.pk: scope.roles_by_opd.get(opd.pk, frozenset())},
        pemda_wide_ids=frozenset(),
    )


class MeasurementFilterForm(StaffForm):
    sop = forms.ModelChoiceField(
        queryset=Sop.objects.none(),
        required=False,
        label=gettext_lazy("SOP"),
        empty_label=gettext_lazy("Semua SOP"),
    )
    opd = forms.ModelChoiceField(
        queryset=Opd.objects.none(),
        required=False,
        label=gettext_lazy("Perangkat daerah"),
        empty_label=gettext_lazy("Semua perangkat daerah"),
    )
    dari = forms.DateField(required=False, label=gettext_lazy("Dari tanggal"))
    sampai = forms.DateField(required=False, label=gettext_lazy("Sampai tanggal"))

    def __init__(self, *args: Any, sops: QuerySet[Sop], opds: QuerySet[Opd], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sop"].queryset = sops  # type: ignore[attr-defined]
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("Tanggal akhir harus sama atau sesudah tanggal awal."))
        return data


SEMESTERS = [
    (1, gettext_lazy("Semester I (Januari–Juni)")),
    (2, gettext_lazy("Semester II (Juli–Desember)")),
]


class MonitoringFilterForm(StaffForm):
    tahun = forms.IntegerField(min_value=2000, max_value=2100, label=gettext_lazy("Tahun"))
    semester = forms.TypedChoiceField(choices=SEMESTERS, coerce=int, label=gettext_lazy("Semester"))
    opd = forms.ModelChoiceField(
        queryset=Opd.objects.none(),
        required=False,
        label=gettext_lazy("Perangkat daerah"),
        empty_label=gettext_lazy("Semua perangkat daerah"),
    )

    def __init__(self, *args: Any, opds: QuerySet[Opd], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]


def _not_found_on_scope_errors(form: forms.Form) -> None:
    """An SOP or OPD the person may not see is not found, not a form error."""
    if form.errors.get("sop") or form.errors.get("opd"):
        raise Http404


@dataclasses.dataclass(frozen=True)
class Figures:
    form: MeasurementFilterForm
    opd: Opd | None
    sops: list[SopMeasure]
    steps: list[StepMeasure]
    work: OpenWork
    start: dt.date | None
    end: dt.date | None
    zone: dt.tzinfo


def _figures(request: StaffRequest) -> Figures:
    scope = viewer_scope(scope_of(request))
    form = MeasurementFilterForm(request.GET, sops=sops_for(scope), opds=opds_visible(scope))
    form.is_valid()
    _not_found_on_scope_errors(form)
    data = form.cleaned_data
    sop: Sop | None = data.get("sop")
    opd: Opd | None = data.get("opd")
    dated = not (form.errors.get("dari") or form.errors.get("sampai"))
    start: dt.date | None = data.get("dari") if dated else None
    end: dt.date | None = data.get("sampai") if dated else None
    if opd is not None:
        scope = _only_opd(scope, opd)
    zone = pemda_zone(primary_pemda())
    return Figures(
        form=form,
        opd=opd,
        sops=sop_measures(scope, sop=sop, period_start=start, period_end=end, tz=zone),
        steps=step_measures(scope, sop=sop, period_start=start, period_end=end, tz=zone),
        work=open_work(scope),
        start=start,
        end=end,
        zone=zone,
    )


@login_required
def dashboard(request: StaffRequest) -> HttpResponse:
    figures = _figures(request)
    query = request.GET.urlencode()
    return render(
        request,
        "procedures/measurement/dashboard.html",
        {
            "figures": figures,
            "form": figures.form,
            "export_url": reverse("measurement:export") + (f"?{query}" if query else ""),
        },
    )


# XLSX -----------------------------------------------------------------------------------------


def _sheet(book: Workbook, title: str, headers: list[str], first: bool = False) -> Worksheet:
    sheet: Worksheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _format_column(sheet: Worksheet, column: int, number_format: str, first_row: int = 2) -> None:
    for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
        cell.number_format = number_format


def _xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figures_workbook(figures: Figures) -> Workbook:
    """The dashboard's three tables as sheets "Per SOP", "Per langkah" and "Beban kerja"."""
    book = Workbook()
    per_sop = _sheet(
        book,
        _("Per SOP"),
        [
            _("SOP"),
            _("Kasus dimulai"),
            _("Selesai"),
            _("Dibatalkan"),
            _("Berjalan"),
            _("Langkah selesai"),
            _("Dalam standar"),
            _("Bermutu baku waktu"),
            _("% dalam standar"),
            _("Langkah lewat tenggat"),
        ],
        first=True,
    )
    for m in figures.sops:
        per_sop.append(
            [
                m.sop_name,
                m.started,
                m.completed,
                m.cancelled,
                m.open,
                m.steps_completed,
                m.within,
                m.measured,
                m.within_share,
                m.overdue,
            ]
        )
    _format_column(per_sop, 9, PERCENT_FORMAT)
    _widths(per_sop, [50, 14, 10, 12, 10, 15, 14, 18, 16, 20])

    per_step = _sheet(
        book,
        _("Per langkah"),
        [
            _("SOP"),
            pgettext("nomor urut", "No"),
            _("Kegiatan"),
            _("Jumlah"),
            _("Median"),
            _("Persentil 90"),
            _("Satuan"),
            _("Standar"),
            _("Waktu (mutu baku)"),
            _("Dalam standar"),
            _("Bermutu baku waktu"),
            _("% dalam standar"),
        ],
    )
    for s in figures.steps:
        per_step.append(
            [
                s.sop_name,
                s.step_no,
                s.activity,
                s.runs,
                s.median,
                s.p90,
                s.unit_label,
                s.standard,
                s.standard_raw,
                s.within,
                s.measured,
                s.within_share,
            ]
        )
    for column in (5, 6, 8):
        _format_column(per_step, column, NUMBER_FORMAT)
    _format_column(per_step, 12, PERCENT_FORMAT)
    _widths(per_step, [40, 6, 50, 10, 10, 12, 12, 10, 18, 14, 18, 16])

    workload = _sheet(
        book,
        _("Beban kerja"),
        [
            _("Rincian"),
            _("Perangkat daerah"),
            _("Pelaksana"),
            _("Pemangku jabatan"),
            _("Langkah terbuka"),
            _("Lewat tenggat"),
        ],
    )
    for row in figures.work.by_opd:
        workload.append([_("Per perangkat daerah"), row.opd_name, "", "", row.open, row.overdue])
    for row in figures.work.by_person:
        workload.append(
            [
                _("Per pelaksana"),
                row.opd_name,
                row.label,
                ", ".join(row.holders),
                row.open,
                row.overdue,
            ]
        )
    _widths(workload, [22, 40, 40, 40, 16, 14])
    return book


@login_required
def export_xlsx(request: StaffRequest) -> HttpResponse:
    figures = _figures(request)
    today = clock.now().astimezone(figures.zone).date()
    return _xlsx_response(figures_workbook(figures), f"kinerja-sop-{today:%Y%m%d}.xlsx")


# Monitoring form ---------------------------------------------------------------------------


def monitoring_workbook(sheet: MonitoringSheet, heading: str, period: str) -> Workbook:
    book = Workbook()
    ws: Worksheet = book.active
    ws.title = _("Monitoring SOP")
    ws.append([_("FORMULIR MONITORING PELAKSANAAN SOP")])
    ws.append([heading])
    ws.append([period])
    ws.append([])
    ws.append(
        [
            pgettext("nomor urut", "No"),
            _("Nama SOP"),
            _("Penilaian"),
            _("Catatan hasil penilaian"),
            _("Tindakan yang harus diambil"),
        ]
    )
    for cell in (ws["A1"], *ws[5]):
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append([row.no, row.sop_name, row.assessment, row.notes, row.action])
    for cells in ws.iter_rows(min_row=6):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [6, 40, 26, 70, 60])
    return book


@login_required
def monitoring_form(request: StaffRequest) -> HttpResponse:
    scope = viewer_scope(scope_of(request))
    pemda = primary_pemda()
    zone = pemda_zone(pemda)
    today = clock.now().astimezone(zone).date()
    params = request.GET.copy()
    params.setdefault("tahun", str(today.year))
    params.setdefault("semester", "1" if today.month <= 6 else "2")
    form = MonitoringFilterForm(params, opds=opds_visible(scope))
    form.is_valid()
    _not_found_on_scope_errors(form)
    year: int = form.cleaned_data.get("tahun") or today.year
    semester: int = form.cleaned_data.get("semester") or (1 if today.month <= 6 else 2)
    opd: Opd | None = form.cleaned_data.get("opd")
    if opd is not None:
        scope = _only_opd(scope, opd)
    sheet = monitoring_sheet(scope, year=year, semester=semester, tz=zone)
    heading = str(opd or pemda or "")
    period = _("Semester %(semester)s Tahun %(year)s (%(start)s – %(end)s)") % {
        "semester": "I" if semester == 1 else "II",
        "year": year,
        "start": sheet.start.strftime("%d-%m-%Y"),
        "end": sheet.end.strftime("%d-%m-%Y"),
    }
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(
            monitoring_workbook(sheet, heading, period),
            f"monitoring-sop-{year}-s{semester}.xlsx",
        )
    query = params.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "procedures/measurement/monitoring.html",
        {
            "form": form,
            "sheet": sheet,
            "heading": heading,
            "period": period,
            "today": today,
            "xlsx_url": f"{reverse('measurement:monitoring')}?{query.urlencode()}",
        },
    )
