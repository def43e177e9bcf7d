"""The DIP's entries in the search index (:mod:`terbuka.search`), kind ``dip_entry``.

An entry is indexed with its title (weighted) and its summary, legal basis, holder and the
text read from the current version of each of its documents. Exempt entries and entries not
yet established are indexed as not public, so only staff searches find them. Call
:func:`entry_changed` in the transaction of any change to an entry or its documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from terbuka.public_information import catalog
from terbuka.public_information.models import DipEntry, Document
from terbuka.search import services as search
from terbuka.search.services import IndexEntry

KIND = "dip_entry"


def _entry_text(entry: DipEntry, documents: Iterable[Document]) -> str:
    parts = [entry.summary, entry.legal_basis, entry.holder, entry.responsible]
    parts += [document.title for document in documents]
    parts += [
        document.current.text
        for document in documents
        if document.current is not None and document.current.text
    ]
    return "\n".join(part for part in parts if part)


def index_entry_of(entry: DipEntry, documents: Iterable[Document]) -> IndexEntry:
    return IndexEntry(
        kind=KIND,
        object_id=entry.pk,
        title=entry.title,
        text=_entry_text(entry, documents),
        is_public=entry.is_public,
        pemda_id=entry.pemda_id,
    )


def entry_reindex(entry_id: int) -> None:
    """Index the entry as it stands now (or drop it from the index if it is gone)."""
    entry = DipEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        search.remove_document(KIND, entry_id)
        return
    documents = list(entry.documents.select_related("current"))
    found = index_entry_of(entry, documents)
    search.index_document(
        KIND,
        entry.pk,
        title=found.title,
        text=found.text,
        is_public=found.is_public,
        pemda_id=found.pemda_id,
    )


def entry_changed(entry: DipEntry) -> None:
    """Record a change to ``entry`` in the caller's transaction: the Pemda's list revision
    goes up with it (:func:`terbuka.public_information.catalog.touch`), and the entry is
    reindexed once the transaction commits (nothing if it rolls back)."""
    catalog.touch(entry.pemda_id)
    entry_id = entry.pk
    transaction.on_commit(lambda: entry_reindex(entry_id))


def reindex_all(batch_size: int = 500) -> int:
    """Rebuild the index of every entry; returns how many were indexed."""

    def entries() -> Iterator[IndexEntry]:
        queryset = DipEntry.objects.order_by("pk").prefetch_related("documents__current")
        for entry in queryset.iterator(chunk_size=batch_size):
            yield index_entry_of(entry, entry.documents.all())

    return search.index_many(entries(), batch_size=batch_size)
