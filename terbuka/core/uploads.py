"""Checks on uploaded files: the type is read from the content, not the name; sizes are capped."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPG",
    "gif": "GIF",
    "webp": "WebP",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "odt": "ODT",
    "ods": "ODS",
    "csv": "CSV",
}
KINDS_DOCUMENT = ("pdf", "docx", "xlsx", "odt", "ods", "csv", "png", "jpeg", "gif", "webp")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    # The encoding of an uploaded CSV is not known for certain (UTF-8 or Windows-1252), so no
    # charset is claimed.
    "csv": "text/csv",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}

ZIP_SIGNATURE = b"PK\x03\x04"
# Office Open XML: the main part and the content type it must be declared with. Macro-enabled
# variants (docm, xlsm) and templates declare other content types and are not accepted.
OOXML_MAIN_PARTS = {
    "/word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "/xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
OOXML_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# The package members read while sniffing are small (a few KB); anything larger is not trusted.
MAX_MARKER_BYTES = 1024 * 1024
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,  # a member that the directory lists is missing
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unsupported compression method
    EOFError,
    OSError,
    ValueError,
    zlib.error,
)

CSV_SAMPLE_BYTES = 64 * 1024
# csv.Sniffer's quote detection is quadratic in the worst case (about 0.4 s for 8 KB of `,"`,
# 13 s for 64 KB), so the delimiter is guessed from whole lines within the first 8 KB only: a
# CSV whose first two lines are longer than that is not recognised.
CSV_SNIFF_CHARS = 8 * 1024
CSV_DELIMITERS = ",;\t|"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def sniff(upload: IO[bytes], *, allow_csv: bool = False) -> str | None:
    """The file type its content shows, or None. The file position is left where it was.

    CSV has no signature: it is recognised only when ``allow_csv`` is set, and only after every
    binary format has been ruled out.
    """
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(16)
        for kind, signatures in SIGNATURES.items():
            if any(head.startswith(signature) for signature in signatures):
                return kind
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return "webp"
        if head.startswith(ZIP_SIGNATURE):
            return _sniff_zip(upload)
        if allow_csv:
            upload.seek(0)
            return "csv" if _looks_like_csv(upload.read(CSV_SAMPLE_BYTES + 1)) else None
        return None
    finally:
        upload.seek(position)


def _sniff_zip(upload: IO[bytes]) -> str | None:
    """docx/xlsx/odt/ods for an office package, None for any other ZIP archive."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            mimetype = _small_member(archive, "mimetype")
            if mimetype is not None:
                return ODF_MIMETYPES.get(mimetype.strip())
            content_types = _small_member(archive, "[Content_Types].xml")
            if content_types is None:
                return None
            names = {"/" + name.lower() for name in archive.namelist()}
            return _ooxml_kind(content_types, names)
    except (*ZIP_ERRORS, SafeElementTree.ParseError, DefusedXmlException):
        return None


def _small_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MARKER_BYTES:
        return None
    return archive.read(info)  # zipfile stops at the declared size and checks the CRC


def _ooxml_kind(content_types: bytes, names: set[str]) -> str | None:
    """The kind whose main part ``[Content_Types].xml`` declares and the package holds."""
    root = SafeElementTree.fromstring(content_types, forbid_dtd=True)
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{OOXML_CONTENT_TYPES_NS}Default")
    }
    overrides = {
        element.get("PartName", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{OOXML_CONTENT_TYPES_NS}Override")
    }
    for part, (kind, content_type) in OOXML_MAIN_PARTS.items():
        declared = overrides.get(part, defaults.get("xml"))
        if declared == content_type and part in names:
            return kind
    return None


def decode_text(data: bytes, *, final: bool = True) -> tuple[str, str] | None:
    """(text, encoding) for bytes in UTF-8 (with or without BOM) or Windows-1252, else None.

    ``final=False`` allows a multi-byte UTF-8 character cut at the end of a sample.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=final), encoding
        except UnicodeDecodeError:
            continue
    return None


def csv_dialect(text: str) -> type[csv.Dialect] | None:
    """The dialect of CSV text, if it has one: at least two rows of two or more fields."""
    sample = text[:CSV_SNIFF_CHARS]
    if "\n" not in sample:
        sample = sample.replace("\r", "\n")  # old Mac line ends
    if len(text) > CSV_SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        rows = [row for row in csv.reader(io.StringIO(sample), dialect) if len(row) >= 2]
    except csv.Error:
        return None
    return dialect if len(rows) >= 2 else None


def _looks_like_csv(data: bytes) -> bool:
    truncated = len(data) > CSV_SAMPLE_BYTES
    data = data[:CSV_SAMPLE_BYTES]
    if not data.strip() or b"\x00" in data:
        return False
    decoded = decode_text(data, final=not truncated)
    if decoded is None:
        return False
    text = decoded[0]
    if CONTROL_CHARACTERS.search(text):
        return False
    if truncated and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop the line cut short by the sample
    return csv_dialect(text) is not None


class UploadValidator:
    """Accept only the listed types (by content) up to ``max_bytes``."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int) -> None:
        self.kinds = kinds
        self.max_bytes = max_bytes

    def __call__(self, upload: UploadedFile) -> None:
        if upload.size is not None and upload.size > self.max_bytes:
            raise ValidationError(
                _("Berkas %(name)s terlalu besar: batasnya %(limit)s MB."),
                code="too_large",
                params={"name": upload.name, "limit": self.max_bytes // (1024 * 1024)},
            )
        if sniff(upload, allow_csv="csv" in self.kinds) not in self.kinds:
            raise ValidationError(
                _("Berkas %(name)s bukan %(kinds)s (jenis dibaca dari isi berkas)."),
                code="wrong_type",
                params={
                    "name": upload.name,
                    "kinds": "/".join(LABELS[kind] for kind in self.kinds),
                },
            )
