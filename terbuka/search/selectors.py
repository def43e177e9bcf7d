"""Reads of the search index: ranked results, and the matching ids as a subquery.

A query is cut into words, stemmed like the index (:func:`terbuka.search.text.parse`)
and every term must match. Only letters and digits reach the full-text engine, each term
quoted, so nothing a person types can make the query fail; a query without terms (empty,
punctuation, stopwords only) matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from terbuka.search.backends import Scope, backend
from terbuka.search.models import SearchDocument
from terbuka.search.text import parse


@dataclass(frozen=True)
class SearchResult:
    """Object ids of the requested slice, best match first, and the number of matches."""

    ids: list[int] = field(default_factory=list)
    total: int = 0


def search(
    kind: str,
    query: str,
    *,
    public_only: bool = True,
    pemda_id: int | None = None,
    prefix: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> SearchResult:
    """Objects of ``kind`` whose title or text holds every word of ``query``, ranked.

    A title match ranks above a match in the text only. ``prefix`` takes the last word as
    still being typed (suggestions): a stem beginning with it, or with what is left of it
    once a prefix is taken off (:func:`terbuka.search.text.parse`), matches. One query to the
    database, two when the slice starts past the last match.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    if offset < 0:
        raise ValueError("offset must not be negative")
    terms = parse(query, prefix=prefix)
    if not terms:
        return SearchResult()
    engine = backend()
    scope = Scope(kind, public_only, pemda_id)
    rows = engine.page(scope, terms, limit=limit, offset=offset)
    if rows:
        total = rows[0][1]
    elif offset == 0 and limit != 0:
        total = 0
    else:
        total = engine.count(scope, terms)
    return SearchResult(ids=[object_id for object_id, _ in rows], total=total)


def scores(
    kind: str,
    query: str,
    *,
    public_only: bool = True,
    pemda_id: int | None = None,
    prefix: bool = False,
) -> dict[int, float]:
    """Every object id of ``kind`` matching ``query``, with its relevance (higher is better).

    The same match and weights as :func:`search`, in one query and without sorting, for a
    caller that filters, counts and orders the matches itself. Relevance values are only
    comparable within one call.
    """
    terms = parse(query, prefix=prefix)
    if not terms:
        return {}
    rows = backend().scores(Scope(kind, public_only, pemda_id), terms)
    return dict(rows)


def matching_ids(
    kind: str,
    query: str,
    *,
    public_only: bool = True,
    pemda_id: int | None = None,
    prefix: bool = False,
) -> QuerySet[SearchDocument, int]:
    """The object ids of ``kind`` matching ``query``, unranked, as a lazy queryset.

    Made to be a subquery, so that the caller filters and counts on its own table in SQL:
    ``Entry.objects.filter(pk__in=matching_ids("dip_entry", q)).values("year").annotate(…)``.
    """
    terms = parse(query, prefix=prefix)
    if not terms:
        return SearchDocument.objects.none().values_list("object_id", flat=True)
    documents = backend().matching(Scope(kind, public_only, pemda_id), terms)
    return documents.values_list("object_id", flat=True)
