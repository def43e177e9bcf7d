"""Plain text of a document for the search index, read according to the kind ``sniff`` found."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from typing import IO, Any

import docx
import openpyxl
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext_lazy as _
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from terbuka.core.errors import DomainError
from terbuka.core.uploads import (
    CSV_DELIMITERS,
    CSV_SAMPLE_BYTES,
    LABELS,
    csv_dialect,
    decode_text,
)

ENCRYPTED = _("Teks tidak dapat dibaca dari berkas %(label)s: berkas terenkripsi.")
DAMAGED = _("Teks tidak dapat dibaca dari berkas %(label)s: berkas rusak atau tidak lengkap.")
TOO_LARGE = _(
    "Teks tidak dapat dibaca dari berkas %(label)s: isinya melebihi %(limit)s MB setelah dibuka."
)

IMAGE_KINDS = ("png", "jpeg", "gif", "webp")
# Guards for the ZIP-based formats, checked from the archive directory before any parsing.
# zipfile itself never inflates a member past the size its directory declares.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
# A spreadsheet may declare a huge used range; only this much of each sheet is read.
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 256
READ_CHUNK = 64 * 1024


class ExtractionError(DomainError):
    """The text of a document could not be read; the message tells the uploader why."""


def extract_text(fileobj: IO[bytes], kind: str, *, max_chars: int = 2_000_000) -> str:
    """Whitespace-normalised text of the document, one line per paragraph or table row.

    Returns "" for images and for a PDF without a text layer (a scan). Raises
    ``ExtractionError`` for an encrypted, damaged or oversized file. At most ``max_chars``
    characters are returned. The file position is left where it was.
    """
    if kind in IMAGE_KINDS:
        return ""
    reader = READERS.get(kind)
    if reader is None:
        raise ValueError(f"No text reader for kind {kind!r}")
    label = LABELS[kind]
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        if kind in ZIP_KINDS:
            _check_archive(fileobj, label)
            fileobj.seek(0)
        with closing(reader(fileobj, label)) as chunks:
            return _collect(chunks, max_chars)
    except ExtractionError:
        raise
    # The parsers raise a wide and undocumented range of exceptions on malformed input (their
    # own errors, KeyError, ValueError, struct.error, zlib.error, XML errors, RecursionError).
    except Exception as error:
        raise ExtractionError(DAMAGED, label=label) from error
    finally:
        fileobj.seek(position)


def _collect(chunks: Iterable[str], max_chars: int) -> str:
    """Join non-empty lines with whitespace runs collapsed, stopping once ``max_chars`` is met."""
    lines: list[str] = []
    size = -1  # no newline before the first line
    for chunk in chunks:
        for raw in chunk.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            lines.append(line)
            size += len(line) + 1
            if size >= max_chars:
                return "\n".join(lines)[: max(max_chars, 0)]
    return "\n".join(lines)


def _check_archive(fileobj: IO[bytes], label: str) -> None:
    """Refuse a ZIP whose members would unpack past the limits (a "zip bomb")."""
    with zipfile.ZipFile(fileobj) as archive:
        members = archive.infolist()
    if (
        len(members) > MAX_MEMBERS
        or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
    ):
        raise ExtractionError(TOO_LARGE, label=label, limit=MAX_UNPACKED_BYTES // (1024 * 1024))


def _pdf_text(fileobj: IO[bytes], label: str) -> Generator[str, None, None]:
    # pypdf caps what one stream may inflate to (75 MB by default), so a compressed-stream bomb
    # fails instead of filling memory. Many published PDFs are encrypted only to restrict
    # printing or copying: their user password is empty and they open without asking (AES
    # needs the cryptography package).
    try:
        reader = PdfReader(fileobj)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError(ENCRYPTED, label=label)
    except DependencyError as error:
        raise ExtractionError(ENCRYPTED, label=label) from error
    for page in reader.pages:
        yield page.extract_text()


def _docx_text(fileobj: IO[bytes], label: str) -> Generator[str, None, None]:
    # python-docx parses with lxml and resolve_entities=False, so entity expansion is off.
    document = docx.Document(fileobj)
    yield from _docx_blocks(document.iter_inner_content())


def _docx_blocks(blocks: Iterable[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
            continue
        for row in block.rows:
            cells = []
            # Each <w:tc> once: ``row.cells`` repeats a merged cell for every grid column and
            # row it spans, and a vertical continuation cell holds no content of its own.
            for tc in row._tr.tc_lst:
                if tc.vMerge == "continue":
                    continue
                cells.append(" ".join(_docx_blocks(_Cell(tc, block).iter_inner_content())))
            yield "\t".join(cells)


def _xlsx_text(fileobj: IO[bytes], label: str) -> Generator[str, None, None]:
    workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield sheet.title
            columns = min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS)
            for row in sheet.iter_rows(max_row=MAX_SHEET_ROWS, max_col=columns, values_only=True):
                yield "\t".join(_cell_text(value) for value in row if value is not None)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


# OpenDocument text is read straight from content.xml rather than through odfpy: odfpy builds
# the whole document tree in memory (with every picture), prints and swallows parse errors, and
# gives no way to stop early. A streaming parse with defusedxml (no DTD, no entities) keeps
# memory flat and stops at max_chars.
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODF_PARAGRAPHS = (f"{TEXT_NS}p", f"{TEXT_NS}h")
ODF_ROW = f"{TABLE_NS}table-row"
ODF_CELLS = (f"{TABLE_NS}table-cell", f"{TABLE_NS}covered-table-cell")
ODF_SPACE = f"{TEXT_NS}s"
ODF_TAB = f"{TEXT_NS}tab"
ODF_LINE_BREAK = f"{TEXT_NS}line-break"
ODF_SKIPPED = (f"{OFFICE_NS}annotation", f"{OFFICE_NS}annotation-end")
MAX_SPACES = 100


def _odf_text(fileobj: IO[bytes], label: str) -> Generator[str, None, None]:
    """One chunk per top-level paragraph or heading, and per table row (cells tab-separated)."""
    with zipfile.ZipFile(fileobj) as archive, archive.open("content.xml") as content:
        ancestors: list[Any] = []
        unit = None  # the paragraph or row being collected
        for event, element in SafeElementTree.iterparse(
            content, events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                if unit is None and (element.tag in ODF_PARAGRAPHS or element.tag == ODF_ROW):
                    unit = element
                ancestors.append(element)
                continue
            ancestors.pop()
            if element is unit:
                parts: list[str] = []
                _odf_flatten(element, parts, in_cell=False)
                yield "".join(parts)
                unit = None
            if unit is None and ancestors:
                # Done with this element: drop it so memory stays flat on a large document.
                ancestors[-1].remove(element)


def _odf_flatten(element: Any, parts: list[str], *, in_cell: bool) -> None:
    tag = element.tag
    if tag in ODF_SKIPPED:
        return
    if tag == ODF_SPACE:
        parts.append(" " * min(int(element.get(f"{TEXT_NS}c", "1")), MAX_SPACES))
        return
    if tag == ODF_TAB:
        parts.append("\t")
        return
    if tag == ODF_LINE_BREAK:
        parts.append(" " if in_cell else "\n")
        return
    if element.text:
        parts.append(element.text)
    inside_cell = in_cell or tag in ODF_CELLS
    for child in element:
        _odf_flatten(child, parts, in_cell=inside_cell)
        if child.tail:
            parts.append(child.tail)
    if tag in ODF_PARAGRAPHS:
        parts.append(" " if in_cell else "\n")
    elif tag in ODF_CELLS:
        parts.append("\t")
    elif tag == ODF_ROW:
        parts.append("\n")


def _csv_text(fileobj: IO[bytes], label: str) -> Generator[str, None, None]:
    sample = fileobj.read(CSV_SAMPLE_BYTES)
    fileobj.seek(0)
    # Bytes undefined in Windows-1252 are replaced rather than refused: the caller has already
    # accepted the file as CSV.
    text, encoding = decode_text(sample, final=False) or (
        sample.decode("cp1252", "replace"),
        "cp1252",
    )
    newline = "\r" if "\n" not in text and "\r" in text else "\n"  # old Mac line ends
    lines = _lines(fileobj, encoding, newline)
    dialect = csv_dialect(text)
    if dialect is None:
        # Rows too long for the sniffer's sample: the header line shows the delimiter.
        header = text.split(newline, 1)[0]
        rows = csv.reader(lines, delimiter=max(CSV_DELIMITERS, key=header.count))
    else:
        rows = csv.reader(lines, dialect)
    for row in rows:
        yield "\t".join(row)


def _lines(fileobj: IO[bytes], encoding: str, newline: str) -> Iterator[str]:
    """Decoded lines of the file, each with its line end, read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending: list[str] = []  # the start of a line that continues in the next chunk
    while data := fileobj.read(READ_CHUNK):
        *complete, rest = decoder.decode(data).split(newline)
        if complete:
            complete[0] = "".join(pending) + complete[0]
            pending = []
            for line in complete:
                yield line + newline
        pending.append(rest)
    pending.append(decoder.decode(b"", final=True))
    if last := "".join(pending):
        yield last


Reader = Callable[[IO[bytes], str], Generator[str, None, None]]
READERS: dict[str, Reader] = {
    "pdf": _pdf_text,
    "docx": _docx_text,
    "xlsx": _xlsx_text,
    "odt": _odf_text,
    "ods": _odf_text,
    "csv": _csv_text,
}
ZIP_KINDS = ("docx", "xlsx", "odt", "ods")
