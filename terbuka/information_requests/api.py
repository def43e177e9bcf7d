"""Request tracking for apps (``/api/v1/permohonan/{token}``): what the public tracking page
shows, as JSON.

The secret tracking token is the only key, as on the page. Nothing personal is ever returned:
no name, NIK, address, phone, e-mail or occupation, no identity attachments, not the text of
the request. Files the requester may download (the written notice, the information given)
come as the same expiring signed links the tracking page uses. Calls are rate-limited per
client address, so that tokens cannot be guessed by brute force.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from terbuka.core.ratelimit import over_limit
from terbuka.information_requests.models import (
    REQUESTER_VISIBLE,
    AttachmentKind,
    Decision,
    InformationRequest,
    ObjectionDecision,
    ObjectionStatus,
)
from terbuka.information_requests.models import (
    Status as RequestStatus,
)
from terbuka.information_requests.tracking import milestones
from terbuka.information_requests.views.public import DOWNLOAD_MAX_AGE, _download_signature

router = Router(tags=["Permohonan informasi"])

TRACKING_PER_HOUR = 120
TRACKING_WINDOW = 3600
NOT_FOUND = _("Permohonan dengan kode pelacakan ini tidak ditemukan.")
TOO_MANY = _("Terlalu banyak permintaan dari alamat ini. Silakan coba lagi nanti.")


class TrackingError(Schema):
    detail: str = Field(
        description="What went wrong, in Indonesian (or English with the language cookie).",
        examples=["Permohonan dengan kode pelacakan ini tidak ditemukan."],
    )


class TrackingChoice(Schema):
    code: str = Field(description="Stable machine code.", examples=["diterima"])
    label: str = Field(description="Label in the site's language.", examples=["Diterima"])


class MilestoneOut(Schema):
    label: str = Field(
        description="The legal step, in the site's language.",
        examples=["Batas pemberitahuan tertulis (10 hari kerja)"],
    )
    on: dt.date | None = Field(
        description="Its date: when it happened, or the deadline; null while not yet known.",
        examples=["2026-03-31"],
    )
    done: bool = Field(description="Whether the step is behind the request.", examples=[False])
    note: str = Field(
        description="A short note: the registration number, or the decision.",
        examples=["Dikabulkan seluruhnya"],
    )


class ObjectionOut(Schema):
    number: str = Field(description="Registration number of the objection (keberatan).")
    ground: str = Field(
        description="Ground of the objection, a–g (UU 14/2008 art. 35(1)).", examples=["a"]
    )
    status: TrackingChoice = Field(description="Where the objection stands.")
    filed_on: dt.date = Field(description="Day the objection was received.")
    answer_due_on: dt.date = Field(
        description="Deadline for the written answer of the Atasan PPID (30 working days)."
    )
    decision: TrackingChoice | None = Field(description="The answer, once given; null before.")
    answered_on: dt.date | None = Field(description="Day of the answer; null before.")


class FileOut(Schema):
    name: str = Field(description="File name.", examples=["pemberitahuan-tertulis.pdf"])
    kind: TrackingChoice = Field(description="pemberitahuan (written notice) or informasi.")
    url: str = Field(
        description=f"Absolute download link; it expires {DOWNLOAD_MAX_AGE // 3600} hours after "
        "this response. Ask again for a fresh link."
    )


class TrackingOut(Schema):
    """A request as its requester tracks it. Nothing personal is included."""

    number: str = Field(description="Registration number.", examples=["0007/PPID/dpmptsp/III/2026"])
    status: TrackingChoice = Field(description="Where the request stands.")
    received_on: dt.date = Field(
        description="Day the request counts as received (the statutory clock starts).",
        examples=["2026-03-17"],
    )
    notice_due_on: dt.date = Field(
        description="Deadline for the written notice: 10 working days (UU 14/2008 art. 22(7)).",
        examples=["2026-03-31"],
    )
    extended_due_on: dt.date | None = Field(
        description="Deadline after the one extension of at most 7 working days (art. 22(8)); "
        "null when not extended.",
        examples=[None],
    )
    due_on: dt.date = Field(
        description="The deadline in force: extended_due_on if extended, else notice_due_on.",
        examples=["2026-03-31"],
    )
    decision: TrackingChoice | None = Field(
        description="The decision in the written notice; null until decided."
    )
    noticed_on: dt.date | None = Field(description="Day of the written notice; null before.")
    milestones: list[MilestoneOut] = Field(
        description="The legal milestones in order, as on the tracking page."
    )
    objections: list[ObjectionOut] = Field(description="Objections filed on this request.")
    files: list[FileOut] = Field(description="Files the requester may download.")
    tracking_url: str = Field(description="Absolute URL of the public tracking page.")


def _choice(code: str, label: object) -> TrackingChoice:
    return TrackingChoice(code=code, label=str(label))


def tracking_out(found: InformationRequest) -> TrackingOut:
    token = found.tracking_token
    files = [
        FileOut(
            name=attachment.name,
            kind=_choice(attachment.kind, AttachmentKind(attachment.kind).label),
            url=settings.SITE_URL
            + reverse(
                "information_requests:download",
                args=[token, _download_signature(found.pk, attachment.pk)],
            ),
        )
        for attachment in found.attachments.filter(kind__in=REQUESTER_VISIBLE)
    ]
    objections = [
        ObjectionOut(
            number=objection.number,
            ground=objection.ground,
            status=_choice(objection.status, ObjectionStatus(objection.status).label),
            filed_on=objection.filed_on,
            answer_due_on=objection.answer_due_on,
            decision=_choice(objection.decision, ObjectionDecision(objection.decision).label)
            if objection.decision
            else None,
            answered_on=objection.answered_on,
        )
        for objection in found.objections.order_by("filed_at", "id")
    ]
    return TrackingOut(
        number=found.number,
        status=_choice(found.status, RequestStatus(found.status).label),
        received_on=found.received_on,
        notice_due_on=found.notice_due_on,
        extended_due_on=found.extended_due_on,
        due_on=found.extended_due_on or found.notice_due_on,
        decision=_choice(found.decision, Decision(found.decision).label)
        if found.decision
        else None,
        noticed_on=found.noticed_on,
        milestones=[
            MilestoneOut(label=str(step.label), on=step.on, done=step.done, note=str(step.note))
            for step in milestones(found)
        ],
        objections=objections,
        files=files,
        tracking_url=settings.SITE_URL + reverse("information_requests:track", args=[token]),
    )


@router.get(
    "/{token}",
    response={200: TrackingOut, 404: TrackingError, 429: TrackingError},
    summary="Track an information request",
)
@decorate_view(cache_control(private=True, no_store=True))
def track(
    request: HttpRequest, token: str, response: HttpResponse
) -> Status[TrackingOut | TrackingError]:
    """The status, statutory deadlines and legal milestones of a request, found by the secret
    tracking token from its receipt. Limited to 120 calls an hour per client address (429).
    """
    if over_limit(request, "api.tracking", TRACKING_PER_HOUR, TRACKING_WINDOW):
        response["Retry-After"] = str(TRACKING_WINDOW)
        return Status(429, TrackingError(detail=str(TOO_MANY)))
    found = InformationRequest.objects.filter(tracking_token=token).first()
    if found is None:
        return Status(404, TrackingError(detail=str(NOT_FOUND)))
    return Status(200, tracking_out(found))
