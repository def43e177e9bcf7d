from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services
from terbuka.procedures.library import LIBRARY_DIR
from terbuka.procedures.models import Case, Sop, StepRun, StepRunStatus

DATA = {"periode_laporan": "Maret 2026", "laporan_pelayanan_informasi": "laporan.pdf"}


def login(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


def kalbar_case() -> Case:
    return services.case_start(
        sop=Sop.objects.get(code="kalbar-diskominfo-81"),
        opd=Opd.objects.get(code="diskominfo"),
        actor=User.objects.get(username="petugas.ppid"),
        title="Laporan Maret",
        data=DATA,
    )


@pytest.mark.django_db
def test_start_a_case_from_the_sop_page(demo: Pemda, client: Client) -> None:
    login(client, "petugas.ppid")
    url = reverse("procedures:case_start", args=["kalbar-diskominfo-81"])
    response = client.post(url, {"title": "Laporan", "opd": Opd.objects.get(code="diskominfo").pk})
    assert response.status_code == 200
    assert "Periode laporan pelayanan informasi" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(
        url,
        {
            "title": "Laporan",
            "opd": Opd.objects.get(code="diskominfo").pk,
            "data_periode_laporan": "Maret 2026",
            "data_laporan_pelayanan_informasi": "lap.pdf",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("procedures:case_detail", args=[case.pk])


@pytest.mark.django_db
def test_inbox_task_completion_and_the_next_holder_sees_it(demo: Pemda, client: Client) -> None:
    kalbar_case()
    login(client, "petugas.ppid")
    page = client.get(reverse("procedures:inbox")).content.decode()
    run = StepRun.objects.get(status=StepRunStatus.OPEN)
    assert reverse("procedures:task", args=[run.pk]) in page
    task_url = reverse("procedures:task", args=[run.pk])
    response = client.post(task_url, {"note": ""})
    assert "tidak boleh kosong" in response.content.decode()  # the note this step must record
    assert client.post(task_url, {"note": "Dasbor diakses"}).status_code == 302
    following = StepRun.objects.get(status=StepRunStatus.OPEN)
    assert following.step_id == "dokumentasikan"
    task_url = reverse("procedures:task", args=[following.pk])
    response = client.post(task_url, {"note": "x"})
    assert "wajib melampirkan berkas" in response.content.decode()
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4", "application/pdf")
    assert client.post(task_url, {"attachments": upload}).status_code == 302
    assert Case.objects.get().status == "selesai"


@pytest.mark.django_db
def test_staff_of_another_opd_cannot_open_or_complete_the_task(demo: Pemda, client: Client) -> None:
    kalbar_case()
    run = StepRun.objects.get(status=StepRunStatus.OPEN)
    login(client, "staf.dinsos")
    assert (
        reverse("procedures:task", args=[run.pk])
        not in client.get(reverse("procedures:inbox")).content.decode()
    )
    assert client.get(reverse("procedures:task", args=[run.pk])).status_code == 404
    assert client.post(reverse("procedures:task", args=[run.pk]), {"note": "x"}).status_code == 404
    assert client.get(reverse("procedures:case_detail", args=[run.case_id])).status_code == 404
    run.refresh_from_db()
    assert run.status == StepRunStatus.OPEN


@pytest.mark.django_db
def test_a_colleague_in_the_opd_who_does_not_hold_the_position_cannot_complete(
    demo: Pemda, client: Client
) -> None:
    kalbar_case()
    run = StepRun.objects.get(status=StepRunStatus.OPEN)
    login(client, "staf.humas")  # Diskominfo, but not a PPID officer
    response = client.get(reverse("procedures:task", args=[run.pk]))
    assert "menunggu pemangku jabatan lain" in response.content.decode()
    assert client.post(reverse("procedures:task", args=[run.pk]), {"note": "x"}).status_code == 404


@pytest.mark.django_db
def test_sop_revision_with_errors_shows_line_and_field_and_saves_nothing(
    demo: Pemda, client: Client
) -> None:
    login(client, "operator")
    url = reverse("procedures:sop_edit", args=["tebingtinggi-dpmptsp-pdi"])
    source = (LIBRARY_DIR / "tebingtinggi-dpmptsp-pdi.yaml").read_text()
    broken = source.replace("lane: kasubag_program\n", "lane: kasubag\n", 1)
    response = client.post(url, {"source": broken, "note": "uji"})
    page = response.content.decode()
    assert "Definisi belum valid" in page
    assert "steps[1].lane" in page
    line = broken.splitlines().index("    lane: kasubag") + 1
    assert f"<td>{line}</td>" in page
    assert Sop.objects.get(code="tebingtinggi-dpmptsp-pdi").versions.count() == 1
    upload = SimpleUploadedFile("sop.yaml", source.replace("10 Hari", "7 Hari").encode())
    response = client.post(url, {"upload": upload, "note": "Waktu diperbarui"})
    assert response.status_code == 302
    assert Sop.objects.get(code="tebingtinggi-dpmptsp-pdi").versions.count() == 2


@pytest.mark.django_db
def test_only_operators_revise_library_sops(demo: Pemda, client: Client) -> None:
    login(client, "kadis.dpmptsp")
    url = reverse("procedures:sop_edit", args=["tebingtinggi-dpmptsp-pdi"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_cancel_needs_a_reason(demo: Pemda, client: Client) -> None:
    case = kalbar_case()
    login(client, "petugas.ppid")
    url = reverse("procedures:case_cancel", args=[case.pk])
    client.post(url, {"reason": ""})
    case.refresh_from_db()
    assert case.status == "berjalan"
    client.post(url, {"reason": "Salah input"})
    case.refresh_from_db()
    assert (case.status, case.cancel_reason) == ("dibatalkan", "Salah input")


@pytest.mark.django_db
def test_sop_prints_as_html_pdf_and_bpmn_for_staff_only(demo: Pemda, client: Client) -> None:
    code = "tebingtinggi-dpmptsp-pdi"
    assert client.get(reverse("procedures:sop_pdf", args=[code])).status_code == 302
    login(client, "kadis.dpmptsp")
    sheet = client.get(reverse("procedures:sop_sheet", args=[code])).content.decode()
    assert "Pelaksanaan Pengelolaan Data dan Informasi" in sheet
    assert "Mutu Baku" in sheet
    pdf = client.get(reverse("procedures:sop_pdf", args=[code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bpmn = client.get(reverse("procedures:sop_bpmn", args=[code]) + "?revisi=1")
    assert b"<bpmn:laneSet" in bpmn.content or b"laneSet" in bpmn.content
    assert client.get(reverse("procedures:sop_bpmn", args=[code]) + "?revisi=9").status_code == 404
