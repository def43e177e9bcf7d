"""Operators' view of the e-mail outbox: what waits, what died and why; send it again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from terbuka.core.errors import DomainError
from terbuka.core.http import StaffRequest
from terbuka.core.models import OutboxMessage, OutboxStatus
from terbuka.core.outbox import MAX_ATTEMPTS, outbox_retry
from terbuka.organizations.selectors import scope_of


def _require_operator(request: StaffRequest) -> None:
    if not scope_of(request).is_operator:
        raise Http404


@login_required
def outbox_list(request: StaffRequest) -> HttpResponse:
    _require_operator(request)
    waiting = (
        OutboxMessage.objects.exclude(status=OutboxStatus.SENT)
        .annotate(
            dead_first=Case(
                When(status=OutboxStatus.DEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("dead_first", "next_attempt_at", "id")
    )
    counts = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
        dead=Count("pk", filter=Q(status=OutboxStatus.DEAD)),
        sent=Count("pk", filter=Q(status=OutboxStatus.SENT)),
    )
    page = Paginator(waiting, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "core/staff/outbox.html",
        {"page": page, "counts": counts, "max_attempts": MAX_ATTEMPTS, "dead": OutboxStatus.DEAD},
    )


@login_required
def outbox_retry_view(request: StaffRequest, message_id: int) -> HttpResponse:
    _require_operator(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message = get_object_or_404(OutboxMessage, pk=message_id)
    try:
        outbox_retry(message=message, actor=request.user)
    except DomainError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("Surel dijadwalkan untuk dikirim ulang."))
    return redirect("staff:outbox")
