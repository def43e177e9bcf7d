"""Running SOPs as cases: the Batang request-handling SOP end to end, the Tebing Tinggi
approval loop taken twice, system steps, external lanes, versions, cancellation."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services
from terbuka.procedures.library import LIBRARY_DIR, sop_save_version
from terbuka.procedures.models import Case, CaseStatus, Sop, StepRun, StepRunStatus
from terbuka.procedures.selectors import definition_of

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The clock reads ``frozen[0]``; assign to it to move time."""
    moments = [at(17, 9)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def user(username: str) -> User:
    return User.objects.get(username=username)


def open_run(case: Case) -> StepRun:
    return case.step_runs.get(status=StepRunStatus.OPEN)


SAMPLE = {
    "text": "Contoh",
    "number": 3,
    "money": 150000,
    "date": "2026-03-17",
    "choice": None,
    "file": "lampiran.pdf",
    "region": "33.99",
    "person": "Budi",
}


def start(sop: Sop, opd: str, username: str, title: str = "Kasus uji") -> Case:
    """Start a case with every required field of the SOP filled in."""
    assert sop.current_version is not None
    definition = definition_of(sop.current_version)
    data = {
        field.id: field.choices[0] if field.choices else SAMPLE[field.type.value]
        for field in definition.fields
        if field.required
    }
    return services.case_start(
        sop=sop, opd=Opd.objects.get(code=opd), actor=user(username), title=title, data=data
    )


def pdf(name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", "application/pdf")


@pytest.mark.django_db
def test_batang_request_handling_sop_runs_end_to_end(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="batang-dpmptsp-si")
    case = start(sop, "dpmptsp", "staf.sekretariat.dpmptsp", "Permohonan data investasi 2025")
    walk: list[tuple[str, str, int, dict[str, Any]]] = [
        # (who acts, step id, minutes later, what they record)
        (
            "staf.sekretariat.dpmptsp",
            "terima_permohonan",
            5,
            {"note": "Dicatat di register no. 12", "files": [pdf()]},
        ),
        ("kadis.dpmptsp", "disposisi_kadis", 10, {"note": "Teruskan ke Kabid SI"}),
        ("kabid.si.dpmptsp", "teruskan_ke_kasi", 10, {"note": "Kasi SI tindak lanjuti"}),
        (
            "kasi.si.dpmptsp",
            "konsep_jawaban",
            15,
            {"note": "Konsep jawaban", "files": [pdf("konsep.pdf")]},
        ),
        ("staf.it.dpmptsp", "olah_data", 90, {"files": [pdf("data.xlsx")]}),
        ("sekretaris.dpmptsp", "koreksi_jawaban", 15, {}),
        ("kadis.dpmptsp", "persetujuan", 60, {}),
        ("ppid.dpmptsp", "kirim_jawaban", 15, {"files": [pdf("surat-jawaban.pdf")]}),
    ]
    for username, step_id, minutes, output in walk:
        run = open_run(case)
        assert run.step_id == step_id
        assert run.position is not None
        assert run.position.holdings.filter(user__username=username).exists(), step_id
        frozen[0] += dt.timedelta(minutes=minutes)
        services.step_complete(step_run=run, actor=user(username), **output)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    runs = list(case.step_runs.order_by("sequence"))
    assert [r.step_id for r in runs] == [step for _, step, _, _ in walk]
    assert all(r.status == StepRunStatus.DONE for r in runs)
    assert (runs[0].elapsed, runs[0].within_standard) == (5.0, True)  # 10 menit standard
    assert (runs[4].elapsed, runs[4].within_standard) == (90.0, True)  # 2 jam standard
    assert runs[6].within_standard is True  # 10 hari (working days)
    assert runs[0].files.get().name == "berkas.pdf"
    timeline = list(AuditEvent.objects.for_object(case).values_list("action", flat=True))
    assert timeline[0] == "procedures.case_started"
    assert timeline.count("procedures.step_completed") == 8
    assert timeline[-1] == "procedures.case_completed"


@pytest.mark.django_db
def test_step_due_times_follow_office_hours_across_a_weekend_and_a_holiday(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    """Started Friday 16:00 WIB before Nyepi week: 10 menit runs into Monday... and 2 jam
    skips cuti bersama 18 March, Nyepi 19 March and cuti bersama 20 March."""
    sop = Sop.objects.get(code="batang-dpmptsp-si")
    frozen[0] = at(13, 16, 25)  # Friday, office closes 16:30
    case = start(sop, "dpmptsp", "staf.sekretariat.dpmptsp", "Uji tenggat")
    first = open_run(case)
    assert first.due_at == at(16, 7, 35)  # 5 minutes on Friday, 5 on Monday morning
    frozen[0] = at(17, 15, 0)  # Tuesday afternoon
    services.step_complete(
        step_run=first, actor=user("staf.sekretariat.dpmptsp"), note="Dicatat", files=[pdf()]
    )
    assert open_run(case).due_at == at(17, 15, 15)
    # Jump to the 2-hour step, opened Tuesday 15:00: 1 hour left on Tuesday, then the next
    # working day is Wednesday 25 March (18 cuti bersama, 19 Nyepi, 20 cuti bersama,
    # 21-22 weekend and Idul Fitri, 23-24 cuti bersama).
    for username, note in [
        ("kadis.dpmptsp", "x"),
        ("kabid.si.dpmptsp", "x"),
        ("kasi.si.dpmptsp", "x"),
    ]:
        services.step_complete(
            step_run=open_run(case), actor=user(username), note=note, files=[pdf()]
        )
    olah = open_run(case)
    assert olah.step_id == "olah_data"
    assert olah.due_at == at(25, 8, 30)


@pytest.mark.django_db
def test_tebing_tinggi_sop_returns_for_correction_twice_then_is_approved(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="tebingtinggi-dpmptsp-pdi")
    case = start(sop, "dpmptsp", "kadis.dpmptsp", "Publikasi data")
    actor = user("operator")  # acts through the kepala's override below

    def finish(step_id: str, **kwargs: Any) -> None:
        run = open_run(case)
        assert run.step_id == step_id
        holding = run.position.holdings.first() if run.position else None
        holder = holding.user if holding else actor
        frozen[0] += dt.timedelta(minutes=5)
        services.step_complete(step_run=run, actor=holder, **kwargs)

    finish("siapkan_data", files=[pdf()])
    finish("konfirmasi_data", note="Data dikonfirmasi")
    for round_ in range(3):
        finish("olah_data", files=[pdf(f"olah-{round_}.xlsx")])
        finish("sajikan_data", files=[pdf()])
        finish("ajukan_persetujuan", note="Mohon persetujuan")
        if round_ < 2:
            finish("periksa_data", decision="belum benar", note="Perbaiki tabel")
    finish("periksa_data", decision="sudah benar", note="Disetujui")
    finish("terbitkan_publikasi", files=[pdf()])
    finish("simpan_arsip", files=[pdf()])
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    decisions = list(
        case.step_runs.filter(step_id="periksa_data")
        .order_by("sequence")
        .values_list("decision", flat=True)
    )
    assert decisions == ["belum benar", "belum benar", "sudah benar"]
    assert case.step_runs.filter(step_id="olah_data").count() == 3


@pytest.mark.django_db
def test_a_decision_needs_one_of_its_labelled_branches(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="tebingtinggi-dpmptsp-pdi")
    case = start(sop, "dpmptsp", "kadis.dpmptsp", "x")
    for files, note in [([pdf()], ""), ([], "ok"), ([pdf()], ""), ([pdf()], ""), ([], "ok")]:
        services.step_complete(
            step_run=open_run(case), actor=user("kadis.dpmptsp"), files=files, note=note
        )
    run = open_run(case)
    with pytest.raises(DomainError, match="Pilih keputusan"):
        services.step_complete(step_run=run, actor=user("kadis.dpmptsp"))
    with pytest.raises(DomainError, match="tidak ada"):
        services.step_complete(step_run=run, actor=user("kadis.dpmptsp"), decision="mungkin")
    assert open_run(case).pk == run.pk


@pytest.mark.django_db
def test_required_outputs_are_enforced_and_nothing_moves_without_them(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="batang-dpmptsp-si")
    case = start(sop, "dpmptsp", "staf.sekretariat.dpmptsp", "x")
    run = open_run(case)
    with pytest.raises(DomainError, match="wajib mencatat"):
        services.step_complete(step_run=run, actor=user("staf.sekretariat.dpmptsp"), files=[pdf()])
    with pytest.raises(DomainError, match="wajib melampirkan berkas"):
        services.step_complete(step_run=run, actor=user("staf.sekretariat.dpmptsp"), note="x")
    assert open_run(case).pk == run.pk
    assert not run.files.exists()


@pytest.mark.django_db
def test_system_steps_run_through_their_handler_without_a_person(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="kalbar-diskominfo-81")
    case = start(sop, "diskominfo", "petugas.ppid", "Laporan online")
    services.step_complete(step_run=open_run(case), actor=user("petugas.ppid"), note="Dasbor")
    runs = list(case.step_runs.order_by("sequence"))
    assert [(r.step_id, r.status, r.completed_by_id) for r in runs[:2]] == [
        ("akses_dashboard", StepRunStatus.DONE, user("petugas.ppid").pk),
        ("cetak_laporan", StepRunStatus.DONE, None),
    ]
    assert runs[2].step_id == "dokumentasikan"
    assert runs[2].status == StepRunStatus.OPEN


@pytest.mark.django_db
def test_external_lane_steps_are_recorded_by_staff_on_the_actors_behalf(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="polman-08")  # complaints: the public lane comes first
    starter = user("admin.kominfo")
    case = start(sop, "diskominfo", starter.username, "Aduan jalan rusak")
    run = open_run(case)
    assert run.lane_id == "masyarakat"
    assert run.assignee == starter
    services.step_complete(
        step_run=run,
        actor=starter,
        note="Aduan lewat SMS",
        files=[pdf()],
        on_behalf_of="Pelapor (anonim)",
    )
    run.refresh_from_db()
    assert run.on_behalf_of == "Pelapor (anonim)"


@pytest.mark.django_db
def test_a_revised_sop_is_a_new_version_and_running_cases_keep_theirs(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="tebingtinggi-dpmptsp-pdi")
    old = sop.current_version
    assert old is not None
    case = start(sop, "dpmptsp", "kadis.dpmptsp", "x")
    source = (LIBRARY_DIR / "tebingtinggi-dpmptsp-pdi.yaml").read_text()
    revised = sop_save_version(
        pemda=demo,
        source=source.replace("time: 10 Hari", "time: 5 Hari"),
        actor=user("operator"),
        note="Waktu olah data dipersingkat",
    )
    sop.refresh_from_db()
    assert (old.number, revised.number, sop.current_version) == (1, 2, revised)
    assert sop_save_version(pemda=demo, source=revised.source, actor=None) == revised
    case.refresh_from_db()
    assert case.version == old
    new_case = start(sop, "dpmptsp", "kadis.dpmptsp", "y")
    assert new_case.version == revised


@pytest.mark.django_db
def test_claim_reassign_and_cancel_with_reason(demo: Pemda, frozen: list[dt.datetime]) -> None:
    sop = Sop.objects.get(code="batang-dpmptsp-si")
    case = start(sop, "dpmptsp", "staf.sekretariat.dpmptsp", "x")
    run = open_run(case)
    services.step_claim(step_run=run, actor=user("staf.sekretariat.dpmptsp"))
    with pytest.raises(DomainError, match="Alasan wajib"):
        services.step_reassign(
            step_run=run, actor=user("kadis.dpmptsp"), to=user("staf.it.dpmptsp"), reason=" "
        )
    services.step_reassign(
        step_run=run, actor=user("kadis.dpmptsp"), to=user("staf.it.dpmptsp"), reason="Petugas cuti"
    )
    run.refresh_from_db()
    assert run.assignee == user("staf.it.dpmptsp")
    with pytest.raises(DomainError, match="Alasan wajib"):
        services.case_cancel(case=case, actor=user("kadis.dpmptsp"), reason="")
    services.case_cancel(case=case, actor=user("kadis.dpmptsp"), reason="Permohonan dicabut")
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert not case.step_runs.filter(status=StepRunStatus.OPEN).exists()
    with pytest.raises(DomainError, match="sudah"):
        services.step_complete(step_run=run, actor=user("staf.it.dpmptsp"), note="x")


@pytest.mark.django_db
def test_a_repeatable_step_can_run_again_and_others_cannot(
    demo: Pemda, frozen: list[dt.datetime]
) -> None:
    sop = Sop.objects.get(code="tebingtinggi-dpmptsp-pdi")  # step 1: "bisa berulang"
    case = start(sop, "dpmptsp", "kadis.dpmptsp")
    first = open_run(case)
    services.step_complete(step_run=first, actor=user("kadis.dpmptsp"), files=[pdf()], repeat=True)
    again = open_run(case)
    assert (again.step_id, again.sequence) == ("siapkan_data", 2)
    services.step_complete(step_run=again, actor=user("kadis.dpmptsp"), files=[pdf()])
    assert open_run(case).step_id == "konfirmasi_data"
    services.step_complete(step_run=open_run(case), actor=user("kadis.dpmptsp"), note="ok")
    with pytest.raises(DomainError, match="tidak dapat diulang"):
        services.step_complete(
            step_run=open_run(case), actor=user("kadis.dpmptsp"), files=[pdf()], repeat=True
        )
