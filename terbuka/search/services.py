"""Writes to the search index. Other apps index and remove their objects through these.

The text is stemmed in Python before a transaction opens, so the write lock (SQLite) is
held only for the database work. Each call, and each batch of :func:`index_many`, is one
transaction (a savepoint inside the caller's): the row and its full-text index change
together or not at all. The index is derived data, rebuilt from its sources at will, so
its writes are not audited.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from terbuka.core import clock
from terbuka.search.backends import backend
from terbuka.search.models import SearchDocument
from terbuka.search.text import stemmed

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")
BATCH_SIZE = 500


@dataclass(frozen=True)
class IndexEntry:
    """The searchable text of one object, as :func:`index_many` takes it."""

    kind: str
    object_id: int
    title: str
    text: str
    is_public: bool
    pemda_id: int | None = None


def index_document(
    kind: str,
    object_id: int,
    *,
    title: str,
    text: str,
    is_public: bool,
    pemda_id: int | None = None,
) -> None:
    """Index one object, replacing what was indexed for it before."""
    entry = IndexEntry(kind, object_id, title, text, is_public, pemda_id)
    document = _document(entry, clock.now())
    with transaction.atomic():
        backend().write([document])


def index_many(entries: Iterable[IndexEntry], *, batch_size: int = BATCH_SIZE) -> int:
    """Index many objects (a rebuild), one transaction per batch; returns how many.

    An object given twice is indexed as given last.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    written = 0
    iterator = iter(entries)
    while batch := list(itertools.islice(iterator, batch_size)):
        now = clock.now()
        documents = {(entry.kind, entry.object_id): _document(entry, now) for entry in batch}
        with transaction.atomic():
            backend().write(list(documents.values()))
        written += len(documents)
    return written


def remove_document(kind: str, object_id: int) -> None:
    """Take an object out of the index (nothing happens if it is not there)."""
    with transaction.atomic():
        backend().delete(kind, [object_id])


def _document(entry: IndexEntry, now: dt.datetime) -> SearchDocument:
    if not _KIND.fullmatch(entry.kind):
        raise ValueError(f"kind must be a short lower-case slug, not {entry.kind!r}")
    if entry.object_id < 0:
        raise ValueError(f"object_id must not be negative, not {entry.object_id}")
    return SearchDocument(
        kind=entry.kind,
        object_id=entry.object_id,
        pemda_id=entry.pemda_id,
        is_public=entry.is_public,
        title_stemmed=stemmed(entry.title),
        body_stemmed=stemmed(entry.text),
        updated_at=now,
    )
