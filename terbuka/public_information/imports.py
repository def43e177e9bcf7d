"""Import an OPD's DIP from the XLSX sheets offices keep today.

Offices' sheets differ. :func:`sheet_read` tolerates a title block above the header, header
names in the office's own words (:data:`HEADER_VARIANTS`, then :data:`HEADER_KEYWORDS`), a row
of column numbers under the header, and the category given as section rows ("A. Informasi
yang Wajib Disediakan dan Diumumkan Secara Berkala") instead of a column. It checks every row
and returns the rows ready to import with every problem found (row number as the sheet shows
it, column as the sheet names it, message).

:func:`dip_import` creates the rows as drafts of one OPD through
:func:`services.entry_create`, in one transaction: if any row is refused, nothing is kept. One
``dip.imported`` event records the file and the count. Between the preview and the
confirmation the checked rows travel in a signed token (:func:`pending_dump`), so the file is
read once and never stored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from terbuka.core import audit
from terbuka.core.errors import DomainError
from terbuka.core.uploads import sniff
from terbuka.organizations.models import Opd, User
from terbuka.organizations.selectors import local_today
from terbuka.public_information import actions, services
from terbuka.public_information.models import Category, DipEntry, EntryStatus, Format, Topic

MAX_BYTES = 5 * 1024 * 1024
#: The sheet's XML once unpacked (a small XLSX may inflate to a huge one).
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 1_000
#: How many rows above the header (a title block) are searched for it.
HEADER_SEARCH_ROWS = 30
FIRST_YEAR = 1945
#: How long a checked sheet may wait for its confirmation.
PENDING_MAX_AGE = 60 * 60
_SALT = "terbuka.public_information.imports"

# The DIP columns (RULES.md "DIP columns") as the official form names them. They are the
# names of a legal form in Indonesian, written into sheets and recognised in them, so they
# are not translated.
COLUMN_LABELS: dict[str, str] = {
    "no": "No.",
    "summary": "Ringkasan Isi Informasi / Judul",
    "title": "Judul Informasi",
    "holder": "Pejabat atau Unit yang Menguasai Informasi",
    "responsible": "Penanggung Jawab Pembuatan atau Penerbitan",
    "when_where": "Waktu dan Tempat Pembuatan",
    "produced_when": "Waktu Pembuatan",
    "produced_where": "Tempat Pembuatan",
    "formats": "Bentuk Informasi yang Tersedia",
    "retention": "Jangka Waktu Penyimpanan",
    "category": "Kategori",
    "legal_basis": "Dasar Hukum",
    "year": "Tahun",
    "topics": "Topik",
    "refreshed_on": "Terakhir Diperbarui",
}
#: The columns of the downloadable template, in order.
TEMPLATE_COLUMNS = (
    "no",
    "summary",
    "holder",
    "responsible",
    "when_where",
    "formats",
    "retention",
    "category",
    "legal_basis",
    "year",
    "topics",
)

#: Header names seen in offices' DIP sheets, normalised (:func:`_norm`), by column.
HEADER_VARIANTS: dict[str, str] = {
    **dict.fromkeys(("no", "nomor", "no urut", "nomor urut", "nmr"), "no"),
    **dict.fromkeys(
        (
            "ringkasan isi informasi judul",
            "ringkasan isi informasi",
            "ringkasan informasi",
            "ringkasan",
            "isi informasi",
            "ringkasan isi",
            "judul ringkasan isi informasi",
            "uraian informasi",
        ),
        "summary",
    ),
    **dict.fromkeys(
        ("judul", "judul informasi", "nama informasi", "nama dokumen", "judul dokumen"), "title"
    ),
    **dict.fromkeys(
        (
            "pejabat atau unit yang menguasai informasi",
            "pejabat unit yang menguasai informasi",
            "pejabat yang menguasai informasi",
            "unit yang menguasai informasi",
            "pejabat atau unit yang menguasai",
            "pejabat unit yang menguasai",
            "penguasaan informasi",
            "pejabat unit",
        ),
        "holder",
    ),
    **dict.fromkeys(
        (
            "penanggung jawab pembuatan atau penerbitan",
            "penanggung jawab pembuatan atau penerbitan informasi",
            "penanggung jawab pembuatan penerbitan informasi",
            "penanggung jawab pembuatan penerbitan",
            "penanggungjawab pembuatan atau penerbitan informasi",
            "penanggung jawab",
            "penanggungjawab",
            "pj pembuatan informasi",
        ),
        "responsible",
    ),
    **dict.fromkeys(
        (
            "waktu dan tempat pembuatan",
            "waktu dan tempat pembuatan informasi",
            "waktu dan tempat pembuatan penerbitan informasi",
            "waktu tempat pembuatan",
            "tempat dan waktu pembuatan",
        ),
        "when_where",
    ),
    **dict.fromkeys(("waktu pembuatan", "waktu pembuatan informasi", "waktu"), "produced_when"),
    **dict.fromkeys(("tempat pembuatan", "tempat pembuatan informasi", "tempat"), "produced_where"),
    **dict.fromkeys(
        (
            "bentuk informasi yang tersedia",
            "bentuk informasi",
            "format informasi",
            "bentuk",
            "format",
            "bentuk format informasi",
        ),
        "formats",
    ),
    **dict.fromkeys(
        (
            "jangka waktu penyimpanan",
            "jangka waktu penyimpanan atau retensi arsip",
            "jangka waktu penyimpanan retensi arsip",
            "retensi arsip",
            "retensi",
            "masa simpan",
            "masa retensi",
        ),
        "retention",
    ),
    **dict.fromkeys(
        ("kategori", "kategori informasi", "klasifikasi", "klasifikasi informasi"), "category"
    ),
    **dict.fromkeys(("dasar hukum", "landasan hukum", "dasar hukum informasi"), "legal_basis"),
    **dict.fromkeys(("tahun", "tahun informasi", "tahun pembuatan", "tahun terbit"), "year"),
    **dict.fromkeys(("topik", "tema", "topik informasi"), "topics"),
    **dict.fromkeys(
        ("terakhir diperbarui", "tanggal pembaruan", "tanggal diperbarui", "diperbarui"),
        "refreshed_on",
    ),
}
#: For names not listed above: the first rule whose words all occur in the name decides.
HEADER_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ringkasan",), "summary"),
    (("penanggung",), "responsible"),
    (("penanggungjawab",), "responsible"),
    (("menguasai",), "holder"),
    (("penyimpanan",), "retention"),
    (("retensi",), "retention"),
    (("waktu", "tempat"), "when_where"),
    (("bentuk",), "formats"),
    (("kategori",), "category"),
    (("klasifikasi",), "category"),
    (("dasar", "hukum"), "legal_basis"),
    (("judul",), "title"),
    (("diperbarui",), "refreshed_on"),
)
#: Columns a sheet must have (one of each group).
REQUIRED_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("summary", "title"),
    ("holder",),
    ("responsible",),
    ("when_where", "produced_when"),
    ("formats",),
    ("retention",),
)
#: The cells that say a row is an entry rather than a section heading.
_DETAIL_COLUMNS = (
    "holder",
    "responsible",
    "when_where",
    "produced_when",
    "produced_where",
    "formats",
    "retention",
)

#: Words that name a category, in a cell or a section row.
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("dikecualikan", Category.DIKECUALIKAN),
    ("serta merta", Category.SERTA_MERTA),
    ("sertamerta", Category.SERTA_MERTA),
    ("setiap saat", Category.SETIAP_SAAT),
    ("berkala", Category.BERKALA),
)
#: The sections of the official form, by letter.
SECTION_LETTERS = {
    "a": Category.BERKALA,
    "b": Category.SERTA_MERTA,
    "c": Category.SETIAP_SAAT,
    "d": Category.DIKECUALIKAN,
}
#: Words that name a form of information, by the form (DIP column "format").
FORMAT_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hardcopy", "hard copy", "cetak", "tercetak", "print", "kertas", "fisik"), Format.PRINTED),
    (
        ("softcopy", "soft copy", "elektronik", "digital", "file", "pdf", "berkas"),
        Format.ELECTRONIC,
    ),
    (("situs", "website", "web", "laman", "online", "daring", "internet"), Format.WEBSITE),
    (("audio", "video", "visual", "audiovisual", "rekaman"), Format.AUDIOVISUAL),
)

NOT_XLSX = gettext_lazy(
    "Berkas %(name)s bukan lembar kerja XLSX (jenis dibaca dari isi berkas). Simpan ulang dari "
    "Excel atau LibreOffice sebagai .xlsx."
)
UNREADABLE = gettext_lazy("Berkas XLSX %(name)s rusak atau tidak dapat dibaca.")
TOO_BIG = gettext_lazy("Berkas terlalu besar: batasnya %(limit)s MB.")
TOO_BIG_UNPACKED = gettext_lazy("Isi berkas terlalu besar setelah dibuka: batasnya %(limit)s MB.")
TOO_LONG = gettext_lazy("Berkas terlalu panjang: batasnya %(limit)s baris entri.")
NO_HEADER = gettext_lazy(
    "Baris judul kolom tidak ditemukan pada %(rows)s baris pertama. Baris judul harus memuat "
    "sedikitnya kolom Ringkasan Isi Informasi, Pejabat atau Unit yang Menguasai Informasi dan "
    "Penanggung Jawab Pembuatan atau Penerbitan; unduh templat untuk contohnya."
)
NO_ROWS = gettext_lazy("Tidak ada baris entri di bawah baris judul kolom.")
REJECTED = gettext_lazy(
    "Tidak ada yang diimpor: %(count)s baris bermasalah. Perbaiki lalu unggah lagi."
)
UNKNOWN_CATEGORY = gettext_lazy(
    "kategori '%(value)s' tidak dikenal (pilihan: berkala, serta merta, setiap saat, dikecualikan)"
)
NO_CATEGORY = gettext_lazy(
    'wajib diisi, di kolom ini atau sebagai baris bagian di atasnya (mis. "A. Informasi '
    'yang Wajib Disediakan dan Diumumkan Secara Berkala")'
)
UNKNOWN_FORMAT = gettext_lazy(
    "bentuk '%(value)s' tidak dikenal (tulis mis. softcopy, hardcopy, situs web, audio/visual)"
)
EXPIRED = gettext_lazy("Pratinjau impor sudah kedaluwarsa atau tidak sah; unggah berkasnya lagi.")


@dataclass(frozen=True)
class RowError:
    """A problem with a row (``row`` as the spreadsheet numbers it), or with the header."""

    row: int
    column: str
    message: str


class ImportRejected(DomainError):
    """Nothing was imported. ``errors`` is empty when the file as a whole was refused."""

    def __init__(self, errors: Sequence[RowError], message: Any = None, **params: Any) -> None:
        self.errors = list(errors)
        if message is None:
            message = REJECTED
            params["count"] = len({error.row for error in self.errors})
        super().__init__(message, **params)


@dataclass(frozen=True)
class ImportRow:
    """One checked row: the entry's columns as ``services.entry_create`` takes them."""

    row: int
    data: dict[str, Any]
    topic_ids: tuple[int, ...] = ()

    @property
    def category_label(self) -> str:
        return str(Category(self.data["category"]).label)

    @property
    def format_labels(self) -> str:
        return ", ".join(str(Format(value).label) for value in self.data["formats"])


@dataclass(frozen=True)
class SheetResult:
    """What :func:`sheet_read` found: the rows to import, the problems, and notes on rows
    skipped or values filled in."""

    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    notes: tuple[RowError, ...]
    header_row: int
    columns: dict[str, str]  # column key → the header as the sheet writes it

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# Reading the sheet ---------------------------------------------------------------------------


def sheet_read(upload: IO[bytes], *, opd: Opd, name: str = "") -> SheetResult:
    """Read and check the first worksheet of an XLSX DIP for ``opd``. Raises
    :class:`ImportRejected` when the file as a whole cannot be used."""
    name = name or str(getattr(upload, "name", "") or "berkas")
    if sniff(upload) != "xlsx":
        raise ImportRejected([], NOT_XLSX, name=name)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRejected([], TOO_BIG, limit=MAX_BYTES // (1024 * 1024))
    table = _table(data, name)
    header_row, columns = _header(table)
    reader = _RowReader(opd, columns, local_today(opd.pemda))
    body = [(number, cells) for number, cells in table if number > header_row]
    rows = [row for number, cells in body if (row := reader.read(number, cells)) is not None]
    if len(rows) > MAX_ROWS:
        raise ImportRejected([], TOO_LONG, limit=MAX_ROWS)
    if not rows and not reader.errors:
        raise ImportRejected([], NO_ROWS)
    reader.check_duplicates(rows)
    failed = {error.row for error in reader.errors}
    return SheetResult(
        rows=tuple(row for row in rows if row.row not in failed),
        errors=tuple(sorted(reader.errors, key=lambda error: error.row)),
        notes=tuple(reader.notes),
        header_row=header_row,
        columns={key: text for key, (_index, text) in columns.items()},
    )


def _table(data: bytes, name: str) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-blank rows of the first worksheet, with their numbers."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRejected([], UNREADABLE, name=name) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRejected([], TOO_BIG_UNPACKED, limit=MAX_UNPACKED_BYTES // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = book.worksheets[0].iter_rows(values_only=True)
                table = []
                for number, cells in enumerate(rows, start=1):
                    if any(_text(cell) for cell in cells):
                        table.append((number, tuple(cells)))
                    if len(table) > MAX_ROWS + HEADER_SEARCH_ROWS + 200:
                        raise ImportRejected([], TOO_LONG, limit=MAX_ROWS)
                return table
            finally:
                book.close()
    except ImportRejected:
        raise
    except Exception as error:  # a damaged file makes openpyxl raise all kinds of errors
        raise ImportRejected([], UNREADABLE, name=name) from error


def _norm(text: str) -> str:
    """Lower case, ``&`` as "dan", punctuation as spaces, single spaces."""
    text = text.lower().replace("&", " dan ")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def column_key(header: object) -> str | None:
    """The DIP column a header cell names, if any."""
    text = _norm(_text(header))
    if not text:
        return None
    if text in HEADER_VARIANTS:
        return HEADER_VARIANTS[text]
    words = set(text.split())
    for needed, key in HEADER_KEYWORDS:
        if set(needed) <= words:
            return key
    return None


def _header(
    table: Sequence[tuple[int, tuple[Any, ...]]],
) -> tuple[int, dict[str, tuple[int, str]]]:
    """The header row's number and its columns: key → (cell index, header text)."""
    for number, cells in table[:HEADER_SEARCH_ROWS]:
        columns: dict[str, tuple[int, str]] = {}
        for index, cell in enumerate(cells):
            key = column_key(cell)
            if key is not None and key not in columns:
                columns[key] = (index, _text(cell))
        if len(columns) >= 3 and ({"summary", "title"} & set(columns)):
            missing = [group for group in REQUIRED_COLUMNS if not set(group) & set(columns)]
            if missing:
                errors = [
                    RowError(
                        number, COLUMN_LABELS[group[0]], _("kolom ini tidak ada di baris judul")
                    )
                    for group in missing
                ]
                raise ImportRejected(errors)
            return number, columns
    raise ImportRejected([], NO_HEADER, rows=HEADER_SEARCH_ROWS)


# Checking each row ---------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as one line of text."""
    return " ".join(_lines(value))


def _lines(value: object) -> list[str]:
    """A cell as its non-blank lines, each with single spaces."""
    if value is None:
        return []
    if isinstance(value, bool):
        return [str(value)]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.strftime("%d-%m-%Y")
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return [line for line in lines if line]


def category_of(text: str) -> str | None:
    """The category a cell or section row names ("A. Informasi … Secara Berkala"), if it
    names exactly one."""
    normal = _norm(text).replace("serta-merta", "serta merta")
    found = {category for word, category in CATEGORY_WORDS if word in normal}
    if len(found) == 1:
        return found.pop()
    return SECTION_LETTERS.get(normal)  # "A", "B", … alone: the official sections


def formats_of(text: str) -> tuple[list[str], list[str]]:
    """(formats, words not understood) of a "Bentuk informasi" cell."""
    normal = re.sub(r"audio\s*/\s*visual", "audiovisual", text.lower())
    parts = [part.strip() for part in re.split(r"[,;/+\n]|\bdan\b|\batau\b|&", normal)]
    found: list[str] = []
    unknown: list[str] = []
    for part in filter(None, parts):
        matched = [value for words, value in FORMAT_WORDS if any(word in part for word in words)]
        if matched:
            found += matched
        else:
            unknown.append(part)
    return [value for value in Format.values if value in found], unknown


_WHEN_WHERE_SPLIT = re.compile(r"\s*(?:\n|;|,|\s/\s|/|\s-\s|\s+di\s+)\s*", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def when_where_of(text: str) -> tuple[str, str]:
    """("Januari 2026", "Sekretariat DPMPTSP") of "Januari 2026, Sekretariat DPMPTSP" (also
    split at a semicolon, a slash, a dash, a new line or " di "); ("2026", "") when the cell
    states no place."""
    parts = _WHEN_WHERE_SPLIT.split(text.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    return text.strip(), ""


def _date(cell: object) -> dt.date:
    """An Excel date cell, ``2026-01-05`` or ``05-01-2026`` (day first); raises ValueError."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return from_excel(cell).date()
    text = _text(cell)
    if match := _ISO_DATE.match(text):
        return dt.date(*map(int, match.groups()))
    if match := _DMY_DATE.match(text):
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def _limit(name: str) -> int:
    return int(getattr(DipEntry._meta.get_field(name), "max_length", 0) or 0)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


@dataclass
class _RowReader:
    """Reads the data rows in order, remembering the section (category) it is in."""

    opd: Opd
    columns: dict[str, tuple[int, str]]
    today: dt.date
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    section: str | None = None
    topics: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if "topics" in self.columns:
            for pk, name, slug in Topic.objects.filter(pemda_id=self.opd.pemda_id).values_list(
                "pk", "name", "slug"
            ):
                self.topics[_norm(name)] = pk
                self.topics[slug] = pk

    def label(self, key: str) -> str:
        """The column as the sheet names it (or as the official form does)."""
        found = self.columns.get(key)
        return found[1] if found and found[1] else COLUMN_LABELS[key]

    def cell(self, cells: Sequence[Any], key: str) -> Any:
        found = self.columns.get(key)
        if found is None or found[0] >= len(cells):
            return None
        return cells[found[0]]

    def read(self, number: int, cells: Sequence[Any]) -> ImportRow | None:
        """The row's entry, or None for a row of column numbers or a section heading."""
        filled = [_text(cell) for cell in cells if _text(cell)]
        if _is_column_numbers(filled):
            return None
        no = _text(self.cell(cells, "no"))
        has_detail = any(_text(self.cell(cells, key)) for key in _DETAIL_COLUMNS)
        heading = not has_detail and not no.isdigit() and len(filled) <= 2
        if heading and not _text(self.cell(cells, "category")):
            self._section(number, " ".join(filled))
            return None
        errors: list[RowError] = []

        def error(key: str, message: Any, /, **params: Any) -> None:
            text = str(message) % params if params else str(message)
            errors.append(RowError(number, self.label(key), text))

        data = self._values(number, cells, error)
        topic_ids = tuple(data.pop("_topics"))
        self.errors += errors
        return None if errors else ImportRow(number, data, topic_ids)

    def _section(self, number: int, text: str) -> None:
        category = category_of(text)
        if category is not None:
            self.section = category
        else:
            self.notes.append(
                RowError(number, "", _("dilewati sebagai judul bagian: %(text)s") % {"text": text})
            )

    def _values(
        self, number: int, cells: Sequence[Any], error: Callable[..., None]
    ) -> dict[str, Any]:
        required = _("wajib diisi")
        title, summary = self._title_summary(cells, error)
        values: dict[str, Any] = {"title": title, "summary": summary}
        for key in ("holder", "responsible", "retention"):
            values[key] = self._short(cells, key, error, required=True)
        values["produced_when"], values["produced_where"] = self._when_where(number, cells, error)
        formats_text = _text(self.cell(cells, "formats"))
        formats, unknown = formats_of(formats_text)
        if not formats_text:
            error("formats", required)
        elif unknown:
            error("formats", UNKNOWN_FORMAT, value=", ".join(unknown))
        values["formats"] = formats
        values["category"] = self._category(cells, error)
        values["legal_basis"] = "\n".join(_lines(self.cell(cells, "legal_basis")))
        values["year"] = self._year(cells, values["produced_when"], error)
        values["refreshed_on"] = self._refreshed_on(cells, values["category"], error)
        values["_topics"] = self._topics(cells, error)
        return values

    def _title_summary(self, cells: Sequence[Any], error: Callable[..., None]) -> tuple[str, str]:
        title = _text(self.cell(cells, "title"))
        lines = _lines(self.cell(cells, "summary"))
        summary = "\n".join(lines)
        limit = _limit("title")
        if not title and not summary:
            error("summary" if "summary" in self.columns else "title", _("wajib diisi"))
            return "", ""
        if title and len(title) > limit:
            error("title", _("paling banyak %(limit)s karakter"), limit=limit)
        if not title:
            # "Ringkasan isi informasi" names the information on its first line.
            title = _shorten(lines[0], limit)
            summary = "\n".join(lines[1:]) or summary
        return title, summary or title

    def _short(
        self, cells: Sequence[Any], key: str, error: Callable[..., None], *, required: bool
    ) -> str:
        value = _text(self.cell(cells, key))
        if required and not value:
            error(key, _("wajib diisi"))
        elif len(value) > (limit := _limit(key)):
            error(key, _("paling banyak %(limit)s karakter"), limit=limit)
        return value

    def _when_where(
        self, number: int, cells: Sequence[Any], error: Callable[..., None]
    ) -> tuple[str, str]:
        if "when_where" in self.columns:
            text = _text(self.cell(cells, "when_where"))
            when, where = when_where_of(text)
            key_when = key_where = "when_where"
        else:
            when = _text(self.cell(cells, "produced_when"))
            where = _text(self.cell(cells, "produced_where"))
            key_when, key_where = "produced_when", "produced_where"
        if not when:
            error(key_when, _("wajib diisi"))
        elif len(when) > (limit := _limit("produced_when")):
            error(key_when, _("waktu pembuatan paling banyak %(limit)s karakter"), limit=limit)
        if when and not where:
            where = self.opd.name
            self.notes.append(
                RowError(
                    number,
                    self.label(key_where),
                    _("tempat pembuatan tidak disebut; diisi %(place)s") % {"place": where},
                )
            )
        elif len(where) > (limit := _limit("produced_where")):
            error(key_where, _("tempat pembuatan paling banyak %(limit)s karakter"), limit=limit)
        return when, where

    def _category(self, cells: Sequence[Any], error: Callable[..., None]) -> str:
        text = _text(self.cell(cells, "category"))
        if text:
            category = category_of(text)
            if category is None:
                error("category", UNKNOWN_CATEGORY, value=text)
                return ""
            return category
        if self.section is None:
            error("category", NO_CATEGORY)
            return ""
        return self.section

    def _year(self, cells: Sequence[Any], when: str, error: Callable[..., None]) -> int | None:
        cell = self.cell(cells, "year")
        text = _text(cell)
        if not text:
            # No year given: the year the information was made in, else this year.
            found = _YEAR.search(when)
            return int(found.group(1)) if found else self.today.year
        if isinstance(cell, dt.date):
            return cell.year
        if not re.fullmatch(r"\d{4}", text):
            error("year", _("'%(value)s' bukan tahun (tulis empat angka, mis. 2026)"), value=text)
            return None
        year = int(text)
        if not FIRST_YEAR <= year <= self.today.year + 1:
            error(
                "year",
                _("tahun harus antara %(first)s dan %(last)s"),
                first=FIRST_YEAR,
                last=self.today.year + 1,
            )
            return None
        return year

    def _refreshed_on(
        self, cells: Sequence[Any], category: str, error: Callable[..., None]
    ) -> dt.date | None:
        cell = self.cell(cells, "refreshed_on")
        if not _text(cell) or category != Category.BERKALA:
            return None
        try:
            value = _date(cell)
        except (ValueError, OverflowError, TypeError):
            error(
                "refreshed_on",
                _("'%(value)s' bukan tanggal (tulis 2026-01-05 atau 05-01-2026)"),
                value=_text(cell),
            )
            return None
        if value > self.today:
            error("refreshed_on", str(services.REFRESH_IN_FUTURE))
            return None
        return value

    def _topics(self, cells: Sequence[Any], error: Callable[..., None]) -> list[int]:
        names = [n.strip() for n in re.split(r"[,;\n]", _text(self.cell(cells, "topics")))]
        found: list[int] = []
        for name in filter(None, names):
            pk = self.topics.get(_norm(name)) or self.topics.get(slugify(name))
            if pk is None:
                error(
                    "topics",
                    _("topik '%(value)s' belum ada; tambahkan dulu di halaman Topik"),
                    value=name,
                )
            elif pk not in found:
                found.append(pk)
        return found

    def check_duplicates(self, rows: Iterable[ImportRow]) -> None:
        column = self.label("title" if "title" in self.columns else "summary")
        self.errors += duplicates(self.opd, list(rows), column)


def duplicates(opd: Opd, rows: Sequence[ImportRow], column: str) -> list[RowError]:
    """A title and year may occur once in the file and not already be in the OPD's DIP
    (withdrawn entries aside). One query."""
    existing = set(
        DipEntry.objects.filter(opd=opd)
        .exclude(status=EntryStatus.WITHDRAWN)
        .annotate(lowered=Lower("title"))
        .filter(lowered__in={row.data["title"].lower() for row in rows})
        .values_list("lowered", "year")
    )
    first: dict[tuple[str, int], int] = {}
    errors = []
    for row in rows:
        key = (row.data["title"].lower(), row.data["year"])
        if key in existing:
            message = _("entri dengan judul dan tahun ini sudah ada di DIP perangkat daerah ini")
            errors.append(RowError(row.row, column, message))
        elif key in first:
            message = _("judul dan tahun sama dengan baris %(row)s") % {"row": first[key]}
            errors.append(RowError(row.row, column, message))
        else:
            first[key] = row.row
    return errors


def _is_column_numbers(filled: Sequence[str]) -> bool:
    """A row "1 2 3 … n" under the header (the official form numbers its columns)."""
    stripped = [value.strip("()") for value in filled]
    return len(stripped) >= 3 and stripped == [str(n) for n in range(1, len(stripped) + 1)]


# Importing ---------------------------------------------------------------------------------


def dip_import(
    *, opd: Opd, actor: User, rows: Sequence[ImportRow], filename: str
) -> list[DipEntry]:
    """Create every row as a draft entry of ``opd`` (:func:`services.entry_create`), all in
    one transaction; if any row is refused, nothing is kept and :class:`ImportRejected` lists
    the rows. Records one ``dip.imported`` event with the count."""
    if not opd.is_active:
        raise ImportRejected([], services.OPD_INACTIVE)
    if not rows:
        raise ImportRejected([], NO_ROWS)
    wanted = {pk for row in rows for pk in row.topic_ids}
    topics = {topic.pk: topic for topic in Topic.objects.filter(pk__in=wanted)}
    created: list[DipEntry] = []
    with transaction.atomic():
        # Checked again here: the same preview may be confirmed twice.
        Opd.objects.select_for_update().filter(pk=opd.pk).first()
        errors = duplicates(opd, rows, COLUMN_LABELS["title"])
        if errors:
            raise ImportRejected(errors)
        for row in rows:
            chosen = [topics[pk] for pk in row.topic_ids if pk in topics]
            try:
                entry = services.entry_create(opd=opd, actor=actor, data=row.data, topics=chosen)
            except DomainError as refused:
                errors.append(RowError(row.row, "", str(refused)))
            except ValidationError as invalid:
                errors += _validation_errors(row.row, invalid)
            else:
                created.append(entry)
        if errors:
            raise ImportRejected(errors)
        audit.record(
            action=actions.IMPORTED,
            actor=actor,
            obj=opd,
            opd_id=opd.pk,
            data={
                "berkas": filename,
                "jumlah": len(created),
                "entri": [entry.pk for entry in created],
            },
        )
    return created


def _validation_errors(row: int, invalid: ValidationError) -> Iterator[RowError]:
    if not hasattr(invalid, "error_dict"):
        yield RowError(row, "", " ".join(invalid.messages))
        return
    for name, messages in invalid.message_dict.items():
        try:
            label = str(getattr(DipEntry._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a non-field error
            label = ""
        yield RowError(row, label, " ".join(messages))


# The checked rows between preview and confirmation -------------------------------------------


@dataclass(frozen=True)
class Pending:
    opd_id: int
    actor_id: int
    filename: str
    rows: tuple[ImportRow, ...]


def pending_dump(*, opd: Opd, actor: User, filename: str, rows: Sequence[ImportRow]) -> str:
    """The checked rows as a signed, compressed token for the confirmation form."""
    payload = {
        "o": opd.pk,
        "a": actor.pk,
        "f": filename,
        "r": [
            [
                row.row,
                {
                    **row.data,
                    "refreshed_on": row.data["refreshed_on"].isoformat()
                    if row.data.get("refreshed_on")
                    else None,
                },
                list(row.topic_ids),
            ]
            for row in rows
        ],
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def pending_load(token: str) -> Pending:
    """The rows of a token from :func:`pending_dump`; :class:`ImportRejected` when it is
    expired or not genuine."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=PENDING_MAX_AGE)
        rows = []
        for number, data, topic_ids in payload["r"]:
            refreshed = data.get("refreshed_on")
            data["refreshed_on"] = dt.date.fromisoformat(refreshed) if refreshed else None
            rows.append(ImportRow(int(number), data, tuple(int(pk) for pk in topic_ids)))
        return Pending(int(payload["o"]), int(payload["a"]), str(payload["f"]), tuple(rows))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ImportRejected([], EXPIRED) from error


# The template --------------------------------------------------------------------------------

#: The example row of the template.
TEMPLATE_EXAMPLE: dict[str, Any] = {
    "no": 1,
    "summary": "Rencana Strategis Perangkat Daerah 2026–2030\n"
    "Dokumen perencanaan lima tahunan: tujuan, sasaran, program dan kegiatan.",
    "holder": "Subbagian Perencanaan dan Pelaporan",
    "responsible": "Sekretaris Dinas",
    "when_where": "2026, Sekretariat Dinas",
    "formats": "Softcopy, hardcopy, situs web",
    "retention": "5 tahun",
    "category": "Berkala",
    "legal_basis": "Permendagri Nomor 86 Tahun 2017",
    "year": 2026,
    "topics": "",
}
