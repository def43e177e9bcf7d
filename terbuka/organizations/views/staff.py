"""Staff pages for the organisation structure. Thin: form → one service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from terbuka.core.errors import DomainError
from terbuka.core.http import StaffRequest
from terbuka.core.models import AuditEvent
from terbuka.core.views.forms import attempt
from terbuka.organizations import services
from terbuka.organizations.access import Scope
from terbuka.organizations.forms import (
    DelegationForm,
    HoldingEndForm,
    HoldingForm,
    OpdForm,
    PemdaForm,
    PositionForm,
    StructureImportForm,
    UnitForm,
)
from terbuka.organizations.models import Opd, Position, PositionHolding, Unit, User
from terbuka.organizations.selectors import (
    local_today,
    opd_structure,
    opds_visible,
    primary_pemda,
    scope_of,
)
from terbuka.organizations.structure_import import StructureImportRejected, structure_import


def _opd_or_404(scope: Scope, opd_id: int, *, manage: bool = False) -> Opd:
    """The OPD if this person may see it (or manage it); otherwise it does not exist for them."""
    opd = get_object_or_404(Opd.objects.select_related("pemda"), pk=opd_id)
    allowed = scope.can_manage_structure(opd.pk) if manage else scope.can_view(opd.pk)
    if not allowed:
        raise Http404
    return opd


def _crumbs(opd: Opd | None = None) -> list[dict[str, str]]:
    crumbs = [{"label": _("Organisasi"), "url": reverse("organizations:opd_list")}]
    if opd is not None:
        crumbs.append(
            {"label": str(opd), "url": reverse("organizations:opd_detail", args=[opd.pk])}
        )
    return crumbs


def _form_page(
    request: StaffRequest, form: BaseForm, title: str, opd: Opd | None = None, **extra: Any
) -> HttpResponse:
    cancel = (
        reverse("organizations:opd_detail", args=[opd.pk])
        if opd
        else reverse("organizations:opd_list")
    )
    context = {"form": form, "title": title, "breadcrumbs": _crumbs(opd), "cancel_url": cancel}
    return render(request, "core/staff/form_page.html", {**context, **extra})


@login_required
def opd_list(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "organizations/opd_list.html",
        {"opds": opds_visible(scope), "pemda": primary_pemda(), "scope": scope},
    )


@login_required
def opd_detail(request: StaffRequest, opd_id: int) -> HttpResponse:
    scope = scope_of(request)
    opd = _opd_or_404(scope, opd_id)
    units, positions = opd_structure(opd, local_today(opd.pemda))
    events = (
        AuditEvent.objects.filter(opd_id=opd.pk)
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:50]
    )
    return render(
        request,
        "organizations/opd_detail.html",
        {
            "opd": opd,
            "units": units,
            "positions": positions,
            "events": events,
            "can_manage": scope.can_manage_structure(opd.pk),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def pemda_edit(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    pemda = primary_pemda()
    if not scope.is_operator or pemda is None:
        raise Http404
    form = PemdaForm(request.POST or None, request.FILES or None, instance=pemda)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        pemda.refresh_from_db()
        if attempt(form, services.pemda_update, pemda=pemda, actor=request.user, data=data)[0]:
            messages.success(request, _("Data pemerintah daerah disimpan."))
            return redirect("organizations:opd_list")
    return _form_page(request, form, _("Pengaturan pemerintah daerah"))


@login_required
def opd_create(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    pemda = primary_pemda()
    if not scope.is_operator or pemda is None:
        raise Http404
    form = OpdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ok, opd = attempt(form, services.opd_create, pemda=pemda, actor=request.user, data=data)
        if ok and opd is not None:
            messages.success(request, _("Perangkat daerah dibuat."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    return _form_page(request, form, _("Tambah perangkat daerah"))


@login_required
def opd_edit(request: StaffRequest, opd_id: int) -> HttpResponse:
    opd = _opd_or_404(scope_of(request), opd_id, manage=True)
    form = OpdForm(request.POST or None, instance=opd)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        opd.refresh_from_db()
        if attempt(form, services.opd_update, opd=opd, actor=request.user, data=data)[0]:
            messages.success(request, _("Perangkat daerah disimpan."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    return _form_page(request, form, _("Ubah perangkat daerah"), opd)


@login_required
def unit_edit(request: StaffRequest, opd_id: int, unit_id: int | None = None) -> HttpResponse:
    opd = _opd_or_404(scope_of(request), opd_id, manage=True)
    unit = get_object_or_404(Unit, pk=unit_id, opd=opd) if unit_id else None
    form = UnitForm(request.POST or None, instance=unit, opd=opd)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if unit is None:
            ok = attempt(form, services.unit_create, opd=opd, actor=request.user, data=data)[0]
        else:
            unit.refresh_from_db()
            ok = attempt(form, services.unit_update, unit=unit, actor=request.user, data=data)[0]
        if ok:
            messages.success(request, _("Unit kerja disimpan."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    title = _("Tambah unit kerja") if unit is None else _("Ubah unit kerja")
    return _form_page(request, form, title, opd)


@login_required
def position_edit(
    request: StaffRequest, opd_id: int, position_id: int | None = None
) -> HttpResponse:
    opd = _opd_or_404(scope_of(request), opd_id, manage=True)
    position = get_object_or_404(Position, pk=position_id, opd=opd) if position_id else None
    form = PositionForm(request.POST or None, instance=position, opd=opd)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if position is None:
            ok = attempt(form, services.position_create, opd=opd, actor=request.user, data=data)[0]
        else:
            position.refresh_from_db()
            ok = attempt(
                form, services.position_update, position=position, actor=request.user, data=data
            )[0]
        if ok:
            messages.success(request, _("Jabatan disimpan."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    title = _("Tambah jabatan") if position is None else _("Ubah jabatan")
    return _form_page(request, form, title, opd)


@login_required
def holding_create(request: StaffRequest, opd_id: int, position_id: int) -> HttpResponse:
    opd = _opd_or_404(scope_of(request), opd_id, manage=True)
    position = get_object_or_404(Position, pk=position_id, opd=opd)
    form = HoldingForm(request.POST or None, initial={"starts_on": local_today(opd.pemda)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(form, services.holding_assign, position=position, actor=request.user, **data)[0]:
            messages.success(request, _("Pemangku jabatan ditetapkan."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    title = _("Tetapkan pemangku: %(position)s") % {"position": position.title}
    return _form_page(request, form, title, opd)


def _holding_or_404(
    scope: Scope, holding_id: int, *, allow_holder_id: int | None = None
) -> PositionHolding:
    holding = get_object_or_404(
        PositionHolding.objects.select_related("position__opd__pemda", "user"), pk=holding_id
    )
    opd_id = holding.position.opd_id
    if holding.user_id == allow_holder_id and allow_holder_id is not None:
        return holding
    if not scope.can_manage_structure(opd_id):
        raise Http404
    return holding


@login_required
def holding_end(request: StaffRequest, holding_id: int) -> HttpResponse:
    holding = _holding_or_404(scope_of(request), holding_id)
    opd = holding.position.opd
    form = HoldingEndForm(request.POST or None, initial={"ends_on": local_today(opd.pemda)})
    if request.method == "POST" and form.is_valid():
        ends_on = form.cleaned_data["ends_on"]
        if attempt(
            form, services.holding_end, holding=holding, actor=request.user, ends_on=ends_on
        )[0]:
            messages.success(request, _("Masa jabatan diakhiri."))
            return redirect("organizations:opd_detail", opd_id=opd.pk)
    return _form_page(request, form, _("Akhiri masa jabatan: %(h)s") % {"h": holding}, opd)


@login_required
def delegation_create(request: StaffRequest, holding_id: int) -> HttpResponse:
    """The holder (or a structure admin) lets someone act in the position during leave."""
    holding = _holding_or_404(scope_of(request), holding_id, allow_holder_id=request.user.pk)
    opd = holding.position.opd
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        delegate = User.objects.filter(username=data["delegate"], is_active=True).first()
        if delegate is None:
            form.add_error("delegate", _("Pengguna tidak ditemukan."))
        elif attempt(
            form,
            services.delegation_create,
            holding=holding,
            delegate=delegate,
            actor=request.user,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        )[0]:
            messages.success(request, _("Wewenang dilimpahkan."))
            return redirect("staff:dashboard")
    return _form_page(request, form, _("Limpahkan wewenang: %(h)s") % {"h": holding}, opd)


@login_required
def import_structure(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    pemda = primary_pemda()
    if not scope.is_operator or pemda is None:
        raise Http404
    form = StructureImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = structure_import(
                actor=request.user, pemda=pemda, uploaded_file=upload, filename=upload.name
            )
        except StructureImportRejected as rejected:
            form.add_error(None, str(rejected))
            row_errors = list(rejected.errors)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Struktur diimpor: %(opds)s perangkat daerah, %(units)s unit, "
                    "%(positions)s jabatan baru, %(holdings)s penugasan baru."
                )
                % {
                    "opds": report.opds_created,
                    "units": report.units_created,
                    "positions": report.positions_created,
                    "holdings": report.holdings_created,
                },
            )
            return redirect("organizations:opd_list")
    return render(
        request,
        "organizations/import.html",
        {"form": form, "row_errors": row_errors, "breadcrumbs": _crumbs()},
    )
