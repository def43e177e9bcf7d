"""The whole path of an information request, as a citizen and the officers click through it.

A citizen files a request to the PPID Utama from the home page and keeps the receipt; the
PPID Utama forwards it to DPMPTSP, whose staff work the first SOP steps from their inbox; the
PPID Pelaksana extends, partly grants and delivers; the citizen downloads the letters and the
information from the tracking page and objects; the Atasan PPID answers; the registers and
the annual report show it all.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from terbuka.core import clock
from terbuka.organizations.demo import DEMO_PASSWORD
from terbuka.organizations.models import Pemda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = ZoneInfo("Asia/Jakarta")
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
ATASAN = "Dr. Ir. Hadi Purnomo, M.M."


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/staff/")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))


def open_request(page: Page, number: str) -> None:
    """From the staff menu, through the register, to the request page."""
    menu = page.get_by_role("navigation", name="Navigasi petugas")
    menu.get_by_role("link", name="Permohonan informasi", exact=True).click()
    page.wait_for_url("**/staff/ppid/")
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_url(re.compile(r"/staff/ppid/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Permohonan {number}")


def complete_task(page: Page, activity: str, note: str, file: Path | None = None) -> None:
    """Open a step from the inbox (Tugas) and complete it."""
    page.get_by_role("link", name="Tugas", exact=True).click()
    page.wait_for_url("**/staff/sop/tugas/")
    page.get_by_role("link", name=re.compile(activity)).click()
    page.get_by_label("Catatan / hasil").fill(note)
    if file is not None:
        page.get_by_label("Berkas", exact=True).set_input_files(str(file))
    page.get_by_role("button", name="Selesaikan langkah").click()
    page.wait_for_url("**/staff/sop/tugas/")
    expect(page.locator(".alert-success")).to_contain_text("Langkah selesai.")


def tick(box: Locator, option: str, problems: list[str]) -> None:
    """Tick a checkbox or radio option by clicking it, as a person would.

    If the click cannot reach it (the option is drawn under another field), the defect is
    noted and the option is ticked another way so that the rest of the path still runs.
    """
    try:
        box.check(timeout=2_000)
    except PlaywrightError:
        problems.append(f"{box.page.url}: clicking {option!r} does not tick it")
        box.dispatch_event("click")
    expect(box).to_be_checked()


def saved(page: Page, text: str = "Tersimpan.") -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def downloaded(page: Page, link: Locator) -> bytes:
    with page.expect_download() as info:
        link.click()
    download: Download = info.value
    path = download.path()
    return Path(path).read_bytes()


def check_tracking_page(page: Page, problems: list[str]) -> None:
    """The tracking page has a plain title and shows its sections once, inside the page."""
    title = page.title()
    if not title.startswith("Lacak permohonan · ") or "<" in title:
        problems.append(f"tracking page: HTML in the title {title[:80]!r}…")
    headings = page.get_by_role("heading", name=re.compile(r"^(Keberatan|Ajukan keberatan)$"))
    outside = headings.count() - page.get_by_role("main").locator(headings).count()
    if outside:
        problems.append(f"tracking page: {outside} objection heading(s) outside <main>")


def test_a_request_from_the_home_page_to_the_annual_report(
    page: Page,
    chromium: Browser,
    live_server: Any,
    demo: Pemda,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    moment = [dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)]  # Tuesday, before Nyepi
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    problems: list[str] = []  # defects a person would see; the test fails on them at the end

    # 1. The citizen files a request to the PPID Utama and keeps the receipt.
    page.goto("/")
    page.get_by_role("link", name="Permohonan informasi", exact=True).click()
    page.wait_for_url("**/permohonan-informasi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan informasi publik")
    tick(page.get_by_label("Perorangan (WNI)"), "Perorangan (WNI)", problems)
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("NIK (dari KTP)").fill("3325011501900001")
    page.get_by_label("Alamat").fill("Jl. Melati 3, Desa Sukamaju RT 02/RW 01")
    page.get_by_label("Nomor telepon").fill("081234567890")
    page.get_by_label("Surel").fill("budi@example.com")
    page.get_by_label("Pekerjaan").fill("Mahasiswa")
    expect(page.get_by_label("Badan publik yang dimohon")).to_have_value("")  # PPID Utama
    page.get_by_label("Informasi yang dimohon").fill(
        "Daftar izin usaha mikro yang terbit tahun 2025 per kecamatan"
    )
    page.get_by_label("Tujuan penggunaan informasi").fill("Penelitian skripsi")
    for question in ("Permohonan diajukan oleh", "Cara memperoleh informasi"):
        if not page.get_by_role("group", name=question).count():
            problems.append(f"request form: the options of {question!r} are not labelled by it")
    softcopy = "Mendapatkan salinan elektronik (softcopy)"
    tick(page.get_by_label(softcopy), softcopy, problems)
    page.get_by_label("Cara mendapatkan salinan informasi").select_option(label="Surel")
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url("**/permohonan-informasi/terdaftar/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan Anda telah didaftarkan")
    number = page.locator("dd strong").first.inner_text()
    assert re.fullmatch(r"0001/PPID/UTAMA/III/2026", number), number
    expect(page.get_by_text("Rabu, 8 April 2026")).to_be_visible()  # 10 working days
    receipt = downloaded(page, page.get_by_role("link", name="Unduh tanda bukti (PDF)"))
    assert receipt.startswith(b"%PDF")
    page.get_by_role("link", name="Lacak permohonan").click()
    page.wait_for_url("**/permohonan-informasi/lacak/**")
    tracking_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Permohonan {number}")
    page.context.clear_cookies()

    # 2. The PPID Utama forwards it to DPMPTSP.
    moment[0] = dt.datetime(2026, 3, 17, 10, 30, tzinfo=WIB)
    sign_in(page, "kabid.ikp")
    open_request(page, number)
    page.get_by_text("Teruskan ke perangkat daerah lain").click()
    page.get_by_label("Teruskan ke").select_option(label="DPMPTSP")
    page.get_by_label("Catatan", exact=True).fill("Data perizinan dikuasai DPMPTSP")
    page.get_by_role("button", name="Teruskan", exact=True).click()
    saved(page)
    expect(page.get_by_text(f"ditangani oleh {DPMPTSP}")).to_be_visible()
    sign_out(page)

    # DPMPTSP's SOP lanes work the first steps of the new case from their inbox.
    moment[0] = dt.datetime(2026, 3, 17, 11, 0, tzinfo=WIB)
    letter = tmp_path / "lembar-disposisi.pdf"
    letter.write_bytes(b"%PDF-1.4 lembar disposisi")
    sign_in(page, "staf.sekretariat.dpmptsp")
    complete_task(page, "Menerima dan mencatat", "Dicatat di buku agenda nomor 31", letter)
    sign_out(page)
    moment[0] = dt.datetime(2026, 3, 17, 13, 0, tzinfo=WIB)
    sign_in(page, "kadis.dpmptsp")
    complete_task(page, "Memberi disposisi", "Ke Bidang SI: siapkan data per kecamatan")
    sign_out(page)

    # The PPID Pelaksana extends, partly grants (art. 17 h) and delivers.
    moment[0] = dt.datetime(2026, 3, 25, 9, 0, tzinfo=WIB)
    sign_in(page, "ppid.dpmptsp")
    open_request(page, number)
    page.get_by_text("Perpanjang waktu (sekali, maks. 7 hari kerja)").click()
    page.get_by_label("Perpanjangan (hari kerja)").fill("5")
    page.get_by_label("Alasan perpanjangan").fill("Data tersebar di beberapa bidang")
    page.get_by_role("button", name="Perpanjang", exact=True).click()
    saved(page)
    expect(page.get_by_text("diperpanjang s.d. 15 April 2026")).to_be_visible()
    moment[0] = dt.datetime(2026, 3, 26, 9, 0, tzinfo=WIB)
    page.get_by_label("Keputusan").select_option(label="Dikabulkan sebagian")
    page.get_by_label("Bentuk informasi yang diberikan").fill("Salinan elektronik (PDF)")
    page.get_by_label("Bagian yang dikecualikan/dihitamkan").fill("NIK dan alamat pemilik usaha")
    tick(page.get_by_label("h. mengungkap rahasia pribadi"), "pasal 17 huruf h", problems)
    page.get_by_label("Uji konsekuensi (nomor/ringkasan)").fill("UK-01/2026")
    page.get_by_role("button", name="Putuskan", exact=True).click()
    saved(page)
    expect(page.get_by_text("Dikabulkan sebagian — pasal 17 huruf h")).to_be_visible()
    moment[0] = dt.datetime(2026, 3, 26, 10, 0, tzinfo=WIB)
    information = tmp_path / "izin-usaha-mikro-2025.pdf"
    information.write_bytes(b"%PDF-1.4 izin usaha mikro 2025")
    page.get_by_label("Berkas informasi (PDF)").set_input_files(str(information))
    page.get_by_role("button", name="Serahkan", exact=True).click()
    saved(page)
    history = page.get_by_role("region", name="Riwayat")
    for label in (
        "Permohonan didaftarkan",
        "Permohonan diteruskan",
        "Waktu diperpanjang",
        "Pemberitahuan tertulis diterbitkan",
        "Informasi diserahkan",
    ):
        expect(history).to_contain_text(label)
    sign_out(page)

    # 3. The citizen, in a fresh browser, follows the tracking link, downloads and objects.
    moment[0] = dt.datetime(2026, 3, 27, 19, 0, tzinfo=WIB)
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    try:
        citizen = context.new_page()
        citizen.set_default_timeout(10_000)
        citizen.goto(tracking_url)
        check_tracking_page(citizen, problems)
        steps = citizen.get_by_role("list", name="Tahapan permohonan")
        expect(steps).to_contain_text("Batas setelah perpanjangan (paling lama 7 hari kerja)")
        expect(steps).to_contain_text("15 April 2026")
        expect(steps).to_contain_text("Pemberitahuan tertulis — 26 Maret 2026")
        expect(steps).to_contain_text("Dikabulkan sebagian")
        safe = number.replace("/", "-")
        notice = downloaded(citizen, citizen.get_by_role("link", name=f"pemberitahuan-{safe}.pdf"))
        assert notice.startswith(b"%PDF")
        data = downloaded(citizen, citizen.get_by_role("link", name=information.name))
        assert data == information.read_bytes()

        case_position = citizen.get_by_label("Kasus posisi")
        objection = citizen.locator("form").filter(has=case_position)
        ground = objection.get_by_label("a. Penolakan atas permintaan informasi")
        tick(ground, "a. Penolakan …", problems)
        case_position.fill(
            "Nama pemilik usaha tercantum di papan izin; mohon daftar lengkap dibuka."
        )
        objection.get_by_role("button", name="Ajukan keberatan", exact=True).click()
        citizen.wait_for_url(tracking_url)
        expect(citizen.get_by_role("status")).to_contain_text("Keberatan 0001/KEBERATAN/2026")
        main = citizen.get_by_role("main")
        expect(main.get_by_text("0001/KEBERATAN/2026", exact=True)).to_be_visible()
        check_tracking_page(citizen, problems)
    finally:
        context.close()

    # 4. The Atasan PPID answers the objection.
    moment[0] = dt.datetime(2026, 3, 30, 10, 0, tzinfo=WIB)
    sign_in(page, "sekda")
    open_request(page, number)
    expect(page.get_by_text("0001/KEBERATAN/2026")).to_be_visible()
    page.get_by_label("Tanggapan Atasan PPID").select_option(label="Keberatan ditolak")
    page.get_by_label("Isi jawaban tertulis").fill(
        "Nama dan alamat pemilik usaha perorangan adalah rahasia pribadi (pasal 17 huruf h)."
    )
    page.get_by_role("button", name="Simpan jawaban", exact=True).click()
    saved(page, "Jawaban keberatan disimpan.")
    expect(page.get_by_text("Keberatan ditolak", exact=True)).to_be_visible()

    # 5. The registers and the annual report.
    page.goto("/staff/ppid/")
    expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Dikabulkan sebagian")
    expect(row).to_contain_text("26-03-2026")  # the day of the written notice
    page.get_by_role("link", name="Register keberatan").click()
    page.wait_for_url("**/staff/ppid/keberatan/")
    row = page.get_by_role("row").filter(has_text="0001/KEBERATAN/2026")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text(ATASAN)
    expect(row).to_contain_text("Keberatan ditolak")
    page.goto("/staff/ppid/laporan/?jenis=tahunan&tahun=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tahun 2026")
    partial = page.locator("[data-table=hasil]").get_by_role("row", name="Dikabulkan sebagian")
    expect(partial.get_by_role("cell")).to_have_text("1")
    opd_row = page.locator("[data-table=opd]").get_by_role("row").filter(has_text=DPMPTSP)
    expect(opd_row.get_by_role("cell").first).to_have_text("1")  # received

    assert not problems, "\n".join(problems)
