"""Consequence tests (UU 14/2008 art. 2(4), 17, 19–20): the rules of a test, the agency head's
approval and its number, the entries it closes or opens, the classification decision PDF,
the public list of exempt information, the re-test sweep and who may do what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.core.errors import DomainError, NotPermitted
from terbuka.core.models import AuditEvent, OutboxMessage
from terbuka.information_requests.notices import ART17_GROUNDS
from terbuka.information_requests.tests.test_notices import pdf_text
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.organizations.tests.factories import OpdFactory, PemdaFactory
from terbuka.public_information import actions, exemptions, letters, models
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    DipEntry,
    Document,
    EntryStatus,
)
from terbuka.public_information.tests.conftest import MakeEntry
from terbuka.search.models import SearchDocument

CLOSE = models.TestResult.CLOSE
OPEN = models.TestResult.OPEN
TODAY = dt.date(2026, 3, 17)  # the `at` fixture's day


def assessment(**overrides: Any) -> exemptions.Assessment:
    values: dict[str, Any] = {
        "information": "Berkas pemeriksaan pelanggaran izin usaha PT Contoh",
        "grounds": ("a",),
        "harm": "Membuka berkas menghambat penyidikan yang sedang berjalan.",
        "public_interest": "Publik berkepentingan atas kepatuhan izin, tetapi penyidikan dulu.",
        "result": CLOSE,
        "decided_on": TODAY,
        "place": "Nusa Harapan",
        "exempt_until": dt.date(2028, 12, 31),
    }
    values.update(overrides)
    return exemptions.Assessment(**values)


def utama() -> User:
    return User.objects.get(username="kabid.ikp")


def opd(code: str = "dpmptsp") -> Opd:
    return Opd.objects.get(code=code)


Record = Callable[..., ConsequenceTest]


@pytest.fixture
def record(demo: Pemda, at: list[dt.datetime]) -> Record:
    def make(
        *, entries: tuple[DipEntry, ...] = (), code: str = "dpmptsp", **overrides: Any
    ) -> ConsequenceTest:
        return exemptions.test_record(
            opd=opd(code), actor=utama(), data=assessment(**overrides), entries=entries
        )

    return make


def approve(
    test: ConsequenceTest,
    on: dt.date = TODAY,
    name: str = "H. Sutrisno Wibowo, S.H.",
    position: str = "Bupati Nusa Harapan",
) -> ConsequenceTest:
    return exemptions.test_approve(
        test=test,
        actor=utama(),
        approved_by_name=name,
        approved_by_position=position,
        approved_on=on,
    )


def refused(call: Callable[[], object]) -> Any:
    """The message of the domain error ``call`` raises."""
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.message


# -- the rules of a test ---------------------------------------------------------------------


@pytest.mark.django_db
def test_uu14_art17_grounds_a_to_f_need_an_end_date(record: Record) -> None:
    for ground in "abcdef":
        data = assessment(grounds=(ground,), exempt_until=None)
        with pytest.raises(DomainError) as raised:
            exemptions.test_record(opd=opd(), actor=utama(), data=data, entries=())
        message = raised.value.message
        assert message == exemptions.END_DATE_REQUIRED
    assert refused(lambda: record(grounds=("a", "h"), exempt_until=None)) == (
        exemptions.END_DATE_REQUIRED
    )
    permanent = record(grounds=("h",), exempt_until=None)
    assert permanent.exempt_until is None
    assert record(grounds=("a",)).exempt_until == dt.date(2028, 12, 31)
    assert ConsequenceTest.objects.count() == 2


@pytest.mark.django_db
def test_uu14_art20_the_exemption_ends_after_the_test(record: Record) -> None:
    assert refused(lambda: record(exempt_until=TODAY)) == exemptions.END_NOT_AFTER_DECISION
    assert refused(lambda: record(exempt_until=TODAY - dt.timedelta(days=1))) == (
        exemptions.END_NOT_AFTER_DECISION
    )
    assert refused(lambda: record(decided_on=TODAY + dt.timedelta(days=1))) == (
        exemptions.DECIDED_IN_FUTURE
    )


@pytest.mark.django_db
def test_uu14_art2_4_harm_and_public_interest_are_weighed(record: Record) -> None:
    assert refused(lambda: record(harm="  ")) == exemptions.HARM_REQUIRED
    assert refused(lambda: record(public_interest="")) == exemptions.INTEREST_REQUIRED
    assert not ConsequenceTest.objects.exists()


@pytest.mark.django_db
def test_uu14_art17_at_least_one_ground_of_a_to_j(record: Record) -> None:
    assert refused(lambda: record(grounds=())) == exemptions.GROUNDS_REQUIRED
    assert refused(lambda: record(grounds=("k",))) == exemptions.GROUND_UNKNOWN
    assert refused(lambda: record(grounds=("j",), exempt_until=None)) == (
        exemptions.OTHER_LAW_REQUIRED
    )
    test = record(grounds=("j",), exempt_until=None, other_law="UU 7/2017 tentang Pemilu")
    assert test.grounds == ["j"]


def test_assessment_errors_name_every_broken_rule_with_its_field() -> None:
    errors = exemptions.assessment_errors(
        assessment(grounds=(), harm="", public_interest="", place="", exempt_until=None),
        today=TODAY,
    )
    assert {field for field, _message in errors} == {
        "grounds",
        "harm",
        "public_interest",
        "place",
    }
    opening = assessment(result=OPEN, grounds=("a",), exempt_until=None)
    assert exemptions.assessment_errors(opening, today=TODAY) == []


@pytest.mark.django_db
def test_an_opening_result_carries_no_end_date(record: Record) -> None:
    test = record(result=OPEN, exempt_until=dt.date(2027, 1, 1))
    assert test.exempt_until is None


@pytest.mark.django_db
def test_the_test_records_the_deciding_ppid_and_position(record: Record) -> None:
    test = record()
    assert test.decided_by == utama()
    assert test.decided_by_position == "PPID Utama"
    assert test.number == ""
    event = AuditEvent.objects.for_object(test).get()
    assert event.action == actions.TEST_RECORDED
    assert event.actor == utama()


@pytest.mark.django_db
def test_entries_of_another_pemda_cannot_be_covered(record: Record, make_entry: MakeEntry) -> None:
    other = PemdaFactory.create(name="Pemerintah Kota Lain", region_code="34.98")
    OpdFactory.create(pemda=other, code="dinas-lain")
    foreign = make_entry(opd="dinas-lain", pemda=other)
    assert refused(lambda: record(entries=(foreign,))) == exemptions.ENTRY_OTHER_PEMDA
    assert not ConsequenceTest.objects.exists()


# -- approval and its number ---------------------------------------------------------------------


@pytest.mark.django_db
def test_approvals_get_consecutive_numbers_per_pemda_and_year(
    record: Record, at: list[dt.datetime]
) -> None:
    first, second, third = record(), record(), record(grounds=("h",), exempt_until=None)
    assert approve(second).number == "001/PPID/UK/2026"
    assert approve(first).number == "002/PPID/UK/2026"
    at[0] = at[0].replace(year=2027, month=1, day=5)
    assert approve(third, on=dt.date(2027, 1, 5)).number == "001/PPID/UK/2027"
    fourth = record(decided_on=dt.date(2027, 1, 5))
    assert approve(fourth, on=dt.date(2027, 1, 5)).number == "002/PPID/UK/2027"


@pytest.mark.django_db
def test_the_number_format_is_configurable(record: Record, settings: Any) -> None:
    settings.TERBUKA_DIP_TEST_NUMBER_FORMAT = "{nomor:04d}/UK/{badan}/{bulan_romawi}/{tahun}"
    assert approve(record()).number == "0001/UK/DPMPTSP/III/2026"
    assert approve(record()).number == "0002/UK/DPMPTSP/III/2026"


def test_a_number_gives_back_its_sequence() -> None:
    pattern = exemptions.DEFAULT_NUMBER_FORMAT
    number = exemptions.format_test_number(pattern, sequence=12, on=TODAY)
    assert number == "012/PPID/UK/2026"
    assert exemptions.sequence_of(pattern, number) == 12
    assert exemptions.sequence_of(pattern, "12/LAIN/2026") is None


@pytest.mark.django_db
def test_uu14_art19_approval_rules(record: Record) -> None:
    test = record(decided_on=dt.date(2026, 3, 10))
    assert refused(lambda: approve(test, name=" ")) == exemptions.APPROVER_REQUIRED
    assert refused(lambda: approve(test, position="")) == exemptions.APPROVER_REQUIRED
    assert refused(lambda: approve(test, on=dt.date(2026, 3, 9))) == (
        exemptions.APPROVED_BEFORE_DECISION
    )
    assert refused(lambda: approve(test, on=dt.date(2026, 3, 18))) == (
        exemptions.APPROVED_IN_FUTURE
    )
    approve(test)
    assert refused(lambda: approve(test)) == exemptions.ALREADY_APPROVED
    ended = record(exempt_until=TODAY, decided_on=dt.date(2026, 3, 1))
    assert refused(lambda: approve(ended)) == exemptions.APPROVED_AFTER_END


@pytest.mark.django_db
def test_uu14_art19_only_the_ppid_utama_records_and_approves(record: Record) -> None:
    officer = User.objects.get(username="ppid.dpmptsp")
    message = refused(
        lambda: exemptions.test_record(opd=opd(), actor=officer, data=assessment(), entries=())
    )
    assert message == exemptions.NOT_PPID_UTAMA
    test = record()
    with pytest.raises(NotPermitted):
        exemptions.test_approve(
            test=test,
            actor=officer,
            approved_by_name="X",
            approved_by_position="Bupati",
            approved_on=TODAY,
        )
    test.refresh_from_db()
    assert test.number == ""
    assert test.approved_on is None


# -- the entries a test covers -----------------------------------------------------------------


@pytest.mark.django_db
def test_uu14_art17_an_approved_closing_test_exempts_its_entries(
    record: Record, make_entry: MakeEntry, django_capture_on_commit_callbacks: Any
) -> None:
    permits = make_entry(title="Berkas pemeriksaan izin")
    reports = make_entry(title="Laporan pengawasan", category=Category.BERKALA)
    untouched = make_entry(title="Daftar izin terbit")
    test = record(entries=(permits, reports))
    assert set(DipEntry.objects.public()) == {permits, reports, untouched}  # not yet approved
    with django_capture_on_commit_callbacks(execute=True):
        test = approve(test)
    for entry in (permits, reports):
        entry.refresh_from_db()
        assert (entry.category, entry.exemption) == (Category.DIKECUALIKAN, test)
        assert not entry.is_public
        assert not SearchDocument.objects.get(kind="dip_entry", object_id=entry.pk).is_public
        event = AuditEvent.objects.for_object(entry).get(action=actions.ENTRY_CHANGED)
        assert event.data["uji_konsekuensi"] == test.number
    assert list(DipEntry.objects.public()) == [untouched]
    assert set(DipEntry.objects.exempt_list()) == {permits, reports}


@pytest.mark.django_db
def test_an_approved_opening_test_opens_exempt_entries(
    record: Record, make_entry: MakeEntry, django_capture_on_commit_callbacks: Any
) -> None:
    closed = make_entry(title="Berkas pemeriksaan izin")
    berkala = make_entry(title="Laporan berkala", category=Category.BERKALA)
    approve(record(entries=(closed,)))
    opening = record(entries=(closed, berkala), result=OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        approve(opening)
    closed.refresh_from_db()
    berkala.refresh_from_db()
    assert (closed.category, closed.exemption) == (Category.SETIAP_SAAT, None)
    assert (berkala.category, berkala.exemption) == (Category.BERKALA, None)
    assert set(DipEntry.objects.public()) == {closed, berkala}
    assert SearchDocument.objects.get(kind="dip_entry", object_id=closed.pk).is_public
    # Nothing changed on the berkala entry, so nothing is written about it.
    assert not AuditEvent.objects.for_object(berkala).exists()


# -- the classification decision -----------------------------------------------------------------


@pytest.mark.django_db
def test_uu14_art19_the_classification_decision_holds_every_item(
    record: Record, make_entry: MakeEntry
) -> None:
    entry = make_entry(title="Berkas pemeriksaan izin")
    test = approve(
        record(
            entries=(entry,),
            grounds=("a", "j"),
            other_law="Undang-Undang Nomor 8 Tahun 1981 tentang Hukum Acara Pidana",
        )
    )
    text = pdf_text(letters.classification_pdf(test))
    holder = opd()
    expected = [
        "SURAT PENETAPAN KLASIFIKASI INFORMASI PUBLIK",
        "NOMOR 001/PPID/UK/2026",
        "Berkas pemeriksaan pelanggaran izin usaha PT Contoh",  # the information
        "Berkas pemeriksaan izin",  # the entry covered
        "INFORMASI YANG DIKECUALIKAN",  # classification
        "Rina Marlina, S.I.Kom., PPID Utama",  # the deciding PPID
        "Pemerintah Kabupaten Nusa Harapan",  # the public body
        holder.name,  # the unit
        "Sampai dengan tanggal 31 Desember 2028",  # exemption period
        "Pasal 17 huruf a",
        ART17_GROUNDS["a"],
        "Pasal 17 huruf j",
        "Undang-Undang Nomor 8 Tahun 1981 tentang Hukum Acara Pidana",
        "Membuka berkas menghambat penyidikan yang sedang berjalan.",  # harm
        "Publik berkepentingan atas kepatuhan izin",  # public interest
        "Nusa Harapan, 17 Maret 2026",  # place and date
        "Ditetapkan di : Nusa Harapan",
        "Menyetujui,",
        "Bupati Nusa Harapan",
        "H. Sutrisno Wibowo, S.H.",
        "PEMERINTAH KABUPATEN NUSA HARAPAN",  # letterhead
    ]
    missing = [item for item in expected if item not in text]
    assert missing == []
    assert "DRAF" not in text


@pytest.mark.django_db
def test_a_permanent_exemption_reads_as_lasting_while_its_ground_holds(record: Record) -> None:
    test = record(grounds=("h",), exempt_until=None)
    text = pdf_text(letters.classification_pdf(test))
    assert "DRAF" in text  # not yet approved: no number
    assert "Selama informasi tersebut masih memenuhi alasan pengecualian Pasal 17 huruf h" in text
    assert ART17_GROUNDS["h"] in text


# -- the public list of exempt information -------------------------------------------------------


@pytest.mark.django_db
def test_uu14_art17_the_exempt_list_shows_titles_and_grounds_only(
    record: Record, make_entry: MakeEntry, client: Client
) -> None:
    secret = make_entry(
        title="Berkas pemeriksaan izin PT Contoh",
        summary="RINGKASAN-RAHASIA isi berkas pemeriksaan",
        holder="PEJABAT-RAHASIA Bidang Pengawasan",
        responsible="PENANGGUNG-JAWAB-RAHASIA",
    )
    Document.objects.create(
        entry=secret,
        title="DOKUMEN-RAHASIA berita acara",
        url="https://contoh.example/berita-acara-rahasia.pdf",
        created_at=secret.created_at,
    )
    test = approve(record(entries=(secret,), grounds=("a", "h")))
    make_entry(
        title="DRAF-DIKECUALIKAN belum ditetapkan",
        category=Category.DIKECUALIKAN,
        status=EntryStatus.DRAFT,
    )
    page = client.get(reverse("public_information:exempt_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Berkas pemeriksaan izin PT Contoh" in html
    assert opd().name in html
    assert "a. menghambat proses penegakan hukum" in html
    assert "h. mengungkap rahasia pribadi" in html
    assert "31 Desember 2028" in html
    assert test.number in html
    assert "17 Maret 2026" in html
    for hidden in (
        "RINGKASAN-RAHASIA",
        "PEJABAT-RAHASIA",
        "PENANGGUNG-JAWAB-RAHASIA",
        "DOKUMEN-RAHASIA",
        "berita-acara-rahasia",
        "DRAF-DIKECUALIKAN",
        test.harm,
        test.information,
    ):
        assert hidden not in html


# -- re-tests ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_uu14_art20_retest_alerts_are_queued_once_per_threshold(
    record: Record, make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    soon = approve(record(exempt_until=dt.date(2026, 4, 10)))  # 24 days left
    approve(record(exempt_until=dt.date(2026, 12, 31)))  # not yet
    approve(record(grounds=("h",), exempt_until=None))  # permanent
    ended = approve(
        record(decided_on=dt.date(2025, 1, 10), exempt_until=dt.date(2026, 3, 1)),
        on=dt.date(2025, 1, 20),
    )
    record(exempt_until=dt.date(2026, 4, 1))  # not approved: not in force
    assert [t.pk for t in exemptions.exemptions_due(TODAY)] == [ended.pk, soon.pk]

    report = exemptions.retest_sweep()
    assert (report.tests, report.queued) == (2, 2)
    assert exemptions.retest_sweep().queued == 0  # idempotent
    mails = OutboxMessage.objects.order_by("kind")
    assert [(m.kind, m.to) for m in mails] == [
        ("dip_test.retest-30", "kabid.ikp@nusaharapan.example"),
        ("dip_test.retest-lewat", "kabid.ikp@nusaharapan.example"),
    ]
    assert soon.number in mails[0].subject
    assert "10-04-2026" in mails[0].body_text
    assert reverse("dip:test_detail", args=[soon.pk]) in mails[0].body_text
    soon.refresh_from_db()
    assert soon.retest_alerted_on == TODAY

    at[0] = at[0].replace(month=4, day=11)  # the first one has ended too
    assert exemptions.retest_sweep().queued == 1
    call_command("dip_sweep")
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db
def test_a_retested_exemption_is_no_longer_due(record: Record, make_entry: MakeEntry) -> None:
    entry = make_entry()
    first = approve(record(entries=(entry,), exempt_until=dt.date(2026, 4, 10)))
    assert exemptions.exemptions_due(TODAY) == [first]
    second = approve(record(entries=(entry,), exempt_until=dt.date(2029, 12, 31)))
    assert exemptions.exemptions_due(TODAY) == []
    assert exemptions.retest_sweep().queued == 0
    assert [t.pk for t in exemptions.tests_citable(opd().pemda)] == [second.pk]


@pytest.mark.django_db
def test_refusals_may_cite_approved_closing_tests_in_force(record: Record) -> None:
    citable = approve(record(grounds=("h",), exempt_until=None))
    approve(record(result=OPEN))
    record()  # not approved
    approve(
        record(decided_on=dt.date(2025, 1, 10), exempt_until=dt.date(2026, 3, 1)),
        on=dt.date(2025, 1, 20),
    )  # ended
    found = exemptions.tests_citable(opd().pemda)
    assert [(t.pk, t.number, t.grounds) for t in found] == [(citable.pk, citable.number, ("h",))]
    assert found[0].label.startswith(f"{citable.number} — Berkas pemeriksaan")


# -- staff pages ---------------------------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "opd": opd().pk,
        "information": "Berkas pemeriksaan pelanggaran izin usaha PT Contoh",
        "grounds": ["a"],
        "other_law": "",
        "harm": "Menghambat penyidikan.",
        "public_interest": "Kepatuhan izin.",
        "result": CLOSE,
        "exempt_until": "2028-12-31",
        "decided_on": "2026-03-17",
        "place": "Nusa Harapan",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_ppid_utama_records_and_approves_a_test_through_the_pages(
    demo: Pemda, at: list[dt.datetime], make_entry: MakeEntry, client: Client
) -> None:
    entry = make_entry(title="Berkas pemeriksaan izin")
    client.force_login(utama())
    create = reverse("dip:test_create")
    assert client.get(create).status_code == 200
    page = client.post(create, _form(exempt_until="", entries=[entry.pk]))
    assert str(exemptions.END_DATE_REQUIRED) in page.content.decode()
    response = client.post(create, _form(entries=[entry.pk]))
    test = ConsequenceTest.objects.get()
    assert response["Location"] == reverse("dip:test_detail", args=[test.pk])
    detail = client.get(response["Location"]).content.decode()
    assert reverse("dip:test_pdf", args=[test.pk]) in detail
    assert reverse("dip:test_approve", args=[test.pk]) in detail
    assert "Berkas pemeriksaan izin" in detail  # the entry it covers
    response = client.post(
        reverse("dip:test_approve", args=[test.pk]),
        {
            "approved_by_name": "H. Sutrisno Wibowo, S.H.",
            "approved_by_position": "Bupati Nusa Harapan",
            "approved_on": "2026-03-17",
        },
    )
    assert response.status_code == 302
    test.refresh_from_db()
    assert test.number == "001/PPID/UK/2026"
    detail = client.get(reverse("dip:test_detail", args=[test.pk])).content.decode()
    assert str(actions.TEST_RECORDED.label) in detail
    assert str(actions.TEST_APPROVED.label) in detail
    pdf = client.get(reverse("dip:test_pdf", args=[test.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "001/PPID/UK/2026" in pdf_text(pdf.content)


@pytest.mark.django_db
def test_an_opd_ppid_pelaksana_sees_its_tests_but_cannot_record_or_approve(
    record: Record, client: Client
) -> None:
    own = record()
    others = record(code="diskominfo")
    client.force_login(User.objects.get(username="ppid.dpmptsp"))
    assert client.get(reverse("dip:test_create")).status_code == 404
    assert client.post(reverse("dip:test_create"), _form()).status_code == 404
    approve_url = reverse("dip:test_approve", args=[own.pk])
    assert client.get(approve_url).status_code == 404
    response = client.post(
        approve_url,
        {"approved_by_name": "X", "approved_by_position": "Bupati", "approved_on": "2026-03-17"},
    )
    assert response.status_code == 404
    assert ConsequenceTest.objects.filter(approved_on__isnull=False).count() == 0
    assert ConsequenceTest.objects.count() == 2
    assert client.get(reverse("dip:test_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("dip:test_pdf", args=[own.pk])).status_code == 200
    for name in ("dip:test_detail", "dip:test_pdf", "dip:test_approve"):
        assert client.get(reverse(name, args=[others.pk])).status_code == 404
    listed = client.get(reverse("dip:test_list")).content.decode()
    assert reverse("dip:test_detail", args=[own.pk]) in listed
    assert reverse("dip:test_detail", args=[others.pk]) not in listed
    assert reverse("dip:test_create") not in listed


@pytest.mark.django_db
def test_the_list_filters_exemptions_due_for_a_retest(record: Record, client: Client) -> None:
    soon = approve(record(exempt_until=dt.date(2026, 4, 10)))
    later = approve(record(exempt_until=dt.date(2027, 4, 10)))
    client.force_login(utama())
    page = client.get(reverse("dip:test_list"), {"perlu_uji_ulang": "1"}).content.decode()
    assert reverse("dip:test_detail", args=[soon.pk]) in page
    assert reverse("dip:test_detail", args=[later.pk]) not in page


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.django_db
def test_the_list_pages_cost_the_same_queries_however_many_rows(
    record: Record, make_entry: MakeEntry, client: Client
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            entry = make_entry(title=f"Berkas {index}", opd=("dpmptsp", "diskominfo")[index % 2])
            approve(record(entries=(entry,), exempt_until=dt.date(2026, 4, 1 + index)))

    staff, public = reverse("dip:test_list"), reverse("public_information:exempt_list")
    client.force_login(utama())
    add(2)
    before = (_queries(client, staff), _queries(client, f"{staff}?perlu_uji_ulang=1"))
    before_public = _queries(Client(), public)
    add(4)
    after = (_queries(client, staff), _queries(client, f"{staff}?perlu_uji_ulang=1"))
    assert after == before
    assert _queries(Client(), public) == before_public
