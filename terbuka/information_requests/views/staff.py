"""The PPID officer's side: the register, counter intake, the request page and its actions."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import BaseForm, Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terbuka.core import audit, clock
from terbuka.core.http import StaffRequest
from terbuka.core.views.forms import attempt
from terbuka.information_requests import deadlines, services
from terbuka.information_requests.forms import (
    CounterIntakeForm,
    DecideForm,
    DeliverForm,
    ExtendForm,
    FeeForm,
    ForwardForm,
)
from terbuka.information_requests.models import (
    AttachmentKind,
    Channel,
    InformationRequest,
    Status,
)
from terbuka.information_requests.selectors import (
    can_handle,
    overdue_q,
    personal_view,
    requests_visible,
    sees_personal_data,
)
from terbuka.organizations.access import Scope
from terbuka.organizations.selectors import local_today, primary_pemda, scope_of
from terbuka.workcalendar.selectors import calendar_for


@login_required
def register(request: StaffRequest) -> HttpResponse:
    """The buku register permohonan, with filters."""
    scope = scope_of(request)
    items = requests_visible(scope).order_by("-received_at", "-id")
    filters = {
        key: request.GET.get(key, "")
        for key in ("opd", "status", "saluran", "dari", "sampai", "terlambat")
    }
    if filters["opd"].isdigit():
        items = items.filter(handling_opd_id=int(filters["opd"]))
    if filters["status"] in Status.values:
        items = items.filter(status=filters["status"])
    if filters["saluran"] in Channel.values:
        items = items.filter(channel=filters["saluran"])
    for key, lookup in (("dari", "received_on__gte"), ("sampai", "received_on__lte")):
        with contextlib.suppress(ValueError):
            items = items.filter(**{lookup: dt.date.fromisoformat(filters[key])})
    if filters["terlambat"]:
        items = items.filter(overdue_q(local_today()))
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
    item = requests_visible(scope).select_related("pemda", "case").filter(pk=request_id).first()
    if item is None:
        raise Http404
    return item


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
            "decide": DecideForm(),
            "deliver": DeliverForm(),
            "fee": FeeForm(),
        }
        if handles
        else {},
        "case_runs": item.case.step_runs.select_related("position", "completed_by")
        if item.case
        else [],
    }
    return render(request, "information_requests/staff/detail.html", context)


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
        form = DecideForm(request.POST)
        call = lambda d: services.request_decide(request=item, actor=request.user, **d)  # noqa: E731
    elif action == "serahkan":
        form = DeliverForm(request.POST, request.FILES)
        call = lambda d: services.request_deliver(  # noqa: E731
            request=item, actor=request.user, files=[d["attachment"]] if d.get("attachment") else []
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
