"""Writing the index: upserts, removal, bulk indexing, and the full-text index kept in step."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from terbuka.core import clock
from terbuka.search import services
from terbuka.search.backends.sqlite import FTS
from terbuka.search.models import SearchDocument
from terbuka.search.selectors import search
from terbuka.search.services import IndexEntry
from terbuka.search.tests.conftest import KIND, Index

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def fts_vocabulary() -> dict[str, tuple[int, int]]:
    """term → (rows, occurrences) as the FTS5 index holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {FTS}, row)")
        try:
            cursor.execute("SELECT term, doc, cnt FROM temp.vocab")
            return {term: (rows, count) for term, rows, count in cursor.fetchall()}
        finally:
            cursor.execute("DROP TABLE temp.vocab")


def stored_vocabulary() -> dict[str, tuple[int, int]]:
    """term → (rows, occurrences) computed from the stemmed text of the rows."""
    rows: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    for title, body in SearchDocument.objects.values_list("title_stemmed", "body_stemmed"):
        words = title.split() + body.split()
        rows.update(set(words))
        occurrences.update(words)
    return {term: (rows[term], occurrences[term]) for term in rows}


def test_the_stems_are_stored(index: Index) -> None:
    moment = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    with clock.frozen(moment):
        index(7, "Penganggaran Daerah", "Permohonan informasi publik", pemda_id=3)
    document = SearchDocument.objects.get()
    assert (document.kind, document.object_id, document.pemda_id) == (KIND, 7, 3)
    assert document.title_stemmed == "anggar daerah"
    assert document.body_stemmed == "mohon informasi publik"
    assert document.is_public
    assert document.updated_at == moment
    assert (document.search_vector is None) == (connection.vendor == "sqlite")


@on_postgresql
def test_the_vector_weights_the_title_above_the_text(index: Index) -> None:
    index(1, "Anggaran", "anggaran daerah")
    vector = str(SearchDocument.objects.get().search_vector)
    assert vector == "'anggar':1A,2B 'daerah':3B"


def test_indexing_again_replaces_the_old_text(index: Index) -> None:
    index(1, "Anggaran daerah", "Belanja pegawai", pemda_id=1)
    index(1, "Perizinan usaha", "Izin mikro", is_public=False, pemda_id=2)
    assert SearchDocument.objects.count() == 1
    assert search(KIND, "anggaran", public_only=False).ids == []
    assert search(KIND, "belanja", public_only=False).ids == []
    assert search(KIND, "izin").ids == []
    assert search(KIND, "izin", public_only=False, pemda_id=2).ids == [1]


def test_removing_takes_the_object_out(index: Index) -> None:
    index(1, "Anggaran daerah")
    index(2, "Anggaran desa")
    services.remove_document(KIND, 1)
    services.remove_document(KIND, 99)  # never indexed: nothing happens
    assert search(KIND, "anggaran").ids == [2]
    assert list(SearchDocument.objects.values_list("object_id", flat=True)) == [2]


def test_removing_keeps_other_kinds(index: Index) -> None:
    index(1, "Anggaran daerah", kind="dip_entry")
    index(1, "Anggaran daerah", kind="document")
    services.remove_document("document", 1)
    assert search("dip_entry", "anggaran").ids == [1]
    assert search("document", "anggaran").ids == []


def entries(count: int, *, start: int = 1) -> Iterator[IndexEntry]:
    for object_id in range(start, start + count):
        yield IndexEntry(
            kind=KIND,
            object_id=object_id,
            title=f"Dokumen anggaran nomor {object_id}",
            text="Rincian penganggaran dan pelayanan kesehatan daerah",
            is_public=object_id % 2 == 0,
            pemda_id=object_id % 3,
        )


def test_index_many_writes_in_batches(db: None) -> None:
    assert services.index_many(entries(11), batch_size=4) == 11
    assert search(KIND, "anggaran", public_only=False).total == 11
    assert search(KIND, "pelayanan").total == 5
    assert search(KIND, "kesehatan", public_only=False, pemda_id=0).total == 3


def test_index_many_replaces_existing_objects(index: Index) -> None:
    index(3, "Perizinan usaha")
    services.index_many(entries(5))
    assert SearchDocument.objects.count() == 5
    assert search(KIND, "izin", public_only=False).ids == []


def test_index_many_keeps_the_last_of_an_object_given_twice(db: None) -> None:
    first = IndexEntry(KIND, 1, "Perizinan", "", is_public=True)
    last = IndexEntry(KIND, 1, "Anggaran", "", is_public=True)
    assert services.index_many([first, last]) == 1
    assert search(KIND, "anggaran").ids == [1]
    assert search(KIND, "izin").ids == []


def test_index_many_of_nothing(db: None) -> None:
    assert services.index_many([]) == 0


@pytest.mark.parametrize("kind", ["", "DIP", "dip entry", "dip-entry", "x" * 41, "1dip"])
def test_kind_must_be_a_short_slug(db: None, kind: str) -> None:
    with pytest.raises(ValueError, match="kind"):
        services.index_document(kind, 1, title="Anggaran", text="", is_public=True)
    assert not SearchDocument.objects.exists()


def test_batch_size_must_be_positive(db: None) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        services.index_many(entries(1), batch_size=0)


def test_indexing_rolls_back_with_the_callers_transaction(index: Index) -> None:
    index(1, "Anggaran daerah")

    def write_then_fail() -> None:
        with transaction.atomic():
            index(1, "Perizinan usaha")
            index(2, "Perizinan toko")
            services.remove_document(KIND, 1)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert search(KIND, "anggaran").ids == [1]
    assert search(KIND, "izin").ids == []
    if connection.vendor == "sqlite":
        assert fts_vocabulary() == stored_vocabulary()


@on_sqlite
def test_the_fts_index_holds_exactly_the_stored_stems(index: Index) -> None:
    index(1, "Anggaran daerah", "belanja belanja pegawai")
    index(2, "Perizinan usaha", "izin toko")
    index(1, "Anggaran desa", "belanja modal")  # replaces
    services.index_many(entries(6, start=2))  # replaces 2, adds 3 to 7
    services.remove_document(KIND, 4)
    services.remove_document(KIND, 40)
    assert fts_vocabulary() == stored_vocabulary()
    assert "izin" not in fts_vocabulary()


def test_a_document_with_a_huge_vocabulary_is_cut_not_refused(index: Index) -> None:
    # PostgreSQL refuses a tsvector over 1 MiB; 150,000 distinct codes would exceed it.
    codes = " ".join(f"k{number}x" for number in range(150_000))
    index(1, "Daftar kode", f"awalan {codes} akhiran")
    assert search(KIND, "awalan").ids == [1]
    assert search(KIND, "akhiran").ids == []
    assert search(KIND, "kode").ids == [1]
