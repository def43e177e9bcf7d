"""Inbox, overdue list and advancing a case cost the same number of queries however many
cases exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.organizations.access import build_scope
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services
from terbuka.procedures.models import Case, Sop, StepRunStatus
from terbuka.procedures.selectors import inbox, overdue


def start_cases(count: int) -> None:
    sop = Sop.objects.get(code="kalbar-diskominfo-81")
    data = {"periode_laporan": "Maret 2026", "laporan_pelayanan_informasi": "laporan.pdf"}
    opd = Opd.objects.get(code="diskominfo")
    actor = User.objects.get(username="petugas.ppid")
    for number in range(count):
        services.case_start(sop=sop, opd=opd, actor=actor, title=f"Laporan {number}", data=data)


def queries(callable_: object) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()  # type: ignore[operator]
    return len(context.captured_queries)


@pytest.mark.django_db
def test_inbox_and_overdue_queries_do_not_grow_with_cases(demo: Pemda) -> None:
    user = User.objects.get(username="petugas.ppid")
    scope = build_scope(user, dt.date(2026, 3, 17))
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    def read() -> None:
        for run in inbox(scope)[:50]:
            str(run.case.version.sop), str(run.position), str(run.opd)
        for run in overdue(scope, at=later)[:50]:
            str(run.case.version.sop), str(run.position), str(run.opd)

    start_cases(2)
    few = queries(read)
    start_cases(10)
    assert queries(read) == few


@pytest.mark.django_db
def test_inbox_page_queries_do_not_grow_with_cases(demo: Pemda, client: Client) -> None:
    client.force_login(User.objects.get(username="petugas.ppid"))
    start_cases(2)
    few = queries(lambda: client.get(reverse("procedures:inbox")))
    start_cases(10)
    assert queries(lambda: client.get(reverse("procedures:inbox"))) == few


@pytest.mark.django_db
def test_advancing_a_case_costs_the_same_whatever_the_number_of_cases(demo: Pemda) -> None:
    actor = User.objects.get(username="petugas.ppid")
    start_cases(2)
    runs = iter(Case.objects.filter(version__sop__code="kalbar-diskominfo-81").order_by("id"))

    def advance() -> None:
        case = next(runs)
        services.step_complete(
            step_run=case.step_runs.get(status=StepRunStatus.OPEN), actor=actor, note="ok"
        )

    advance()  # warm the per-process definition cache
    first = queries(advance)
    start_cases(10)
    runs = iter(
        Sop.objects.get(code="kalbar-diskominfo-81").current_version.cases.filter(  # type: ignore[union-attr]
            step_runs__status=StepRunStatus.OPEN, step_runs__step_id="akses_dashboard"
        )
    )
    assert queries(advance) == first
