"""Messages to requesters at each legal milestone, in their language, through the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from terbuka.core.outbox import outbox_enqueue
from terbuka.information_requests.models import InformationRequest

MILESTONES = ("registered", "extended", "decided", "delivered")


def tracking_url(request: InformationRequest) -> str:
    return settings.SITE_URL + reverse("information_requests:track", args=[request.tracking_token])


def notify_requester(request: InformationRequest, milestone: str) -> None:
    """Queue the milestone's e-mail (once per request and milestone) inside the caller's
    transaction; a request without an e-mail address gets none."""
    if milestone not in MILESTONES:
        raise ValueError(milestone)
    if not request.email:
        return
    with translation.override(request.language or "id"):
        context = {"request": request, "url": tracking_url(request), "milestone": milestone}
        subject = render_to_string("information_requests/email/subject.txt", context).strip()
        body = render_to_string("information_requests/email/body.txt", context)
    outbox_enqueue(
        to=request.email,
        subject=subject,
        body_text=body,
        language=request.language,
        kind=f"information_request.{milestone}",
        subject_object=request,
        dedupe_key=f"information_request:{request.pk}:{milestone}",
    )
