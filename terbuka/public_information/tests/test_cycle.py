"""The DIP cycle of seed 004 run through the SOP engine: submission, receipt and control card,
verification rounds, the report to the PPID, the PPID's decree and publication; the entry
lifecycle table; who may do what; receipt numbers; the berkala refresh sweep."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.core.errors import DomainError, InvalidTransition, NotPermitted
from terbuka.core.models import AuditEvent, OutboxMessage
from terbuka.information_requests.tests.test_notices import pdf_text
from terbuka.organizations.access import build_scope
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.organizations.selectors import local_today
from terbuka.procedures import services as procedures
from terbuka.procedures.models import Case, StepRun, StepRunStatus
from terbuka.procedures.selectors import inbox
from terbuka.public_information import actions, cycle, exemptions, letters, services
from terbuka.public_information.cycle import ENTRY_TRANSITIONS, Stage
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    Decree,
    DipEntry,
    EntryStatus,
    Submission,
)
from terbuka.public_information.models import TestResult as ConsequenceResult
from terbuka.public_information.tests.conftest import MakeEntry
from terbuka.search.selectors import search

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 17)  # the `at` fixture's day
TEAM = "admin.dpmptsp"
PPID_PELAKSANA = "ppid.dpmptsp"
PETUGAS = "petugas.ppid"
UTAMA = "kabid.ikp"


def user(username: str) -> User:
    return User.objects.get(username=username)


def opd(code: str = "dpmptsp") -> Opd:
    return Opd.objects.get(code=code)


def entry_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Daftar izin usaha yang terbit",
        "summary": "Rekapitulasi izin usaha yang terbit per kecamatan",
        "holder": "Bidang Perizinan",
        "responsible": "Kepala DPMPTSP",
        "produced_when": "Setiap bulan",
        "produced_where": "Nusa Harapan",
        "formats": ["elektronik", "cetak"],
        "retention": "5 tahun",
        "category": Category.SETIAP_SAAT,
        "legal_basis": "",
        "year": 2026,
        "refreshed_on": None,
    }
    data.update(overrides)
    return data


Write = Callable[..., DipEntry]


@pytest.fixture
def write(demo: Pemda, at: list[dt.datetime]) -> Write:
    """An entry written by an OPD's team through :func:`services.entry_create` (a draft)."""

    def make(code: str = "dpmptsp", actor: str = TEAM, **overrides: Any) -> DipEntry:
        return services.entry_create(
            opd=opd(code), actor=user(actor), data=entry_data(**overrides), topics=()
        )

    return make


@pytest.fixture
def three(write: Write) -> list[DipEntry]:
    """DPMPTSP's three drafts: berkala, serta merta and setiap saat."""
    return [
        write(
            title="Laporan realisasi investasi triwulanan",
            summary="Realisasi penanaman modal dalam negeri dan asing per triwulan",
            category=Category.BERKALA,
            refreshed_on=dt.date(2026, 3, 1),
        ),
        write(
            title="Pengumuman gangguan layanan perizinan daring",
            summary="Pemberitahuan gangguan sistem perizinan berusaha",
            category=Category.SERTA_MERTA,
        ),
        write(),
    ]


def submit(entries: list[DipEntry], actor: str = TEAM, code: str = "dpmptsp") -> Submission:
    return cycle.submission_create(opd=opd(code), actor=user(actor), entries=entries)


def fresh(entry: DipEntry) -> DipEntry:
    return DipEntry.objects.get(pk=entry.pk)


def case_of(submission: Submission) -> Case:
    case = Submission.objects.get(pk=submission.pk).case
    assert case is not None
    return case


def open_run(submission: Submission) -> StepRun:
    return StepRun.objects.select_related("position", "assignee").get(
        case=case_of(submission), status=StepRunStatus.OPEN
    )


def done(submission: Submission, step_id: str) -> list[StepRun]:
    return list(
        StepRun.objects.filter(
            case=case_of(submission), step_id=step_id, status=StepRunStatus.DONE
        ).order_by("sequence")
    )


def inbox_steps(username: str) -> list[tuple[int, str]]:
    """(case id, step id) of the open steps in the person's inbox."""
    scope = build_scope(user(username), TODAY)
    return [(run.case_id, run.step_id) for run in inbox(scope)]


def refused(call: Callable[[], object]) -> Any:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value


def walk_to_verified(entries: list[DipEntry]) -> Submission:
    submission = submit(entries)
    cycle.submission_acknowledge(submission=submission, actor=user(PETUGAS))
    cycle.submission_verify(submission=submission, actor=user(PETUGAS), complete=True)
    return Submission.objects.get(pk=submission.pk)


def establish(*submissions: Submission, number: str = "188/01/PPID/2026") -> Decree:
    return cycle.decree_establish(
        pemda=submissions[0].pemda,
        actor=user(UTAMA),
        number=number,
        decided_on=TODAY,
        submissions=list(submissions),
    )


# -- the whole loop ------------------------------------------------------------------------


def test_seed_004_cycle_from_submission_to_established_and_published_dip(
    three: list[DipEntry],
    at: list[dt.datetime],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    berkala, serta_merta, setiap_saat = three
    # 1–4: DPMPTSP's admin submits; the case runs in DPMPTSP, steps 1–4 done by the act.
    submission = submit(three)
    assert {fresh(e).status for e in three} == {EntryStatus.SUBMITTED}
    case = case_of(submission)
    assert case.opd.code == "dpmptsp"
    assert case.version.sop.code == cycle.DEFAULT_SOP_CODE
    for step_id in cycle.STEPS_SUBMIT:
        (run,) = done(submission, step_id)
        assert run.completed_by == user(TEAM)
        # The lane seats the PPID Pelaksana's position, which the admin OPD does not hold.
        assert run.on_behalf_of == "PPID Pelaksana DPMPTSP"
        assert "Laporan realisasi investasi triwulanan" in run.note
        assert run.files.count() == 1
    waiting = open_run(submission)
    assert waiting.step_id == cycle.STEP_RECEIVE
    # No petugas PPID sits in DPMPTSP: the step is handed to the Pemda's petugas by name.
    assert waiting.position is None
    assert waiting.assignee == user(PETUGAS)
    assert (case.pk, cycle.STEP_RECEIVE) in inbox_steps(PETUGAS)

    # 5: the secretariat receives it: receipt number, receipt and control card.
    at[0] += dt.timedelta(minutes=20)
    cycle.submission_acknowledge(submission=submission, actor=user(PETUGAS))
    submission.refresh_from_db()
    assert submission.receipt_number == "001/TT-DIP/2026"
    (received,) = done(submission, cycle.STEP_RECEIVE)
    assert received.completed_by == user(PETUGAS)
    assert received.on_behalf_of == ""
    receipt = pdf_text(cycle.receipt_pdf(submission))
    assert "TANDA TERIMA DAN KARTU KONTROL" in receipt
    assert "001/TT-DIP/2026" in receipt
    for entry in three:
        assert entry.title in receipt
    assert "KARTU KONTROL Tanda terima nomor 001/TT-DIP/2026" in receipt
    assert "Menerima daftar informasi publik" in receipt

    # 6: incomplete — one entry goes back with a note; the case returns to step 1.
    at[0] += dt.timedelta(minutes=30)
    before = fresh(setiap_saat).updated_at
    cycle.submission_verify(
        submission=submission,
        actor=user(PETUGAS),
        complete=False,
        note="Lengkapi ringkasan dengan periode data.",
        returned_entries=[setiap_saat],
    )
    returned = fresh(setiap_saat)
    assert returned.status == EntryStatus.RETURNED
    assert returned.return_note == "Lengkapi ringkasan dengan periode data."
    assert returned.updated_at > before
    assert fresh(berkala).status == fresh(serta_merta).status == EntryStatus.SUBMITTED
    submission.refresh_from_db()
    assert submission.rounds == 1
    (verified,) = done(submission, cycle.STEP_VERIFY)
    assert verified.decision == cycle.BRANCH_INCOMPLETE
    back = open_run(submission)
    assert back.step_id == "sediakan_informasi"
    assert back.position is not None
    assert back.position.title == "PPID Pelaksana DPMPTSP"
    assert (case.pk, "sediakan_informasi") in inbox_steps(PPID_PELAKSANA)
    assert cycle.submission_stage(submission, [fresh(e) for e in three]) == Stage.RETURNED

    # The OPD fixes the entry through the ordinary edit and resubmits the same submission.
    at[0] += dt.timedelta(hours=2)
    services.entry_update(
        entry=returned,
        actor=user(TEAM),
        data=entry_data(summary="Rekapitulasi izin usaha per kecamatan, Januari–Maret 2026"),
        topics=(),
    )
    cycle.submission_resubmit(submission=submission, actor=user(TEAM))
    assert fresh(setiap_saat).status == EntryStatus.SUBMITTED
    assert len(done(submission, "sediakan_informasi")) == 2
    assert len(done(submission, "dokumentasikan")) == 2
    again = open_run(submission)
    assert again.step_id == cycle.STEP_RECEIVE
    assert again.assignee == user(PETUGAS)

    # 6 again: complete and conforming (step 5 is received again on the way).
    at[0] += dt.timedelta(minutes=30)
    cycle.submission_verify(submission=submission, actor=user(PETUGAS), complete=True)
    assert {fresh(e).status for e in three} == {EntryStatus.VERIFIED}
    assert fresh(setiap_saat).return_note == ""
    submission.refresh_from_db()
    assert submission.rounds == 2
    assert [r.decision for r in done(submission, cycle.STEP_VERIFY)] == [
        cycle.BRANCH_INCOMPLETE,
        cycle.BRANCH_COMPLETE,
    ]
    assert len(done(submission, cycle.STEP_RECEIVE)) == 2
    assert open_run(submission).step_id == cycle.STEP_REPORT

    # 7: reported to the PPID; the PPID Utama's establishment waits in their inbox.
    cycle.submission_report(submission=submission, actor=user(PETUGAS))
    (report,) = done(submission, cycle.STEP_REPORT)
    assert report.files.get().name.endswith(".pdf")
    assert open_run(submission).step_id == cycle.STEP_ESTABLISH
    assert (case.pk, cycle.STEP_ESTABLISH) in inbox_steps(UTAMA)

    # 8–9: the PPID Utama establishes the list; public entries are published and found.
    at[0] += dt.timedelta(days=1)
    assert not DipEntry.objects.public().exists()
    with django_capture_on_commit_callbacks(execute=True):
        decree = establish(submission)
    assert set(decree.entries.all()) == set(three)
    for entry in three:
        entry = fresh(entry)
        assert entry.status == EntryStatus.ESTABLISHED
        assert entry.published_at == at[0]
        assert entry.updated_at == at[0]
    assert set(DipEntry.objects.public()) == set(three)
    found = search("dip_entry", "realisasi investasi", pemda_id=submission.pemda_id)
    assert found.ids == [berkala.pk]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ESTABLISHED
    (decided,) = done(submission, cycle.STEP_ESTABLISH)
    assert decided.completed_by == user(UTAMA)
    assert decided.on_behalf_of == ""
    assert "188/01/PPID/2026" in decided.note
    (presented,) = done(submission, cycle.STEP_PRESENT)
    assert presented.on_behalf_of == "TIM SEKRETARIAT"

    text = pdf_text(letters.decree_pdf(decree))
    assert "PENETAPAN DAFTAR INFORMASI PUBLIK" in text
    assert "NOMOR 188/01/PPID/2026" in text
    for column in (
        "Ringkasan isi informasi",
        "Pejabat/unit yang menguasai informasi",
        "Penanggung jawab pembuatan/penerbitan informasi",
        "Waktu dan tempat pembuatan informasi",
        "Bentuk informasi yang tersedia",
        "Jangka waktu penyimpanan",
    ):
        assert column in text
    for heading in ("Informasi berkala", "Informasi serta merta", "Informasi setiap saat"):
        assert heading in text
    for entry in three:
        assert entry.title in text
    assert text.index("Laporan realisasi investasi") < text.index("Pengumuman gangguan")

    # 10–14 stay for people: the management report waits for the secretariat, then the PPID.
    remaining = open_run(submission)
    assert remaining.step_id == "buat_laporan"
    assert remaining.assignee == user(PETUGAS)
    assert (case.pk, "buat_laporan") in inbox_steps(PETUGAS)
    procedures.step_complete(
        step_run=remaining,
        actor=user(PETUGAS),
        note="Laporan bulanan ketersediaan informasi",
        files=[SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 laporan", "application/pdf")],
    )
    assert open_run(submission).step_id == "terima_laporan"
    assert (case.pk, "terima_laporan") in inbox_steps(UTAMA)

    # The submission's timeline tells the story.
    events = list(
        AuditEvent.objects.for_object(submission).order_by("id").values_list("action", flat=True)
    )
    assert events == [
        actions.SUBMITTED,
        actions.ACKNOWLEDGED,
        actions.RETURNED,
        actions.RESUBMITTED,
        actions.VERIFIED,
        actions.REPORTED,
        actions.ESTABLISHED,
    ]


def test_the_cycle_runs_without_a_case_when_the_sop_is_not_loaded(
    three: list[DipEntry], settings: Any, client: Client
) -> None:
    settings.DIP_SOP_CODE = "sop-yang-tidak-ada"
    submission = submit(three)
    assert submission.case is None
    cycle.submission_acknowledge(submission=submission, actor=user(PETUGAS))
    cycle.submission_verify(submission=submission, actor=user(PETUGAS), complete=True)
    submission.refresh_from_db()
    entries = [fresh(e) for e in three]
    assert cycle.submission_stage(submission, entries) == Stage.AWAITING_DECREE
    # Reporting is an SOP step: without the case there is none to complete.
    assert refused(
        lambda: cycle.submission_report(submission=submission, actor=user(PETUGAS))
    ).message == (cycle.NOTHING_TO_REPORT)
    decree = establish(submission)
    assert {e.status for e in decree.entries.all()} == {EntryStatus.ESTABLISHED}
    text = pdf_text(cycle.receipt_pdf(Submission.objects.get(pk=submission.pk)))
    assert "Pengajuan DIP diterima sekretariat PPID" in text  # the control card from events
    client.force_login(user(PETUGAS))
    page = client.get(reverse("dip:submission_detail", args=[submission.pk])).content.decode()
    assert "tanpa kasus SOP" in page


# -- the lifecycle table --------------------------------------------------------------------


def test_entry_transition_table_rejects_every_move_it_does_not_list(
    make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    entry = make_entry(status=EntryStatus.DRAFT)
    for current in EntryStatus.values:
        for target in EntryStatus.values:
            if target in ENTRY_TRANSITIONS[current]:
                continue
            entry.status = current
            with pytest.raises(InvalidTransition) as raised:
                cycle.entry_transition(entry=entry, to=target, actor=user(TEAM))
            assert raised.value.message == cycle.ENTRY_NOT_ALLOWED
            assert str(EntryStatus(target).label) in str(raised.value)
    assert fresh(entry).status == EntryStatus.DRAFT
    assert ENTRY_TRANSITIONS[EntryStatus.WITHDRAWN] == frozenset()
    assert EntryStatus.ESTABLISHED not in ENTRY_TRANSITIONS[EntryStatus.SUBMITTED]


def test_a_move_bumps_updated_at_and_is_audited(
    make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    entry = make_entry(status=EntryStatus.DRAFT)
    at[0] += dt.timedelta(hours=1)
    cycle.entry_transition(entry=entry, to=EntryStatus.SUBMITTED, actor=user(TEAM))
    saved = fresh(entry)
    assert saved.status == EntryStatus.SUBMITTED
    assert saved.updated_at == at[0]
    event = AuditEvent.objects.for_object(entry).get()
    assert event.action == actions.SUBMITTED
    assert event.data == {"status_sebelumnya": "draf"}


def test_withdrawal_goes_through_the_table(write: Write) -> None:
    entry = write()
    services.entry_withdraw(entry=entry, actor=user(TEAM), reason="Informasi digabung")
    assert fresh(entry).status == EntryStatus.WITHDRAWN
    event = AuditEvent.objects.for_object(entry).get(action=actions.ENTRY_WITHDRAWN)
    assert event.data == {"alasan": "Informasi digabung", "status_sebelumnya": "draf"}


# -- rules of each act ----------------------------------------------------------------------


def test_submission_needs_complete_entries_of_the_opd_not_already_submitted(
    write: Write, make_entry: MakeEntry
) -> None:
    assert refused(lambda: submit([])).message == cycle.NO_ENTRIES
    other = write(code="dinkes", actor="admin.dinkes", title="Data puskesmas")
    assert refused(lambda: submit([other])).message == cycle.ENTRY_OTHER_OPD
    undated = make_entry(
        status=EntryStatus.DRAFT, category=Category.BERKALA, refresh_due_on=None, holder=""
    )
    error = refused(lambda: submit([undated]))
    assert error.message == cycle.ENTRY_INCOMPLETE
    assert "pejabat/unit yang menguasai informasi" in str(error)
    assert "pembaruan berikutnya" in str(error)
    entry = write()
    submit([entry])
    again = refused(lambda: submit([write(title="Lain"), fresh(entry)]))
    assert again.message == cycle.ENTRY_IN_OPEN_SUBMISSION
    assert Submission.objects.count() == 1


def test_verification_needs_the_receipt_a_choice_and_a_note(three: list[DipEntry]) -> None:
    submission = submit(three)
    petugas = user(PETUGAS)
    assert refused(
        lambda: cycle.submission_verify(submission=submission, actor=petugas, complete=True)
    ).message == (cycle.NOT_ACKNOWLEDGED)
    cycle.submission_acknowledge(submission=submission, actor=petugas)
    assert refused(
        lambda: cycle.submission_verify(submission=submission, actor=petugas, complete=False)
    ).message == (cycle.RETURN_NEEDS_ENTRIES)
    assert refused(
        lambda: cycle.submission_verify(
            submission=submission, actor=petugas, complete=False, returned_entries=three[:1]
        )
    ).message == (cycle.RETURN_NOTE_REQUIRED)
    cycle.submission_verify(
        submission=submission,
        actor=petugas,
        complete=False,
        note="Kurang dokumen",
        returned_entries=three[:1],
    )
    # Nothing more to verify until the OPD resubmits.
    assert refused(
        lambda: cycle.submission_verify(submission=submission, actor=petugas, complete=True)
    ).message == (cycle.AWAITING_RESUBMISSION)
    # Returning can loop as often as needed.
    cycle.submission_resubmit(submission=submission, actor=user(PPID_PELAKSANA))
    cycle.submission_verify(
        submission=submission,
        actor=petugas,
        complete=False,
        note="Masih kurang",
        returned_entries=three[1:],
    )
    cycle.submission_resubmit(submission=submission, actor=user(TEAM))
    cycle.submission_verify(submission=submission, actor=petugas, complete=True)
    submission.refresh_from_db()
    assert submission.rounds == 3
    assert [r.decision for r in done(submission, cycle.STEP_VERIFY)] == [
        cycle.BRANCH_INCOMPLETE,
        cycle.BRANCH_INCOMPLETE,
        cycle.BRANCH_COMPLETE,
    ]


def test_establishing_needs_the_report_first(three: list[DipEntry]) -> None:
    submission = walk_to_verified(three)
    error = refused(lambda: establish(submission))
    assert error.message == cycle.NOT_REPORTED
    assert not Decree.objects.exists()


def test_an_exempt_entry_is_established_only_on_an_approved_consequence_test(
    write: Write, at: list[dt.datetime]
) -> None:
    open_entry = write()
    exempt = write(
        title="Berkas pemeriksaan pelanggaran izin PT Contoh",
        summary="Hasil pemeriksaan lapangan yang masih disidik",
        category=Category.DIKECUALIKAN,
    )
    submission = walk_to_verified([open_entry, exempt])
    cycle.submission_report(submission=submission, actor=user(PETUGAS))
    error = refused(lambda: establish(submission))
    assert error.message == cycle.EXEMPT_WITHOUT_TEST
    assert "Berkas pemeriksaan pelanggaran izin PT Contoh" in str(error)
    assert not Decree.objects.exists()
    assert fresh(open_entry).status == EntryStatus.VERIFIED

    test = exemptions.test_record(
        opd=opd(),
        actor=user(UTAMA),
        data=exemptions.Assessment(
            information="Berkas pemeriksaan pelanggaran izin PT Contoh",
            grounds=("a",),
            harm="Membuka berkas menghambat penyidikan.",
            public_interest="Kepatuhan izin penting, tetapi penyidikan didahulukan.",
            result=ConsequenceResult.CLOSE,
            decided_on=TODAY,
            place="Nusa Harapan",
            exempt_until=dt.date(2028, 12, 31),
        ),
        entries=[exempt],
    )
    assert refused(lambda: establish(submission)).message == cycle.EXEMPT_WITHOUT_TEST
    exemptions.test_approve(
        test=test,
        actor=user(UTAMA),
        approved_by_name="H. Slamet Riyadi, S.H., M.H.",
        approved_by_position="Kepala DPMPTSP",
        approved_on=TODAY,
    )
    decree = establish(submission)
    exempt = fresh(exempt)
    assert exempt.status == EntryStatus.ESTABLISHED
    assert exempt.published_at is None
    assert list(DipEntry.objects.public()) == [fresh(open_entry)]
    assert list(DipEntry.objects.exempt_list()) == [exempt]
    text = pdf_text(letters.decree_pdf(decree))
    assert "Informasi yang dikecualikan" in text
    assert "Berkas pemeriksaan pelanggaran izin PT Contoh" in text
    assert "Pasal 17 huruf a" in text
    assert ConsequenceTest.objects.get().number in text
    assert "Hasil pemeriksaan lapangan yang masih disidik" not in text  # title and ground only


# -- who may do what ------------------------------------------------------------------------


def test_only_the_secretariat_receives_verifies_and_reports_and_only_the_ppid_establishes(
    three: list[DipEntry], write: Write
) -> None:
    submission = submit(three)
    for name in (TEAM, PPID_PELAKSANA):
        with pytest.raises(NotPermitted):
            cycle.submission_acknowledge(submission=submission, actor=user(name))
    cycle.submission_acknowledge(submission=submission, actor=user(PETUGAS))
    with pytest.raises(NotPermitted):
        cycle.submission_verify(submission=submission, actor=user(TEAM), complete=True)
    cycle.submission_verify(submission=submission, actor=user(PETUGAS), complete=True)
    with pytest.raises(NotPermitted):
        cycle.submission_report(submission=submission, actor=user(TEAM))
    cycle.submission_report(submission=submission, actor=user(PETUGAS))
    for name in (TEAM, PETUGAS):
        with pytest.raises(NotPermitted):
            cycle.decree_establish(
                pemda=submission.pemda,
                actor=user(name),
                number="1/2026",
                decided_on=TODAY,
                submissions=[submission],
            )
    other = write(code="dinkes", actor="admin.dinkes", title="Data puskesmas")
    with pytest.raises(NotPermitted):
        cycle.submission_create(opd=opd("dinkes"), actor=user(TEAM), entries=[other])
    with pytest.raises(NotPermitted):
        cycle.submission_resubmit(submission=submission, actor=user("admin.dinkes"))


def test_pages_answer_404_to_people_without_the_part(
    three: list[DipEntry], write: Write, client: Client
) -> None:
    ours = submit(three)
    theirs = submit(
        [write(code="dinkes", actor="admin.dinkes", title="Data puskesmas")],
        actor="admin.dinkes",
        code="dinkes",
    )
    client.force_login(user(TEAM))
    assert client.get(reverse("dip:submission_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("dip:submission_detail", args=[theirs.pk])).status_code == 404
    for name in ("submission_acknowledge", "submission_report"):
        assert client.post(reverse(f"dip:{name}", args=[ours.pk])).status_code == 404
    assert client.get(reverse("dip:submission_verify", args=[ours.pk])).status_code == 404
    assert client.get(reverse("dip:decree_create")).status_code == 404
    listed = client.get(reverse("dip:submission_list")).content.decode()
    assert f'data-submission="{ours.pk}"' in listed
    assert f'data-submission="{theirs.pk}"' not in listed
    client.force_login(user("staf.it.dpmptsp"))  # DPMPTSP staff with no part in the DIP
    assert client.get(reverse("dip:submission_list")).status_code == 404
    # The secretariat sees every OPD's submissions.
    client.force_login(user(PETUGAS))
    assert client.get(reverse("dip:submission_detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("dip:decree_create")).status_code == 404


def test_the_cycle_through_the_staff_pages(
    three: list[DipEntry],
    client: Client,
    at: list[dt.datetime],
) -> None:
    client.force_login(user(TEAM))
    form = client.get(reverse("dip:submission_create"))
    assert form.status_code == 200
    response = client.post(
        reverse("dip:submission_create"),
        {"opd": opd().pk, "entries": [entry.pk for entry in three]},
    )
    submission = Submission.objects.get()
    detail = reverse("dip:submission_detail", args=[submission.pk])
    assert response["Location"] == detail

    client.force_login(user(PETUGAS))
    page = client.get(detail).content.decode()
    assert reverse("dip:submission_acknowledge", args=[submission.pk]) in page
    client.post(reverse("dip:submission_acknowledge", args=[submission.pk]))
    receipt = client.get(reverse("dip:submission_receipt_pdf", args=[submission.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    verify = reverse("dip:submission_verify", args=[submission.pk])
    invalid = client.post(verify, {"result": "belum", "note": ""})
    assert invalid.status_code == 200
    assert "Pilih entri yang dikembalikan" in invalid.content.decode()
    client.post(
        verify, {"result": "belum", "note": "Periode data?", "returned_entries": three[2].pk}
    )
    assert fresh(three[2]).status == EntryStatus.RETURNED

    client.force_login(user(TEAM))
    page = client.get(detail).content.decode()
    assert "Periode data?" in page
    assert reverse("dip:entry_edit", args=[three[2].pk]) in page
    client.post(reverse("dip:submission_resubmit", args=[submission.pk]))
    assert fresh(three[2]).status == EntryStatus.SUBMITTED

    client.force_login(user(PETUGAS))
    client.post(verify, {"result": "lengkap", "note": ""})
    client.post(reverse("dip:submission_report", args=[submission.pk]))
    page = client.get(detail).content.decode()
    assert 'data-stage="menunggu_penetapan"' in page
    assert 'data-step="laporkan_verifikasi" data-step-status="selesai"' in page

    client.force_login(user(UTAMA))
    page = client.get(detail).content.decode()
    assert reverse("procedures:case_detail", args=[submission.case_id]) in page
    create = reverse("dip:decree_create")
    assert client.get(create, {"pengajuan": submission.pk}).status_code == 200
    response = client.post(
        create,
        {"number": "188/02/PPID/2026", "decided_on": "2026-03-17", "submissions": [submission.pk]},
    )
    decree = Decree.objects.get()
    assert response["Location"] == reverse("dip:decree_detail", args=[decree.pk])
    shown = client.get(response["Location"]).content.decode()
    assert all(entry.title in shown for entry in three)
    pdf = client.get(reverse("dip:decree_pdf", args=[decree.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "188/02/PPID/2026" in pdf_text(pdf.content)
    assert client.get(reverse("dip:decree_list")).status_code == 200


# -- receipt numbers ------------------------------------------------------------------------


def test_receipt_numbers_are_gapless_per_pemda_and_year(
    write: Write, at: list[dt.datetime]
) -> None:
    codes = ("dpmptsp", "dinkes", "disdik")
    submissions = [
        submit(
            [write(code=code, actor=f"admin.{code}", title=f"Info {code}")], f"admin.{code}", code
        )
        for code in codes
    ]
    petugas = user(PETUGAS)
    cycle.submission_acknowledge(submission=submissions[1], actor=petugas)
    with pytest.raises(InvalidTransition):  # a refused acknowledgement takes no number
        cycle.submission_acknowledge(submission=submissions[1], actor=petugas)
    with pytest.raises(NotPermitted):
        cycle.submission_acknowledge(submission=submissions[0], actor=user(TEAM))
    cycle.submission_acknowledge(submission=submissions[0], actor=petugas)
    at[0] = dt.datetime(2027, 1, 4, 9, 0, tzinfo=at[0].tzinfo)
    cycle.submission_acknowledge(submission=submissions[2], actor=petugas)
    numbers = [Submission.objects.get(pk=s.pk).receipt_number for s in submissions]
    assert numbers == ["002/TT-DIP/2026", "001/TT-DIP/2026", "001/TT-DIP/2027"]
    # The database itself refuses a second submission under a number already given.
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submissions[2].pk).update(receipt_number="001/TT-DIP/2026")
    # Submissions not yet received all have no number, and may.
    waiting = submissions[2]
    for _ in range(2):
        Submission.objects.create(
            pemda_id=waiting.pemda_id,
            opd_id=waiting.opd_id,
            submitted_at=at[0],
            submitted_by=waiting.submitted_by,
        )
    assert Submission.objects.filter(receipt_number="").count() == 2


# -- the refresh sweep ----------------------------------------------------------------------


def test_refresh_sweep_alerts_the_opd_team_once_per_due_date(
    make_entry: MakeEntry, write: Write, at: list[dt.datetime]
) -> None:
    soon = make_entry(category=Category.BERKALA, refresh_due_on=TODAY + dt.timedelta(days=14))
    past = make_entry(category=Category.BERKALA, refresh_due_on=TODAY - dt.timedelta(days=3))
    later = make_entry(category=Category.BERKALA, refresh_due_on=TODAY + dt.timedelta(days=15))
    make_entry(
        category=Category.BERKALA, status=EntryStatus.DRAFT, refresh_due_on=TODAY
    )  # not established
    first = cycle.refresh_sweep()
    assert (first.entries, first.queued) == (2, 4)
    messages = OutboxMessage.objects.order_by("to", "kind")
    assert {m.to for m in messages} == {
        "admin.dpmptsp@nusaharapan.example",
        "ppid.dpmptsp@nusaharapan.example",
    }
    assert {m.object_id for m in messages} == {str(soon.pk), str(past.pk)}
    assert any("lewat batas" in m.subject for m in messages)
    again = cycle.refresh_sweep()
    assert (again.entries, again.queued) == (2, 0)
    # Twenty days on, "soon" is past due: its due date was announced already; "later" is now
    # within the window.
    at[0] += dt.timedelta(days=20)
    third = cycle.refresh_sweep()
    assert (third.entries, third.queued) == (3, 2)
    assert set(OutboxMessage.objects.values_list("object_id", flat=True)) == {
        str(soon.pk),
        str(past.pk),
        str(later.pk),
    }
    services.entry_refresh(entry=soon, actor=user(TEAM), refreshed_on=local_today(soon.pemda))
    assert cycle.refresh_sweep().queued == 0  # refreshed: due again in six months
    assert OutboxMessage.objects.count() == 6
    out = io.StringIO()
    call_command("dip_sweep", stdout=out)
    assert "pembaruan informasi berkala: 2 entri, 0 surel" in out.getvalue()


# -- query counts ---------------------------------------------------------------------------


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dip:submission_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def submissions(write: Write) -> Callable[[int], None]:
    def add(count: int) -> None:
        for number in range(count):
            entry = write(title=f"Informasi {Submission.objects.count()}-{number}")
            submission = submit([entry])
            if number % 2:
                cycle.submission_acknowledge(submission=submission, actor=user(PETUGAS))

    return add


def test_the_submission_list_takes_a_fixed_number_of_queries(
    submissions: Callable[[int], None], client: Client
) -> None:
    client.force_login(user(PETUGAS))
    submissions(2)
    few = _list_queries(client)
    submissions(4)
    assert _list_queries(client) == few
