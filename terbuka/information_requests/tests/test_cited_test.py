"""A refusal cites the DIP's consequence test (UU 14/2008 art. 17 and 19)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.information_requests import services
from terbuka.information_requests.models import AttachmentKind, InformationRequest
from terbuka.information_requests.services import Asked, Requester
from terbuka.information_requests.tests.test_notices import pdf_text
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import exemptions
from terbuka.public_information import models as dip

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def _at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB))


def _test(approved: bool = True) -> dip.ConsequenceTest:
    utama = User.objects.get(username="kabid.ikp")
    test = exemptions.test_record(
        opd=Opd.objects.get(code="dpmptsp"),
        actor=utama,
        data=exemptions.Assessment(
            information="Data pribadi pemohon izin (NIK, alamat)",
            grounds=("h",),
            harm="Mengungkap rahasia pribadi pemohon izin",
            public_interest="Tidak ada kepentingan publik yang lebih besar",
            result=dip.TestResult.CLOSE,
            decided_on=dt.date(2026, 3, 10),
            place="Nusa Harapan",
        ),
        entries=(),
    )
    if approved:
        test = exemptions.test_approve(
            test=test,
            actor=utama,
            approved_by_name="Bupati Nusa Harapan",
            approved_by_position="Bupati",
            approved_on=dt.date(2026, 3, 12),
        )
    return test


def _request(demo: Pemda, citizen: Requester, asked: Asked) -> InformationRequest:
    return services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
    )


@pytest.mark.django_db
def test_uu14_art19_a_refusal_cites_an_approved_test_and_its_letters_name_it(
    demo: Pemda, citizen: Requester, asked: Asked, client: Client
) -> None:
    test = _test()
    item = _request(demo, citizen, asked)
    client.force_login(User.objects.get(username="ppid.dpmptsp"))
    page = client.get(reverse("ppid:detail", args=[item.pk])).content.decode()
    assert test.number in page  # offered in the decision form
    client.post(
        reverse("ppid:act", args=[item.pk, "putuskan"]),
        {"decision": "ditolak", "refusal_grounds": ["h"], "cited_test": str(test.pk)},
    )
    item.refresh_from_db()
    assert item.cited_test_id == test.pk
    assert test.number in item.consequence_test
    letters = list(item.attachments.filter(kind=AttachmentKind.NOTICE).order_by("id"))
    assert len(letters) == 2  # the written notice and the refusal decision
    for letter in letters:
        with letter.file.open("rb") as handle:
            assert test.number in pdf_text(handle.read())


@pytest.mark.django_db
def test_uu14_art17_the_grounds_given_must_be_among_the_tests_grounds(
    demo: Pemda, citizen: Requester, asked: Asked
) -> None:
    test = _test()
    item = _request(demo, citizen, asked)
    officer = User.objects.get(username="ppid.dpmptsp")
    with pytest.raises(DomainError) as error:
        services.request_decide(
            request=item,
            actor=officer,
            decision="ditolak",
            refusal_grounds=["h", "j"],
            cited_test=test.pk,
        )
    assert "j" in str(error.value)
    item.refresh_from_db()
    assert item.status == "diterima"


@pytest.mark.django_db
def test_an_unapproved_test_cannot_be_cited(demo: Pemda, citizen: Requester, asked: Asked) -> None:
    draft = _test(approved=False)
    item = _request(demo, citizen, asked)
    with pytest.raises(DomainError) as error:
        services.request_decide(
            request=item,
            actor=User.objects.get(username="ppid.dpmptsp"),
            decision="ditolak",
            refusal_grounds=["h"],
            cited_test=draft.pk,
        )
    assert str(error.value) == str(services.TEST_NOT_CITABLE)
