"""The legal milestones of a request as the requester sees them on the tracking page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from terbuka.information_requests.models import InformationRequest, Status


@dataclass(frozen=True)
class Milestone:
    label: Any
    on: dt.date | None
    done: bool
    note: Any = ""


def milestones(request: InformationRequest) -> list[Milestone]:
    """Receipt, the notice deadline (and its extension), the written notice, the delivery."""
    extended = request.extended_due_on is not None
    decided = request.noticed_on is not None
    rows = [
        Milestone(
            _("Permohonan diterima dan didaftarkan"), request.received_on, True, request.number
        ),
        Milestone(
            _("Batas pemberitahuan tertulis (10 hari kerja)"),
            request.notice_due_on,
            decided or extended,
        ),
    ]
    if extended:
        rows.append(
            Milestone(
                _("Batas setelah perpanjangan (paling lama 7 hari kerja)"),
                request.extended_due_on,
                decided,
            )
        )
    rows.append(
        Milestone(
            _("Pemberitahuan tertulis"),
            request.noticed_on,
            decided,
            request.get_decision_display() if decided else "",
        )
    )
    if request.status == Status.WITHDRAWN:
        rows.append(
            Milestone(_("Permohonan ditarik"), request.closed_at and request.closed_at.date(), True)
        )
    else:
        rows.append(
            Milestone(
                _("Informasi diserahkan"),
                request.delivered_at.date() if request.delivered_at else None,
                request.delivered_at is not None,
            )
        )
    return rows
