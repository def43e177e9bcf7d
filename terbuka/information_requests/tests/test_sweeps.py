from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terbuka.core import clock
from terbuka.core.models import OutboxMessage
from terbuka.information_requests import services
from terbuka.information_requests.services import Asked, Requester
from terbuka.information_requests.sweeps import SweepReport, deadline_sweep, retention_sweep
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_reminders_before_the_deadline_and_escalation_after_are_sent_once(
    demo: Pemda, citizen: Requester, asked: Asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    citizen = Requester(**{**citizen.__dict__, "email": ""})  # no requester mail in this test
    services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
    )
    assert deadline_sweep().reminders == 0  # 10 working days left
    moments[0] = dt.datetime(2026, 4, 3, 9, 0, tzinfo=WIB)  # 3 working days before 8 April
    report = deadline_sweep()
    assert report.reminders == 1  # the DPMPTSP's PPID Pelaksana
    assert deadline_sweep().reminders == 0  # idempotent
    mail = OutboxMessage.objects.get(kind="information_request.reminder-3")
    assert mail.to == "ppid.dpmptsp@nusaharapan.example"
    moments[0] = dt.datetime(2026, 4, 7, 9, 0, tzinfo=WIB)  # 1 day left
    assert deadline_sweep().reminders == 1
    moments[0] = dt.datetime(2026, 4, 9, 9, 0, tzinfo=WIB)  # overdue
    assert deadline_sweep().escalations == 2  # PPID Utama and Atasan PPID
    call_command("ppid_sweep")
    assert OutboxMessage.objects.filter(kind="information_request.escalation").count() == 2
    recipients = set(
        OutboxMessage.objects.filter(kind="information_request.escalation").values_list(
            "to", flat=True
        )
    )
    assert recipients == {"kabid.ikp@nusaharapan.example", "sekda@nusaharapan.example"}


def _overdue_requests(demo: Pemda, citizen: Requester, asked: Asked, count: int) -> None:
    for index in range(count):
        services.request_register(
            pemda=demo,
            opd=Opd.objects.get(code=("dpmptsp", "dinsos")[index % 2]),
            requester=citizen,
            asked=asked,
            channel="situs",
        )


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_open_requests_once_everyone_is_told(
    demo: Pemda, citizen: Requester, asked: Asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every overdue request is looked at every hour: once its escalations are queued, a run
    costs the same few queries for 2 open requests as for 12."""
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    citizen = Requester(**{**citizen.__dict__, "email": ""})
    counts = []
    for batch in (2, 10):
        moments[0] = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)
        _overdue_requests(demo, citizen, asked, batch)
        moments[0] = dt.datetime(2026, 4, 9, 9, 0, tzinfo=WIB)  # all of them overdue
        assert deadline_sweep().escalations == 2 * batch
        with CaptureQueriesContext(connection) as queries:
            assert deadline_sweep() == SweepReport(reminders=0, escalations=0)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_uu27_2022_personal_data_is_erased_when_retention_ends(
    demo: Pemda, citizen: Requester, asked: Asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    upload = SimpleUploadedFile("ktp.jpg", b"\xff\xd8\xff\xe0 jpeg", "image/jpeg")
    request = services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
        files=[("identitas", upload)],
    )
    path = request.attachments.get().file.path
    officer = User.objects.get(username="ppid.dpmptsp")
    services.request_decide(request=request, actor=officer, decision="dikabulkan")
    services.request_close(request=request, actor=officer)
    services.ppid_settings(demo)  # retention: 5 years by default
    moments[0] = dt.datetime(2031, 3, 16, 10, 0, tzinfo=WIB)
    assert retention_sweep() == 0
    moments[0] = dt.datetime(2031, 3, 18, 10, 0, tzinfo=WIB)
    assert retention_sweep() == 1
    assert retention_sweep() == 0
    request.refresh_from_db()
    assert (request.nik, request.address, request.phone, request.email) == ("", "", "", "")
    assert request.name == f"Pemohon {request.number}"
    assert not request.attachments.exists()
    assert not Path(path).exists()
    assert request.information == asked.information  # the register keeps the request itself
