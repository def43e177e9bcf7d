"""The statutory letters as PDFs: every item UU 14/2008 art. 22(7)–(8) and Perki 1/2021 ask for
is on the page (read back with poppler's ``pdftotext``)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.information_requests import objections, services
from terbuka.information_requests.models import (
    AttachmentKind,
    Decision,
    InformationRequest,
    Objection,
)
from terbuka.information_requests.notices import (
    ART17_GROUNDS,
    extension_notice_pdf,
    format_date,
    notice_pdf,
    objection_answer_pdf,
    objection_receipt_pdf,
    refusal_decision_number,
    refusal_decision_pdf,
    rupiah,
)
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd, Pemda, User

WIB = ZoneInfo("Asia/Jakarta")
TUESDAY_17_MARCH = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install poppler-utils to check the letters' PDFs")
    return path


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with whitespace collapsed, so wrapped lines read as one."""
    done = subprocess.run(  # noqa: S603 - fixed tool, no shell
        [_tool("pdftotext"), "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode("utf-8").split())


def pdf_pages(pdf: bytes) -> int:
    done = subprocess.run(  # noqa: S603 - fixed tool, no shell
        [_tool("pdfinfo"), "-"], input=pdf, capture_output=True, check=True
    )
    line = next(x for x in done.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def first_page_png(pdf: bytes, folder: Path, name: str) -> Path:
    """Page 1 at 60 dpi (to look at: A4 portrait is about 496 × 702 pixels)."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - fixed tool, no shell
        [
            _tool("pdftoppm"),
            *("-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"),
            str(source),
            str(folder / name),
        ],
        check=True,
        capture_output=True,
    )
    return folder / f"{name}.png"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moments = [TUESDAY_17_MARCH]
    monkeypatch.setattr(clock, "now", lambda: moments[0])
    return moments


def staff(username: str) -> User:
    return User.objects.get(username=username)


def register(
    pemda: Pemda, requester: Requester, asked: Asked, opd: str | None = "dpmptsp"
) -> InformationRequest:
    return services.request_register(
        pemda=pemda,
        opd=Opd.objects.get(code=opd) if opd else None,
        requester=requester,
        asked=asked,
        channel="situs",
    )


def partly_granted(demo: Pemda, citizen: Requester, asked: Asked) -> InformationRequest:
    request = register(demo, citizen, asked)
    actor = staff("ppid.dpmptsp")
    services.request_decide(
        request=request,
        actor=actor,
        decision=Decision.PARTIAL,
        refusal_grounds=["h"],
        withheld_parts="NIK dan alamat pemilik izin",
        information_form="Tabel XLSX",
        consequence_test="Uji konsekuensi nomor 3/2026",
    )
    return services.request_record_fee(
        request=request,
        actor=actor,
        amount=Decimal("25000"),
        payment_method="transfer bank",
        paid_on=None,
    )


def refused(demo: Pemda, citizen: Requester, asked: Asked) -> InformationRequest:
    request = register(demo, citizen, asked)
    return services.request_decide(
        request=request,
        actor=staff("ppid.dpmptsp"),
        decision=Decision.REFUSED,
        refusal_grounds=["a", "h"],
        consequence_test="Uji konsekuensi nomor 4/2026 tanggal 16 Maret 2026",
    )


def test_helpers_write_indonesian_dates_and_rupiah() -> None:
    assert format_date(dt.date(2026, 4, 8)) == "8 April 2026"
    assert format_date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert format_date(None) == "-"
    assert rupiah(Decimal("1250000")) == "Rp1.250.000"
    assert sorted(ART17_GROUNDS) == list("abcdefghij")
    assert "rahasia pribadi" in ART17_GROUNDS["h"]


@pytest.mark.django_db
def test_uu14_art22_7_notice_of_a_partial_grant_states_every_item(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = partly_granted(demo, citizen, asked)
    pdf = notice_pdf(request)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",  # letterhead
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "Jalan Merdeka Nomor 1",
        "ppid@nusaharapan.example",
        "0001/PPID/DPMPTSP/III/2026/PEMBERITAHUAN",  # notice number
        "Nusa Harapan, 17 Maret 2026",  # notice date
        "0001/PPID/DPMPTSP/III/2026",  # registration number
        "kami terima pada tanggal 17 Maret 2026",
        "Budi Santoso",
        "Data izin usaha mikro yang terbit tahun 2025 per kecamatan",
        "Informasi yang dimohon dikuasai oleh kami",
        "Permohonan DITERIMA SEBAGIAN",
        "Tabel XLSX",  # form of the information
        "NIK dan alamat pemilik izin",  # withheld parts
        "Pasal 17 huruf h",
        ART17_GROUNDS["h"],
        "Uji konsekuensi nomor 3/2026",
        "Surel",  # delivery means
        "Mendapatkan salinan elektronik (softcopy)",  # format
        "Waktu penyediaan",
        "Rp25.000",
        "transfer bank",
        "Atasan PPID Pemerintah Kabupaten Nusa Harapan",
        "30 hari kerja",
        "Pasal 35 dan Pasal 36",
        "PPID Pelaksana Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Ratna Dewi, S.T.",
    ):
        assert item in text, item
    assert "Gratis" not in text


@pytest.mark.django_db
def test_uu14_art22_7_notice_of_a_refusal_gives_the_art17_grounds(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = refused(demo, citizen, asked)
    text = pdf_text(notice_pdf(request))
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",
        request.notice_number,
        "17 Maret 2026",
        request.number,
        "Budi Santoso",
        "Informasi yang dimohon dikuasai oleh kami",
        "Permohonan DITOLAK",
        "Pasal 17 huruf a dan h",
        ART17_GROUNDS["a"],
        ART17_GROUNDS["h"],
        "Uji konsekuensi nomor 4/2026 tanggal 16 Maret 2026",
        refusal_decision_number(request),
        "30 hari kerja",
        "Atasan PPID",
    ):
        assert item in text, item


@pytest.mark.django_db
def test_notice_of_a_free_grant_says_gratis_and_nothing_withheld(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    services.request_decide(request=request, actor=staff("ppid.dpmptsp"), decision="dikabulkan")
    request.refresh_from_db()
    text = pdf_text(notice_pdf(request, provision_time="3 hari kerja sejak pemberitahuan ini"))
    assert "Permohonan DITERIMA" in text
    assert "DITERIMA SEBAGIAN" not in text
    assert "Gratis" in text
    assert "Tidak ada; informasi diberikan seluruhnya" in text
    assert "3 hari kerja sejak pemberitahuan ini" in text
    assert "Pasal 17 huruf" not in text


@pytest.mark.django_db
def test_notice_names_the_other_body_that_holds_the_information(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked, opd=None)
    services.request_decide(
        request=request,
        actor=staff("kabid.ikp"),
        decision=Decision.OTHER_BODY,
        other_body="Badan Pusat Statistik Kabupaten Nusa Harapan",
    )
    request.refresh_from_db()
    text = pdf_text(notice_pdf(request))
    assert "dikuasai oleh Badan Pusat Statistik Kabupaten Nusa Harapan" in text
    assert "tidak dikuasai oleh kami" in text
    assert "PPID Utama" in text  # the PPID Utama answers a request made to it
    assert "Rina Marlina, S.I.Kom." in text


@pytest.mark.django_db
def test_refusal_decision_letter(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = refused(demo, citizen, asked)
    text = pdf_text(refusal_decision_pdf(request))
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",
        f"NOMOR {refusal_decision_number(request)}",
        "PENOLAKAN PERMOHONAN INFORMASI PUBLIK",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN",
        "INFORMASI YANG DIKECUALIKAN",
        "Pasal 17 huruf a Undang-Undang Nomor 14 Tahun 2008",
        ART17_GROUNDS["a"],
        ART17_GROUNDS["h"],
        "Uji konsekuensi nomor 4/2026 tanggal 16 Maret 2026",
        "DITOLAK",
        "30 hari kerja",
        "Ditetapkan di : Nusa Harapan",
        "17 Maret 2026",
    ):
        assert item in text, item
    partial = refusal_decision_pdf(partly_granted(demo, citizen, asked))
    text = pdf_text(partial)
    assert "PENOLAKAN SEBAGIAN PERMOHONAN INFORMASI PUBLIK" in text
    assert "NIK dan alamat pemilik izin" in text


@pytest.mark.django_db
def test_letters_refuse_requests_in_the_wrong_state(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    with pytest.raises(DomainError, match="belum diputuskan"):
        notice_pdf(request)
    services.request_decide(request=request, actor=staff("ppid.dpmptsp"), decision="dikabulkan")
    request.refresh_from_db()
    with pytest.raises(DomainError, match="ditolak"):
        refusal_decision_pdf(request)


@pytest.mark.django_db
def test_uu14_art22_8_extension_notice_shows_both_deadlines_and_the_reason(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    request = register(demo, citizen, asked)
    extension = services.request_extend(
        request=request,
        actor=staff("ppid.dpmptsp"),
        working_days=7,
        reason="Data tersebar di 5 bidang dan perlu dihimpun",
    )
    request.refresh_from_db()
    text = pdf_text(extension_notice_pdf(request, extension))
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",
        extension.notice_number,
        "Nusa Harapan, 17 Maret 2026",
        request.number,
        "8 April 2026",  # original deadline
        "17 April 2026",  # new deadline
        "7 hari kerja",
        "10 hari kerja",
        "Data tersebar di 5 bidang dan perlu dihimpun",
        "Pasal 22 ayat (8)",
    ):
        assert item in text, item


@pytest.mark.django_db
def test_letterhead_carries_the_pemda_logo_and_the_letter_is_a4_portrait(
    demo: Pemda,
    citizen: Requester,
    asked: Asked,
    at: list[dt.datetime],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    image = io.BytesIO()
    Image.new("RGB", (120, 140), (200, 30, 30)).save(image, format="PNG")
    demo.logo.save("logo.png", ContentFile(image.getvalue()))
    request = partly_granted(demo, citizen, asked)
    pdf = notice_pdf(request)
    listing = subprocess.run(  # noqa: S603 - fixed tool, no shell
        [_tool("pdfimages"), "-list", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert len(listing.splitlines()) == 3  # header, rule, the logo
    png = first_page_png(pdf, tmp_path, "notice")
    with Image.open(png) as page:
        width, height = page.size
    assert (abs(width - 496) <= 1, abs(height - 702) <= 1) == (True, True)  # A4 portrait
    assert pdf_pages(pdf) == 1
    # without a logo, no image at all
    demo.logo.delete()
    request.refresh_from_db()
    plain = subprocess.run(  # noqa: S603 - fixed tool, no shell
        [_tool("pdfimages"), "-list", "-"],
        input=notice_pdf(request),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert len(plain.splitlines()) == 2


# Objections (UU 14/2008 art. 35–37) --------------------------------------------------------------

PERSONAL = ("3325011501900001", "Melati", "+6281234567890", "081234567890", "budi@example.com")


def objected(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime], ground: str = "a"
) -> Objection:
    """A refusal of 17 March, objected to on 1 April 2026."""
    request = refused(demo, citizen, asked)
    at[0] = dt.datetime(2026, 4, 1, 10, 0, tzinfo=WIB)
    return objections.objection_file(
        request=request, ground=ground, case_position="Data agregat bukan rahasia pribadi"
    )


@pytest.mark.django_db
def test_uu14_art36_objection_receipt_states_number_ground_and_answer_deadline(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    objection = objected(demo, citizen, asked, at)
    pdf = objection_receipt_pdf(objection)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",
        "TANDA BUKTI PENGAJUAN KEBERATAN",
        "0001/KEBERATAN/2026",  # registration number of the objection
        "1 April 2026",  # received
        objection.request.number,
        "Budi Santoso",
        "Pasal 35 ayat (1) huruf a: Penolakan atas permintaan informasi berdasarkan alasan "
        "pengecualian sebagaimana dimaksud dalam Pasal 17",
        "Data agregat bukan rahasia pribadi",
        "19 Mei 2026",  # the Atasan PPID answers within 30 working days
        "30 hari kerja",
        "Pasal 36 ayat (2)",
        "14 hari kerja",  # then the dispute: 14 working days after the lapse (art. 37(2))
        "11 Juni 2026",
        "Komisi Informasi",
        "Nusa Harapan, 1 April 2026",
        "Ratna Dewi, S.T.",  # received by the PPID Pelaksana
    ):
        assert item in text, item
    assert "musyawarah" not in text  # ground a is not settled by deliberation (art. 35(2))
    for secret in PERSONAL:
        assert secret not in text


@pytest.mark.django_db
def test_uu14_art35_2_receipt_of_a_ground_b_to_g_mentions_deliberation(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    objection = objected(demo, citizen, asked, at, ground="d")
    text = pdf_text(objection_receipt_pdf(objection))
    assert "huruf d: Permintaan informasi ditanggapi tidak sebagaimana yang diminta" in text
    assert "diselesaikan secara musyawarah" in text


@pytest.mark.django_db
def test_uu14_art36_2_and_art37_answer_letter_of_the_atasan_ppid(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    objection = objected(demo, citizen, asked, at)
    with pytest.raises(DomainError, match="belum dijawab"):
        objection_answer_pdf(objection)
    at[0] = dt.datetime(2026, 4, 20, 10, 0, tzinfo=WIB)
    sekda = staff("sekda")
    answered = objections.objection_answer(
        objection=objection,
        actor=sekda,
        decision="ditolak",
        text="Informasi memuat rahasia pribadi pemilik izin.",
    )
    pdf = objection_answer_pdf(answered)
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    for item in (
        "PEMERINTAH KABUPATEN NUSA HARAPAN",
        "SEKRETARIAT DAERAH",  # the Atasan PPID's office
        "0001/KEBERATAN/2026/JAWABAN",  # the answer's number
        "Nusa Harapan, 20 April 2026",
        "Yth. Sdr. Budi Santoso",
        "0001/KEBERATAN/2026",
        objection.request.number,
        "Pasal 35 ayat (1) huruf a",
        "Keberatan ditolak",
        "Informasi memuat rahasia pribadi pemilik izin.",
        "Pasal 36 ayat (2)",
        "Komisi Informasi",
        "14 hari kerja",
        "11 Mei 2026",  # 14 working days after 20 April (1 May is Labour Day)
        "Pasal 37 ayat (2)",
        "Atasan PPID",
        "Dr. Ir. Hadi Purnomo, M.M.",
        f"NIP. {sekda.nip}",
    ):
        assert item in text, item
    for secret in PERSONAL:
        assert secret not in text


@pytest.mark.django_db
def test_filing_and_answering_an_objection_keep_both_letters_for_the_requester(
    demo: Pemda, citizen: Requester, asked: Asked, at: list[dt.datetime]
) -> None:
    objection = objected(demo, citizen, asked, at)
    request = objection.request
    letters = lambda: [  # noqa: E731
        a.name for a in request.attachments.filter(kind=AttachmentKind.NOTICE)
    ]
    safe = request.number.replace("/", "-")
    assert f"tanda-bukti-keberatan-a-{safe}.pdf" in letters()
    at[0] = dt.datetime(2026, 4, 20, 10, 0, tzinfo=WIB)
    objections.objection_answer(
        objection=objection, actor=staff("sekda"), decision="diterima", text="Dibuka."
    )
    assert letters()[-1] == f"jawaban-keberatan-a-{safe}.pdf"
    stored = request.attachments.get(name=f"jawaban-keberatan-a-{safe}.pdf")
    with stored.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Keberatan diterima" in text
    for secret in PERSONAL:
        assert secret not in text
