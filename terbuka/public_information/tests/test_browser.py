"""The DIP cycle as its people click through it, from a draft entry to a citizen's download.

DPMPTSP's admin writes two entries — one with a PDF document — and submits them to the PPID
secretariat; the secretariat receives them (receipt number and PDF), returns the incomplete
one with a note; DPMPTSP completes it and submits it again; the secretariat finds all in
order and reports to the PPID; the PPID Utama establishes the list by a dated decision; a
citizen finds the entry on the public site by a stemmed word and downloads its document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from terbuka.core import clock
from terbuka.core.extract import extract_text
from terbuka.organizations.demo import DEMO_PASSWORD
from terbuka.organizations.models import Pemda
from terbuka.public_information.models import DipEntry, Document, EntryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = ZoneInfo("Asia/Jakarta")
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
BUDGET = "Rekapitulasi penganggaran perizinan 2026"
PERMITS = "Daftar izin usaha mikro yang terbit 2026"
BUDGET_DOCUMENT = "Rincian biaya pelayanan perizinan 2026"
# Only the document's own text has the word "anggaran" itself; the title has a derived form.
BUDGET_TEXT = (
    "Dokumen ini memuat rincian anggaran pelayanan perizinan per bidang dan per triwulan "
    "tahun 2026."
)
RETURN_NOTE = "Dasar hukum belum diisi; cantumkan peraturan yang mengatur izin usaha mikro."
LEGAL_BASIS = "Peraturan Bupati Nusa Harapan Nomor 12 Tahun 2025 tentang Perizinan Berusaha"
DECREE_NUMBER = "188.4/021/PPID/2026"


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/staff/")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))


def open_dip(page: Page) -> None:
    """The DIP from the staff menu."""
    menu = page.get_by_role("navigation", name="Navigasi petugas")
    menu.get_by_role("link", name="DIP", exact=True).click()
    page.wait_for_url("**/staff/dip/entri/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Informasi Publik")


def open_submission(page: Page, link: str | re.Pattern[str]) -> None:
    """From the staff menu, through the list of submissions, to DPMPTSP's submission."""
    open_dip(page)
    page.get_by_role("link", name="Pengajuan DIP", exact=True).click()
    page.wait_for_url("**/staff/dip/pengajuan/")
    row = page.get_by_role("row").filter(has_text=DPMPTSP)
    row.get_by_role("link", name=link).click()
    page.wait_for_url(re.compile(r"/staff/dip/pengajuan/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pengajuan DIP {DPMPTSP}")


def entry_row(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name="Entri").get_by_role("row").filter(has_text=title)


def success(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def create_entry(page: Page, fields: dict[str, str], legal_basis: str = "") -> None:
    """Fill the new-entry form (category "Setiap saat", electronic) and save it."""
    page.get_by_role("link", name="Entri baru").click()
    page.wait_for_url("**/staff/dip/entri/baru/")
    expect(page.get_by_label("Badan publik (perangkat daerah)")).to_have_value(re.compile(r"^\d+$"))
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    category = page.get_by_role("group", name="Kategori informasi")
    category.get_by_label("Setiap saat", exact=True).check()
    formats = page.get_by_role("group", name="Bentuk informasi yang tersedia")
    formats.get_by_label("Elektronik (softcopy)").check()
    expect(page.get_by_label("Tahun informasi")).to_have_value("2026")
    if legal_basis:
        page.get_by_label("Dasar hukum").fill(legal_basis)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/dip/entri/\d+/$"))
    success(page, "Entri DIP dibuat sebagai draf.")
    expect(page.get_by_role("heading", level=1)).to_have_text(fields["Judul informasi"])


def columns(title: str, summary: str, holder: str) -> dict[str, str]:
    return {
        "Judul informasi": title,
        "Ringkasan isi informasi": summary,
        "Pejabat/unit yang menguasai informasi": holder,
        "Penanggung jawab pembuatan/penerbitan informasi": "Kepala DPMPTSP",
        "Waktu pembuatan/penerbitan": "Maret 2026",
        "Tempat pembuatan/penerbitan": "Nusa Harapan",
        "Jangka waktu penyimpanan": "5 tahun",
    }


def budget_pdf(folder: Path) -> Path:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: import on use

    path = folder / "rekap-anggaran-perizinan-2026.pdf"
    path.write_bytes(HTML(string=f"<h1>{BUDGET}</h1><p>{BUDGET_TEXT}</p>").write_pdf())
    return path


def downloaded(page: Page, link: Locator) -> bytes:
    """Click a download link and return the file's bytes.

    The link is scrolled into view, and the page repainted, before the click: the public
    entry page shows the PDF in a frame (Chromium's viewer, in another process), and a click
    made in the same motion as the scroll can land on where that frame stood before it.
    """
    link.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    with page.expect_download() as info:
        link.click()
    download: Download = info.value
    return Path(download.path()).read_bytes()


def test_an_entry_from_the_opd_draft_to_the_citizens_download(
    page: Page,
    chromium: Browser,
    live_server: Any,
    demo: Pemda,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    moment = [dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)]  # a Tuesday
    monkeypatch.setattr(clock, "now", lambda: moment[0])

    # 1. DPMPTSP's admin writes two entries, one with its document, and submits both.
    sign_in(page, "admin.dpmptsp")
    open_dip(page)
    create_entry(
        page,
        columns(
            BUDGET,
            "Biaya pelayanan perizinan DPMPTSP per bidang dan per triwulan.",
            "Sekretariat DPMPTSP",
        ),
        legal_basis="Peraturan Daerah Kabupaten Nusa Harapan Nomor 8 Tahun 2025 tentang APBD",
    )
    page.get_by_role("link", name="Tambah dokumen").click()
    page.wait_for_url(re.compile(r"/staff/dip/entri/\d+/dokumen/baru/$"))
    page.get_by_label("Judul dokumen").fill(BUDGET_DOCUMENT)
    page.get_by_label("Berkas", exact=True).set_input_files(str(budget_pdf(tmp_path)))
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/dip/entri/\d+/$"))
    success(page, "Dokumen ditambahkan.")
    documents = page.get_by_role("region", name="Dokumen")
    expect(documents).to_contain_text(BUDGET_DOCUMENT)
    version = documents.get_by_role("row").filter(has_text="rekap-anggaran-perizinan-2026.pdf")
    expect(version).to_contain_text("PDF")
    expect(version).to_contain_text("Teks terbaca")  # read inline, right after the upload

    open_dip(page)
    create_entry(
        page,
        columns(
            PERMITS,
            "Izin usaha mikro yang terbit per kecamatan, per bulan.",
            "Bidang Pelayanan Perizinan",
        ),
    )  # no legal basis: the secretariat will ask for it

    moment[0] = dt.datetime(2026, 3, 10, 10, 0, tzinfo=WIB)
    open_dip(page)
    page.get_by_role("link", name="Pengajuan DIP", exact=True).click()
    page.wait_for_url("**/staff/dip/pengajuan/")
    page.get_by_role("link", name="Ajukan entri").click()
    page.wait_for_url("**/staff/dip/pengajuan/baru/")
    chosen = page.get_by_role("group", name="Entri yang diajukan")
    for title in (BUDGET, PERMITS):
        chosen.get_by_label(re.compile(f"^{re.escape(title)}")).check()
    page.get_by_role("button", name="Ajukan", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/dip/pengajuan/\d+/$"))
    success(page, "Entri diajukan ke sekretariat PPID.")
    expect(page.locator("[data-stage]")).to_have_text("Menunggu diterima sekretariat PPID")
    for title in (BUDGET, PERMITS):
        expect(entry_row(page, title)).to_contain_text("Diajukan ke sekretariat PPID")
    sign_out(page)

    # 2. The secretariat receives the submission and returns the incomplete entry.
    moment[0] = dt.datetime(2026, 3, 10, 13, 0, tzinfo=WIB)
    sign_in(page, "petugas.ppid")
    open_submission(page, "(belum diterima)")
    page.get_by_role("button", name="Terima dan buat tanda terima").click()
    success(page, "Pengajuan diterima; tanda terima dibuat.")
    expect(page.locator("[data-stage]")).to_have_text("Menunggu verifikasi")
    summary = page.locator("p").filter(has=page.locator("[data-stage]"))
    expect(summary).to_contain_text("tanda terima 001/TT-DIP/2026")
    receipt_link = page.get_by_role("link", name="Tanda terima dan kartu kontrol (PDF)")
    # The PDF opens inline (Chromium's viewer, no download event): fetch the link's address
    # with the officer's session instead.
    receipt = page.request.get(receipt_link.get_attribute("href") or "")
    assert receipt.ok, receipt.status
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    assert "001/TT-DIP/2026" in extract_text(io.BytesIO(receipt.body()), "pdf")

    page.get_by_role("link", name="Verifikasi", exact=True).click()
    page.wait_for_url("**/verifikasi/")
    result = page.get_by_role("group", name="Hasil verifikasi kelengkapan dan kesesuaian")
    result.get_by_label("Belum lengkap / belum sesuai").check()
    returned = page.get_by_role("group", name="Entri yang dikembalikan")
    returned.get_by_label(re.compile(f"^{re.escape(PERMITS)}")).check()
    page.get_by_label("Catatan", exact=True).fill(RETURN_NOTE)
    page.get_by_role("button", name="Simpan hasil verifikasi").click()
    page.wait_for_url(re.compile(r"/staff/dip/pengajuan/\d+/$"))
    success(page, "Entri dikembalikan ke perangkat daerah untuk dilengkapi.")
    expect(page.locator("[data-stage]")).to_have_text(
        "Dikembalikan ke perangkat daerah untuk dilengkapi"
    )
    expect(entry_row(page, PERMITS)).to_contain_text("Dikembalikan untuk dilengkapi")
    expect(entry_row(page, BUDGET)).to_contain_text("Diajukan ke sekretariat PPID")
    sign_out(page)

    # 3. DPMPTSP sees the note, completes the entry and submits it again.
    moment[0] = dt.datetime(2026, 3, 11, 9, 0, tzinfo=WIB)
    sign_in(page, "admin.dpmptsp")
    open_submission(page, "001/TT-DIP/2026")
    expect(page.get_by_role("main")).to_contain_text("Lengkapi entri yang dikembalikan")
    row = entry_row(page, PERMITS)
    expect(row).to_contain_text(RETURN_NOTE)
    row.get_by_role("link", name=f"Lengkapi {PERMITS}").click()
    page.wait_for_url(re.compile(r"/staff/dip/entri/\d+/ubah/$"))
    expect(page.get_by_label("Judul informasi")).to_have_value(PERMITS)
    page.get_by_label("Dasar hukum").fill(LEGAL_BASIS)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/dip/entri/\d+/$"))
    success(page, "Perubahan entri disimpan.")
    expect(page.get_by_text(LEGAL_BASIS)).to_be_visible()
    expect(page.get_by_text(RETURN_NOTE)).to_be_visible()  # the note stays until verified

    open_submission(page, "001/TT-DIP/2026")
    page.get_by_role("button", name="Ajukan ulang entri yang sudah dilengkapi").click()
    success(page, "Entri yang dilengkapi diajukan ulang.")
    expect(page.locator("[data-stage]")).to_have_text("Menunggu verifikasi")
    expect(entry_row(page, PERMITS)).to_contain_text("Diajukan ke sekretariat PPID")
    sign_out(page)

    # 4. The secretariat finds everything in order and reports to the PPID.
    moment[0] = dt.datetime(2026, 3, 11, 13, 0, tzinfo=WIB)
    sign_in(page, "petugas.ppid")
    open_submission(page, "001/TT-DIP/2026")
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    page.wait_for_url("**/verifikasi/")
    result = page.get_by_role("group", name="Hasil verifikasi kelengkapan dan kesesuaian")
    result.get_by_label("Lengkap dan sesuai", exact=True).check()
    page.get_by_role("button", name="Simpan hasil verifikasi").click()
    page.wait_for_url(re.compile(r"/staff/dip/pengajuan/\d+/$"))
    success(page, "Pengajuan dinyatakan lengkap dan sesuai.")
    expect(page.locator("[data-stage]")).to_have_text(
        "Lengkap dan sesuai; menunggu dilaporkan ke PPID"
    )
    page.get_by_role("button", name="Laporkan ke PPID").click()
    success(page, "Hasil verifikasi dilaporkan ke PPID.")
    expect(page.locator("[data-stage]")).to_have_text("Menunggu penetapan PPID")
    sign_out(page)

    # 5. The PPID Utama establishes the list by a numbered, dated decision.
    moment[0] = dt.datetime(2026, 3, 12, 10, 0, tzinfo=WIB)
    sign_in(page, "kabid.ikp")
    open_submission(page, "001/TT-DIP/2026")
    page.get_by_role("link", name="Tetapkan DIP").click()
    page.wait_for_url(re.compile(r"/staff/dip/penetapan/baru/\?pengajuan=\d+$"))
    page.get_by_label("Nomor keputusan").fill(DECREE_NUMBER)
    page.get_by_label("Tanggal penetapan").fill("2026-03-12")
    submissions = page.get_by_role("group", name="Pengajuan yang ditetapkan")
    expect(submissions.get_by_label(re.compile("^001/TT-DIP/2026"))).to_be_checked()
    page.get_by_role("button", name="Tetapkan", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/dip/penetapan/\d+/$"))
    success(page, "Daftar Informasi Publik ditetapkan.")
    main = page.get_by_role("main")
    expect(main).to_contain_text(DECREE_NUMBER)
    for title in (BUDGET, PERMITS):
        expect(main).to_contain_text(title)
    sign_out(page)

    # 6. A citizen, in a fresh browser, searches the public DIP and downloads the document.
    moment[0] = dt.datetime(2026, 3, 12, 19, 0, tzinfo=WIB)
    document = Document.objects.get(entry__title=BUDGET)
    assert (document.download_count, document.entry.download_count) == (0, 0)
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    try:
        citizen = context.new_page()
        citizen.set_default_timeout(10_000)
        citizen.goto("/informasi-publik/")
        expect(citizen.get_by_role("heading", level=1)).to_have_text("Daftar Informasi Publik")
        search = citizen.get_by_role("search")
        search.get_by_label("Cari informasi").fill("anggaran")
        search.get_by_role("button", name="Cari", exact=True).click()
        citizen.wait_for_url("**/informasi-publik/?q=anggaran")
        count = citizen.get_by_role("heading", level=2, name=re.compile("cocok dengan"))
        expect(count).to_have_text("1 informasi cocok dengan “anggaran”")
        results = citizen.get_by_role("list", name="1 informasi cocok dengan “anggaran”")
        expect(results.get_by_role("link", name=BUDGET)).to_be_visible()
        expect(results.get_by_role("link", name=PERMITS)).to_have_count(0)
        found = results.get_by_role("listitem").filter(has_text=BUDGET)
        # The snippet comes from the PDF's text: its heading's derived form, then the word.
        expect(found.locator("mark")).to_have_text(["penganggaran", "anggaran"])

        found.get_by_role("link", name=BUDGET).click()
        citizen.wait_for_url(re.compile(r"/informasi-publik/\d+/$"))
        expect(citizen.get_by_role("heading", level=1)).to_have_text(BUDGET)
        expect(citizen.get_by_role("article")).to_contain_text(DPMPTSP)
        content = downloaded(citizen, citizen.get_by_role("link", name=f"Unduh {BUDGET_DOCUMENT}"))
        assert content.startswith(b"%PDF")
        assert content == (tmp_path / "rekap-anggaran-perizinan-2026.pdf").read_bytes()
    finally:
        context.close()

    document.refresh_from_db()
    assert document.download_count == 1
    assert DipEntry.objects.get(title=BUDGET).download_count == 1
    assert set(DipEntry.objects.values_list("status", flat=True)) == {EntryStatus.ESTABLISHED}
