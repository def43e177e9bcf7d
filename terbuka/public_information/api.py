"""The DIP harvest API (``/api/v1/dip/``): how a province or national portal copies the
Daftar Informasi Publik of this site and keeps its copy current.

A harvester reads ``entries`` (what is public) and ``removed`` (what stopped being public) in
the order of ``(updated_at, id)``, a page at a time, with an opaque cursor naming the last
``(updated_at, id)`` it saw. Paging is keyset paging: every page is one index range read from
where the previous page ended, never an OFFSET, so the thousandth page costs what the first
does. ``docs/api.md`` describes the protocol for harvesters.

What the public sees is decided by :meth:`DipEntryQuerySet.public`; this module only shapes
it. Never in a response: who created an entry, the PPID's return notes, the text read out of
documents, draft or exempt entries (the ``removed`` feed names their ids, nothing else).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime

from terbuka.organizations.models import Pemda
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    EntryStatus,
    Format,
    Topic,
)

router = Router(tags=["DIP"])

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CURSOR_VERSION = "1"

INVALID_CURSOR = _("Kursor tidak valid; mulai lagi tanpa kursor.")
UNKNOWN_PEMDA = _("Kode wilayah Pemda tidak dikenal.")
ENTRY_NOT_FOUND = _("Entri DIP tidak ditemukan.")

#: The complement of DipEntryQuerySet.public(): entries a harvester must not keep. A test
#: checks that every status and category falls on exactly one side.
NOT_PUBLIC = ~Q(status=EntryStatus.ESTABLISHED) | Q(category=Category.DIKECUALIKAN)


# --- Schemas -----------------------------------------------------------------------------


class DipError(Schema):
    detail: str = Field(
        description="What went wrong, in Indonesian (or English with the language cookie).",
        examples=["Entri DIP tidak ditemukan."],
    )


class DipChoice(Schema):
    code: str = Field(description="Stable machine code.", examples=["berkala"])
    label: str = Field(description="Label in the site's language.", examples=["Berkala"])


class PemdaOut(Schema):
    region_code: str = Field(
        description="Kemendagri region code of the regional government (kode wilayah).",
        examples=["33.25"],
    )
    name: str = Field(
        description="Name of the regional government.", examples=["Pemerintah Kabupaten Batang"]
    )


class BodyOut(Schema):
    code: str = Field(
        description="Code of the public body (OPD) within its Pemda.", examples=["dpmptsp"]
    )
    name: str = Field(
        description="Name of the public body (OPD) that holds the information.",
        examples=["Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"],
    )


class TopicOut(Schema):
    slug: str = Field(description="Topic slug, unique within the Pemda.", examples=["perizinan"])
    name: str = Field(description="Topic name.", examples=["Perizinan"])


class DocumentOut(Schema):
    id: int = Field(description="Document id, stable across file versions.", examples=[311])
    title: str = Field(description="Document title.", examples=["Rekap izin usaha 2025"])
    external: bool = Field(
        description="True when the document is a link to another site rather than a file "
        "kept here; kind and size are then null.",
        examples=[False],
    )
    kind: str | None = Field(
        description="File type of the current version (extension, lower case).",
        examples=["pdf"],
    )
    size: int | None = Field(description="Size of the current version in bytes.", examples=[482113])
    url: str = Field(
        description="Absolute URL: the download of the current version, or the external link.",
        examples=["https://ppid.batangkab.go.id/informasi-publik/dokumen/311/unduh/"],
    )


class EntryOut(Schema):
    """One public entry of the DIP with the columns of the statutory list."""

    id: int = Field(description="Entry id, stable for the life of the entry.", examples=[1042])
    url: str = Field(
        description="Absolute URL of the entry's public page.",
        examples=["https://ppid.batangkab.go.id/informasi-publik/1042/"],
    )
    title: str = Field(description="Title of the information (judul).", examples=["Daftar izin"])
    summary: str = Field(
        description="Summary of the information (ringkasan isi).",
        examples=["Rekap izin usaha yang terbit per kecamatan"],
    )
    body: BodyOut = Field(description="The public body (OPD) that holds the information.")
    pemda: PemdaOut = Field(description="The regional government the body belongs to.")
    category: DipChoice = Field(
        description="Category under UU 14/2008: berkala, serta_merta or setiap_saat."
    )
    legal_basis: str = Field(description="Legal basis (dasar hukum).", examples=["Perbup 12/2024"])
    holder: str = Field(
        description="Official or unit that holds the information.", examples=["Bidang Perizinan"]
    )
    responsible: str = Field(
        description="Who is responsible for producing or issuing it.",
        examples=["Kepala Bidang Perizinan"],
    )
    produced_when: str = Field(description="When it was produced or issued.", examples=["2025"])
    produced_where: str = Field(description="Where it was produced or issued.", examples=["Batang"])
    formats: list[DipChoice] = Field(
        description="Forms in which it is available: cetak, elektronik, situs, audiovisual."
    )
    retention: str = Field(description="How long it is kept.", examples=["5 tahun"])
    year: int = Field(description="Year of the information.", examples=[2025])
    topics: list[TopicOut] = Field(description="Topics the entry is filed under.")
    published_at: dt.datetime | None = Field(
        description="When the entry was first published (UTC).",
        examples=["2026-01-15T02:00:00Z"],
    )
    updated_at: dt.datetime = Field(
        description="Last change of the entry (UTC); the harvest order.",
        examples=["2026-03-17T03:00:00.123Z"],
    )
    refreshed_on: dt.date | None = Field(
        description="Berkala entries: the day the information was last brought up to date; "
        "null for other categories.",
        examples=["2026-01-10"],
    )
    refresh_due_on: dt.date | None = Field(
        description="Berkala entries: the day it must be brought up to date again (at most "
        "six months later); null for other categories.",
        examples=["2026-07-10"],
    )
    documents: list[DocumentOut] = Field(description="Documents of the entry.")


class EntryPage(Schema):
    items: list[EntryOut] = Field(description="Public entries in (updated_at, id) order.")
    next_cursor: str | None = Field(
        description="Opaque cursor after the last item; pass it as `cursor` for the next page. "
        "On an empty page, the cursor that was sent (null if none).",
        examples=["MXwyMDI2LTAzLTE3VDAzOjAwOjAwKzAwOjAwfDEwNDI"],
    )
    has_more: bool = Field(
        description="Whether more items follow this page right now.", examples=[False]
    )


class RemovedOut(Schema):
    id: int = Field(description="Id of an entry that is not public.", examples=[977])
    updated_at: dt.datetime = Field(
        description="When it changed (UTC).", examples=["2026-03-18T01:30:00Z"]
    )


class RemovedPage(Schema):
    items: list[RemovedOut] = Field(
        description="Entries that are not public (withdrawn, exempt, back in draft), changed "
        "since `changed_since`, in (updated_at, id) order. Delete them from a copy if present."
    )
    next_cursor: str | None = Field(
        description="Opaque cursor after the last item; pass it as `cursor` for the next page.",
        examples=["MXwyMDI2LTAzLTE4VDAxOjMwOjAwKzAwOjAwfDk3Nw"],
    )
    has_more: bool = Field(description="Whether more items follow this page right now.")


class _PageParams(Schema):
    cursor: str | None = Field(
        None,
        description="The `next_cursor` of the previous page; leave out for the first page.",
        max_length=200,
    )
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (1–500).", examples=[100]
    )
    pemda: str | None = Field(
        None,
        description="Only entries of the Pemda with this Kemendagri region code.",
        max_length=5,
        examples=["33.25"],
    )


class HarvestParams(_PageParams):
    changed_since: AwareDatetime | None = Field(
        None,
        description="Only entries changed at or after this moment (ISO 8601 with a time zone).",
        examples=["2026-03-01T00:00:00+07:00"],
    )


class RemovedParams(_PageParams):
    changed_since: AwareDatetime = Field(
        description="Entries that stopped being public at or after this moment (ISO 8601 with "
        "a time zone): the start of the previous harvest.",
        examples=["2026-03-01T00:00:00+07:00"],
    )


# --- Cursor ----------------------------------------------------------------------------


def cursor_encode(updated_at: dt.datetime, pk: int) -> str:
    """An opaque cursor naming the position right after ``(updated_at, pk)``."""
    raw = f"{CURSOR_VERSION}|{updated_at.astimezone(dt.UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        version, moment, pk = raw.split("|")
        updated_at = dt.datetime.fromisoformat(moment)
        position = (updated_at, int(pk))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise HttpError(400, str(INVALID_CURSOR)) from error
    if version != CURSOR_VERSION or updated_at.tzinfo is None:
        raise HttpError(400, str(INVALID_CURSOR))
    return position


# --- Reads -----------------------------------------------------------------------------


def _entries() -> QuerySet[DipEntry]:
    """Public entries with everything a page shows, in a fixed number of queries: the
    entries with their body and Pemda, then their topics, then their documents."""
    documents = (
        Document.objects.select_related("current")
        .only("id", "entry_id", "title", "url", "current__kind", "current__size")
        .order_by("title", "id")
    )
    return (
        DipEntry.objects.public()
        .select_related("opd", "pemda")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name")),
            Prefetch("documents", queryset=documents),
        )
    )


def _harvest(
    queryset: QuerySet[DipEntry], params: HarvestParams | RemovedParams
) -> tuple[list[DipEntry], str | None, bool]:
    """One page of ``queryset`` in ``(updated_at, id)`` order after ``params.cursor``.

    With ``pemda``, the query is ``pemda_id = ? AND updated_at >= ? ORDER BY updated_at, id
    LIMIT n``: one range of the ``dip_changed (pemda, updated_at, id)`` index, read in order
    and stopped after ``limit + 1`` rows (status and category are checked on those rows).
    Without ``pemda`` no index leads with ``updated_at``, so no index serves the order:
    PostgreSQL scans the table and keeps the first ``limit + 1`` rows in a top-N heapsort
    (about 90 ms a page at 100,000 entries, against 0.1 ms with ``pemda``), and the cost of a
    page grows with the table. Harvesters are told to pass ``pemda``; serving the query
    without it as one index range needs an index on ``(updated_at, id)``.
    """
    if params.pemda is not None:
        pemda_id = (
            Pemda.objects.filter(region_code=params.pemda).values_list("pk", flat=True).first()
        )
        if pemda_id is None:
            raise HttpError(404, str(UNKNOWN_PEMDA))
        queryset = queryset.filter(pemda_id=pemda_id)
    if params.changed_since is not None:
        queryset = queryset.filter(updated_at__gte=params.changed_since)
    if params.cursor:
        updated_at, pk = cursor_decode(params.cursor)
        # (updated_at, id) > (t, pk), spelled so that "updated_at >= t" is an index range.
        queryset = queryset.filter(updated_at__gte=updated_at).exclude(
            updated_at=updated_at, id__lte=pk
        )
    rows = list(queryset.order_by("updated_at", "id")[: params.limit + 1])
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    last = rows[-1] if rows else None
    next_cursor = cursor_encode(last.updated_at, last.pk) if last else params.cursor
    return rows, next_cursor, has_more


# --- Shaping ---------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _choice(code: str, choices: type[Category] | type[Format]) -> DipChoice:
    label = choices(code).label if code in choices.values else code
    return DipChoice(code=code, label=str(label))


def _document_out(document: Document) -> DocumentOut | None:
    """A link document, or a file with a current version, as the entry page offers them."""
    if document.url:
        return DocumentOut(
            id=document.pk,
            title=document.title,
            external=True,
            kind=None,
            size=None,
            url=document.url,
        )
    if document.current is not None:
        return DocumentOut(
            id=document.pk,
            title=document.title,
            external=False,
            kind=document.current.kind,
            size=document.current.size,
            url=_absolute(reverse("public_information:download", args=[document.pk])),
        )
    return None  # no file uploaded yet and no link: nothing to offer


def entry_out(entry: DipEntry) -> EntryOut:
    berkala = entry.category == Category.BERKALA
    documents = [_document_out(document) for document in entry.documents.all()]
    return EntryOut(
        id=entry.pk,
        url=_absolute(reverse("public_information:entry", args=[entry.pk])),
        title=entry.title,
        summary=entry.summary,
        body=BodyOut(code=entry.opd.code, name=entry.opd.name),
        pemda=PemdaOut(region_code=entry.pemda.region_code, name=entry.pemda.name),
        category=_choice(entry.category, Category),
        legal_basis=entry.legal_basis,
        holder=entry.holder,
        responsible=entry.responsible,
        produced_when=entry.produced_when,
        produced_where=entry.produced_where,
        formats=[_choice(code, Format) for code in entry.formats],
        retention=entry.retention,
        year=entry.year,
        topics=[TopicOut(slug=topic.slug, name=topic.name) for topic in entry.topics.all()],
        published_at=entry.published_at,
        updated_at=entry.updated_at,
        refreshed_on=entry.refreshed_on if berkala else None,
        refresh_due_on=entry.refresh_due_on if berkala else None,
        documents=[document for document in documents if document is not None],
    )


# --- Endpoints -------------------------------------------------------------------------


@router.get(
    "/entries",
    response={200: EntryPage, 400: DipError, 404: DipError},
    summary="Harvest public DIP entries",
)
def entries(request: HttpRequest, params: Query[HarvestParams]) -> EntryPage:
    """Public entries of the DIP in `(updated_at, id)` order, a page at a time.

    First harvest: no `changed_since`, follow `next_cursor` while `has_more`. Later harvests:
    `changed_since` = the start of the previous harvest (minus a few minutes of overlap),
    then the same paging; read `/dip/removed` for the same moment to drop entries that are
    no longer public. Pass `pemda` (region code): the query is then one index range.
    400: the cursor is not one this API made; 404: no Pemda has that region code.
    """
    rows, next_cursor, has_more = _harvest(_entries(), params)
    return EntryPage(
        items=[entry_out(entry) for entry in rows], next_cursor=next_cursor, has_more=has_more
    )


@router.get(
    "/removed",
    response={200: RemovedPage, 400: DipError, 404: DipError},
    summary="Entries that are no longer public",
)
def removed(request: HttpRequest, params: Query[RemovedParams]) -> RemovedPage:
    """Ids of entries that are not public and changed since `changed_since`: withdrawn
    (dicabut), made exempt (dikecualikan), or taken back for revision. A harvester deletes
    these ids from its copy; an id it never had can be ignored. Only ids and times are given.
    400: the cursor is not one this API made; 404: no Pemda has that region code.
    """
    queryset = DipEntry.objects.filter(NOT_PUBLIC).only("id", "updated_at")
    rows, next_cursor, has_more = _harvest(queryset, params)
    return RemovedPage(
        items=[RemovedOut(id=entry.pk, updated_at=entry.updated_at) for entry in rows],
        next_cursor=next_cursor,
        has_more=has_more,
    )


@router.get(
    "/entries/{entry_id}",
    response={200: EntryOut, 404: DipError},
    summary="One public DIP entry",
)
def entry_detail(request: HttpRequest, entry_id: int) -> Status[EntryOut | DipError]:
    """One public entry; 404 if it does not exist or is not public."""
    entry = _entries().filter(pk=entry_id).order_by("pk").first()
    if entry is None:
        return Status(404, DipError(detail=str(ENTRY_NOT_FOUND)))
    return Status(200, entry_out(entry))
