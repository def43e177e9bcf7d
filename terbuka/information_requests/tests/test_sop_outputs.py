"""The SOP steps' outputs feed the request: the request page shows how the office handled it
step by step (activity, lane, times, the SOP's time standard, notes, files), the decision
starts from the drafting step's note, and the files the steps produced are what the PPID
delivers to the requester."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.core.models import AuditEvent
from terbuka.information_requests import services
from terbuka.information_requests.models import (
    AttachmentKind,
    InformationRequest,
    RequestAttachment,
    Status,
)
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services as procedures
from terbuka.procedures.models import StepRunFile, StepRunStatus

WIB = ZoneInfo("Asia/Jakarta")
DRAFTING = (
    "Menindaklanjuti disposisi pimpinan, dan membuat konsep surat jawaban dan koordinasi "
    "dengan PPID Kabupaten"
)
DRAFT_NOTE = "Data izin UMK 2025 per kecamatan tersedia; kolom NIK pemilik dihitamkan."
DRAFT_BYTES = b"%PDF-1.4 konsep jawaban dan tabel izin per kecamatan"

# The Batang SOP's steps in order: who does them, and what they record.
WALK: list[tuple[str, str, str]] = [
    ("terima_permohonan", "staf.sekretariat.dpmptsp", "Dicatat di buku agenda nomor 31"),
    ("disposisi_kadis", "kadis.dpmptsp", "Ke Bidang SI: siapkan data per kecamatan"),
    ("teruskan_ke_kasi", "kabid.si.dpmptsp", "Kasi SI tindak lanjuti"),
    ("konsep_jawaban", "kasi.si.dpmptsp", DRAFT_NOTE),
    ("olah_data", "staf.it.dpmptsp", ""),
]


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [dt.datetime(2026, 3, 17, 9, 0, tzinfo=WIB)]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def user(username: str) -> User:
    return User.objects.get(username=username)


def pdf(name: str, content: bytes = b"%PDF-1.4 berkas") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def register(demo: Pemda, citizen: Requester, asked: Asked) -> InformationRequest:
    return services.request_register(
        pemda=demo,
        opd=Opd.objects.get(code="dpmptsp"),
        requester=citizen,
        asked=asked,
        channel="situs",
    )


def work_steps(
    item: InformationRequest,
    at: list[dt.datetime],
    steps: int,
    files: Callable[[str], list[SimpleUploadedFile]] | None = None,
) -> None:
    """The first ``steps`` steps of the request's case, each completed five minutes after it
    opened by a holder of its lane's position, as they would from their inbox."""
    assert item.case is not None
    for step_id, username, note in WALK[:steps]:
        run = item.case.step_runs.get(status=StepRunStatus.OPEN)
        assert run.step_id == step_id
        at[0] += dt.timedelta(minutes=5)
        procedures.step_complete(
            step_run=run,
            actor=user(username),
            note=note,
            files=files(step_id) if files else [pdf(f"{step_id}.pdf")],
        )


def drafted_files(step_id: str) -> list[SimpleUploadedFile]:
    if step_id == "konsep_jawaban":
        return [pdf("konsep-jawaban.pdf", DRAFT_BYTES)]
    return [pdf(f"{step_id}.pdf")] if step_id == "terima_permohonan" else []


@pytest.fixture
def drafted(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> InformationRequest:
    """A DPMPTSP request whose case went through disposition to the drafting step (step 4),
    which left a note and the draft answer; the data processing step is open."""
    item = register(demo, citizen, asked)
    work_steps(item, at, 4, drafted_files)
    return item


def officer() -> Client:
    client = Client()
    client.force_login(user("ppid.dpmptsp"))
    return client


def draft_file(item: InformationRequest) -> StepRunFile:
    return StepRunFile.objects.get(step_run__case=item.case, step_run__step_id="konsep_jawaban")


@pytest.mark.django_db
def test_request_page_shows_the_sop_steps_with_their_outputs_and_time_standards(
    drafted: InformationRequest,
) -> None:
    client = officer()
    page = client.get(reverse("ppid:detail", args=[drafted.pk])).content.decode()
    assert "Penanganan menurut SOP" in page
    assert DRAFTING in page  # the activity from the SOP definition, not the step id
    assert "Kasi Sistem Informasi dan Pengelolaan Data" in page  # its lane
    assert DRAFT_NOTE in page
    assert "15 menit" in page  # the SOP's time standard for the drafting step
    assert "sesuai standar" in page  # done in 5 of 15 office minutes
    assert "dipakai 5 menit kerja" in page
    # the open step stands out, with the SOP's due time next to the statutory deadline
    assert 'data-open-step="olah_data"' in page
    assert "Langkah berjalan" in page
    assert "tenggat SOP 17 Mar 2026 11.20" in page  # 2 jam from 09.20 WIB
    assert "Mengolah data sesuai permintaan dan mengetik surat jawaban" in page
    # the draft answer is downloadable by the staff handling the request
    step_file = draft_file(drafted)
    link = reverse("ppid:step_file", args=[drafted.pk, step_file.pk])
    assert f'href="{link}">konsep-jawaban.pdf<' in page
    download = client.get(link)
    assert b"".join(download.streaming_content) == DRAFT_BYTES  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_step_files_download_only_for_staff_who_handle_the_request(
    drafted: InformationRequest, demo: Pemda, citizen: Requester, asked: Asked
) -> None:
    step_file = draft_file(drafted)
    link = reverse("ppid:step_file", args=[drafted.pk, step_file.pk])
    head = Client()
    head.force_login(user("kadis.dpmptsp"))  # sees the request, handles no PPID work
    page = head.get(reverse("ppid:detail", args=[drafted.pk])).content.decode()
    assert "konsep-jawaban.pdf" in page
    assert link not in page
    assert head.get(link).status_code == 404
    other_ppid = Client()
    other_ppid.force_login(user("ppid.dinsos"))
    assert other_ppid.get(link).status_code == 404
    # a file of another request's case is not served through this request
    other = register(demo, citizen, asked)
    assert (
        officer().get(reverse("ppid:step_file", args=[other.pk, step_file.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_decision_texts_start_from_the_drafting_steps_note(
    drafted: InformationRequest,
) -> None:
    client = officer()
    response = client.get(reverse("ppid:detail", args=[drafted.pk]))
    decide = response.context["forms"]["decide"]
    assert decide.initial == {"withheld_parts": DRAFT_NOTE, "consequence_test": DRAFT_NOTE}
    page = response.content.decode()
    assert re.search(rf'name="withheld_parts"[^>]*>\s*{re.escape(DRAFT_NOTE)}</textarea>', page)
    # the officer edits what applies; the texts a full grant does not use are not kept
    client.post(
        reverse("ppid:act", args=[drafted.pk, "putuskan"]),
        {
            "decision": "dikabulkan",
            "information_form": "Salinan elektronik (PDF)",
            "withheld_parts": DRAFT_NOTE,
            "consequence_test": DRAFT_NOTE,
        },
    )
    drafted.refresh_from_db()
    assert drafted.status == Status.DECIDED
    assert (drafted.withheld_parts, drafted.consequence_test) == ("", "")


@pytest.mark.django_db
def test_delivering_a_step_file_copies_it_for_the_requester(
    drafted: InformationRequest, client: Client, at: list[dt.datetime]
) -> None:
    ppid = user("ppid.dpmptsp")
    services.request_decide(request=drafted, actor=ppid, decision="dikabulkan")
    step_file = draft_file(drafted)
    staff = officer()
    page = staff.get(reverse("ppid:detail", args=[drafted.pk])).content.decode()
    assert "Berkas dari langkah SOP" in page
    # the last completed step with a file output is offered pre-selected
    checkbox = re.search(rf'<input[^>]*value="{step_file.pk}"[^>]*>', page)
    assert checkbox is not None
    assert "checked" in checkbox.group(0)

    staff.post(
        reverse("ppid:act", args=[drafted.pk, "serahkan"]), {"step_files": [str(step_file.pk)]}
    )
    drafted.refresh_from_db()
    assert drafted.status == Status.DELIVERED
    copy = RequestAttachment.objects.get(request=drafted, kind=AttachmentKind.INFORMATION)
    assert copy.name == "konsep-jawaban.pdf"
    assert copy.file.name != step_file.file.name  # its own file, not a shared path
    with copy.file.open("rb") as handle:
        assert handle.read() == DRAFT_BYTES
    event = AuditEvent.objects.get(action="information_request.delivered")
    assert event.data["berkas_langkah"] == [
        {"id": step_file.pk, "langkah": "konsep_jawaban", "nama": "konsep-jawaban.pdf"}
    ]

    track = client.get(reverse("information_requests:track", args=[drafted.tracking_token]))
    link = re.search(r'href="([^"]+/unduh/[^"]+)">konsep-jawaban.pdf<', track.content.decode())
    assert link is not None
    download = client.get(link.group(1))
    assert b"".join(download.streaming_content) == DRAFT_BYTES  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_step_file_of_another_case_is_refused_and_nothing_is_delivered(
    drafted: InformationRequest,
    demo: Pemda,
    citizen: Requester,
    asked: Asked,
    at: list[dt.datetime],
) -> None:
    ppid = user("ppid.dpmptsp")
    other = register(demo, citizen, asked)
    work_steps(other, at, 1)
    foreign = StepRunFile.objects.get(step_run__case=other.case)
    services.request_decide(request=drafted, actor=ppid, decision="dikabulkan")
    events = AuditEvent.objects.count()

    staff = officer()
    response = staff.post(
        reverse("ppid:act", args=[drafted.pk, "serahkan"]),
        {"step_files": [str(foreign.pk)]},
        follow=True,
    )
    assert "Tidak tersimpan" in response.content.decode()
    assert f"{foreign.pk} bukan salah satu" in response.content.decode()
    with pytest.raises(DomainError, match="bukan dari kasus SOP permohonan ini"):
        services.request_deliver(request=drafted, actor=ppid, step_files=[foreign])
    drafted.refresh_from_db()
    assert drafted.status == Status.DECIDED
    assert drafted.delivered_at is None
    assert not drafted.attachments.filter(kind=AttachmentKind.INFORMATION).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_request_page_queries_do_not_grow_with_steps_and_files(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    few = register(demo, citizen, asked)
    work_steps(few, at, 1)
    many = register(demo, citizen, asked)
    work_steps(many, at, 5, lambda step: [pdf(f"{step}-{n}.pdf") for n in range(3)])
    client = officer()

    def queries(item: InformationRequest) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("ppid:detail", args=[item.pk])).status_code == 200
        return len(context.captured_queries)

    assert queries(few) == queries(many)
    for item in (few, many):  # and with the deliver form offering every step file
        services.request_decide(request=item, actor=user("ppid.dpmptsp"), decision="dikabulkan")
    assert queries(few) == queries(many)
