from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Q

from terbuka.core import clock
from terbuka.organizations.access import build_scope
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services
from terbuka.procedures.models import Sop, StepRun, StepRunStatus
from terbuka.procedures.selectors import inbox, inbox_counts

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.django_db
def test_inbox_pages_match_the_single_query_definition(
    demo: Pemda, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assigned and unclaimed steps, with and without due times, merged in due order."""
    ppid = User.objects.get(username="petugas.ppid")
    opd = Opd.objects.get(code="diskominfo")
    kalbar = Sop.objects.get(code="kalbar-diskominfo-81")  # Tentatif: no due time
    data = {"periode_laporan": "Maret 2026", "laporan_pelayanan_informasi": "lap.pdf"}
    moments = [dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    for number in range(7):
        moments[0] += dt.timedelta(hours=5)
        services.case_start(sop=kalbar, opd=opd, actor=ppid, title=f"K{number}", data=data)
    runs = list(StepRun.objects.filter(status=StepRunStatus.OPEN).order_by("id"))
    for index, run in enumerate(runs):  # give most of them due times, some past
        if index % 3:
            StepRun.objects.filter(pk=run.pk).update(
                due_at=run.started_at + dt.timedelta(days=index)
            )
    services.step_claim(step_run=runs[1], actor=ppid)
    services.step_claim(step_run=runs[2], actor=User.objects.get(username="kasi.pip"))
    scope = build_scope(ppid, dt.date(2026, 3, 2))
    positions = [seat.position_id for seat in scope.seats]
    expected = list(
        StepRun.objects.filter(
            Q(assignee=ppid) | Q(assignee__isnull=True, position_id__in=positions),
            status=StepRunStatus.OPEN,
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )
    at = dt.datetime(2026, 3, 5, tzinfo=WIB)
    box = inbox(scope, at)
    assert len(box) == len(expected) == 6  # the one claimed by kasi.pip is not here
    assert [run.pk for run in box] == expected
    assert [run.pk for run in box[2:5]] == expected[2:5]
    assert box[0].pk == expected[0]
    overdue_expected = sum(
        1 for run in StepRun.objects.filter(pk__in=expected) if run.due_at and run.due_at < at
    )
    assert inbox_counts(scope, at) == (6, overdue_expected)
    assert [run.is_overdue for run in box] == [  # type: ignore[attr-defined]
        bool(run.due_at and run.due_at < at) for run in box
    ]
