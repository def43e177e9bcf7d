"""The staff shell: sign-in, sign-out, dashboard, audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from terbuka.core import dashboard
from terbuka.core.forms import style_fields
from terbuka.core.http import StaffRequest
from terbuka.core.models import AuditEvent
from terbuka.organizations.access import Seat
from terbuka.organizations.models import HoldingKind, Role
from terbuka.organizations.selectors import scope_of

_DELEGATION_LABEL = _("Pelimpahan wewenang")


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self) -> None:
        super().full_clean()
        style_fields(self)


class LoginView(auth_views.LoginView):
    template_name = "core/staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _seat_row(seat: Seat) -> dict[str, object]:
    return {
        **seat.__dict__,
        "role_label": Role(seat.role).label,
        "kind_label": HoldingKind(seat.kind).label
        if seat.kind in HoldingKind.values
        else _DELEGATION_LABEL,
    }


@login_required
def dashboard_view(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "core/staff/dashboard.html",
        {
            "seats": [_seat_row(seat) for seat in scope.seats],
            "panels": dashboard.panels_for(request),
        },
    )


@login_required
def audit_log(request: StaffRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.is_operator:
        raise Http404
    events = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    action = request.GET.get("tindakan", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("halaman"))
    return render(request, "core/staff/audit_log.html", {"page": page, "action": action})
