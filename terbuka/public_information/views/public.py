"""The public DIP, under ``/informasi-publik/``: browse and search the list, read an entry,
download or preview its documents, and suggestions for the request form.

Every page reads :meth:`DipEntryQuerySet.public` only (established, not exempt). Staff names
(who created an entry or uploaded a version) are never shown.

How search, filters, ranking and paging combine on the browse page, in a fixed number of
queries whatever the number of matches:

* The filters (body, category, topic, year) are SQL on ``DipEntry``; the words ``q`` add
  ``pk IN (matching_ids(...))``, a subquery on the search index. Each facet counts, with one
  ``values(...).annotate(Count)`` query, the entries that pass ``q`` and every *other*
  filter, so that a person can switch from one category to another in one click. The number
  of results is read from the category facet (every entry has exactly one category), so no
  separate count query is needed.
* Without ``q`` the page is a plain ``LIMIT``/``OFFSET`` slice, newest ``published_at`` first.
* With ``q`` and no filter, ``search()`` returns the ranked ids of the page window itself
  (``limit``/``offset`` in SQL).
* With ``q`` and filters, ``search()`` cannot take the filters, so the view fetches the
  ranked ids of every match (one query, ids only), the ids passing the filters (one query,
  ids only) and keeps the rank order of the intersection before slicing the window. Both
  lists are integers bounded by the number of matches of one Pemda's DIP (hundreds to a few
  thousand), never rows. A ``search(..., within=<id subquery>)`` in the search app would move
  this intersection into SQL.
* The entries of the window are then read with their body, topics and documents (three
  queries) and put in rank order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.functions import Substr
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from terbuka.core.ratelimit import over_limit
from terbuka.core.templatetags.paging import PAGE_PARAMETER
from terbuka.core.uploads import CONTENT_TYPES, LABELS
from terbuka.organizations.context_processors import site_pemda
from terbuka.organizations.models import Pemda
from terbuka.public_information.index import KIND
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    DocumentVersion,
    Format,
)
from terbuka.search.selectors import matching_ids, search
from terbuka.search.text import query_terms, snippet, stem, tokens

PER_PAGE = 20
SNIPPET_LENGTH = 220
# Characters of each document's text read for a result's snippet (a long PDF's text can run
# to megabytes; the snippet only needs a passage).
SNIPPET_SOURCE_CHARS = 20_000
MAX_QUERY_CHARS = 200
SUGGESTIONS = 5
SUGGEST_MIN_CHARS = 3
SUGGESTS_PER_MINUTE = 60
# Kinds a browser shows by itself; other kinds are only downloaded.
INLINE_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})

# Query-string parameters of the browse page.
QUERY, OPD, CATEGORY, TOPIC, YEAR = "q", "opd", "kategori", "topik", "tahun"
PUBLIC_CATEGORIES = [choice for choice in Category if choice != Category.DIKECUALIKAN]

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Filters:
    """What the person asked the browse page for; unknown or malformed values are ignored."""

    query: str = ""
    opd_id: int | None = None
    category: str = ""
    topic: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, params: QueryDict) -> Filters:
        category = params.get(CATEGORY, "")
        return cls(
            query=params.get(QUERY, "").strip()[:MAX_QUERY_CHARS],
            opd_id=_positive_int(params.get(OPD, "")),
            category=category if category in PUBLIC_CATEGORIES else "",
            topic=params.get(TOPIC, "")[:120],
            year=_positive_int(params.get(YEAR, "")),
        )

    @property
    def has_facets(self) -> bool:
        return bool(self.opd_id or self.category or self.topic or self.year)

    def apply(self, entries: QuerySet[DipEntry], *, skip: str = "") -> QuerySet[DipEntry]:
        """``entries`` narrowed by every facet filter but ``skip``."""
        if self.opd_id and skip != OPD:
            entries = entries.filter(opd_id=self.opd_id)
        if self.category and skip != CATEGORY:
            entries = entries.filter(category=self.category)
        if self.year and skip != YEAR:
            entries = entries.filter(year=self.year)
        if self.topic and skip != TOPIC:
            # A subquery on the link table, so that the topic facet's own join is not
            # narrowed to this topic.
            tagged = DipEntry.topics.through.objects.filter(topic__slug=self.topic)
            entries = entries.filter(pk__in=tagged.values("dipentry_id"))
        return entries


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class Facet:
    param: str
    title: str
    options: list[FacetOption]
    clear_url: str
    active: bool


@dataclass(frozen=True)
class Result:
    entry: DipEntry
    snippet: list[tuple[str, bool]]
    document_count: int


def _positive_int(value: str) -> int | None:
    if value.isdecimal() and len(value) <= 18:
        return int(value) or None
    return None


def _pemda(request: HttpRequest) -> Pemda:
    """The Pemda whose site this is (the lookup the page header already made)."""
    pemda: Pemda | None = site_pemda(request)["site_pemda"]
    if pemda is None:
        raise Http404
    return pemda


def _url_with(params: QueryDict, name: str, value: str | int | None) -> str:
    """The current query string with ``name`` set to ``value`` (or removed), on page one."""
    changed = params.copy()
    changed.pop(PAGE_PARAMETER, None)
    changed.pop(name, None)
    if value not in (None, ""):
        changed[name] = str(value)
    encoded = changed.urlencode()
    return "?" + encoded if encoded else "?"


def _facet(
    params: QueryDict,
    param: str,
    title: str,
    active: object,
    rows: Iterable[tuple[object, str, int]],
) -> Facet:
    options = [
        FacetOption(
            label=label,
            count=count,
            url=_url_with(params, param, str(value)),
            active=value == active,
        )
        for value, label, count in rows
    ]
    return Facet(param, title, options, _url_with(params, param, None), bool(active))


def _facets(
    entries: QuerySet[DipEntry], filters: Filters, params: QueryDict
) -> tuple[list[Facet], int]:
    """The four facets (one grouped query each) and the number of entries that pass all."""
    by_opd = (
        filters.apply(entries, skip=OPD)
        .values("opd", "opd__name")
        .annotate(n=Count("pk"))
        .order_by("opd__name", "opd")
    )
    by_category = {
        row["category"]: row["n"]
        for row in filters.apply(entries, skip=CATEGORY)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_year = (
        filters.apply(entries, skip=YEAR).values("year").annotate(n=Count("pk")).order_by("-year")
    )
    by_topic = (
        DipEntry.topics.through.objects.filter(
            dipentry_id__in=filters.apply(entries, skip=TOPIC).values("pk")
        )
        .values("topic__slug", "topic__name")
        .annotate(n=Count("dipentry_id"))
        .order_by("topic__name", "topic__slug")
    )

    facets = [
        _facet(
            params,
            OPD,
            _("Badan publik"),
            filters.opd_id,
            ((row["opd"], row["opd__name"], row["n"]) for row in by_opd),
        ),
        _facet(
            params,
            CATEGORY,
            _("Kategori"),
            filters.category,
            (
                (choice.value, str(choice.label), by_category[choice.value])
                for choice in PUBLIC_CATEGORIES
                if by_category.get(choice.value)
            ),
        ),
        _facet(
            params,
            TOPIC,
            _("Topik"),
            filters.topic,
            ((row["topic__slug"], row["topic__name"], row["n"]) for row in by_topic),
        ),
        _facet(
            params,
            YEAR,
            _("Tahun"),
            filters.year,
            ((row["year"], str(row["year"]), row["n"]) for row in by_year),
        ),
    ]
    # Every entry has exactly one category, so that facet also counts the results.
    selected = [by_category.get(filters.category, 0)] if filters.category else by_category.values()
    return facets, sum(selected)


def _window_ids(
    pemda: Pemda, filtered: QuerySet[DipEntry], filters: Filters, offset: int
) -> list[int]:
    """The ids of the page's entries, best match first (only called with words to match)."""
    if not filters.has_facets:
        return search(
            KIND, filters.query, public_only=True, pemda_id=pemda.pk, limit=PER_PAGE, offset=offset
        ).ids
    ranked = search(KIND, filters.query, public_only=True, pemda_id=pemda.pk).ids
    allowed = set(filtered.values_list("pk", flat=True))
    return [entry_id for entry_id in ranked if entry_id in allowed][offset : offset + PER_PAGE]


def _with_details(entries: QuerySet[DipEntry]) -> QuerySet[DipEntry]:
    documents = Document.objects.annotate(
        text_head=Substr("current__text", 1, SNIPPET_SOURCE_CHARS)
    ).only("id", "entry_id", "title")
    return entries.select_related("opd").prefetch_related(
        "topics", Prefetch("documents", queryset=documents)
    )


def _marked(passage: str, query: str) -> list[tuple[str, bool]]:
    """``passage`` cut into (text, is a matched word) parts, for ``<mark>`` in the template."""
    terms = set(query_terms(query))
    if not terms:
        return [(passage, False)]
    parts: list[tuple[str, bool]] = []
    last = 0
    for word in _WORD.finditer(passage):
        if any(stem(token) in terms for token in tokens(word.group())):
            parts += [(passage[last : word.start()], False), (word.group(), True)]
            last = word.end()
    parts.append((passage[last:], False))
    return [part for part in parts if part[0]]


def _result(entry: DipEntry, query: str) -> Result:
    documents = list(entry.documents.all())
    texts = [entry.summary, *(getattr(document, "text_head", "") or "" for document in documents)]
    passage = snippet("\n".join(text for text in texts if text), query, SNIPPET_LENGTH)
    return Result(entry=entry, snippet=_marked(passage, query), document_count=len(documents))


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    pemda = _pemda(request)
    filters = Filters.from_query(request.GET)
    entries = DipEntry.objects.public().filter(pemda=pemda)
    if filters.query:
        entries = entries.filter(
            pk__in=matching_ids(KIND, filters.query, public_only=True, pemda_id=pemda.pk)
        )
    facets, total = _facets(entries, filters, request.GET)
    page: Page = Paginator(range(total), PER_PAGE).get_page(request.GET.get(PAGE_PARAMETER))
    offset = max(page.start_index() - 1, 0)
    filtered = filters.apply(entries)
    results: list[DipEntry] = []
    if total and filters.query:
        ids = _window_ids(pemda, filtered, filters, offset)
        found = {entry.pk: entry for entry in _with_details(filtered.filter(pk__in=ids))}
        results = [found[entry_id] for entry_id in ids if entry_id in found]
    elif total:
        # Public entries always carry published_at (set when the PPID establishes them), so
        # the order is the ``dip_published`` index's.
        newest = filtered.order_by("-published_at", "-id")
        results = list(_with_details(newest)[offset : offset + PER_PAGE])
    page.object_list = [_result(entry, filters.query) for entry in results]
    return render(
        request,
        "public_information/public/browse.html",
        {
            "filters": filters,
            "facets": facets,
            "total": total,
            "page": page,
            "searching": bool(filters.query),
            "hidden_filters": [
                (name, value)
                for name, value in (
                    (OPD, filters.opd_id),
                    (CATEGORY, filters.category),
                    (TOPIC, filters.topic),
                    (YEAR, filters.year),
                )
                if value
            ],
        },
    )


def _public_entry(entry_id: int) -> DipEntry:
    return get_object_or_404(
        DipEntry.objects.public().select_related("opd", "pemda").prefetch_related("topics"),
        pk=entry_id,
    )


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    version: DocumentVersion | None
    kind_label: str
    preview: str  # "pdf", "image" or "" (no preview)


def _document_row(document: Document) -> DocumentRow:
    version = document.current if not document.url else None
    kind = version.kind if version is not None else ""
    preview = ""
    if kind == "pdf":
        preview = "pdf"
    elif kind in IMAGE_KINDS:
        preview = "image"
    return DocumentRow(document, version, LABELS.get(kind, kind.upper()), preview)


@require_GET
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    found = _public_entry(entry_id)
    documents = (
        found.documents.select_related("current")
        .defer("current__text", "current__text_error")
        .order_by("title", "id")
    )
    rows = [_document_row(document) for document in documents]
    online = [row for row in rows if row.document.url or row.version is not None]
    request_url = ""
    if not online:
        request_url = (
            reverse("information_requests:form")
            + "?"
            + urlencode({"informasi": f"{found.title} — {found.opd.name}", "opd": found.opd_id})
        )
    formats = [str(Format(value).label) for value in found.formats if value in Format.values]
    return render(
        request,
        "public_information/public/entry.html",
        {
            "entry": found,
            "documents": online,
            "formats": formats,
            "request_url": request_url,
        },
    )


def _public_document(document_id: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("current").filter(
            entry__in=DipEntry.objects.public().values("pk")
        ),
        pk=document_id,
    )


def _count_download(document: Document) -> None:
    """One more download of the document and of its entry, counted in the database."""
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
        DipEntry.objects.filter(pk=document.entry_id).update(download_count=F("download_count") + 1)


def _file_response(version: DocumentVersion, *, inline: bool) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=version.name,
        content_type=CONTENT_TYPES.get(version.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    """The current version as an attachment, or a redirect to where a link document lives."""
    document = _public_document(document_id)
    if document.url:
        _count_download(document)
        return HttpResponseRedirect(document.url)
    if document.current is None:
        raise Http404
    response = _file_response(document.current, inline=False)
    _count_download(document)
    return response


@require_GET
@xframe_options_sameorigin
def preview(request: HttpRequest, document_id: int) -> HttpResponseBase:
    """The current version shown in the browser (PDF and images only; the entry page frames
    it). Not counted as a download: it is shown on every visit of the entry page. Other
    kinds and links go through :func:`download`."""
    document = _public_document(document_id)
    if document.url or document.current is None or document.current.kind not in INLINE_KINDS:
        return redirect("public_information:download", document_id=document.pk)
    return _file_response(document.current, inline=True)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Up to five public entries matching what a person types in the request form."""
    query = request.GET.get(QUERY, "").strip()[:MAX_QUERY_CHARS]
    if len(query) < SUGGEST_MIN_CHARS:
        return JsonResponse({"results": []})
    if over_limit(request, "public_information.suggest", SUGGESTS_PER_MINUTE, 60):
        return JsonResponse({"results": []}, status=429)
    pemda = _pemda(request)
    ids = search(
        KIND, query, public_only=True, pemda_id=pemda.pk, prefix=True, limit=SUGGESTIONS
    ).ids
    found = {
        entry.pk: entry
        for entry in DipEntry.objects.public()
        .filter(pemda=pemda, pk__in=ids)
        .select_related("opd")
        .only("id", "title", "opd__name")
    }
    results = [
        {
            "id": entry.pk,
            "title": entry.title,
            "body": entry.opd.name,
            "url": reverse("public_information:entry", args=[entry.pk]),
        }
        for entry in (found[entry_id] for entry_id in ids if entry_id in found)
    ]
    return JsonResponse({"results": results})
