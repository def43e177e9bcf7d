"""Registering and handling requests, named after the articles they enforce."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from terbuka.core import clock
from terbuka.core.errors import DomainError, InvalidTransition
from terbuka.core.models import AuditEvent
from terbuka.information_requests import services
from terbuka.information_requests.models import Decision, InformationRequest, Status
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures.models import CaseStatus

WIB = ZoneInfo("Asia/Jakarta")
TUESDAY_17_MARCH = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [TUESDAY_17_MARCH]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def staff(username: str) -> User:
    return User.objects.get(username=username)


def register(
    pemda: Pemda, requester: Requester, asked: Asked, opd: str | None = "dpmptsp", **kwargs: object
) -> InformationRequest:
    return services.request_register(
        pemda=pemda,
        opd=Opd.objects.get(code=opd) if opd else None,
        requester=requester,
        asked=asked,
        channel="situs",
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.django_db
def test_uu14_art22_7_registration_number_and_notice_deadline(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    first = register(demo, citizen, asked)
    second = register(demo, citizen, asked)
    utama = register(demo, citizen, asked, opd=None)
    assert first.number == "0001/PPID/DPMPTSP/III/2026"
    assert second.number == "0002/PPID/DPMPTSP/III/2026"
    assert utama.number == "0001/PPID/UTAMA/III/2026"
    assert utama.handling_opd.code == "diskominfo"
    # 10 working days from 17 March 2026 skip Nyepi, Idul Fitri and cuti bersama
    assert first.received_on == dt.date(2026, 3, 17)
    assert first.notice_due_on == dt.date(2026, 4, 8)
    assert first.strict_notice_due_on == dt.date(2026, 4, 1)
    assert len(first.tracking_token) >= 40
    assert AuditEvent.objects.filter(action="information_request.registered").count() == 3


@pytest.mark.django_db
def test_walk_in_request_counts_from_when_it_really_arrived(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    friday_evening = dt.datetime(2026, 3, 13, 17, 0, tzinfo=WIB)
    request = register(
        demo, citizen, asked, received_at=friday_evening, actor=staff("petugas.ppid")
    )
    assert request.received_on == dt.date(2026, 3, 16)  # after hours: next working day
    assert request.registered_by == staff("petugas.ppid")


@pytest.mark.django_db
def test_the_office_sop_case_opens_with_the_request(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    assert request.case is not None
    assert request.case.version.sop.code == "batang-dpmptsp-si"
    assert request.case.opd.code == "dpmptsp"
    run = request.case.step_runs.get()
    assert run.step_id == "terima_permohonan"
    assert run.position is not None


@pytest.mark.django_db
def test_forwarding_keeps_the_statutory_clock_and_moves_the_sop_case(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked, opd=None)
    old_case = request.case
    at[0] += dt.timedelta(days=1)
    forwarded = services.request_forward(
        request=request, to=Opd.objects.get(code="dpmptsp"), actor=staff("kabid.ikp")
    )
    assert forwarded.handling_opd.code == "dpmptsp"
    assert (forwarded.received_on, forwarded.notice_due_on) == (
        dt.date(2026, 3, 17),
        dt.date(2026, 4, 8),
    )
    assert old_case is not None
    old_case.refresh_from_db()
    assert old_case.status == CaseStatus.CANCELLED
    assert forwarded.case is not None
    assert forwarded.case.opd.code == "dpmptsp"


@pytest.mark.django_db
def test_uu14_art22_8_one_extension_of_at_most_7_working_days_with_reasons(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    actor = staff("ppid.dpmptsp")
    with pytest.raises(DomainError, match="paling lama 7 hari kerja"):
        services.request_extend(request=request, actor=actor, working_days=8, reason="x")
    with pytest.raises(DomainError, match="Alasan wajib"):
        services.request_extend(request=request, actor=actor, working_days=7, reason=" ")
    extension = services.request_extend(
        request=request, actor=actor, working_days=7, reason="Data tersebar di 5 bidang"
    )
    request.refresh_from_db()
    assert request.status == Status.EXTENDED
    assert extension.new_due_on == request.extended_due_on == dt.date(2026, 4, 17)
    with pytest.raises(DomainError, match="satu kali"):
        services.request_extend(request=request, actor=actor, working_days=1, reason="lagi")


@pytest.mark.django_db
def test_uu14_art22_8_extension_must_come_before_the_10_days_lapse(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    at[0] = dt.datetime(2026, 4, 9, 9, 0, tzinfo=WIB)
    with pytest.raises(DomainError, match="sebelum batas"):
        services.request_extend(
            request=request, actor=staff("ppid.dpmptsp"), working_days=3, reason="Terlambat"
        )


@pytest.mark.django_db
def test_uu14_art17_partial_grant_and_refusal_need_their_grounds(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    actor = staff("ppid.dpmptsp")
    with pytest.raises(DomainError, match="pasal 17"):
        services.request_decide(request=request, actor=actor, decision=Decision.REFUSED)
    with pytest.raises(DomainError, match="bagian informasi"):
        services.request_decide(
            request=request, actor=actor, decision=Decision.PARTIAL, refusal_grounds=["h"]
        )
    decided = services.request_decide(
        request=request,
        actor=actor,
        decision=Decision.PARTIAL,
        refusal_grounds=["h", "z"],
        withheld_parts="NIK dan alamat pemilik izin",
        information_form="Tabel XLSX",
        consequence_test="Uji konsekuensi nomor 3/2026",
    )
    assert decided.status == Status.DECIDED
    assert decided.refusal_grounds == ["h"]
    assert decided.noticed_on == dt.date(2026, 3, 17)
    assert decided.notice_number.endswith("/PEMBERITAHUAN")


@pytest.mark.django_db
def test_lifecycle_refuses_moves_the_table_does_not_allow(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    actor = staff("ppid.dpmptsp")
    with pytest.raises(InvalidTransition):
        services.request_deliver(request=request, actor=actor)
    services.request_decide(request=request, actor=actor, decision=Decision.GRANTED)
    services.request_deliver(request=request, actor=actor)
    services.request_close(request=request, actor=actor)
    with pytest.raises(InvalidTransition):
        services.request_withdraw(request=request, actor=actor, reason="x")
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert list(AuditEvent.objects.for_object(request).values_list("action", flat=True)) == [
        "information_request.registered",
        "information_request.decided",
        "information_request.delivered",
        "information_request.closed",
    ]
