"""The public DIP, under ``/informasi-publik/``: browse and search the list, read an entry,
download or preview its documents, and suggestions for the request form.

Every page reads :meth:`DipEntryQuerySet.public` only (established, not exempt). Staff names
(who created an entry or uploaded a version) are never shown.

How search, filters, ranking and paging combine on the browse page, in a fixed number of
queries whatever the number of entries or matches:

* The filters (body, category, topic, year), the facets and the order work on the Pemda's
  :class:`~terbuka.public_information.catalog.Catalog`, the public list kept in memory until
  it changes (one query to check that it has not).
* The words ``q`` are matched once, by :func:`terbuka.search.selectors.scores`: every
  matching entry with its relevance. Those entries, narrowed by the filters, are the
  results, best first; each facet counts the matches that pass every *other* filter, so that
  a person can switch from one category to another in one click.
* Without ``q`` the results keep the list's order, newest ``published_at`` first.
* The entries of the page's window are then read by id with their body, topics and
  documents (three queries) and put in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
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
from terbuka.organizations.models import Opd, Pemda
from terbuka.organizations.selectors import local_today
from terbuka.public_information import services
from terbuka.public_information.catalog import Counts, Criteria, catalog, select
from terbuka.public_information.index import KIND
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    DocumentVersion,
    Format,
    Topic,
)
from terbuka.search.selectors import scores as search_scores
from terbuka.search.selectors import search
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

    def criteria(self, topics: dict[str, Topic]) -> Criteria:
        """The filters for the catalog; a topic slug the Pemda does not have passes nothing."""
        topic_id = None
        if self.topic:
            found = topics.get(self.topic)
            topic_id = found.pk if found is not None else 0
        return Criteria(
            opd_id=self.opd_id, category=self.category, topic_id=topic_id, year=self.year
        )


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
    counts: Counts, filters: Filters, topics: dict[str, Topic], params: QueryDict
) -> list[Facet]:
    """The four facets, in their display order, from counts taken by the catalog."""
    opds = Opd.objects.filter(pk__in=list(counts.opd)).values_list("pk", "name")
    opd_rows = sorted(
        ((opd_id, name, counts.opd[opd_id]) for opd_id, name in opds),
        key=lambda row: (row[1], row[0]),
    )
    topic_rows = sorted(
        (
            (topic.slug, topic.name, counts.topic[topic.pk])
            for topic in topics.values()
            if counts.topic.get(topic.pk)
        ),
        key=lambda row: (row[1], row[0]),
    )
    return [
        _facet(params, OPD, _("Badan publik"), filters.opd_id, opd_rows),
        _facet(
            params,
            CATEGORY,
            _("Kategori"),
            filters.category,
            (
                (choice.value, str(choice.label), counts.category[choice.value])
                for choice in PUBLIC_CATEGORIES
                if counts.category.get(choice.value)
            ),
        ),
        _facet(params, TOPIC, _("Topik"), filters.topic, topic_rows),
        _facet(
            params,
            YEAR,
            _("Tahun"),
            filters.year,
            ((year, str(year), counts.year[year]) for year in sorted(counts.year, reverse=True)),
        ),
    ]


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
    listed = catalog(pemda.pk)
    topics = {topic.slug: topic for topic in Topic.objects.filter(pemda=pemda).order_by()}
    scores = None
    if filters.query:
        scores = search_scores(KIND, filters.query, public_only=True, pemda_id=pemda.pk)
    narrowed = select(listed, filters.criteria(topics), scores=scores)
    page: Page = Paginator(range(narrowed.total), PER_PAGE).get_page(
        request.GET.get(PAGE_PARAMETER)
    )
    ids = narrowed.window(max(page.start_index() - 1, 0), PER_PAGE)
    results: list[DipEntry] = []
    if ids:
        # By id alone: the catalog vouches that these are the Pemda's public entries, and
        # ``is_public`` checks the rows once more, as they are now.
        found = {entry.pk: entry for entry in _with_details(DipEntry.objects.filter(pk__in=ids))}
        results = [
            entry
            for entry in (found.get(entry_id) for entry_id in ids)
            if entry is not None and entry.is_public and entry.pemda_id == pemda.pk
        ]
    facets = _facets(narrowed.counts, filters, topics, request.GET)
    total = narrowed.total
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
    today = local_today(_pemda(request))
    if document.url:
        services.document_downloaded(document=document, today=today)
        return HttpResponseRedirect(document.url)
    if document.current is None:
        raise Http404
    response = _file_response(document.current, inline=False)
    services.document_downloaded(document=document, today=today)
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
