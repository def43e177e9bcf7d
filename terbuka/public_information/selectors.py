"""Reads of the DIP: who sees and manages which entries, and what the public sees."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from terbuka.organizations.access import Scope
from terbuka.organizations.models import Role
from terbuka.public_information.models import ConsequenceTest, DipEntry, Submission

M = TypeVar("M", bound=Model)

#: Roles that manage an OPD's own DIP entries (the OPD's team, "tim pendukung").
ENTRY_ROLES = (Role.ADMIN_OPD, Role.PPID_PELAKSANA)
#: Roles that run the DIP cycle for the whole Pemda (the PPID and its secretariat).
SECRETARIAT_ROLES = (Role.PPID_UTAMA, Role.PETUGAS_PPID)


def dip_pemda_ids(scope: Scope) -> frozenset[int]:
    """The Pemdas whose whole DIP this person reads: Pemda-wide roles, and the PPID's
    secretariat (petugas PPID), which receives and verifies every OPD's submissions."""
    secretariat = {seat.pemda_id for seat in scope.seats if seat.role == Role.PETUGAS_PPID}
    return scope.pemda_wide_ids | frozenset(secretariat)


def _dip_filter(scope: Scope, queryset: QuerySet[M]) -> QuerySet[M]:
    if scope.is_superuser:
        return queryset
    pemdas = dip_pemda_ids(scope)
    if not pemdas:
        return queryset.filter(opd_id__in=scope.opd_ids)
    elsewhere = {seat.opd_id for seat in scope.seats if seat.pemda_id not in pemdas}
    visible = Q(pemda_id__in=pemdas)
    if elsewhere:
        visible |= Q(opd_id__in=elsewhere)
    return queryset.filter(visible)


def entries_visible(scope: Scope) -> QuerySet[DipEntry]:
    """Entries of the OPDs this person sees: all of the Pemda for Pemda-wide roles and the
    PPID's secretariat, the OPD's own otherwise."""
    return _dip_filter(scope, DipEntry.objects.select_related("opd"))


def can_manage_entries(scope: Scope, opd_id: int) -> bool:
    """Whether this person may write the OPD's entries and documents and submit them."""
    return (
        scope.is_operator
        or scope.has_role(Role.PPID_UTAMA)
        or scope.has_role(*ENTRY_ROLES, opd_id=opd_id)
    )


def is_secretariat(scope: Scope) -> bool:
    """Whether this person acknowledges, classifies and verifies submissions, and (as PPID
    Utama) establishes the list."""
    return scope.is_operator or scope.has_role(*SECRETARIAT_ROLES)


def can_establish(scope: Scope) -> bool:
    """Only the PPID (Utama) establishes the DIP and decides consequence tests."""
    return scope.is_superuser or scope.has_role(Role.PPID_UTAMA)


def submissions_visible(scope: Scope) -> QuerySet[Submission]:
    return _dip_filter(scope, Submission.objects.select_related("opd"))


def tests_visible(scope: Scope) -> QuerySet[ConsequenceTest]:
    return scope.filter_own_pemda(ConsequenceTest.objects.select_related("opd"), field="opd")


def public_entries() -> QuerySet[DipEntry]:
    return DipEntry.objects.public().select_related("opd")
