"""The search index: one row per searchable object, holding its stemmed text.

Rows are written only through :mod:`terbuka.search.services`. On SQLite an FTS5 table
(``search_searchdocument_fts``, created by migration 0001) indexes ``title_stemmed`` and
``body_stemmed`` of this table as its external content, and the services keep the two in
step; a row changed behind their back leaves that index stale.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """The searchable text of one object of one kind (a DIP entry, a document, …)."""

    # Short slug naming what ``object_id`` refers to, e.g. "dip_entry".
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    # The Pemda the object belongs to, for filtering; no foreign key, so that the index
    # never blocks deleting a Pemda's data.
    pemda_id = models.BigIntegerField(null=True, blank=True)
    is_public = models.BooleanField(default=False)
    title_stemmed = models.TextField(blank=True)
    body_stemmed = models.TextField(blank=True)
    # PostgreSQL only (stays NULL on SQLite): the title's stems with weight A and the body's
    # with weight B, under a GIN index created by migration 0001.
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
