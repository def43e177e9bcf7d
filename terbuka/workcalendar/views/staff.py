"""Operators keep the calendar right each year: add, rename, remove days; set office hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terbuka.core.errors import DomainError
from terbuka.core.http import StaffRequest
from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.selectors import local_today, primary_pemda, scope_of
from terbuka.workcalendar import services
from terbuka.workcalendar.forms import DayForm, DayRenameForm, OfficeHoursForm, SeedForm
from terbuka.workcalendar.models import NonWorkingDay, OfficeHours
from terbuka.workcalendar.rules import OfficeHours as Hours
from terbuka.workcalendar.selectors import (
    non_working_days,
    office_hours_for,
    office_hours_rows,
)


def _operator_pemda(request: StaffRequest) -> Pemda:
    pemda = primary_pemda()
    if pemda is None or not scope_of(request).is_operator:
        raise Http404
    return pemda


def _year_url(year: int) -> str:
    return f"{reverse('workcalendar:year')}?tahun={year}"


@login_required
def year_view(request: StaffRequest) -> HttpResponse:
    pemda = _operator_pemda(request)
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = local_today(pemda).year
    removed = NonWorkingDay.objects.filter(
        pemda=pemda, date__year=year, removed_at__isnull=False
    ).order_by("date")
    return render(
        request,
        "workcalendar/year.html",
        {
            "pemda": pemda,
            "year": year,
            "days": non_working_days(pemda, year),
            "removed": removed,
            "form": DayForm(),
            "seed_form": SeedForm(initial={"year": year}),
            "hours": office_hours_rows(pemda),
        },
    )


@login_required
def day_add(request: StaffRequest) -> HttpResponse:
    pemda = _operator_pemda(request)
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.day_add(
                pemda=pemda,
                actor=request.user,
                date=data["date"],
                name=data["name"],
                kind=data["kind"],
            )
        except DomainError as error:
            form.add_error("date", str(error))
        else:
            messages.success(request, _("Hari libur ditambahkan."))
            return redirect(_year_url(data["date"].year))
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Tambah hari libur"),
            "breadcrumbs": [{"label": _("Kalender kerja"), "url": reverse("workcalendar:year")}],
            "cancel_url": reverse("workcalendar:year"),
        },
    )


@login_required
def day_edit(request: StaffRequest, day_id: int) -> HttpResponse:
    pemda = _operator_pemda(request)
    day = get_object_or_404(NonWorkingDay, pk=day_id, pemda=pemda, removed_at__isnull=True)
    form = DayRenameForm(request.POST or None, initial={"name": day.name, "kind": day.kind})
    if request.method == "POST" and form.is_valid():
        try:
            services.day_rename(
                day=day,
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Hari libur diubah."))
            return redirect(_year_url(day.date.year))
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": _("Ubah hari libur %(date)s") % {"date": day.date.strftime("%d-%m-%Y")},
            "breadcrumbs": [{"label": _("Kalender kerja"), "url": _year_url(day.date.year)}],
            "cancel_url": _year_url(day.date.year),
        },
    )


@login_required
@require_POST
def day_remove(request: StaffRequest, day_id: int) -> HttpResponse:
    pemda = _operator_pemda(request)
    day = get_object_or_404(NonWorkingDay, pk=day_id, pemda=pemda, removed_at__isnull=True)
    services.day_remove(day=day, actor=request.user)
    messages.success(
        request,
        _("%(name)s (%(date)s) dihapus dari kalender.")
        % {"name": day.name, "date": day.date.strftime("%d-%m-%Y")},
    )
    return redirect(_year_url(day.date.year))


@login_required
@require_POST
def seed_year(request: StaffRequest) -> HttpResponse:
    pemda = _operator_pemda(request)
    form = SeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tahun tidak valid (2000–2100)."))
        return redirect("workcalendar:year")
    year = form.cleaned_data["year"]
    added = services.calendar_seed_year(pemda=pemda, year=year, actor=request.user)
    messages.success(
        request,
        _("%(count)s hari ditambahkan untuk %(year)s.")
        % {
            "count": added,
            "year": year,
        },
    )
    return redirect(_year_url(year))


@login_required
def office_hours_edit(request: StaffRequest) -> HttpResponse:
    pemda = _operator_pemda(request)
    opd = None
    if request.GET.get("opd"):
        opd = get_object_or_404(Opd, pk=request.GET["opd"], pemda=pemda)
    current = office_hours_for(pemda, opd)
    initial = {}
    for day, hours in current.items():
        initial[f"opens_{day}"] = hours.opens
        initial[f"closes_{day}"] = hours.closes
    form = OfficeHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        week: dict[int, Hours | None] = {}
        for day in OfficeHours.Weekday.values:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            week[day] = Hours(opens, closes) if opens and closes else None
        try:
            services.office_hours_set(pemda=pemda, actor=request.user, hours=week, opd=opd)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Jam kerja disimpan."))
            return redirect("workcalendar:year")
    title = _("Jam kerja %(name)s") % {"name": opd or pemda}
    return render(
        request,
        "core/staff/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": _("Kosongkan jam buka dan jam tutup untuk hari yang tidak bekerja."),
            "breadcrumbs": [{"label": _("Kalender kerja"), "url": reverse("workcalendar:year")}],
            "cancel_url": reverse("workcalendar:year"),
        },
    )
