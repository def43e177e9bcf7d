"""SQLite: an FTS5 table whose content is the SearchDocument table itself.

The FTS5 table (migration 0001) is "external content": it stores only the inverted index,
keyed by rowid = ``SearchDocument.id``, and reads the stemmed text from the model's table,
so the text is not stored twice. Such an index must be told exactly which values to forget:
before a row changes or goes, a ``'delete'`` command feeds the row's current values back to
it; after a row is written, its new values are inserted. Both commands read the values from
the table in the same statement, inside the caller's transaction.

Ranking is FTS5's BM25 with the title weighted ten times the body.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from terbuka.search.backends.base import UNIQUE_FIELDS, UPDATED_FIELDS, Scope
from terbuka.search.models import SearchDocument
from terbuka.search.text import Terms

FTS = "search_searchdocument_fts"
DOCUMENTS = SearchDocument._meta.db_table
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# Object ids per statement; Django's SQLite backend allows 999 parameters.
_CHUNK = 500

# Only these constant identifiers are formatted into SQL; every value is a parameter.
_FORGET = (
    f"INSERT INTO {FTS}({FTS}, rowid, title_stemmed, body_stemmed) "  # noqa: S608
    f"SELECT 'delete', id, title_stemmed, body_stemmed FROM {DOCUMENTS} "
    "WHERE kind = %s AND object_id IN ({ids})"
)
_LEARN = (
    f"INSERT INTO {FTS}(rowid, title_stemmed, body_stemmed) "  # noqa: S608
    f"SELECT id, title_stemmed, body_stemmed FROM {DOCUMENTS} "
    "WHERE kind = %s AND object_id IN ({ids})"
)
# CROSS JOIN fixes the join order: SQLite would otherwise walk every row of the kind (by
# the (kind, object_id) index) and run the full-text match once per row.
_MATCHES = (
    f"FROM {FTS} CROSS JOIN {DOCUMENTS} AS d ON d.id = {FTS}.rowid "
    f"WHERE {FTS} MATCH %s AND d.kind = %s{{scope}}"
)
# BM25 cannot be called where a window function is, hence the inner query.
_PAGE = (
    "SELECT object_id, COUNT(*) OVER () FROM ("  # noqa: S608
    f"SELECT d.id, d.object_id, bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
    f"{_MATCHES}) ORDER BY score, id LIMIT %s OFFSET %s"
)
_COUNT = f"SELECT COUNT(*) {_MATCHES}"
# BM25 is lower for better matches; negated so that higher is better, as on PostgreSQL.
_SCORES = f"SELECT d.object_id, -bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) {_MATCHES}"
_IDS = f"SELECT d.id {_MATCHES}"


def match_expression(terms: Terms) -> str:
    """An FTS5 query requiring every complete term and, if the last word is still being
    typed, a word beginning with one of its possible beginnings.

    Each term is an FTS5 string in double quotes, so words such as "AND", "NEAR" or
    characters such as ``*`` and ``:`` can never be read as query syntax.
    """
    parts = [_quoted(term) for term in terms.complete]
    if terms.starts:
        parts.append("(" + " OR ".join(_quoted(start) + "*" for start in terms.starts) + ")")
    return " AND ".join(parts)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend:
    def write(self, documents: Sequence[SearchDocument]) -> None:
        keys = [(document.kind, document.object_id) for document in documents]
        self._run(_FORGET, keys)
        SearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=UNIQUE_FIELDS,
            update_fields=UPDATED_FIELDS,
        )
        self._run(_LEARN, keys)

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        self._run(_FORGET, [(kind, object_id) for object_id in object_ids])
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).delete()

    def page(
        self, scope: Scope, terms: Terms, *, limit: int | None, offset: int
    ) -> list[tuple[int, int]]:
        where, params = self._scope(scope)
        sql = _PAGE.format(scope=where)
        limit_param = -1 if limit is None else limit  # SQLite: a negative limit is none
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(terms), *params, limit_param, offset])
            return [(int(object_id), int(total)) for object_id, total in cursor.fetchall()]

    def count(self, scope: Scope, terms: Terms) -> int:
        where, params = self._scope(scope)
        with connection.cursor() as cursor:
            cursor.execute(_COUNT.format(scope=where), [match_expression(terms), *params])
            (total,) = cursor.fetchone()
        return int(total)

    def scores(self, scope: Scope, terms: Terms) -> list[tuple[int, float]]:
        where, params = self._scope(scope)
        with connection.cursor() as cursor:
            cursor.execute(_SCORES.format(scope=where), [match_expression(terms), *params])
            # SQLite hands back an integer and a float already: no conversion per row.
            rows: list[tuple[int, float]] = cursor.fetchall()
            return rows

    def matching(self, scope: Scope, terms: Terms) -> QuerySet[SearchDocument]:
        where, params = self._scope(scope)
        # Constant SQL; the match expression and the filters are parameters. The scope is
        # applied inside, so that the outer query only looks rows up by id.
        ids = RawSQL(  # noqa: S611
            _IDS.format(scope=where), (match_expression(terms), *params)
        )
        return SearchDocument.objects.filter(id__in=ids)

    @staticmethod
    def _scope(scope: Scope) -> tuple[str, list[str | int]]:
        where, params = "", list[str | int]([scope.kind])
        if scope.public_only:
            where += " AND d.is_public"
        if scope.pemda_id is not None:
            where += " AND d.pemda_id = %s"
            params.append(scope.pemda_id)
        return where, params

    @staticmethod
    def _run(template: str, keys: Sequence[tuple[str, int]]) -> None:
        """Run an FTS sync statement for the rows of ``keys``, a chunk of ids at a time."""
        with connection.cursor() as cursor:
            for kind, object_ids in _chunks(keys):
                placeholders = ", ".join(["%s"] * len(object_ids))
                cursor.execute(template.format(ids=placeholders), [kind, *object_ids])


def _chunks(keys: Sequence[tuple[str, int]]) -> Iterator[tuple[str, list[int]]]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in keys:
        by_kind[kind].append(object_id)
    for kind, object_ids in by_kind.items():
        for start in range(0, len(object_ids), _CHUNK):
            yield kind, object_ids[start : start + _CHUNK]
