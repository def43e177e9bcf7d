"""Objections and disputes, named after the articles of UU 14/2008 they enforce."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.information_requests import objections, services
from terbuka.information_requests.models import (
    REQUESTER_VISIBLE,
    AttachmentKind,
    InformationRequest,
    ObjectionStatus,
)
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def moment(day: int, month: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=WIB)


@pytest.fixture
def refused(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> InformationRequest:
    request = services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
    )
    at[0] = moment(25, 3)
    return services.request_decide(
        request=request,
        actor=User.objects.get(username="ppid.dpmptsp"),
        decision="ditolak",
        refusal_grounds=["h"],
        consequence_test="UK-3/2026",
    )


@pytest.mark.django_db
def test_uu14_art36_1_objection_within_30_working_days_of_the_refusal(
    refused: InformationRequest, at: list[dt.datetime]
) -> None:
    grounds = [g["ground"] for g in objections.open_grounds(refused, at[0].date())]
    assert "a" in grounds
    assert "c" not in grounds  # it was answered in time
    at[0] = moment(1, 4)
    objection = objections.objection_file(
        request=refused, ground="a", case_position="Data agregat bukan rahasia pribadi"
    )
    assert objection.number == "0001/KEBERATAN/2026"
    # 30 working days after the notice of 25 March: Good Friday (3 April) and Labour Day
    # (1 May) do not count.
    assert objection.window_closed_on == dt.date(2026, 5, 8)
    assert (objection.atasan_name, objection.atasan_title) == (
        "Dr. Ir. Hadi Purnomo, M.M.",
        "Atasan PPID",
    )
    with pytest.raises(DomainError, match="sudah diajukan"):
        objections.objection_file(request=refused, ground="a", case_position="lagi")


@pytest.mark.django_db
def test_uu14_art36_1_objection_after_the_window_is_refused(
    refused: InformationRequest, at: list[dt.datetime]
) -> None:
    at[0] = moment(11, 5)
    with pytest.raises(DomainError, match="sudah lewat pada 08-05-2026"):
        objections.objection_file(request=refused, ground="a", case_position="Terlambat")


@pytest.mark.django_db
def test_uu14_art35_1c_unanswered_request_opens_an_objection_after_the_deadline(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = services.request_register(
        pemda=demo, opd=None, requester=citizen, asked=asked, channel="situs"
    )
    assert "c" not in [g["ground"] for g in objections.open_grounds(request, dt.date(2026, 4, 8))]
    opened = objections.open_grounds(request, dt.date(2026, 4, 9))
    assert [g["ground"] for g in opened if g["ground"] == "c"] == ["c"]
    with pytest.raises(DomainError, match="belum ada"):
        objections.objection_file(request=request, ground="a", case_position="x")


@pytest.mark.django_db
def test_uu14_art36_2_answer_due_in_30_working_days_and_art37_2_dispute_in_14(
    refused: InformationRequest, at: list[dt.datetime]
) -> None:
    at[0] = moment(1, 4)
    objection = objections.objection_file(request=refused, ground="a", case_position="x")
    # 30 working days after 1 April, skipping Ascension (14 May) and its cuti bersama (15 May)
    assert objection.answer_due_on == dt.date(2026, 5, 19)
    with pytest.raises(DomainError, match="belum dijawab"):
        objections.objection_react(objection=objection, reaction="menerima")
    at[0] = moment(20, 4)
    answered = objections.objection_answer(
        objection=objection,
        actor=User.objects.get(username="sekda"),
        decision="ditolak",
        text="Informasi memuat rahasia pribadi pemilik izin.",
    )
    assert (answered.status, answered.answered_on) == (
        ObjectionStatus.ANSWERED,
        dt.date(2026, 4, 20),
    )
    objections.objection_react(objection=answered, reaction="sengketa")
    # 14 working days after the answer of 20 April (1 May is Labour Day): 11 May
    with pytest.raises(DomainError, match="lewat pada 11-05-2026"):
        objections.dispute_record(objection=answered, filed_on=dt.date(2026, 5, 12))
    dispute = objections.dispute_record(objection=answered, filed_on=dt.date(2026, 5, 11))
    objections.dispute_update(
        dispute=dispute,
        actor=User.objects.get(username="kabid.ikp"),
        registered_on=dt.date(2026, 5, 6),
        outcome="Mediasi berhasil",
    )
    dispute.refresh_from_db()
    assert dispute.outcome == "Mediasi berhasil"


@pytest.mark.django_db
def test_uu14_art37_2_unanswered_objection_counts_the_dispute_window_from_the_lapse(
    refused: InformationRequest, at: list[dt.datetime]
) -> None:
    at[0] = moment(1, 4)
    objection = objections.objection_file(request=refused, ground="a", case_position="x")
    # 14 working days after the answer period lapsed on 19 May: Idul Adha (27 May), its cuti
    # bersama (28 May) and Pancasila Day (1 June) do not count.
    last = dt.date(2026, 6, 11)
    with pytest.raises(DomainError, match="lewat pada 11-06-2026"):
        objections.dispute_record(objection=objection, filed_on=dt.date(2026, 6, 12))
    objections.dispute_record(objection=objection, filed_on=last)
    assert objection.dispute.filed_on == last


@pytest.mark.django_db
def test_uu14_art36_receipt_and_answer_are_kept_once_each_for_the_requester(
    refused: InformationRequest, at: list[dt.datetime]
) -> None:
    at[0] = moment(1, 4)
    objection = objections.objection_file(request=refused, ground="a", case_position="x")
    at[0] = moment(20, 4)
    sekda = User.objects.get(username="sekda")
    objections.objection_answer(objection=objection, actor=sekda, decision="ditolak", text="y")
    with pytest.raises(DomainError, match="sudah dijawab"):
        objections.objection_answer(objection=objection, actor=sekda, decision="ditolak", text="z")
    safe = refused.number.replace("/", "-")
    letters = refused.attachments.filter(kind__in=REQUESTER_VISIBLE, name__contains="keberatan")
    assert sorted(letters.values_list("name", flat=True)) == [
        f"jawaban-keberatan-a-{safe}.pdf",
        f"tanda-bukti-keberatan-a-{safe}.pdf",
    ]
    assert {letter.kind for letter in letters} == {AttachmentKind.NOTICE}
