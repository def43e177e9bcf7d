"""The public DIP: browse and search, the entry page, downloads, suggestions, the serta merta
notices on the home page and the request form pre-filled from an entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import Page

from terbuka.core import clock
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information.index import entry_reindex
from terbuka.public_information.models import (
    Category,
    ConsequenceTest,
    DipEntry,
    Document,
    DocumentVersion,
    DownloadDay,
    EntryStatus,
    TextStatus,
    Topic,
)
from terbuka.public_information.models import (
    TestResult as ConsequenceResult,
)
from terbuka.public_information.tests.conftest import MakeEntry
from terbuka.public_information.views import public

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BROWSE = "public_information:browse"


@pytest.fixture
def entry(make_entry: MakeEntry, at: list[dt.datetime]) -> MakeEntry:
    """A public entry (unless told otherwise), announced now and indexed for search."""

    def make(**fields: Any) -> DipEntry:
        fields.setdefault("published_at", clock.now())
        created = make_entry(**fields)
        entry_reindex(created.pk)
        return created

    return make


def add_file(
    entry: DipEntry,
    *,
    title: str = "Laporan",
    kind: str = "pdf",
    name: str = "laporan.pdf",
    content: bytes = PDF,
    text: str = "",
) -> Document:
    now = clock.now()
    document = Document.objects.create(entry=entry, title=title, created_at=now)
    version = DocumentVersion(
        document=document,
        number=1,
        name=name,
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text=text,
        text_status=TextStatus.DONE if text else TextStatus.EMPTY,
        uploaded_at=now,
        uploaded_by=User.objects.get(username="admin.dpmptsp"),
    )
    version.file.save(name, ContentFile(content), save=False)
    version.save()
    document.current = version
    document.save(update_fields=["current"])
    entry_reindex(entry.pk)
    return document


def add_link(entry: DipEntry, url: str = "https://jdih.example.go.id/perda-7-2025") -> Document:
    document = Document.objects.create(
        entry=entry, title="Perda di JDIH", url=url, created_at=clock.now()
    )
    entry_reindex(entry.pk)
    return document


def exempt(entry: MakeEntry) -> DipEntry:
    """An established exempt entry (on its consequence test)."""
    opd = Opd.objects.get(code="dpmptsp")
    test = ConsequenceTest.objects.create(
        pemda=opd.pemda,
        opd=opd,
        information="Data pribadi pemohon izin",
        harm="Mengungkap data pribadi",
        public_interest="Tidak ada kepentingan publik yang lebih besar",
        result=ConsequenceResult.CLOSE,
        decided_by=User.objects.get(username="kabid.ikp"),
        decided_by_position="PPID Utama",
        decided_on=dt.date(2026, 3, 1),
        place="Nusa Harapan",
        created_at=clock.now(),
    )
    return entry(
        title="Berkas pemohon izin rahasia",
        summary="Rekap izin usaha rahasia dan anggaran rahasia",
        category=Category.DIKECUALIKAN,
        exemption=test,
    )


def titles(client: Client, **params: Any) -> list[str]:
    response = client.get(reverse(BROWSE), params)
    assert response.status_code == 200
    return [result.entry.title for result in response.context["page"].object_list]


def facet_counts(response: Any, param: str) -> dict[str, int]:
    (facet,) = [facet for facet in response.context["facets"] if facet.param == param]
    return {option.label: option.count for option in facet.options}


# Browse and search


def test_search_matches_every_form_of_a_word(entry: MakeEntry, client: Client) -> None:
    entry(title="Tata cara layanan", summary="Informasi dapat dimohonkan melalui formulir daring")
    entry(title="Dokumen penganggaran daerah", summary="Rincian belanja")
    entry(title="Profil dinas", summary="Struktur organisasi")
    assert titles(client, q="permohonan") == ["Tata cara layanan"]
    assert titles(client, q="anggaran") == ["Dokumen penganggaran daerah"]
    assert titles(client, q="kebun binatang") == []
    assert titles(client, q="yang dan") == []  # stopwords only: no words to match
    assert len(titles(client)) == 3


def test_search_ranks_title_matches_first_and_marks_the_matched_words(
    entry: MakeEntry, client: Client
) -> None:
    filler = "Laporan ini disusun oleh bidang terkait sebagai bahan evaluasi kinerja. " * 6
    entry(title="Laporan kinerja", summary=filler + "Memuat juga penganggaran kegiatan.")
    entry(title="Anggaran dinas 2026", summary="Rincian belanja langsung")
    response = client.get(reverse(BROWSE), {"q": "anggaran"})
    assert [r.entry.title for r in response.context["page"].object_list] == [
        "Anggaran dinas 2026",
        "Laporan kinerja",
    ]
    page = response.content.decode()
    assert "<mark>penganggaran</mark>" in page
    assert "…" in page  # the passage around the match, not the start of the summary
    assert "Diurutkan menurut kecocokan" in page


def test_the_text_of_documents_is_searched_and_quoted(entry: MakeEntry, client: Client) -> None:
    found = entry(title="Laporan tahunan", summary="Ringkasan kegiatan dinas")
    add_file(found, text="Pada halaman 12 tercantum realisasi retribusi parkir tepi jalan.")
    response = client.get(reverse(BROWSE), {"q": "retribusi"})
    assert [r.entry.title for r in response.context["page"].object_list] == ["Laporan tahunan"]
    assert "<mark>retribusi</mark>" in response.content.decode()
    assert response.context["page"].object_list[0].document_count == 1


def test_facets_count_in_the_filtered_set_and_combine_with_the_words(
    entry: MakeEntry, client: Client, demo: Pemda
) -> None:
    health = Topic.objects.create(pemda=demo, name="Kesehatan", slug="kesehatan")
    budget = Topic.objects.create(pemda=demo, name="Keuangan", slug="keuangan")
    entry(title="Anggaran puskesmas", category=Category.BERKALA, year=2026, topics=[health, budget])
    entry(title="Anggaran sekolah", category=Category.BERKALA, year=2025, topics=[budget])
    entry(title="Anggaran jalan", category=Category.SETIAP_SAAT, year=2026, opd="setda")
    entry(title="Wabah demam berdarah", category=Category.SERTA_MERTA, year=2026, topics=[health])

    everything = client.get(reverse(BROWSE))
    assert everything.context["total"] == 4
    assert facet_counts(everything, "kategori") == {
        "Berkala": 2,
        "Serta merta": 1,
        "Setiap saat": 1,
    }
    assert facet_counts(everything, "tahun") == {"2026": 3, "2025": 1}
    assert facet_counts(everything, "topik") == {"Kesehatan": 2, "Keuangan": 2}
    assert facet_counts(everything, "opd") == {
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": 3,
        "Sekretariat Daerah": 1,
    }

    searched = client.get(reverse(BROWSE), {"q": "anggaran"})
    assert searched.context["total"] == 3
    assert facet_counts(searched, "kategori") == {"Berkala": 2, "Setiap saat": 1}
    assert facet_counts(searched, "topik") == {"Kesehatan": 1, "Keuangan": 2}

    narrowed = client.get(reverse(BROWSE), {"q": "anggaran", "tahun": "2026"})
    assert narrowed.context["total"] == 2
    assert {r.entry.title for r in narrowed.context["page"].object_list} == {
        "Anggaran puskesmas",
        "Anggaran jalan",
    }
    # A facet counts under the other filters, not its own: the other years stay selectable.
    assert facet_counts(narrowed, "tahun") == {"2026": 2, "2025": 1}
    assert facet_counts(narrowed, "kategori") == {"Berkala": 1, "Setiap saat": 1}

    by_topic = client.get(reverse(BROWSE), {"topik": "kesehatan", "kategori": "berkala"})
    assert [r.entry.title for r in by_topic.context["page"].object_list] == ["Anggaran puskesmas"]
    assert facet_counts(by_topic, "topik") == {"Kesehatan": 1, "Keuangan": 2}
    page = by_topic.content.decode()
    assert re.search(r'aria-current="true"[^>]*>Kesehatan<', page)
    assert re.search(r'aria-current="true"[^>]*>Berkala<', page)
    # The search box keeps the active filters.
    assert '<input type="hidden" name="topik" value="kesehatan">' in page

    assert titles(client, kategori="dikecualikan", tahun="abc") == titles(client)
    assert titles(client, tahun="99999999", opd="999999999999999999") == []


def test_newest_first_without_words_and_twenty_to_a_page(
    entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    start = at[0]
    for number in range(23):
        entry(title=f"Pengumuman {number:02d}", published_at=start + dt.timedelta(hours=number))
    first = client.get(reverse(BROWSE), {"kategori": "setiap_saat"})
    assert [r.entry.title for r in first.context["page"].object_list][:2] == [
        "Pengumuman 22",
        "Pengumuman 21",
    ]
    assert len(first.context["page"].object_list) == public.PER_PAGE
    assert "kategori=setiap_saat&amp;halaman=2" in first.content.decode()
    second = client.get(reverse(BROWSE), {"kategori": "setiap_saat", "halaman": "2"})
    assert [r.entry.title for r in second.context["page"].object_list] == [
        "Pengumuman 02",
        "Pengumuman 01",
        "Pengumuman 00",
    ]
    searched = client.get(reverse(BROWSE), {"q": "pengumuman", "tahun": "2026", "halaman": "2"})
    assert searched.context["total"] == 23
    assert len(searched.context["page"].object_list) == 3


@pytest.mark.parametrize("params", [{}, {"q": "izin"}, {"q": "izin", "tahun": "2026"}])
def test_browse_costs_the_same_queries_for_one_or_fifteen_matches(
    entry: MakeEntry, client: Client, demo: Pemda, params: dict[str, str]
) -> None:
    topic = Topic.objects.create(pemda=demo, name="Perizinan", slug="perizinan")

    def add() -> None:
        created = entry(title="Daftar izin usaha", topics=[topic])
        add_file(created, text="izin usaha mikro")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(BROWSE), params)
        assert response.status_code == 200
        return len(captured)

    add()
    one = queries()
    for _ in range(14):
        add()
    assert queries() == one
    assert len(titles(client, **params)) == 15


def test_exempt_and_unestablished_entries_are_never_shown(entry: MakeEntry, client: Client) -> None:
    hidden = [
        exempt(entry),
        entry(title="Draf izin rahasia", summary="Rekap izin rahasia", status=EntryStatus.DRAFT),
        entry(
            title="Dicabut izin rahasia", summary="Rekap izin rahasia", status=EntryStatus.WITHDRAWN
        ),
    ]
    documents = [add_file(item) for item in hidden]
    entry(title="Daftar izin usaha", summary="Rekap izin usaha")
    assert titles(client) == ["Daftar izin usaha"]
    assert titles(client, q="rahasia") == []
    assert titles(client, q="izin") == ["Daftar izin usaha"]
    assert "rahasia" not in client.get(reverse(BROWSE)).content.decode()
    for item in hidden:
        assert client.get(reverse("public_information:entry", args=[item.pk])).status_code == 404
    for document in documents:
        for name in ("public_information:download", "public_information:preview"):
            assert client.get(reverse(name, args=[document.pk])).status_code == 404
    suggested = client.get(reverse("public_information:suggest"), {"q": "rahasia"}).json()
    assert suggested == {"results": []}
    assert DipEntry.objects.filter(download_count__gt=0).count() == 0


# The entry page


def test_the_entry_page_shows_every_dip_column_and_no_staff_name(
    entry: MakeEntry, client: Client, demo: Pemda
) -> None:
    topic = Topic.objects.create(pemda=demo, name="Perizinan", slug="perizinan")
    found = entry(
        title="Daftar izin usaha yang terbit",
        summary="Rekap izin usaha per kecamatan",
        holder="Bidang Perizinan",
        responsible="Kepala Bidang Perizinan",
        produced_when="Januari 2026",
        produced_where="Kantor DPMPTSP Nusa Harapan",
        formats=["cetak", "elektronik"],
        retention="5 tahun",
        legal_basis="Perda Nomor 7 Tahun 2025",
        category=Category.BERKALA,
        topics=[topic],
    )
    add_file(found, title="Rekap Januari")
    page = client.get(reverse("public_information:entry", args=[found.pk])).content.decode()
    for shown in (
        "Rekap izin usaha per kecamatan",
        "Bidang Perizinan",
        "Kepala Bidang Perizinan",
        "Januari 2026",
        "Kantor DPMPTSP Nusa Harapan",
        "Tercetak (hardcopy), Elektronik (softcopy)",
        "5 tahun",
        "Perda Nomor 7 Tahun 2025",
        "Berkala",
        "Perizinan",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Rekap Januari",
    ):
        assert html.escape(shown) in page, shown
    for staff in ("ppid.dpmptsp", "admin.dpmptsp"):
        assert staff not in page
    document = found.documents.get()
    assert f'src="{reverse("public_information:preview", args=[document.pk])}"' in page
    assert reverse("public_information:download", args=[document.pk]) in page
    assert "Ajukan permohonan informasi ini" not in page


def test_images_preview_in_an_img_and_links_open_out(entry: MakeEntry, client: Client) -> None:
    found = entry()
    image = add_file(found, title="Peta", kind="png", name="peta.png", content=b"\x89PNG\r\n\x1a\n")
    sheet = add_file(found, title="Tabel", kind="xlsx", name="tabel.xlsx", content=b"PK\x03\x04")
    link = add_link(found)
    page = client.get(reverse("public_information:entry", args=[found.pk])).content.decode()
    assert f'<img src="{reverse("public_information:preview", args=[image.pk])}"' in page
    assert reverse("public_information:preview", args=[sheet.pk]) not in page
    assert reverse("public_information:download", args=[sheet.pk]) in page
    assert re.search(
        rf'href="{reverse("public_information:download", args=[link.pk])}"[^>]*rel="noopener"',
        page,
    )


def test_an_entry_without_documents_online_offers_a_prefilled_request(
    entry: MakeEntry, client: Client
) -> None:
    found = entry(title="Notulen rapat koordinasi")
    page = client.get(reverse("public_information:entry", args=[found.pk])).content.decode()
    expected = (
        reverse("information_requests:form")
        + "?"
        + urlencode(
            {
                "informasi": "Notulen rapat koordinasi — "
                "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                "opd": found.opd_id,
            }
        )
    )
    assert "Ajukan permohonan informasi ini" in page
    assert f'href="{html.escape(expected)}"' in page

    form = client.get(expected).content.decode()
    assert "Notulen rapat koordinasi — Dinas Penanaman Modal" in form
    assert re.search(rf'<option value="{found.opd_id}" selected>', form)


def test_the_request_form_keeps_what_was_posted_over_the_link(demo: Pemda, client: Client) -> None:
    opd = Opd.objects.get(code="setda")
    url = reverse("information_requests:form") + "?" + urlencode({"informasi": "Dari tautan"})
    # An incomplete form comes back with what the person wrote, not the link's text.
    response = client.post(url, {"information": "Yang saya tulis", "opd": opd.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Yang saya tulis" in page
    assert "Dari tautan" not in page
    assert re.search(rf'<option value="{opd.pk}" selected>', page)
    assert client.get(reverse("information_requests:form"), {"opd": "x²"}).status_code == 200


# Downloads and previews


def test_downloads_are_counted_on_the_document_the_entry_and_the_pemdas_day(
    entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    found = entry()
    document = add_file(found, name="rekap izin.pdf")
    url = reverse("public_information:download", args=[document.pk])
    # 16 March 23:30 UTC is already 17 March, 06:30, in Jakarta.
    at[0] = dt.datetime(2026, 3, 16, 23, 30, tzinfo=dt.UTC)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        # Reading the whole stream closes the file, as a server does.
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rekap izin.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    document.refresh_from_db()
    found.refresh_from_db()
    assert (document.download_count, found.download_count) == (2, 2)
    at[0] = dt.datetime(2026, 3, 17, 17, 5, tzinfo=dt.UTC)  # 18 March, 00:05 in Jakarta
    late = client.get(url)
    assert b"".join(late.streaming_content) == PDF  # type: ignore[attr-defined]
    days = DownloadDay.objects.filter(document=document).order_by("day")
    assert list(days.values_list("day", "count")) == [
        (dt.date(2026, 3, 17), 2),
        (dt.date(2026, 3, 18), 1),
    ]
    # Counting a download is not a change to the list.
    found.refresh_from_db()
    assert found.updated_at == dt.datetime(2026, 3, 17, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_previews_are_inline_framable_here_and_not_counted(
    entry: MakeEntry, client: Client
) -> None:
    found = entry()
    document = add_file(found)
    response = client.get(reverse("public_information:preview", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    sheet = add_file(found, kind="docx", name="surat.docx", content=b"PK\x03\x04")
    response = client.get(reverse("public_information:preview", args=[sheet.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public_information:download", args=[sheet.pk])
    document.refresh_from_db()
    found.refresh_from_db()
    assert (document.download_count, found.download_count) == (0, 0)


def test_link_documents_redirect_and_count(entry: MakeEntry, client: Client) -> None:
    found = entry()
    link = add_link(found)
    response = client.get(reverse("public_information:download", args=[link.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://jdih.example.go.id/perda-7-2025"
    link.refresh_from_db()
    found.refresh_from_db()
    assert (link.download_count, found.download_count) == (1, 1)


def test_a_document_whose_file_is_missing_is_not_found(entry: MakeEntry, client: Client) -> None:
    document = add_file(entry())
    assert document.current is not None
    document.current.file.delete(save=False)
    response = client.get(reverse("public_information:download", args=[document.pk]))
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.download_count == 0


# Suggestions while typing a request


def test_suggestions_match_the_beginning_of_a_word(entry: MakeEntry, client: Client) -> None:
    cache.clear()
    found = entry(title="Dokumen penganggaran daerah")
    entry(title="Profil dinas")
    url = reverse("public_information:suggest")
    assert client.get(url, {"q": "angg"}).json() == {
        "results": [
            {
                "id": found.pk,
                "title": "Dokumen penganggaran daerah",
                "body": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                "url": reverse("public_information:entry", args=[found.pk]),
            }
        ]
    }
    assert client.get(url, {"q": "an"}).json() == {"results": []}
    # Half way through an affixed word, which the stemmer cannot take apart yet.
    for typed in ("dokumen pengangg", "dokumen penganggar", "penganggaran dae"):
        assert [row["id"] for row in client.get(url, {"q": typed}).json()["results"]] == [
            found.pk
        ], typed


def test_suggestions_are_at_most_five_and_rate_limited(
    entry: MakeEntry, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    for number in range(7):
        entry(title=f"Laporan keuangan {number}")
    url = reverse("public_information:suggest")
    assert len(json.loads(client.get(url, {"q": "keuangan"}).content)["results"]) == 5
    monkeypatch.setattr(public, "SUGGESTS_PER_MINUTE", 1)
    assert client.get(url, {"q": "keuangan"}).status_code == 429
    cache.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_request_shows_entries_that_may_already_be_there(
    entry: MakeEntry, page: Page
) -> None:
    cache.clear()
    found = entry(title="Dokumen penganggaran daerah")
    page.goto(reverse("information_requests:form"))
    field = page.locator("#id_information")
    field.fill("anggar")
    region = page.locator("#saran-dip")
    region.get_by_role("link").first.wait_for()
    assert region.get_attribute("aria-live") == "polite"
    assert "Mungkin sudah tersedia:" in region.inner_text()
    link = region.get_by_role("link", name="Dokumen penganggaran daerah")
    assert link.get_attribute("href") == reverse("public_information:entry", args=[found.pk])
    # The suggestions sit right under the field they answer.
    assert page.evaluate(
        "document.getElementById('saran-dip').parentElement"
        ".contains(document.getElementById('id_information'))"
    )
    field.fill("an")
    region.get_by_role("link").first.wait_for(state="detached")
    cache.clear()


def test_the_request_form_loads_the_suggestion_script(demo: Pemda, client: Client) -> None:
    page = client.get(reverse("information_requests:form")).content.decode()
    assert '<script src="/static/public_information/suggest.js" defer></script>' in page
    assert 'aria-live="polite"' in page
    assert f'data-url="{reverse("public_information:suggest")}"' in page
    assert 'data-field="id_information"' in page
    script = client.get("/static/public_information/suggest.js")
    assert script.status_code == 200
    assert b"saran-dip" in script.getvalue()  # reading it whole also closes the file


# The home page


def test_the_home_page_lists_serta_merta_notices(
    entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    entry(
        title="Peringatan banjir Sungai Kali Kuning",
        category=Category.SERTA_MERTA,
        opd="setda",
        published_at=dt.datetime(2026, 3, 16, 20, 0, tzinfo=dt.UTC),  # 17 March in WIB
    )
    entry(title="Draf peringatan longsor", category=Category.SERTA_MERTA, status=EntryStatus.DRAFT)
    entry(title="Daftar izin usaha", category=Category.SETIAP_SAAT)
    page = client.get(reverse("portal:home")).content.decode()
    block = page[page.index('id="judul-serta-merta"') :]
    block = block[: block.index("</section>")]
    assert "Peringatan banjir Sungai Kali Kuning" in block
    assert "Sekretariat Daerah" in block
    assert "17 Maret 2026" in block
    assert "Draf peringatan longsor" not in page
    assert "Daftar izin usaha" not in block
    assert reverse(BROWSE) in block
    assert reverse("public_information:exempt_list") in block
