"""The kind of an upload is read from its content, whatever its name says."""

from __future__ import annotations

import io
import random
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from terbuka.core.tests.test_extract import (
    BUILDERS,
    CSV_SEMICOLON,
    csv_bytes,
    csv_cut_at_sample_edge,
    odf_bytes,
    zip_bytes,
)
from terbuka.core.uploads import (
    CONTENT_TYPES,
    CSV_SAMPLE_BYTES,
    KINDS_DOCUMENT,
    LABELS,
    UploadValidator,
    sniff,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)
SIGNED = {
    "png": PNG,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32),
    "gif": b"GIF89a\x01\x00\x01\x00" + bytes(32),
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32),
}
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{content_type}"/>'
    "</Types>"
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def upload(content: bytes, name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_documents_are_known_by_content_under_any_name(kind: str) -> None:
    content = BUILDERS[kind]()
    assert sniff(upload(content, "lampiran.bin"), allow_csv=True) == kind


@pytest.mark.parametrize("kind", sorted(SIGNED))
def test_images_are_known_by_signature(kind: str) -> None:
    assert sniff(upload(SIGNED[kind])) == kind


def test_gif87a_is_a_gif() -> None:
    assert sniff(upload(b"GIF87a" + bytes(20))) == "gif"


def test_png_named_pdf_is_a_png() -> None:
    assert sniff(upload(PNG, "surat-keputusan.pdf")) == "png"


def test_riff_that_is_not_webp_is_unknown() -> None:
    assert sniff(upload(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32))) is None


def test_random_bytes_are_unknown() -> None:
    noise = random.Random(2026).randbytes(8192)
    assert sniff(upload(noise), allow_csv=True) is None


@pytest.mark.parametrize(
    "content",
    [
        zip_bytes({"laporan.txt": "isi"}),
        zip_bytes({"[Content_Types].xml": DOCX_TYPES.format(content_type=WORD_MAIN)}),
        zip_bytes(
            {
                "[Content_Types].xml": DOCX_TYPES.format(
                    content_type="application/vnd.ms-word.document.macroEnabled.main+xml"
                ),
                "word/document.xml": "<w:document/>",
            }
        ),
        zip_bytes({"[Content_Types].xml": "<Types", "word/document.xml": "<w:document/>"}),
        zip_bytes(
            {
                "[Content_Types].xml": '<!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>',
                "word/document.xml": "<w:document/>",
            }
        ),
        odf_bytes("application/vnd.oasis.opendocument.text-template", "<office:text/>"),
        zip_bytes({"mimetype": "application/epub+zip"}),
        zip_bytes({"mimetype": bytes(2 * 1024 * 1024)}),
        b"PK\x03\x04" + bytes(100),
    ],
    ids=[
        "plain-zip",
        "declared-part-missing",
        "macro-enabled",
        "broken-content-types",
        "dtd",
        "odt-template",
        "epub",
        "oversized-mimetype",
        "truncated",
    ],
)
def test_zip_that_is_no_accepted_office_document_is_unknown(content: bytes) -> None:
    assert sniff(upload(content), allow_csv=True) is None


def test_docx_declared_through_the_default_xml_type() -> None:
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="XML" ContentType="{WORD_MAIN}"/></Types>'
    )
    content = zip_bytes({"[Content_Types].xml": types, "word/document.xml": "<w:document/>"})
    assert sniff(upload(content)) == "docx"


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(CSV_SEMICOLON),
        csv_bytes(CSV_SEMICOLON, "utf-8-sig"),
        csv_bytes(CSV_SEMICOLON, "cp1252"),
        csv_bytes("Desa\tJumlah\nBénteng\t3\nSukamaju\t4\n"),
        csv_bytes("Desa|Jumlah\rBénteng|3\r"),
        csv_bytes('"Desa","Keterangan"\n"Bénteng","ada, dua"\n'),
    ],
    ids=["semicolon", "utf8-bom", "cp1252", "tab", "pipe-old-mac", "quoted"],
)
def test_csv_is_known_only_when_the_caller_allows_it(content: bytes) -> None:
    assert sniff(upload(content), allow_csv=True) == "csv"
    assert sniff(upload(content)) is None


def test_csv_with_a_character_cut_at_the_sample_edge() -> None:
    content = csv_cut_at_sample_edge()
    assert content[CSV_SAMPLE_BYTES - 1 : CSV_SAMPLE_BYTES + 1] == "é".encode()
    assert sniff(upload(content), allow_csv=True) == "csv"


@pytest.mark.parametrize(
    "content",
    [
        b"Pemerintah daerah wajib menyediakan informasi publik secara berkala\n"
        b"Informasi itu diumumkan paling lambat enam bulan sekali\n"
        b"Setiap orang berhak memperoleh informasi publik\n",
        b"Halo, apa kabar?\n",
        b"Desa;Jumlah\nB\x07nteng;3\nSukamaju;4\n",
        b"Desa;Jumlah\nB\x00nteng;3\nSukamaju;4\n",
        b"Desa;Jumlah\nB\x81nteng;3\nSukamaju;4\n",
        b"",
        b"\n\n  \n",
    ],
    ids=["prose", "one-line", "control-character", "nul", "undefined-cp1252", "empty", "blank"],
)
def test_text_that_is_not_csv_is_unknown(content: bytes) -> None:
    assert sniff(upload(content), allow_csv=True) is None


def test_hostile_csv_sample_does_not_stall_the_upload() -> None:
    """csv.Sniffer needs about 13 s for 64 KB of `,"`; only a short sample is sniffed."""
    started = time.perf_counter()
    assert sniff(upload(b',"' * (CSV_SAMPLE_BYTES // 2)), allow_csv=True) is None
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("kind", [*sorted(BUILDERS), "png", "random"])
def test_sniffing_leaves_the_file_position_where_it_was(kind: str) -> None:
    if kind == "random":
        content = random.Random(7).randbytes(1024)
    else:
        content = SIGNED[kind] if kind in SIGNED else BUILDERS[kind]()
    file = upload(content)
    file.seek(11)
    sniff(file, allow_csv=True)
    assert file.tell() == 11
    stream = io.BytesIO(content)
    stream.seek(3)
    sniff(stream, allow_csv=True)
    assert stream.tell() == 3


def test_every_document_kind_has_a_label_and_a_content_type() -> None:
    assert set(KINDS_DOCUMENT) == set(CONTENT_TYPES) <= set(LABELS)
    assert CONTENT_TYPES["docx"].endswith("wordprocessingml.document")
    assert CONTENT_TYPES["ods"] == "application/vnd.oasis.opendocument.spreadsheet"


@pytest.mark.parametrize("kind", KINDS_DOCUMENT)
def test_document_validator_accepts_every_document_kind(kind: str) -> None:
    content = SIGNED[kind] if kind in SIGNED else BUILDERS[kind]()
    UploadValidator(KINDS_DOCUMENT, 20 * 1024 * 1024)(upload(content, "lampiran"))


def test_validator_names_the_accepted_kinds() -> None:
    validator = UploadValidator(("pdf", "jpeg", "png"), 5 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        validator(upload(BUILDERS["docx"](), "ktp.pdf"))
    assert caught.value.code == "wrong_type"
    assert "bukan PDF/JPG/PNG" in caught.value.messages[0]


def test_validator_refuses_csv_unless_listed() -> None:
    content = csv_bytes(CSV_SEMICOLON)
    with pytest.raises(ValidationError, match="bukan PDF"):
        UploadValidator(("pdf",), 1024 * 1024)(upload(content, "data.pdf"))
    UploadValidator(("csv",), 1024 * 1024)(upload(content, "data.txt"))


def test_large_upload_kept_in_a_temporary_file_is_sniffed() -> None:
    content = BUILDERS["xlsx"]()
    file = TemporaryUploadedFile("anggaran.xlsx", "application/octet-stream", len(content), None)
    with file:
        file.write(content)
        assert sniff(file) == "xlsx"
        assert file.tell() == len(content)
