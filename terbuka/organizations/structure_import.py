"""Import an organisation structure (OPDs, units, positions and their holders) from XLSX/CSV.

Every row is read and checked first. If anything is wrong, nothing is written and
:class:`StructureImportRejected` lists every problem with its row number and column.
Otherwise the whole file is applied in one transaction; importing the same file twice
changes nothing. The columns are described in ``docs/import-struktur.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, BinaryIO, TypeVar

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from terbuka.core import audit
from terbuka.core.errors import DomainError
from terbuka.organizations import actions
from terbuka.organizations.models import (
    HoldingKind,
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Role,
    Unit,
    User,
    code_validator,
    nip_validator,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
REQUIRED_COLUMNS = ("kode_opd", "kode_jabatan", "nama_jabatan", "peran")
HOLDER_COLUMNS = ("nip", "nama_pegawai", "email", "username", "jenis_penugasan", "mulai", "selesai")
# The text columns, each with the model field whose length limit it obeys.
_TEXT_COLUMNS: dict[str, tuple[type[models.Model], str]] = {
    "kode_opd": (Opd, "code"),
    "nama_opd": (Opd, "name"),
    "singkatan_opd": (Opd, "short_name"),
    "kode_unit": (Unit, "code"),
    "nama_unit": (Unit, "name"),
    "jenis_unit": (Unit, "kind"),
    "kode_unit_induk": (Unit, "code"),
    "kode_jabatan": (Position, "code"),
    "nama_jabatan": (Position, "title"),
    "peran": (Position, "role"),
    "nip": (User, "nip"),
    "nama_pegawai": (User, "full_name"),
    "email": (User, "email"),
    "username": (User, "username"),
    "jenis_penugasan": (PositionHolding, "kind"),
}
_VALIDATORS: dict[str, Callable[[str], None]] = {
    **dict.fromkeys(("kode_opd", "kode_unit", "kode_unit_induk", "kode_jabatan"), code_validator),
    "nip": nip_validator,
    "email": validate_email,
    "username": User.username_validator,
}
_CHOICES = {"jenis_unit": Unit.Kind, "peran": Role, "jenis_penugasan": HoldingKind}
# Model field → column, for what several rows may state about one thing.
_OPD_FIELDS = {"name": "nama_opd", "short_name": "singkatan_opd"}
_UNIT_FIELDS = {"name": "nama_unit", "kind": "jenis_unit", "parent": "kode_unit_induk"}
_POSITION_FIELDS = {"title": "nama_jabatan", "role": "peran", "unit": "kode_unit"}
_USER_FIELDS = {"full_name": "nama_pegawai", "nip": "nip", "email": "email"}
# Content that is certainly no spreadsheet: PDF, legacy .xls (OLE), PNG, JPEG, GIF.
_BINARY_SIGNATURES = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

FILE_TOO_BIG = gettext_lazy("Berkas terlalu besar: batasnya %(limit)s MB.")
FILE_TOO_LONG = gettext_lazy("Berkas terlalu panjang: batasnya %(limit)s baris data.")
FILE_EMPTY = gettext_lazy("Berkas kosong: tidak ada baris data di bawah baris judul kolom.")
FILE_NOT_SPREADSHEET = gettext_lazy(
    "Berkas %(filename)s bukan lembar kerja XLSX atau CSV (UTF-8); simpan ulang dalam salah "
    "satu format itu."
)
FILE_UNREADABLE = gettext_lazy("Berkas XLSX %(filename)s rusak atau tidak dapat dibaca.")

_M = TypeVar("_M", bound=models.Model)
_Key = tuple[Any, ...]


@dataclass(frozen=True)
class RowError:
    row: int  # as the user sees it in the spreadsheet: the header is row 1
    column: str | None
    message: str


class StructureImportRejected(DomainError):
    """Nothing was imported. ``errors`` is empty when the file as a whole was refused."""

    default_message = gettext_lazy("Berkas tidak diimpor: %(count)s baris bermasalah.")

    def __init__(self, errors: list[RowError], message: Any = None, **params: Any) -> None:
        self.errors = errors
        if message is None:
            params["count"] = len({error.row for error in errors})
        super().__init__(message, **params)


@dataclass(frozen=True)
class ImportReport:
    opds_created: int = 0
    units_created: int = 0
    positions_created: int = 0
    positions_updated: int = 0
    users_created: int = 0
    holdings_created: int = 0


def structure_import(
    *, actor: User, pemda: Pemda, uploaded_file: UploadedFile | BinaryIO, filename: str
) -> ImportReport:
    """Create or update the structure of ``pemda`` from a spreadsheet; all or nothing."""
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise StructureImportRejected([], FILE_TOO_BIG, limit=MAX_BYTES // (1024 * 1024))
    errors: list[RowError] = []
    rows = [_parse_row(number, cells, errors) for number, cells in _records(data, filename)]
    plan = _plan(rows, pemda, errors)
    if errors:
        raise StructureImportRejected(sorted(errors, key=lambda error: error.row))
    with transaction.atomic():
        report = _apply(plan, pemda)
        audit_data = {"filename": filename, **asdict(report)}
        audit.record(action=actions.STRUCTURE_IMPORTED, actor=actor, obj=pemda, data=audit_data)
    return report


# Reading the file --------------------------------------------------------------------------


def _records(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """The data rows as (row number, {column: cell value})."""
    table = _read_table(data, filename)
    if not table:
        raise StructureImportRejected([], FILE_EMPTY)
    (header_number, header), body = table[0], table[1:]
    columns = [re.sub(r"[\s_]+", "_", _text(cell).lower()) for cell in header]
    if missing := [column for column in REQUIRED_COLUMNS if column not in columns]:
        message = _("kolom '%(column)s' tidak ada di baris judul")
        errors = [RowError(header_number, c, message % {"column": c}) for c in missing]
        raise StructureImportRejected(errors)
    if not body:
        raise StructureImportRejected([], FILE_EMPTY)
    return [(number, dict(zip(columns, cells, strict=False))) for number, cells in body]


def _read_table(data: bytes, filename: str) -> list[tuple[int, Sequence[Any]]]:
    """XLSX is a zip holding ``[Content_Types].xml`` and ``xl/``; anything else must be text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        if not data.startswith(_BINARY_SIGNATURES):
            return _csv_table(data, filename)
    else:
        if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
            return _xlsx_table(data, filename)
    raise StructureImportRejected([], FILE_NOT_SPREADSHEET, filename=filename)


def _xlsx_table(data: bytes, filename: str) -> list[tuple[int, Sequence[Any]]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _collect(book.worksheets[0].iter_rows(values_only=True))
            finally:
                book.close()
    except StructureImportRejected:
        raise
    except Exception as exc:  # a damaged file makes openpyxl raise all kinds of errors
        raise StructureImportRejected([], FILE_UNREADABLE, filename=filename) from exc


def _csv_table(data: bytes, filename: str) -> list[tuple[int, Sequence[Any]]]:
    try:
        text = data.decode("utf-8-sig")
        if _CONTROL_CHARS.search(text):
            raise ValueError("binary content")
        first_line = text.partition("\n")[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (ValueError, csv.Error) as exc:  # UnicodeDecodeError is a ValueError
        raise StructureImportRejected([], FILE_NOT_SPREADSHEET, filename=filename) from exc


def _collect(rows: Iterable[Sequence[Any]]) -> list[tuple[int, Sequence[Any]]]:
    """The non-blank rows with their numbers, refusing more than MAX_ROWS data rows."""
    table: list[tuple[int, Sequence[Any]]] = []
    for number, cells in enumerate(rows, start=1):
        if any(_text(cell) for cell in cells):
            if len(table) > MAX_ROWS:
                raise StructureImportRejected([], FILE_TOO_LONG, limit=MAX_ROWS)
            table.append((number, cells))
    return table


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return "" if value is None else " ".join(str(value).split())


# Checking each row -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """The cleaned values of one row by column; a missing or wrong value is "" or None."""

    number: int
    values: dict[str, Any]
    has_holder: bool

    def __getitem__(self, column: str) -> Any:
        return self.values[column]


def _row_error(number: int, column: str, message: str, /, **params: Any) -> RowError:
    problem = message % params
    return RowError(number, column, _("kolom '%(c)s': %(p)s") % {"c": column, "p": problem})


def _parse_row(number: int, cells: dict[str, Any], errors: list[RowError]) -> _Row:
    def error(column: str, message: str, /, **params: Any) -> None:
        errors.append(_row_error(number, column, message, **params))

    has_holder = any(_text(cells.get(column)) for column in HOLDER_COLUMNS)
    for column in (*REQUIRED_COLUMNS, *(("mulai",) if has_holder else ())):
        if not _text(cells.get(column)):
            error(column, _("wajib diisi"))
    if isinstance(cells.get("nip"), float):  # a number cell keeps only 15 digits
        error("nip", _("NIP tersimpan sebagai angka sehingga terpotong; isi sebagai teks"))
        cells = {**cells, "nip": None}
    values: dict[str, Any] = {c: _clean(c, cells.get(c), error) for c in _TEXT_COLUMNS}
    values.update({c: _clean_date(c, cells.get(c), error) for c in ("mulai", "selesai")})
    if values["mulai"] and values["selesai"] and values["selesai"] < values["mulai"]:
        error("selesai", _("tanggal selesai sebelum tanggal mulai"))
    if has_holder and not (_text(cells.get("nip")) or _text(cells.get("username"))):
        error("nip", _("isi NIP atau username pemangku jabatan"))
    return _Row(number, values, has_holder)


def _clean(column: str, cell: object, error: Callable[..., None]) -> str:
    value = _text(cell)
    value = value.lower() if column.startswith("kode_") else value
    value = value.replace(" ", "") if column == "nip" else value
    model, name = _TEXT_COLUMNS[column]
    limit = getattr(model._meta.get_field(name), "max_length", None) or len(value)
    if choices := _CHOICES.get(column):
        with translation.override(None):  # labels in Indonesian, the source language
            lookup = {_norm(str(label)): v for v, label in choices.choices}
        found = (lookup | {_norm(v): v for v in choices.values}).get(_norm(value), "")
        if value and not found:
            message = _("nilai '%(value)s' tidak dikenal (pilihan: %(choices)s)")
            error(column, message, value=value, choices=", ".join(choices.values))
        return found
    if len(value) > limit:
        error(column, _("paling banyak %(limit)s karakter"), limit=limit)
        return ""
    try:
        if value and (validator := _VALIDATORS.get(column)):
            validator(value)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        error(column, _("'%(value)s' tidak sah: %(reason)s"), value=value, reason=reason)
        return ""
    return value


def _norm(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


def _clean_date(column: str, cell: object, error: Callable[..., None]) -> dt.date | None:
    """An Excel date cell, ``2026-01-05`` or ``05/01/2026`` (day first)."""
    text = _text(cell)
    try:
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return from_excel(cell).date()  # a day number in a cell without a date format
        if match := _ISO_DATE.match(text):
            return dt.date(*map(int, match.groups()))
        if match := _DMY_DATE.match(text):
            return dt.date(*map(int, reversed(match.groups())))
    except (ValueError, OverflowError, TypeError):
        pass
    if text:
        error(column, _("'%(value)s' bukan tanggal (tulis 2026-01-05 atau 05/01/2026)"), value=text)
    return None


# Checking the rows together ----------------------------------------------------------------


class _Facts:
    """What the rows state about each thing; two rows may not state different values."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.first_rows: dict[_Key, int] = {}
        self.values: dict[tuple[_Key, str], tuple[int, Any]] = {}

    def state(self, key: _Key, row: _Row, *columns: str, empty: bool = False, **extra: Any) -> None:
        self.first_rows.setdefault(key, row.number)
        for column, value in ({c: row[c] for c in columns} | extra).items():
            if value in ("", None) and not empty:
                continue
            first_row, first = self.values.setdefault((key, column), (row.number, value))
            if first != value:
                message = _("nilai '%(value)s' berbeda dengan baris %(row)s ('%(first)s')")
                self.error(row.number, column, message, value=value, row=first_row, first=first)

    def get(self, key: _Key, columns: dict[str, str]) -> dict[str, Any]:
        """The stated values by field, for ``columns`` ``{field: column}``."""
        return {name: self.values.get((key, c), (0, ""))[1] for name, c in columns.items()}

    def of(self, kind: str) -> dict[_Key, int]:
        """The things of one kind, by key without the kind, with the first row naming each."""
        return {key[1:]: number for key, number in self.first_rows.items() if key[0] == kind}

    def error(self, number: int, column: str, message: str, /, **params: Any) -> None:
        self.errors.append(_row_error(number, column, message, **params))


@dataclass
class _Plan:
    """Field values by key: OPDs by code, units (parents first) and positions by (opd, code),
    new users by username, and the end date of holdings by (opd, position, username, kind,
    start date)."""

    opds: dict[str, dict[str, Any]] = field(default_factory=dict)
    units: dict[_Key, dict[str, Any]] = field(default_factory=dict)
    positions: dict[_Key, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    holdings: dict[_Key, dt.date | None] = field(default_factory=dict)


def _plan(rows: list[_Row], pemda: Pemda, errors: list[RowError]) -> _Plan:
    facts, plan = _Facts(errors), _Plan()
    for row in (row for row in rows if row["kode_opd"]):
        opd, unit, position = row["kode_opd"], row["kode_unit"], row["kode_jabatan"]
        facts.state(("opd", opd), row, *_OPD_FIELDS.values())
        if unit and any(row[column] for column in _UNIT_FIELDS.values()):
            facts.state(("unit", opd, unit), row, *_UNIT_FIELDS.values())
        if position and row["nama_jabatan"] and row["peran"]:
            facts.state(("position", opd, position), row, *_POSITION_FIELDS.values(), empty=True)
    opds = {code: number for (code,), number in facts.of("opd").items()}
    existing = set(Opd.objects.filter(pemda=pemda, code__in=opds).values_list("code", flat=True))
    for code, number in opds.items():
        plan.opds[code] = facts.get(("opd", code), _OPD_FIELDS)
        if not plan.opds[code]["name"] and code not in existing:
            facts.error(number, "nama_opd", _("wajib diisi untuk perangkat daerah baru"))
    _plan_units(rows, pemda, plan, facts)
    for key in facts.of("position"):
        plan.positions[key] = facts.get(("position", *key), _POSITION_FIELDS)
    _plan_holders(rows, plan, facts)
    return plan


def _plan_units(rows: list[_Row], pemda: Pemda, plan: _Plan, facts: _Facts) -> None:
    existing = Unit.objects.filter(opd__pemda=pemda, opd__code__in=plan.opds)
    parents = {
        (opd, code): parent or ""
        for opd, code, parent in existing.values_list("opd__code", "code", "parent__code")
    }
    in_db, defined = set(parents), facts.of("unit")
    for key, number in defined.items():
        plan.units[key] = facts.get(("unit", *key), _UNIT_FIELDS)
        parents[key] = plan.units[key]["parent"]
        for name in ("name", "kind"):
            if key not in in_db and not plan.units[key][name]:
                facts.error(number, _UNIT_FIELDS[name], _("wajib diisi untuk unit baru"))
    for row in (row for row in rows if row["kode_opd"]):
        for column in ("kode_unit", "kode_unit_induk"):
            if row[column] and (row["kode_opd"], row[column]) not in parents:
                message = _("unit '%(code)s' tidak ada di perangkat daerah ini maupun di berkas")
                facts.error(row.number, column, message, code=row[column])
    depths = {key: _depth(key, parents) for key in defined}
    for key, depth in depths.items():
        if depth is None:
            message = _("rantai unit induk dari unit '%(code)s' melingkar")
            facts.error(defined[key], "kode_unit_induk", message, code=key[1])
    plan.units = {key: plan.units[key] for key in sorted(defined, key=lambda k: depths[k] or 0)}


def _depth(key: _Key, parents: dict[_Key, str]) -> int | None:
    """How many ancestors a unit has, or None when its chain of parents loops."""
    chain = [key]
    while parent := parents.get(chain[-1], ""):
        if (key[0], parent) in chain:
            return None
        chain.append((key[0], parent))
    return len(chain) - 1


def _plan_holders(rows: list[_Row], plan: _Plan, facts: _Facts) -> None:
    """A holder is found by username, else by NIP among existing users, else named by NIP."""
    holders = [r for r in rows if r.has_holder and r["mulai"] and (r["nip"] or r["username"])]
    nips = {row["nip"] for row in holders} - {""}
    by_nip = dict(User.objects.filter(nip__in=nips).order_by("-pk").values_list("nip", "username"))
    named = [(row["username"] or by_nip.get(row["nip"], row["nip"]), row) for row in holders]
    usernames = {username for username, _row in named}
    known = dict(User.objects.filter(username__in=usernames).values_list("username", "nip"))
    for username, row in named:
        facts.state(("user", username), row, *_USER_FIELDS.values())
        if nip := row["nip"]:
            facts.state(("nip", nip), row, username=username)
            if known.get(username) not in (None, "", nip):
                message = _("pengguna '%(username)s' sudah terdaftar dengan NIP lain")
                facts.error(row.number, "nip", message, username=username)
            if by_nip.get(nip, username) != username:
                message = _("NIP ini sudah dipakai pengguna '%(username)s'")
                facts.error(row.number, "username", message, username=by_nip[nip])
        kind = row["jenis_penugasan"] or HoldingKind.DEFINITIF
        key = (row["kode_opd"], row["kode_jabatan"], username, kind, row["mulai"])
        facts.state(("holding", *key), row, "selesai", empty=True)
        plan.holdings[key] = row["selesai"]
    for (username,), number in facts.of("user").items():
        if username not in known:
            plan.users[username] = facts.get(("user", username), _USER_FIELDS)
            if not plan.users[username]["full_name"]:
                facts.error(number, "nama_pegawai", _("wajib diisi untuk pengguna baru"))


# Applying the plan -------------------------------------------------------------------------


def _apply(plan: _Plan, pemda: Pemda) -> ImportReport:
    counts: Counter[str] = Counter()
    opds = {opd.code: opd for opd in Opd.objects.filter(pemda=pemda, code__in=plan.opds)}
    for code, values in plan.opds.items():
        opds[code] = _upsert(Opd, opds.get(code), counts, values, pemda=pemda, code=code)
    code_of = {opd.pk: code for code, opd in opds.items()}
    found_units = Unit.objects.filter(opd__in=opds.values()).select_related("parent")
    units = {(code_of[unit.opd_id], unit.code): unit for unit in found_units}
    for (opd, code), values in plan.units.items():
        values = {**values, "parent": units.get((opd, values["parent"]))}
        units[opd, code] = _upsert(
            Unit, units.get((opd, code)), counts, values, opd=opds[opd], code=code
        )
    found_positions = Position.objects.filter(opd__in=opds.values()).select_related("unit")
    positions = {(code_of[p.opd_id], p.code): p for p in found_positions}
    for (opd, code), values in plan.positions.items():
        values = {**values, "unit": units.get((opd, values["unit"]))}
        positions[opd, code] = _upsert(
            Position, positions.get((opd, code)), counts, values, opd=opds[opd], code=code
        )
    users = {
        user.username: user
        for user in User.objects.filter(username__in={k[2] for k in plan.holdings})
    }
    for username, values in plan.users.items():
        users[username] = User(username=username, **values)
        users[username].set_unusable_password()
        users[username].save()
        counts["users_created"] += 1
    _apply_holdings(plan, positions, users, counts)
    return ImportReport(**{f.name: counts[f.name] for f in fields(ImportReport)})


def _upsert(
    model: type[_M], found: _M | None, counts: Counter[str], values: dict[str, Any], **keys: Any
) -> _M:
    """Create, or update the fields the file states (an empty cell never blanks a value)."""
    counter = f"{model.__name__.lower()}s"
    if found is None:
        counts[f"{counter}_created"] += 1
        return model._default_manager.create(**keys, **values)
    changed = [
        name for name, value in values.items() if value != "" and getattr(found, name) != value
    ]
    for name in changed:
        setattr(found, name, values[name])
    if changed:
        found.save(update_fields=changed)
        counts[f"{counter}_updated"] += 1
    return found


def _apply_holdings(
    plan: _Plan, positions: dict[_Key, Position], users: dict[str, User], counts: Counter[str]
) -> None:
    position_ids = {positions[key[:2]].pk for key in plan.holdings}
    existing = {
        (h.position_id, h.user_id, h.kind, h.starts_on): h
        for h in PositionHolding.objects.filter(position_id__in=position_ids)
    }
    for (opd, code, username, kind, starts_on), ends_on in plan.holdings.items():
        position, user = positions[opd, code], users[username]
        holding = existing.get((position.pk, user.pk, kind, starts_on))
        if holding is None:
            PositionHolding.objects.create(
                position=position, user=user, kind=kind, starts_on=starts_on, ends_on=ends_on
            )
            counts["holdings_created"] += 1
        elif ends_on is not None and holding.ends_on != ends_on:
            holding.ends_on = ends_on
            holding.save(update_fields=["ends_on"])
