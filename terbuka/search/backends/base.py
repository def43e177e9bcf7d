"""What every full-text backend offers, and the filters a search is confined to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet

from terbuka.search.models import SearchDocument
from terbuka.search.text import Terms

# Columns an upsert overwrites on an existing row; "kind" and "object_id" identify it.
UPDATED_FIELDS = ["pemda_id", "is_public", "title_stemmed", "body_stemmed", "updated_at"]
UNIQUE_FIELDS = ["kind", "object_id"]


@dataclass(frozen=True)
class Scope:
    """Which index rows a search looks at."""

    kind: str
    public_only: bool = True
    pemda_id: int | None = None

    def documents(self) -> QuerySet[SearchDocument]:
        documents = SearchDocument.objects.filter(kind=self.kind)
        if self.public_only:
            documents = documents.filter(is_public=True)
        if self.pemda_id is not None:
            documents = documents.filter(pemda_id=self.pemda_id)
        return documents


class Backend(Protocol):
    def write(self, documents: Sequence[SearchDocument]) -> None:
        """Insert or replace ``documents`` (unsaved, one per kind and object id)."""

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        """Remove the rows of ``kind`` for ``object_ids`` (missing ones are ignored)."""

    def page(
        self, scope: Scope, terms: Terms, *, limit: int | None, offset: int
    ) -> list[tuple[int, int]]:
        """(object id, number of matches) of the matching rows, best first, in one query."""

    def count(self, scope: Scope, terms: Terms) -> int:
        """The number of matching rows."""

    def scores(self, scope: Scope, terms: Terms) -> list[tuple[int, float]]:
        """(object id, relevance) of every matching row, unordered; higher is better."""

    def matching(self, scope: Scope, terms: Terms) -> QuerySet[SearchDocument]:
        """The matching rows, as a queryset that stays lazy (for use as a subquery)."""
