"""The legal lifecycle of a request: one table, one function every path goes through."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from terbuka.core import audit
from terbuka.core.errors import InvalidTransition
from terbuka.information_requests.models import InformationRequest, Status
from terbuka.information_requests.notify import notify_requester
from terbuka.organizations.models import User

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.EXTENDED, Status.DECIDED, Status.WITHDRAWN}),
    Status.EXTENDED: frozenset({Status.DECIDED, Status.WITHDRAWN}),
    Status.DECIDED: frozenset({Status.DELIVERED, Status.CLOSED}),
    Status.DELIVERED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Reaching these statuses is a legal milestone the requester is told about.
MILESTONES: dict[str, str] = {
    Status.EXTENDED: "extended",
    Status.DECIDED: "decided",
    Status.DELIVERED: "delivered",
}

NOT_ALLOWED = _("Permohonan berstatus %(current)s tidak dapat menjadi %(target)s.")


def request_transition(
    *,
    request: InformationRequest,
    to: str,
    actor: User | None,
    action: str,
    fields: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> InformationRequest:
    """Move ``request`` to status ``to`` (checked against :data:`TRANSITIONS`), saving
    ``fields`` with it, writing the audit event and queueing the requester's notification
    for a milestone. Call inside a transaction with the row locked."""
    if to not in TRANSITIONS[request.status]:
        raise InvalidTransition(
            NOT_ALLOWED,
            current=Status(request.status).label,
            target=Status(to).label,
        )
    changes = dict(fields or {})
    for name, value in changes.items():
        setattr(request, name, value)
    previous = request.status
    request.status = to
    request.save(update_fields=["status", *changes])
    audit.record(
        action=action,
        actor=actor,
        actor_label="" if actor else "pemohon",
        obj=request,
        opd_id=request.handling_opd_id,
        data={"dari": previous, "ke": to, **(data or {})},
    )
    if to in MILESTONES:
        notify_requester(request, MILESTONES[to])
    return request
