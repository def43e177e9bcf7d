"""Reads for the PPID register and the request page, with personal data masked unless the
reader's role needs it (UU 27/2022; RULES.md "Personal data")."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from terbuka.information_requests.identity import mask_address, mask_email, mask_nik, mask_phone
from terbuka.information_requests.models import InformationRequest, Status
from terbuka.organizations.access import Scope
from terbuka.organizations.models import Role

# Roles that handle requests and so see the requester's identity and contact details.
PPID_ROLES = (Role.PPID_UTAMA, Role.PPID_PELAKSANA, Role.PETUGAS_PPID, Role.ATASAN_PPID)
OPEN_STATUSES = (Status.RECEIVED, Status.EXTENDED)


def requests_visible(scope: Scope) -> QuerySet[InformationRequest]:
    return scope.filter_own_pemda(
        InformationRequest.objects.select_related("handling_opd", "opd"), field="handling_opd"
    )


def can_handle(scope: Scope, request: InformationRequest) -> bool:
    """Whether this person may act on the request (PPID roles of its OPD, or Pemda-wide)."""
    if scope.is_operator or scope.has_role(Role.PPID_UTAMA):
        return True
    return scope.has_role(*PPID_ROLES, opd_id=request.handling_opd_id)


def sees_personal_data(scope: Scope, request: InformationRequest) -> bool:
    return can_handle(scope, request)


def overdue_q(today: dt.date) -> Q:
    """Open requests whose notice deadline (extended if extended) has passed."""
    return Q(status=Status.RECEIVED, notice_due_on__lt=today) | Q(
        status=Status.EXTENDED, extended_due_on__lt=today
    )


def masked(request: InformationRequest) -> dict[str, str]:
    return {
        "nik": mask_nik(request.nik),
        "phone": mask_phone(request.phone),
        "email": mask_email(request.email),
        "address": mask_address(request.address),
    }


def personal_view(scope: Scope, request: InformationRequest) -> dict[str, str]:
    """The requester's identity and contact fields as this reader may see them."""
    if sees_personal_data(scope, request):
        return {
            "nik": request.nik,
            "phone": request.phone,
            "email": request.email,
            "address": request.address,
        }
    return masked(request)
