"""A staff member completes a step from their inbox with a file; the next person sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from terbuka.organizations.demo import DEMO_PASSWORD, demo_load
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import services
from terbuka.procedures.library import library_load
from terbuka.procedures.models import Sop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/staff/")


def test_inbox_step_with_a_file_reaches_the_next_person(page: Page, tmp_path: Path) -> None:
    demo_load()
    library_load(pemda=Pemda.objects.get())
    case = services.case_start(
        sop=Sop.objects.get(code="batang-dpmptsp-si"),
        opd=Opd.objects.get(code="dpmptsp"),
        actor=User.objects.get(username="staf.sekretariat.dpmptsp"),
        title="Permohonan data perizinan 2025",
        data={
            "nama_pemohon": "Budi",
            "surat_permohonan": "surat-permohonan.pdf",
            "data_diminta": "Data izin usaha 2025",
        },
    )
    letter = tmp_path / "surat-permohonan.pdf"
    letter.write_bytes(b"%PDF-1.4 surat permohonan")

    sign_in(page, "staf.sekretariat.dpmptsp")
    page.get_by_role("link", name="Tugas", exact=True).click()
    page.get_by_role("link", name="Menerima dan mencatat", exact=False).click()
    page.get_by_label("Catatan / hasil").fill("Dicatat di buku register nomor 12")
    page.get_by_label("Berkas").set_input_files(str(letter))
    page.get_by_role("button", name="Selesaikan langkah").click()
    page.wait_for_url("**/staff/sop/tugas/")
    assert "Langkah selesai." in page.locator(".alert-success").inner_text()
    page.get_by_role("button", name="Keluar").click()

    sign_in(page, "kadis.dpmptsp")
    page.get_by_role("link", name="Tugas", exact=True).click()
    page.get_by_role("link", name="Memberi disposisi", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("2.")
    page.get_by_role("link", name=case.title).click()
    assert "surat-permohonan.pdf" in page.locator("table").inner_text()
    assert "Dicatat di buku register nomor 12" in page.locator("table").inner_text()
