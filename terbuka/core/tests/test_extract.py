"""Text of uploaded documents for the search index: every format, damaged and hostile files."""

from __future__ import annotations

import functools
import html
import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from weasyprint import HTML  # type: ignore[import-untyped]

from terbuka.core import extract
from terbuka.core.extract import ExtractionError, extract_text
from terbuka.core.uploads import CSV_SAMPLE_BYTES

ACCENTED = "Rapat koordinasi di Désa Sukamaju: “Pemuda Pelopor” — naïve café, Rp 1.250.000"

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


@functools.cache
def pdf_bytes(text: str = ACCENTED) -> bytes:
    """A PDF with a text layer, as the portal's own notices are made."""
    pdf: bytes = HTML(string=f"<h1>Pengumuman</h1><p>{html.escape(text)}</p>").write_pdf()
    return pdf


def encrypted_pdf(*, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A page with no text layer, as a scanner makes it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: tuple[str, ...] = (ACCENTED,)) -> bytes:
    document = docx.Document()
    document.add_heading("Daftar Informasi Publik", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Rekapitulasi per kecamatan"
    for column, text in enumerate(("Kecamatan", "Jumlah", "Keterangan")):
        table.cell(1, column).text = text
    for column, text in enumerate(("Bénteng", "12", "lengkap")):
        table.cell(2, column).text = text
    document.add_paragraph("Penutup")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Anggaran"
    sheet.append(["Kegiatan", "Pagu (Rp)", "Catatan"])
    sheet.append(["Pembangunan jalan", 1250000.0, ACCENTED])
    sheet.append([None, 7, None])
    second = workbook.create_sheet("Realisasi")
    second["C5"] = "Triwulan I"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf_bytes(mimetype: str, body: str) -> bytes:
    """An OpenDocument package laid out as office suites write it: mimetype first, stored."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {ODF_NAMESPACES} office:version="1.3">'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return zip_bytes(
        {"mimetype": mimetype, "content.xml": content, "META-INF/manifest.xml": manifest}
    )


def odt_bytes() -> bytes:
    return odf_bytes(
        "application/vnd.oasis.opendocument.text",
        "<office:text>"
        '<text:h text:outline-level="1">Pengumuman</text:h>'
        f"<text:p>{html.escape(ACCENTED)}</text:p>"
        '<text:p>Rapat<text:s text:c="3"/>di<text:tab/>aula<text:line-break/>kantor bupati'
        "<office:annotation><text:p>catatan internal</text:p></office:annotation></text:p>"
        "<text:list><text:list-item><text:p>butir <text:span>satu</text:span></text:p>"
        "</text:list-item></text:list>"
        '<table:table table:name="Rekap"><table:table-row>'
        "<table:table-cell><text:p>Kecamatan</text:p></table:table-cell>"
        "<table:table-cell><text:p>Jumlah</text:p><text:p>(orang)</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "</office:text>",
    )


def ods_bytes() -> bytes:
    return odf_bytes(
        "application/vnd.oasis.opendocument.spreadsheet",
        '<office:spreadsheet><table:table table:name="Anggaran">'
        '<table:table-column table:number-columns-repeated="1024"/>'
        "<table:table-row>"
        "<table:table-cell><text:p>Kegiatan</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="1020"/>'
        "<table:table-cell><text:p>Pagu</text:p></table:table-cell>"
        "</table:table-row>"
        "<table:table-row>"
        f"<table:table-cell><text:p>{html.escape(ACCENTED)}</text:p></table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="1250000">'
        "<text:p>1.250.000</text:p></table:table-cell>"
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570">'
        "<table:table-cell/></table:table-row>"
        "</table:table></office:spreadsheet>",
    )


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def csv_cut_at_sample_edge() -> bytes:
    """UTF-8 CSV, ASCII until a two-byte "é" that the 64 KB sample cuts in half."""
    head = "Desa;Jumlah\n" + "Sukamaju;1\n" * 5900
    prefix = f"{head}Bénteng;".encode()
    filler = b"x" * (CSV_SAMPLE_BYTES - 1 - len(prefix))
    return prefix + filler + "é\nDésa Baru;2\n".encode()


CSV_SEMICOLON = f"Kecamatan;Jumlah;Keterangan\r\nBénteng;12;lengkap\r\nSukamaju;7;{ACCENTED}\r\n"


def extracted(content: bytes, kind: str, **options: int) -> str:
    return extract_text(io.BytesIO(content), kind, **options)


def test_pdf_text_keeps_indonesian_accents() -> None:
    text = extracted(pdf_bytes(), "pdf")
    assert text.startswith("Pengumuman\n")
    assert ACCENTED in " ".join(text.split())  # the page wraps the line


def test_pdf_that_needs_a_password_is_refused() -> None:
    with pytest.raises(ExtractionError) as caught:
        extracted(encrypted_pdf(user_password="rahasia"), "pdf")
    assert str(caught.value) == "Teks tidak dapat dibaca dari berkas PDF: berkas terenkripsi."


def test_pdf_encrypted_only_against_copying_is_read() -> None:
    assert "Désa Sukamaju" in extracted(encrypted_pdf(user_password=""), "pdf")


def test_scanned_pdf_without_a_text_layer_gives_no_text() -> None:
    assert extracted(scanned_pdf(), "pdf") == ""


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n" + b"\x8f\x01" * 500, "pdf"),
        (pdf_bytes()[:400], "pdf"),
        (b"PK\x03\x04 not really a zip", "docx"),
        (zip_bytes({"word/document.xml": "<w:document"}), "docx"),
        (zip_bytes({"xl/workbook.xml": "not xml"}), "xlsx"),
        (zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text"}), "odt"),
        (odf_bytes("application/vnd.oasis.opendocument.text", "<office:text><text:p>"), "odt"),
    ],
)
def test_damaged_file_is_reported_as_such(content: bytes, kind: str) -> None:
    with pytest.raises(ExtractionError, match="rusak atau tidak lengkap"):
        extracted(content, kind)


def test_docx_paragraphs_and_table_cells_in_document_order() -> None:
    assert extracted(docx_bytes(), "docx").splitlines() == [
        "Daftar Informasi Publik",
        ACCENTED,
        "Rekapitulasi per kecamatan",  # a merged cell once, not once per column
        "Kecamatan Jumlah Keterangan",
        "Bénteng 12 lengkap",
        "Penutup",
    ]


def test_xlsx_every_sheet_row_by_row() -> None:
    assert extracted(xlsx_bytes(), "xlsx").splitlines() == [
        "Anggaran",
        "Kegiatan Pagu (Rp) Catatan",
        f"Pembangunan jalan 1250000 {ACCENTED}",
        "7",
        "Realisasi",
        "Triwulan I",
    ]


def test_odt_paragraphs_spaces_lists_and_tables_without_comments() -> None:
    assert extracted(odt_bytes(), "odt").splitlines() == [
        "Pengumuman",
        ACCENTED,
        "Rapat di aula",
        "kantor bupati",
        "butir satu",
        "Kecamatan Jumlah (orang)",
    ]


def test_ods_rows_skip_repeated_empty_cells() -> None:
    assert extracted(ods_bytes(), "ods").splitlines() == [
        "Kegiatan Pagu",
        f"{ACCENTED} 1.250.000",
    ]


@pytest.mark.parametrize(
    ("content", "expected_last"),
    [
        (csv_bytes(CSV_SEMICOLON), f"Sukamaju 7 {ACCENTED}"),
        (csv_bytes(CSV_SEMICOLON, "utf-8-sig"), f"Sukamaju 7 {ACCENTED}"),
        (csv_bytes('Desa,Dusun\nBénteng,"Satu, Dua"\n', "cp1252"), "Bénteng Satu, Dua"),
        (csv_bytes("Desa|Jumlah\rBénteng|3\r", "cp1252"), "Bénteng 3"),
    ],
)
def test_csv_cells_in_utf8_or_windows_1252(content: bytes, expected_last: str) -> None:
    assert extracted(content, "csv").splitlines()[-1] == expected_last


def test_large_csv_is_read_past_the_sample() -> None:
    rows = "".join(f"Desa {number};{number}\n" for number in range(20_000))
    text = extracted(csv_bytes("Desa;Jumlah\n" + rows + "Désa terakhir;0\n"), "csv")
    assert text.splitlines()[-1] == "Désa terakhir 0"
    assert len(text.splitlines()) == 20_002


def test_csv_encoding_is_told_from_the_sample_even_when_it_cuts_a_character() -> None:
    text = extracted(csv_cut_at_sample_edge(), "csv")
    assert text.splitlines()[-2].endswith("xé")
    assert text.splitlines()[-1] == "Désa Baru 2"


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp"])
def test_images_have_no_text(kind: str) -> None:
    assert extracted(b"\x89PNG\r\n\x1a\n", kind) == ""


def test_text_stops_at_max_chars() -> None:
    assert extracted(pdf_bytes(), "pdf", max_chars=15) == "Pengumuman\nRapa"
    assert len(extracted(csv_bytes(CSV_SEMICOLON), "csv", max_chars=100)) == 100


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "odt", "ods", "csv"])
def test_file_position_is_left_where_it_was(kind: str) -> None:
    upload = SimpleUploadedFile(f"lampiran.{kind}", BUILDERS[kind]())
    upload.seek(7)
    assert "Sukamaju" in extract_text(upload, kind)
    assert upload.tell() == 7
    assert not upload.closed


def test_csv_rows_longer_than_a_read_and_the_sniffer_sample() -> None:
    cells = ";".join(["Désa"] * 30_000)  # 150 000 characters, past one read
    text = extracted(csv_bytes(f"Desa;Catatan\nBénteng;{cells}\nSukamaju;ok"), "csv")
    assert text.splitlines()[1] == "Bénteng " + " ".join(["Désa"] * 30_000)
    assert text.splitlines()[2] == "Sukamaju ok"


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="exe"):
        extracted(b"MZ", "exe")


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A small archive whose one member inflates past the limit (zeros compress ~1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        zeros = bytes(1024 * 1024)
        for _ in range(extract.MAX_UNPACKED_BYTES // len(zeros) + 1):
            member.write(zeros)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx", "odt", "ods"])
def test_zip_bomb_is_refused_before_parsing(zip_bomb: bytes, kind: str) -> None:
    assert len(zip_bomb) < 1024 * 1024
    with pytest.raises(ExtractionError, match="melebihi 200 MB setelah dibuka"):
        extracted(zip_bomb, kind)


def test_archive_with_too_many_members_is_refused() -> None:
    members: dict[str, str | bytes] = {f"word/media/{n}.xml": "" for n in range(10_001)}
    with pytest.raises(ExtractionError, match="melebihi"):
        extracted(zip_bytes(members), "docx")


BUILDERS: dict[str, Callable[[], bytes]] = {
    "pdf": pdf_bytes,
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
    "odt": odt_bytes,
    "ods": ods_bytes,
    "csv": lambda: csv_bytes(CSV_SEMICOLON),
}
