"""Searching the index, on whichever database the suite runs (SQLite, then PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from terbuka.organizations.models import Opd
from terbuka.organizations.tests.factories import OpdFactory, PemdaFactory
from terbuka.search.selectors import SearchResult, matching_ids, scores, search
from terbuka.search.tests.conftest import KIND, Index

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("indexed", "query"),
    [
        ("Anggaran Pendapatan dan Belanja Daerah", "penganggaran"),
        ("Dokumen penganggaran dinas", "anggaran"),
        ("Formulir permohonan informasi", "mohon"),
        ("Tata cara memohon salinan", "permohonan"),
        ("Kebijakan pengelolaan data", "bijak"),
        ("Standar pelayanan publik", "melayani"),
        ("Perizinan usaha mikro", "izin"),
    ],
)
def test_query_and_index_agree_on_stems(index: Index, indexed: str, query: str) -> None:
    index(1, indexed)
    assert search(KIND, query).ids == [1]


def test_results_are_the_objects_ids(index: Index) -> None:
    index(4242, "Anggaran daerah")
    index(17, "Anggaran desa")
    assert sorted(search(KIND, "anggaran").ids) == [17, 4242]
    assert sorted(matching_ids(KIND, "anggaran")) == [17, 4242]


def test_title_match_outranks_a_match_in_the_text_only(index: Index) -> None:
    index(1, "Laporan tahunan", "Bagian tentang anggaran. Anggaran lagi. Anggaran terakhir.")
    index(2, "Anggaran Dinas Pendidikan", "Rincian belanja pegawai dan barang.")
    index(3, "Profil daerah", "Tidak ada yang cocok di sini.")
    assert search(KIND, "anggaran") == SearchResult(ids=[2, 1], total=2)


def test_every_term_must_match(index: Index) -> None:
    index(1, "Anggaran kesehatan")
    index(2, "Anggaran pendidikan")
    index(3, "Pelayanan kesehatan")
    assert search(KIND, "anggaran kesehatan").ids == [1]
    assert search(KIND, "kesehatan").total == 2


def test_terms_match_across_title_and_text(index: Index) -> None:
    index(1, "Anggaran", "untuk dinas kesehatan")
    assert search(KIND, "anggaran kesehatan").ids == [1]


def test_prefix_lets_the_last_term_begin_a_longer_stem(index: Index) -> None:
    index(1, "Penganggaran daerah")
    index(2, "Informasi publik")
    assert search(KIND, "angg").ids == []
    assert search(KIND, "angg", prefix=True).ids == [1]
    assert search(KIND, "daerah angg", prefix=True).ids == [1]
    # Only the last term is a prefix: the earlier ones are whole words already typed.
    assert search(KIND, "dae anggaran", prefix=True).ids == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("formulir permoh", "Formulir permohonan informasi"),
        ("pengangg", "Penganggaran daerah"),
        ("perizin", "Perizinan usaha mikro"),
        ("menyal", "Tata cara salinan dokumen"),
        ("pelay", "Standar layanan publik"),
        ("mengir", "Jadwal kirim berkas"),
        ("pelayana", "Standar layanan publik"),
        ("dianggark", "Belanja anggaran dinas"),
        ("pengelo", "Pengelolaan arsip daerah"),
    ],
)
def test_a_half_typed_word_matches_without_its_prefix(index: Index, typed: str, found: str) -> None:
    """Sastrawi cannot stem "permoh"; the root it may begin with ("moh") is tried too."""
    index(1, found)
    index(2, "Profil daerah kabupaten")
    assert search(KIND, typed, prefix=True).ids == [1]
    assert set(scores(KIND, typed, prefix=True)) == {1}
    assert list(matching_ids(KIND, typed, prefix=True)) == [1]


def test_a_prefix_needs_three_letters(index: Index) -> None:
    index(1, "Penganggaran daerah")
    index(2, "An Nur")
    assert search(KIND, "an", prefix=True).ids == [2]  # the whole word only
    assert search(KIND, "ang", prefix=True).ids == [1]
    assert list(matching_ids(KIND, "an", prefix=True)) == [2]


def test_only_public_documents_unless_asked(index: Index) -> None:
    index(1, "Laporan keuangan", is_public=True)
    index(2, "Laporan keuangan rahasia", is_public=False)
    assert search(KIND, "keuangan").ids == [1]
    assert sorted(search(KIND, "keuangan", public_only=False).ids) == [1, 2]


def test_pemda_filter(index: Index) -> None:
    index(1, "Laporan keuangan", pemda_id=1)
    index(2, "Laporan keuangan", pemda_id=2)
    index(3, "Laporan keuangan", pemda_id=None)
    assert search(KIND, "keuangan", pemda_id=2).ids == [2]
    assert search(KIND, "keuangan").total == 3


def test_kinds_are_searched_separately(index: Index) -> None:
    index(1, "Laporan keuangan", kind="dip_entry")
    index(1, "Laporan keuangan", kind="document")
    index(2, "Laporan keuangan", kind="document")
    assert search("dip_entry", "keuangan").total == 1
    assert search("document", "keuangan").total == 2


def test_limit_and_offset_slice_the_ranked_ids_and_keep_the_total(index: Index) -> None:
    for object_id in range(1, 8):
        index(object_id, "Laporan keuangan")
    everything = search(KIND, "keuangan")
    assert everything.total == 7
    assert sorted(everything.ids) == list(range(1, 8))
    assert search(KIND, "keuangan", limit=3, offset=2) == SearchResult(
        ids=everything.ids[2:5], total=7
    )
    assert search(KIND, "keuangan", limit=3, offset=7) == SearchResult(ids=[], total=7)
    assert search(KIND, "keuangan", limit=0) == SearchResult(ids=[], total=7)
    assert search(KIND, "keuangan", offset=5).ids == everything.ids[5:]


BOTH, FIRST = [1, 2], [1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"anggaran', BOTH),
        ("anggaran'", BOTH),
        ("(anggaran", BOTH),
        ("anggaran*", BOTH),
        ("*anggaran", BOTH),
        ("anggaran:*", BOTH),
        ("anggaran & | !", BOTH),
        ("!anggaran", BOTH),
        ("anggaran <-> daerah", BOTH),
        ("anggaran\\", BOTH),
        ("anggaran\x00", BOTH),
        ("^anggaran", BOTH),
        ("{anggaran}", BOTH),
        # Operator words of FTS5 and tsquery are ordinary words, required like any other.
        ("anggaran) OR (", FIRST),
        ("anggaran AND", FIRST),
        ("AND anggaran", FIRST),
        ("anggaran NOT", FIRST),
        ("NEAR(anggaran)", FIRST),
        ("title_stemmed:anggaran", FIRST),
    ],
)
def test_hostile_queries_are_plain_words(index: Index, query: str, expected: list[int]) -> None:
    index(1, "Anggaran daerah", "and or not near title stemmed")
    index(2, "Anggaran daerah")
    for prefix in (False, True):
        result = search(KIND, query, prefix=prefix)
        assert sorted(result.ids) == expected, (query, prefix)
        assert result.total == len(expected)
        assert sorted(matching_ids(KIND, query, prefix=prefix)) == expected


@pytest.mark.parametrize("query", ['"', "()", "*", ":", "&", "!", "'", "-", "\\", "^", "<->"])
def test_hostile_queries_without_words_match_nothing(index: Index, query: str) -> None:
    index(1, "Anggaran daerah")
    assert search(KIND, query, prefix=True) == SearchResult()


@pytest.mark.parametrize("query", ["", "   ", "yang dan di", "?!"])
def test_empty_query_finds_nothing(index: Index, query: str) -> None:
    index(1, "Laporan yang dan di")
    assert search(KIND, query) == SearchResult(ids=[], total=0)
    assert list(matching_ids(KIND, query)) == []
    assert Opd.objects.filter(pk__in=matching_ids(KIND, query)).count() == 0


def test_matching_ids_is_a_subquery_for_the_callers_table(
    index: Index, django_assert_num_queries: Any
) -> None:
    pemda_a = PemdaFactory.create(region_code="33.01")
    pemda_b = PemdaFactory.create(region_code="33.02")
    health_a = OpdFactory.create(pemda=pemda_a, name="Dinas Kesehatan")
    OpdFactory.create(pemda=pemda_a, name="Dinas Pendidikan")
    health_b = OpdFactory.create(pemda=pemda_b, name="Dinas Kesehatan")
    private = OpdFactory.create(pemda=pemda_b, name="Dinas Kesehatan Hewan")
    for opd in Opd.objects.all():
        index(opd.pk, opd.name, kind="opd", is_public=opd != private, pemda_id=opd.pemda_id)

    ids = matching_ids("opd", "kesehatan")
    with django_assert_num_queries(1):
        facets = dict(
            Opd.objects.filter(pk__in=ids)
            .values_list("pemda__region_code")
            .annotate(n=Count("id"))
            .order_by()
        )
    assert facets == {"33.01": 1, "33.02": 1}
    assert set(Opd.objects.filter(pk__in=ids)) == {health_a, health_b}
    assert set(Opd.objects.filter(pk__in=matching_ids("opd", "kesehatan", public_only=False))) == {
        health_a,
        health_b,
        private,
    }
    assert list(
        Opd.objects.filter(pk__in=matching_ids("opd", "kesehatan", pemda_id=pemda_b.pk))
    ) == [health_b]
    assert set(Opd.objects.filter(pk__in=matching_ids("opd", "keseh", prefix=True))) == {
        health_a,
        health_b,
    }


@pytest.mark.parametrize("matches", [0, 1, 25])
def test_search_takes_one_query_however_many_match(
    index: Index, django_assert_num_queries: Any, matches: int
) -> None:
    for object_id in range(matches):
        index(object_id + 1, "Laporan keuangan", "rincian " * object_id)
    index(100, "Profil daerah")
    with django_assert_num_queries(1):
        result = search(KIND, "keuangan laporan", limit=10)
    assert result.total == matches
    assert len(result.ids) == min(matches, 10)
    with django_assert_num_queries(1):
        search(KIND, "keuangan", prefix=True, public_only=False, pemda_id=1)


def test_a_slice_past_the_last_match_takes_a_second_query(
    index: Index, django_assert_num_queries: Any
) -> None:
    index(1, "Laporan keuangan")
    with django_assert_num_queries(2):
        assert search(KIND, "keuangan", limit=10, offset=10) == SearchResult(ids=[], total=1)


def test_scores_hold_every_match_ranked_as_search_ranks(
    index: Index, django_assert_num_queries: Any
) -> None:
    index(1, "Laporan tahunan", "Bagian tentang anggaran. Anggaran lagi.")
    index(2, "Anggaran Dinas Pendidikan", "Rincian belanja pegawai.")
    index(3, "Penganggaran desa", "Anggaran dan penganggaran.")
    index(4, "Profil daerah", "Tidak ada yang cocok di sini.")
    index(5, "Anggaran rahasia", is_public=False)
    index(6, "Anggaran kabupaten lain", pemda_id=2)
    with django_assert_num_queries(1):
        found = scores(KIND, "penganggaran", pemda_id=1)
    assert set(found) == {1, 2, 3}
    by_relevance = sorted(found, key=lambda object_id: (-found[object_id], object_id))
    assert by_relevance == search(KIND, "penganggaran", pemda_id=1).ids
    assert found[2] > found[1]  # a title match outranks a match in the text only
    assert set(scores(KIND, "anggaran", public_only=False)) == {1, 2, 3, 5, 6}
    assert set(scores(KIND, "profi", prefix=True, pemda_id=1)) == {4}
    assert scores(KIND, "yang dan") == {}
    assert scores(KIND, "kosong") == {}


def test_negative_slices_are_refused(db: None) -> None:
    with pytest.raises(ValueError, match="limit"):
        search(KIND, "keuangan", limit=-1)
    with pytest.raises(ValueError, match="offset"):
        search(KIND, "keuangan", offset=-1)
