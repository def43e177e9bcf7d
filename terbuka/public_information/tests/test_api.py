"""The DIP harvest API: what it shows, how it pages, how removals reach a harvester."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terbuka.organizations.models import Opd, Pemda, User
from terbuka.organizations.tests.factories import OpdFactory, PemdaFactory
from terbuka.public_information import models as dip
from terbuka.public_information.api import cursor_decode, cursor_encode
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    DipEntry,
    Document,
    DocumentVersion,
    EntryStatus,
    Topic,
)
from terbuka.public_information.tests.conftest import MakeEntry

ENTRIES = "/api/v1/dip/entries"
REMOVED = "/api/v1/dip/removed"
SECRET_TEXT = "Isi rahasia yang dibaca dari berkas"
T0 = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)


def get(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def harvest(client: Client, url: str = ENTRIES, **params: Any) -> list[dict[str, Any]]:
    """Every item of a feed, following the cursor page by page."""
    items: list[dict[str, Any]] = []
    for _page in range(100):
        page = get(client, url, **params)
        items.extend(page["items"])
        if not page["has_more"]:
            return items
        params["cursor"] = page["next_cursor"]
    raise AssertionError("the cursor never reached the end")


def exemption(pemda: Pemda) -> ConsequenceTest:
    return ConsequenceTest.objects.create(
        pemda=pemda,
        opd=Opd.objects.get(code="dpmptsp"),
        information="Data pribadi pemohon izin",
        grounds=["h"],
        harm="Mengungkap rahasia pribadi",
        public_interest="Tidak ada kepentingan publik yang lebih besar",
        result=dip.TestResult.CLOSE,
        decided_by=User.objects.get(username="kabid.ikp"),
        decided_by_position="PPID Utama",
        decided_on=dt.date(2026, 2, 2),
        place="Batang",
        created_at=T0,
    )


def with_documents(entry: DipEntry, count: int = 2) -> None:
    """A file document (with text read out of it) and, from the second on, external links."""
    uploader = User.objects.get(username="ppid.dpmptsp")
    for number in range(count):
        document = Document.objects.create(
            entry=entry,
            title=f"Dokumen {number}",
            created_at=T0,
            url="" if number == 0 else f"https://data.example.go.id/{entry.pk}/{number}",
        )
        if number == 0:
            version = DocumentVersion.objects.create(
                document=document,
                number=1,
                file=SimpleUploadedFile("rekap.pdf", b"%PDF-1.4 rekap"),
                name="rekap.pdf",
                kind="pdf",
                size=14,
                sha256="0" * 64,
                text=SECRET_TEXT,
                uploaded_at=T0,
                uploaded_by=uploader,
            )
            document.current = version
            document.save(update_fields=["current"])


@pytest.fixture
def topics(demo: Pemda) -> list[Topic]:
    return [
        Topic.objects.create(pemda=demo, name="Perizinan", slug="perizinan"),
        Topic.objects.create(pemda=demo, name="Ekonomi", slug="ekonomi"),
    ]


@pytest.mark.django_db
def test_harvest_lists_public_entries_only_with_their_dip_columns(
    client: Client, demo: Pemda, make_entry: MakeEntry, topics: list[Topic], settings: Any
) -> None:
    settings.SITE_URL = "https://ppid.example.go.id"
    public = make_entry(
        category=Category.BERKALA,
        refreshed_on=dt.date(2026, 1, 10),
        refresh_due_on=dt.date(2026, 7, 10),
        legal_basis="Perbup 12/2024",
        formats=["elektronik", "situs"],
        topics=topics,
        published_at=T0,
    )
    with_documents(public)
    other = make_entry(title="Anggaran", opd="diskominfo")
    make_entry(title="Draf rahasia", status=EntryStatus.DRAFT)
    make_entry(title="Dicabut rahasia", status=EntryStatus.WITHDRAWN)
    make_entry(title="Dikembalikan", status=EntryStatus.RETURNED)
    make_entry(title="Dikecualikan", category=Category.DIKECUALIKAN, exemption=exemption(demo))

    items = harvest(client)

    assert sorted(item["id"] for item in items) == sorted([public.pk, other.pk])
    item = next(item for item in items if item["id"] == public.pk)
    opd = Opd.objects.get(code="dpmptsp")
    assert item["url"] == f"https://ppid.example.go.id/informasi-publik/{public.pk}/"
    assert item["body"] == {"code": "dpmptsp", "name": opd.name}
    assert item["pemda"] == {"region_code": demo.region_code, "name": demo.name}
    assert item["category"] == {"code": "berkala", "label": "Berkala"}
    assert [fmt["code"] for fmt in item["formats"]] == ["elektronik", "situs"]
    assert item["legal_basis"] == "Perbup 12/2024"
    assert item["refreshed_on"] == "2026-01-10"
    assert item["refresh_due_on"] == "2026-07-10"
    assert {topic["slug"] for topic in item["topics"]} == {"perizinan", "ekonomi"}
    assert item["published_at"].startswith("2026-03-01T03:00:00")
    for column in ("title", "summary", "holder", "responsible", "produced_when"):
        assert item[column] == getattr(public, column)
    assert item["produced_where"] == public.produced_where
    assert item["retention"] == public.retention
    assert item["year"] == public.year
    file_document, link = sorted(item["documents"], key=lambda document: document["title"])
    assert file_document == {
        "id": file_document["id"],
        "title": "Dokumen 0",
        "external": False,
        "kind": "pdf",
        "size": 14,
        "url": f"https://ppid.example.go.id/informasi-publik/dokumen/{file_document['id']}/unduh/",
    }
    assert link["external"] is True
    assert link["url"] == f"https://data.example.go.id/{public.pk}/1"
    assert link["kind"] is None

    raw = client.get(ENTRIES).content.decode()
    assert SECRET_TEXT not in raw  # never the text read out of documents
    assert "ppid.dpmptsp" not in raw  # never the creator
    assert "created_by" not in raw
    assert "rahasia" not in raw  # no draft, withdrawn or exempt entry


@pytest.mark.django_db
def test_other_categories_carry_no_refresh_dates(client: Client, make_entry: MakeEntry) -> None:
    make_entry(refreshed_on=dt.date(2026, 1, 10), refresh_due_on=dt.date(2026, 7, 10))
    [item] = harvest(client)
    assert item["refreshed_on"] is None
    assert item["refresh_due_on"] is None


@pytest.mark.django_db
def test_changed_since_returns_entries_changed_at_or_after_the_moment(
    client: Client, make_entry: MakeEntry
) -> None:
    old = make_entry(title="Lama", updated_at=T0)
    same = make_entry(title="Tepat", updated_at=T0 + dt.timedelta(hours=1))
    new = make_entry(title="Baru", updated_at=T0 + dt.timedelta(days=2))

    since = (T0 + dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    items = harvest(client, changed_since=since.isoformat())

    assert [item["id"] for item in items] == [same.pk, new.pk]
    assert old.pk not in [item["id"] for item in harvest(client, changed_since="2026-03-02T00:00Z")]
    naive = client.get(ENTRIES, {"changed_since": "2026-03-01T00:00:00"})
    assert naive.status_code == 422  # a moment without a time zone is ambiguous


@pytest.mark.django_db
def test_keyset_paging_returns_every_entry_once_when_many_share_a_timestamp(
    client: Client, make_entry: MakeEntry
) -> None:
    before = make_entry(title="Sebelum", updated_at=T0 - dt.timedelta(seconds=1))
    tied = [make_entry(title=f"Serentak {n}", updated_at=T0) for n in range(7)]
    after = make_entry(title="Sesudah", updated_at=T0 + dt.timedelta(microseconds=1))

    pages = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = get(client, ENTRIES, **params)
        pages.append(page)
        if not page["has_more"]:
            break
        params["cursor"] = page["next_cursor"]

    assert [len(page["items"]) for page in pages] == [3, 3, 3]
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == [before.pk, *sorted(entry.pk for entry in tied), after.pk]
    # The last cursor names the end: nothing new after it until something changes.
    empty = get(client, ENTRIES, cursor=pages[-1]["next_cursor"])
    assert empty == {"items": [], "next_cursor": pages[-1]["next_cursor"], "has_more": False}


@pytest.mark.django_db
def test_cursor_keeps_microseconds_and_rejects_garbage(client: Client, demo: Pemda) -> None:
    moment = dt.datetime(2026, 3, 1, 3, 0, 0, 123456, tzinfo=dt.UTC)
    assert cursor_decode(cursor_encode(moment, 42)) == (moment, 42)
    for garbage in ("bukan-kursor", "!!!", cursor_encode(moment, 42)[:-3] + "xyz"):
        response = client.get(ENTRIES, {"cursor": garbage})
        assert response.status_code == 400
        assert response.json() == {"detail": "Kursor tidak valid; mulai lagi tanpa kursor."}


@pytest.mark.django_db
def test_entries_withdrawn_or_made_exempt_after_a_harvest_are_reported_as_removed(
    client: Client, demo: Pemda, make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    at[0] = T0
    kept, withdrawn, exempted = (make_entry(title=f"Entri {n}") for n in range(3))
    make_entry(title="Lama dicabut", status=EntryStatus.WITHDRAWN)  # before the first harvest
    first = harvest(client)
    assert {item["id"] for item in first} == {kept.pk, withdrawn.pk, exempted.pk}

    started = T0 + dt.timedelta(days=1)  # the second harvest starts from here
    later = started + dt.timedelta(hours=2)
    DipEntry.objects.filter(pk=withdrawn.pk).update(status=EntryStatus.WITHDRAWN, updated_at=later)
    DipEntry.objects.filter(pk=exempted.pk).update(
        category=Category.DIKECUALIKAN, exemption=exemption(demo), updated_at=later
    )
    DipEntry.objects.filter(pk=kept.pk).update(title="Entri 0 (perbaikan)", updated_at=later)

    since = started.isoformat()
    assert [item["title"] for item in harvest(client, changed_since=since)] == [
        "Entri 0 (perbaikan)"
    ]
    removed = harvest(client, REMOVED, changed_since=since)
    assert sorted(item["id"] for item in removed) == sorted([withdrawn.pk, exempted.pk])
    assert set(removed[0]) == {"id", "updated_at"}  # ids and times only, no titles
    assert client.get(REMOVED).status_code == 422  # removed since when?


@pytest.mark.django_db
def test_removed_pages_with_the_same_cursor_rules(client: Client, make_entry: MakeEntry) -> None:
    gone = [
        make_entry(title=f"Dicabut {n}", status=EntryStatus.WITHDRAWN, updated_at=T0)
        for n in range(5)
    ]
    items = harvest(client, REMOVED, changed_since=T0.isoformat(), limit=2)
    assert [item["id"] for item in items] == sorted(entry.pk for entry in gone)


@pytest.mark.django_db
def test_every_entry_is_either_public_or_removed(
    client: Client, demo: Pemda, make_entry: MakeEntry
) -> None:
    """The removed feed is the exact complement of DipEntryQuerySet.public()."""
    test = exemption(demo)
    for status, category in itertools.product(EntryStatus.values, Category.values):
        make_entry(status=status, category=category, exemption=test, updated_at=T0)
    public = {item["id"] for item in harvest(client, limit=500)}
    removed = {item["id"] for item in harvest(client, REMOVED, changed_since=T0.isoformat())}
    assert public == set(DipEntry.objects.public().values_list("pk", flat=True))
    assert public.isdisjoint(removed)
    assert public | removed == set(DipEntry.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_pemda_filter_uses_the_region_code(
    client: Client, demo: Pemda, make_entry: MakeEntry
) -> None:
    other = PemdaFactory.create(name="Pemerintah Kota Lain", region_code="33.71")
    OpdFactory.create(pemda=other, code="dinas-lain")
    ours = make_entry()
    theirs = make_entry(opd="dinas-lain", pemda=other)

    assert [item["id"] for item in harvest(client, pemda=demo.region_code)] == [ours.pk]
    assert [item["id"] for item in harvest(client, pemda="33.71")] == [theirs.pk]
    unknown = client.get(ENTRIES, {"pemda": "99.99"})
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Kode wilayah Pemda tidak dikenal."}


@pytest.mark.django_db
def test_limit_is_bounded(client: Client, demo: Pemda) -> None:
    assert client.get(ENTRIES, {"limit": 500}).status_code == 200
    assert client.get(ENTRIES, {"limit": 501}).status_code == 422
    assert client.get(ENTRIES, {"limit": 0}).status_code == 422


@pytest.mark.django_db
def test_one_entry_is_found_only_while_public(
    client: Client, demo: Pemda, make_entry: MakeEntry
) -> None:
    public = make_entry()
    draft = make_entry(status=EntryStatus.DRAFT)
    exempt = make_entry(category=Category.DIKECUALIKAN, exemption=exemption(demo))

    found = client.get(f"{ENTRIES}/{public.pk}")
    assert found.status_code == 200
    assert found.json()["id"] == public.pk
    for pk in (draft.pk, exempt.pk, 999_999):
        missing = client.get(f"{ENTRIES}/{pk}")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Entri DIP tidak ditemukan."}


@pytest.mark.django_db
@pytest.mark.parametrize("pemda", [None, "33.99"])
def test_a_page_takes_the_same_number_of_queries_for_1_or_20_entries(
    client: Client, make_entry: MakeEntry, topics: list[Topic], pemda: str | None
) -> None:
    def queries(count: int) -> int:
        DipEntry.objects.all().delete()
        for _n in range(count):
            with_documents(make_entry(topics=topics), count=2)
        params = {"pemda": pemda} if pemda else {}
        with CaptureQueriesContext(connection) as captured:
            page = get(client, ENTRIES, limit=100, **params)
        assert len(page["items"]) == count
        assert all(len(item["documents"]) == 2 for item in page["items"])
        assert all(len(item["topics"]) == 2 for item in page["items"])
        return len(captured)

    one, twenty = queries(1), queries(20)
    assert one == twenty
    assert one <= 4  # [Pemda,] entries with body and Pemda, topics, documents


@pytest.mark.django_db
def test_openapi_document_lists_the_paths_and_documents_every_field(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Terbuka API"
    assert document["info"]["version"] == "1"
    assert {
        "/api/v1/dip/entries",
        "/api/v1/dip/entries/{entry_id}",
        "/api/v1/dip/removed",
        "/api/v1/permohonan/{token}",
    } <= set(document["paths"])
    for path in document["paths"].values():
        for operation in path.values():
            assert operation["summary"]
            assert operation["description"]
            for parameter in operation.get("parameters", []):
                assert parameter["in"] == "path" or parameter.get("description"), parameter
    undocumented = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []
    entry = document["components"]["schemas"]["EntryOut"]["properties"]
    assert "created_by" not in entry
    assert entry["year"]["examples"] == [2025]


@pytest.mark.django_db
def test_api_docs_page_loads_swagger_ui_from_our_static_files_not_a_cdn(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"', page)
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets)
    assert [url for url in assets if not url.startswith(("/static/", "data:"))] == []
    for url in assets:
        response: Any = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)  # read to the end: the client then closes it
    assert '"validatorUrl": null' in page  # Swagger UI sends nothing to an outside validator
