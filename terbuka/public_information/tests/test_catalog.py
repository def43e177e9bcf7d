"""The public list kept in memory for the browse page: never served after a change has
committed, however the change was made, and the filters, facets and ranking it computes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import catalog, services
from terbuka.public_information.catalog import Catalog, Criteria, select
from terbuka.public_information.models import Category, DipEntry, DipRevision, Topic
from terbuka.public_information.tests.conftest import MakeEntry

pytestmark = pytest.mark.django_db

BROWSE = "public_information:browse"


def titles(client: Client, **params: Any) -> list[str]:
    response = client.get(reverse(BROWSE), params)
    assert response.status_code == 200
    return [result.entry.title for result in response.context["page"].object_list]


def visit(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(BROWSE)).status_code == 200
    return len(captured)


def revision(pemda: Pemda) -> int:
    return DipRevision.objects.filter(pemda=pemda).values_list("number", flat=True).first() or 0


def test_an_unchanged_list_is_read_once_and_checked_with_one_query(
    make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    make_entry(title="Daftar izin usaha", published_at=at[0])
    first = visit(client)
    again = visit(client)
    # The entries and their topic links are not read again.
    assert again == first - 2
    catalog.forget()
    assert visit(client) == first


def test_a_change_through_a_service_is_seen_at_once(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    at: list[dt.datetime],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry(title="Daftar izin usaha", published_at=at[0])
    make_entry(title="Rekap retribusi", published_at=at[0])
    assert sorted(titles(client)) == ["Daftar izin usaha", "Rekap retribusi"]
    before = revision(demo)
    # The clock does not move: the list is told by its revision, not by timestamps.
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_withdraw(
            entry=entry, actor=User.objects.get(username="ppid.dpmptsp"), reason="Digabung"
        )
    assert revision(demo) == before + 1
    assert titles(client) == ["Rekap retribusi"]
    assert titles(client, kategori="setiap_saat") == ["Rekap retribusi"]


def test_a_change_committed_by_another_process_is_seen(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    entry = make_entry(title="Daftar izin usaha", published_at=at[0])
    assert titles(client, kategori="setiap_saat") == ["Daftar izin usaha"]
    # Another process changes the row and touches the revision in its transaction; this
    # process's copy was never told.
    with transaction.atomic():
        DipEntry.objects.filter(pk=entry.pk).update(category=Category.BERKALA)
        catalog.touch(demo.pk)
    assert titles(client, kategori="setiap_saat") == []
    assert titles(client, kategori="berkala") == ["Daftar izin usaha"]


def test_a_change_rolled_back_leaves_the_revision_alone(demo: Pemda, make_entry: MakeEntry) -> None:
    make_entry()
    before = revision(demo)

    def touch_and_fail() -> None:
        with transaction.atomic():
            catalog.touch(demo.pk)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        touch_and_fail()
    assert revision(demo) == before


def test_the_first_change_of_a_pemda_creates_its_revision(demo: Pemda) -> None:
    DipRevision.objects.filter(pemda=demo).delete()
    catalog.touch(demo.pk)
    catalog.touch(demo.pk)
    assert revision(demo) == 2


def test_the_catalog_holds_only_the_pemdas_public_entries_newest_first(
    demo: Pemda, make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    topic = Topic.objects.create(pemda=demo, name="Perizinan", slug="perizinan")
    older = make_entry(title="Lama", published_at=at[0] - dt.timedelta(days=3), topics=[topic])
    newer = make_entry(title="Baru", published_at=at[0], year=2025)
    draft = make_entry(title="Draf", status="draf")
    found = catalog.catalog(demo.pk)
    assert found.order == [newer.pk, older.pk]
    assert draft.pk not in found.opd
    dpmptsp = Opd.objects.get(code="dpmptsp").pk
    assert found.row(older.pk) == (dpmptsp, Category.SETIAP_SAAT, 2026, (topic.pk,))
    assert found.row(newer.pk) == (dpmptsp, Category.SETIAP_SAAT, 2025, ())
    assert found.counts.year == {2026: 1, 2025: 1}
    assert found.counts.topic == {topic.pk: 1}


def small_catalog() -> Catalog:
    rows = {
        1: (10, "berkala", 2026, (100,)),
        2: (10, "berkala", 2025, (100, 101)),
        3: (11, "setiap_saat", 2026, ()),
        4: (11, "serta_merta", 2026, (101,)),
        5: (12, "berkala", 2026, (100,)),
    }
    order = [5, 4, 3, 2, 1]
    return Catalog.of(1, 0, order, rows)


def test_each_facet_counts_under_every_filter_but_its_own() -> None:
    chosen = select(small_catalog(), Criteria(category="berkala", year=2026))
    assert list(chosen.chosen) == [5, 1]
    # Categories of the 2026 entries; years of the berkala entries.
    assert chosen.counts.category == {"berkala": 2, "setiap_saat": 1, "serta_merta": 1}
    assert chosen.counts.year == {2026: 2, 2025: 1}
    # Facets without a filter of their own count the entries passing all filters.
    assert chosen.counts.opd == {10: 1, 12: 1}
    assert chosen.counts.topic == {100: 2}
    assert chosen.window(0, 1) == [5]
    assert chosen.window(1, 20) == [1]


def test_a_topic_filter_tests_membership_and_an_unknown_topic_passes_nothing() -> None:
    assert list(select(small_catalog(), Criteria(topic_id=101)).chosen) == [4, 2]
    nothing = select(small_catalog(), Criteria(topic_id=0, opd_id=11))
    assert nothing.total == 0
    # The topic facet still shows what the other filters leave.
    assert nothing.counts.topic == {101: 1}


def test_matches_are_ranked_by_score_then_id_and_unknown_ids_are_dropped() -> None:
    scores = {3: 1.0, 1: 2.5, 2: 2.5, 99: 9.0}
    ranked = select(small_catalog(), Criteria(), scores=scores)
    assert ranked.total == 3
    assert ranked.window(0, 20) == [1, 2, 3]
    assert ranked.window(1, 1) == [2]
    assert ranked.counts.category == {"berkala": 2, "setiap_saat": 1}
    filtered = select(small_catalog(), Criteria(opd_id=10), scores=scores)
    assert filtered.window(0, 20) == [1, 2]
    assert filtered.counts.opd == {10: 2, 11: 1}


def test_without_filters_or_words_the_precounted_facets_are_used() -> None:
    found = small_catalog()
    whole = select(found, Criteria())
    assert whole.counts is found.counts
    assert whole.window(0, 2) == [5, 4]


def test_a_mask_sets_the_bit_of_each_position() -> None:
    assert catalog._mask([0, 2, 5], 8) == 0b100101
    assert catalog._mask(iter([7]), 8) == 1 << 7
    assert catalog._mask([], 8) == 0
    assert catalog._mask([], 0) == 0
