"""PostgreSQL: a weighted tsvector per row under a GIN index, matched with a tsquery.

The text is already stemmed in Python, so the ``simple`` configuration (lower-casing, no
stemming, no stopwords) turns it into lexemes unchanged. A batch is written by one
INSERT … SELECT FROM unnest(…) ON CONFLICT statement that also computes each row's vector,
so the text crosses the wire once and the statement is planned once per batch. Ranking is
``ts_rank`` with the title (weight A) counting ten times the body (weight B).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, QuerySet, Window

from terbuka.search.backends.base import UPDATED_FIELDS, Scope
from terbuka.search.models import SearchDocument
from terbuka.search.text import Terms

CONFIG = "simple"
# ts_rank's weights for D, C, B and A: body (B) 0.1, title (A) 1.0.
WEIGHTS = [0.1, 0.1, 0.1, 1.0]

DOCUMENTS = SearchDocument._meta.db_table
_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}'::regconfig, title_stemmed), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, body_stemmed), 'B')"
)
_COLUMNS = "kind, object_id, pemda_id, is_public, title_stemmed, body_stemmed, updated_at"
_UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name in [*UPDATED_FIELDS, "search_vector"])
# Only constant identifiers are formatted in; the values are seven array parameters.
_UPSERT = (
    f"INSERT INTO {DOCUMENTS} ({_COLUMNS}, search_vector) "  # noqa: S608
    f"SELECT {_COLUMNS}, {_VECTOR} FROM unnest("
    "%s::varchar[], %s::bigint[], %s::bigint[], %s::boolean[], %s::text[], %s::text[], "
    f"%s::timestamptz[]) AS batch({_COLUMNS}) "
    f"ON CONFLICT (kind, object_id) DO UPDATE SET {_UPDATES}"
)


def tsquery(terms: Terms) -> str:
    """A ``to_tsquery`` text requiring every complete term and, if the last word is still
    being typed, a lexeme beginning with one of its possible beginnings. Each term is a
    quoted literal, so ``&``, ``|``, ``!``, ``:`` or parentheses in it would be plain
    characters, never operators.
    """
    parts = [_quoted(term) for term in terms.complete]
    if terms.starts:
        parts.append("(" + " | ".join(_quoted(start) + ":*" for start in terms.starts) + ")")
    return " & ".join(parts)


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _query(terms: Terms) -> SearchQuery:
    return SearchQuery(tsquery(terms), search_type="raw", config=CONFIG)


class PostgresBackend:
    def write(self, documents: Sequence[SearchDocument]) -> None:
        columns: list[list[Any]] = [
            [document.kind for document in documents],
            [document.object_id for document in documents],
            [document.pemda_id for document in documents],
            [document.is_public for document in documents],
            [document.title_stemmed for document in documents],
            [document.body_stemmed for document in documents],
            [document.updated_at for document in documents],
        ]
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, columns)

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).delete()

    def page(
        self, scope: Scope, terms: Terms, *, limit: int | None, offset: int
    ) -> list[tuple[int, int]]:
        query = _query(terms)
        rows = (
            self.matching(scope, terms)
            .annotate(
                rank=SearchRank(F("search_vector"), query, weights=WEIGHTS),
                total=Window(Count("id")),
            )
            .order_by("-rank", "id")
            .values_list("object_id", "total")
        )
        end = None if limit is None else offset + limit
        return list(rows[offset:end])

    def count(self, scope: Scope, terms: Terms) -> int:
        return self.matching(scope, terms).count()

    def scores(self, scope: Scope, terms: Terms) -> list[tuple[int, float]]:
        query = _query(terms)
        rows = (
            self.matching(scope, terms)
            .annotate(rank=SearchRank(F("search_vector"), query, weights=WEIGHTS))
            .order_by()
            .values_list("object_id", "rank")
        )
        return list(rows)  # ts_rank is a float4: psycopg hands back a float

    def matching(self, scope: Scope, terms: Terms) -> QuerySet[SearchDocument]:
        return scope.documents().filter(search_vector=_query(terms))
