"""Staff management of DIP entries: services, permissions, the list, topics and the demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terbuka.core.errors import DomainError
from terbuka.core.models import AuditEvent
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.public_information import actions, services
from terbuka.public_information.demo import dip_demo_load
from terbuka.public_information.models import (
    Category,
    DipEntry,
    EntryStatus,
    Topic,
    refresh_due,
)
from terbuka.public_information.tests.conftest import MakeEntry
from terbuka.public_information.views.entries import dashboard_panel
from terbuka.search.selectors import search

pytestmark = pytest.mark.django_db


def user(username: str) -> User:
    return User.objects.get(username=username)


def entry_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Rekapitulasi izin usaha mikro",
        "summary": "Rencana penganggaran layanan perizinan per kecamatan",
        "holder": "Bidang Perizinan",
        "responsible": "Kepala DPMPTSP",
        "produced_when": "Setiap triwulan",
        "produced_where": "Nusa Harapan",
        "formats": ["elektronik", "cetak"],
        "retention": "5 tahun",
        "category": Category.SETIAP_SAAT,
        "legal_basis": "",
        "year": 2026,
        "refreshed_on": None,
    }
    data.update(overrides)
    return data


def form_data(**overrides: Any) -> dict[str, Any]:
    data = entry_data()
    data.update(
        {
            "opd": Opd.objects.get(code="dpmptsp").pk,
            "year": "2026",
            "refreshed_on": "",
            "topics": [],
        }
    )
    data.update(overrides)
    return data


def found(word: str, pemda: Pemda, *, public_only: bool = False) -> list[int]:
    return search("dip_entry", word, public_only=public_only, pemda_id=pemda.pk).ids


def events(entry: DipEntry, action: str) -> list[AuditEvent]:
    return [event for event in AuditEvent.objects.for_object(entry) if event.action == action]


# --- services ---------------------------------------------------------------------------


def test_create_makes_an_audited_draft_that_search_finds_by_a_stemmed_word(
    demo: Pemda, at: list[dt.datetime], django_capture_on_commit_callbacks: Any
) -> None:
    topic = services.topic_create(pemda=demo, actor=user("kabid.ikp"), name="Perizinan")
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_create(
            opd=Opd.objects.get(code="dpmptsp"),
            actor=user("ppid.dpmptsp"),
            data=entry_data(),
            topics=[topic],
        )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert entry.pemda_id == demo.pk
    assert entry.created_at == entry.updated_at == at[0]
    assert entry.formats == ["cetak", "elektronik"]  # in the order of Format
    assert list(entry.topics.all()) == [topic]
    assert entry.refresh_due_on is None
    [created] = events(entry, actions.ENTRY_CREATED)
    assert created.actor == user("ppid.dpmptsp")
    # "penganggaran" in the summary and "anggaran" in the query share the stem "anggar".
    assert found("anggaran", demo) == [entry.pk]
    assert found("anggaran", demo, public_only=True) == []  # a draft is not public


def test_nothing_is_indexed_when_the_create_rolls_back(
    demo: Pemda, at: list[dt.datetime], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.entry_create(
            opd=Opd.objects.get(code="dpmptsp"),
            actor=user("ppid.dpmptsp"),
            data=entry_data(formats=[]),
            topics=[],
        )
    assert not DipEntry.objects.exists()
    assert found("anggaran", demo) == []


def test_update_of_an_established_entry_keeps_it_established_and_audits_the_change(
    demo: Pemda,
    make_entry: MakeEntry,
    at: list[dt.datetime],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry(summary="Rekap izin usaha per kecamatan")
    topic = services.topic_create(pemda=demo, actor=user("kabid.ikp"), name="Perizinan")
    at[0] += dt.timedelta(days=2)
    data = entry_data(
        title=entry.title,
        summary="Rekap izin usaha dan retribusi per kecamatan",
        formats=entry.formats,
        holder=entry.holder,
        responsible=entry.responsible,
        produced_when=entry.produced_when,
        produced_where=entry.produced_where,
        retention=entry.retention,
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.entry_update(
            entry=entry, actor=user("ppid.dpmptsp"), data=data, topics=[topic]
        )
    assert sorted(changed) == ["summary", "topics"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ESTABLISHED
    assert entry.updated_at == at[0]
    [event] = events(entry, actions.ENTRY_CHANGED)
    assert event.data["status"] == "ditetapkan"
    assert event.data["perubahan"]["summary"] == {
        "dari": "Rekap izin usaha per kecamatan",
        "ke": "Rekap izin usaha dan retribusi per kecamatan",
    }
    assert event.data["perubahan"]["topics"] == {"dari": [], "ke": ["Perizinan"]}
    assert found("retribusi", demo, public_only=True) == [entry.pk]


def test_update_without_a_change_writes_nothing(demo: Pemda, make_entry: MakeEntry) -> None:
    entry = make_entry()
    data = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    before = entry.updated_at
    assert (
        services.entry_update(entry=entry, actor=user("ppid.dpmptsp"), data=data, topics=[]) == []
    )
    entry.refresh_from_db()
    assert entry.updated_at == before
    assert not events(entry, actions.ENTRY_CHANGED)


def test_an_established_entry_does_not_become_exempt_without_a_consequence_test(
    demo: Pemda, make_entry: MakeEntry
) -> None:
    entry = make_entry()
    data = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    data["category"] = Category.DIKECUALIKAN
    with pytest.raises(DomainError) as refused:
        services.entry_update(entry=entry, actor=user("kabid.ikp"), data=data, topics=[])
    assert str(refused.value) == str(services.EXEMPT_NEEDS_TEST)


def test_withdraw_needs_a_reason_is_audited_and_leaves_the_public_index(
    demo: Pemda, make_entry: MakeEntry, django_capture_on_commit_callbacks: Any
) -> None:
    entry = make_entry(summary="Rekap retribusi perizinan")
    with pytest.raises(DomainError) as refused:
        services.entry_withdraw(entry=entry, actor=user("ppid.dpmptsp"), reason="  ")
    assert str(refused.value) == "Alasan pencabutan wajib diisi."
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_withdraw(
            entry=entry, actor=user("ppid.dpmptsp"), reason="Digabung dengan entri lain"
        )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    [event] = events(entry, actions.ENTRY_WITHDRAWN)
    assert event.data == {"alasan": "Digabung dengan entri lain", "status_sebelumnya": "ditetapkan"}
    assert found("retribusi", demo, public_only=True) == []
    assert found("retribusi", demo) == [entry.pk]
    with pytest.raises(DomainError, match="sudah dicabut"):
        services.entry_update(
            entry=entry,
            actor=user("ppid.dpmptsp"),
            data={name: getattr(entry, name) for name in services.ENTRY_FIELDS},
            topics=[],
        )


def test_a_new_berkala_entry_is_due_six_months_after_its_refresh_or_today(
    demo: Pemda, at: list[dt.datetime]
) -> None:
    opd, actor = Opd.objects.get(code="dpmptsp"), user("ppid.dpmptsp")
    dated = services.entry_create(
        opd=opd,
        actor=actor,
        data=entry_data(category=Category.BERKALA, refreshed_on=dt.date(2026, 1, 31)),
        topics=[],
    )
    undated = services.entry_create(
        opd=opd, actor=actor, data=entry_data(category=Category.BERKALA, title="B"), topics=[]
    )
    assert (dated.refreshed_on, dated.refresh_due_on) == (
        dt.date(2026, 1, 31),
        dt.date(2026, 7, 31),
    )
    assert (undated.refreshed_on, undated.refresh_due_on) == (None, dt.date(2026, 9, 17))
    with pytest.raises(DomainError, match="melewati hari ini"):
        services.entry_create(
            opd=opd,
            actor=actor,
            data=entry_data(category=Category.BERKALA, refreshed_on=dt.date(2026, 3, 18)),
            topics=[],
        )


@pytest.mark.parametrize(
    ("refreshed_on", "due_on"),
    [
        (dt.date(2025, 8, 31), dt.date(2026, 2, 28)),
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2025, 12, 31), dt.date(2026, 6, 30)),
        (dt.date(2025, 11, 30), dt.date(2026, 5, 30)),
        (dt.date(2026, 3, 17), dt.date(2026, 9, 17)),
        (dt.date(2026, 7, 1), dt.date(2027, 1, 1)),  # over the year end
    ],
)
def test_uu_14_2008_art_9_4_berkala_information_is_refreshed_at_least_every_six_months(
    refreshed_on: dt.date, due_on: dt.date
) -> None:
    assert refresh_due(refreshed_on) == due_on


def test_uu_14_2008_art_9_4_refresh_service_at_a_month_end(
    demo: Pemda, make_entry: MakeEntry, at: list[dt.datetime]
) -> None:
    entry = make_entry(
        category=Category.BERKALA,
        refreshed_on=dt.date(2025, 3, 1),
        refresh_due_on=dt.date(2025, 9, 1),
    )
    services.entry_refresh(
        entry=entry, actor=user("ppid.dpmptsp"), refreshed_on=dt.date(2025, 8, 31)
    )
    entry.refresh_from_db()
    assert (entry.refreshed_on, entry.refresh_due_on) == (
        dt.date(2025, 8, 31),
        dt.date(2026, 2, 28),
    )
    [event] = events(entry, actions.ENTRY_REFRESHED)
    assert event.data["pembaruan_berikutnya"] == "2026-02-28"
    with pytest.raises(DomainError, match="sebelum pembaruan terakhir"):
        services.entry_refresh(
            entry=entry, actor=user("ppid.dpmptsp"), refreshed_on=dt.date(2025, 8, 1)
        )
    with pytest.raises(DomainError, match="melewati hari ini"):
        services.entry_refresh(
            entry=entry, actor=user("ppid.dpmptsp"), refreshed_on=dt.date(2026, 3, 18)
        )
    with pytest.raises(DomainError, match="Hanya informasi berkala"):
        services.entry_refresh(
            entry=make_entry(title="Setiap saat"),
            actor=user("ppid.dpmptsp"),
            refreshed_on=dt.date(2026, 3, 1),
        )


# --- permissions ------------------------------------------------------------------------


def test_another_opds_admin_gets_404_and_the_ppid_utama_may_manage(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    entry = make_entry(opd="diskominfo", title="Rencana kerja Diskominfo")
    pages = [
        reverse("dip:entry_detail", args=[entry.pk]),
        reverse("dip:entry_edit", args=[entry.pk]),
        reverse("dip:entry_withdraw", args=[entry.pk]),
        reverse("dip:entry_refresh", args=[entry.pk]),
        reverse("dip:document_add", args=[entry.pk]),
    ]
    client.force_login(user("admin.dpmptsp"))
    for url in pages:
        assert client.get(url).status_code == 404, url
    posted = client.post(pages[2], {"reason": "coba"})
    assert posted.status_code == 404
    listed = client.get(reverse("dip:entry_list")).content.decode()
    assert "Rencana kerja Diskominfo" not in listed
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ESTABLISHED

    client.force_login(user("kabid.ikp"))  # PPID Utama
    assert "Rencana kerja Diskominfo" in client.get(reverse("dip:entry_list")).content.decode()
    assert client.get(pages[0]).status_code == 200
    response = client.post(pages[2], {"reason": "Sudah tidak berlaku"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def test_people_without_a_part_in_the_dip_get_404(
    demo: Pemda, make_entry: MakeEntry, client: Client
) -> None:
    entry = make_entry()
    client.force_login(user("kadis.dpmptsp"))  # head of the OPD, no DIP role
    assert client.get(reverse("dip:entry_list")).status_code == 404
    assert client.get(reverse("dip:entry_detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("dip:entry_create")).status_code == 404
    assert client.get(reverse("dip:topic_list")).status_code == 404


def test_the_opds_ppid_pelaksana_edits_its_entry_through_the_form(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    at: list[dt.datetime],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry()
    client.force_login(user("ppid.dpmptsp"))
    page = client.get(reverse("dip:entry_edit", args=[entry.pk])).content.decode()
    assert "sudah ditetapkan PPID" in page
    data = form_data(title=entry.title, summary="Ringkasan baru tentang retribusi")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dip:entry_edit", args=[entry.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Ringkasan baru tentang retribusi"
    assert entry.status == EntryStatus.ESTABLISHED
    detail = client.get(reverse("dip:entry_detail", args=[entry.pk])).content.decode()
    assert "Entri DIP diubah" in detail


# --- forms ------------------------------------------------------------------------------


def test_create_form_reports_errors_in_indonesian_and_keeps_what_was_typed(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    response = client.post(
        reverse("dip:entry_create"),
        form_data(title="", formats=[], year="20x6", summary="Ringkasan yang sudah diketik"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Isi judul informasi." in page
    assert "Pilih sedikitnya satu bentuk informasi yang tersedia." in page
    assert "Tahun ditulis dengan angka" in page
    assert "Ringkasan yang sudah diketik" in page
    assert not DipEntry.objects.exists()


def test_create_form_makes_a_berkala_draft_of_the_chosen_opd(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    topic = services.topic_create(pemda=demo, actor=user("kabid.ikp"), name="Perizinan")
    response = client.post(
        reverse("dip:entry_create"),
        form_data(category="berkala", refreshed_on="2026-02-28", topics=[topic.pk]),
    )
    entry = DipEntry.objects.get()
    assert response["Location"] == reverse("dip:entry_detail", args=[entry.pk])
    assert entry.opd.code == "dpmptsp"
    assert entry.created_by == user("admin.dpmptsp")
    assert entry.refresh_due_on == dt.date(2026, 8, 28)
    assert list(entry.topics.all()) == [topic]


def test_an_opd_admin_cannot_create_for_another_opd(
    demo: Pemda, client: Client, at: list[dt.datetime]
) -> None:
    client.force_login(user("admin.dpmptsp"))
    response = client.post(
        reverse("dip:entry_create"), form_data(opd=Opd.objects.get(code="diskominfo").pk)
    )
    assert "Anda tidak mengelola DIP perangkat daerah itu." in response.content.decode()
    assert not DipEntry.objects.exists()


# --- the list ---------------------------------------------------------------------------


def test_list_flags_berkala_entries_due_within_30_days_or_past(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    soon = make_entry(
        title="Segera", category=Category.BERKALA, refresh_due_on=dt.date(2026, 4, 10)
    )
    past = make_entry(title="Lewat", category=Category.BERKALA, refresh_due_on=dt.date(2026, 3, 1))
    later = make_entry(title="Nanti", category=Category.BERKALA, refresh_due_on=dt.date(2026, 6, 1))
    client.force_login(user("ppid.dpmptsp"))
    page = client.get(reverse("dip:entry_list")).content.decode()

    def row(entry: DipEntry) -> str:
        start = page.index(f'data-entry="{entry.pk}"')
        return page[start : page.index("</tr>", start)]

    assert "perlu diperbarui" in row(soon)
    assert "lewat batas" in row(past)
    assert "perlu diperbarui" not in row(later)
    only = client.get(reverse("dip:entry_list"), {"perlu_diperbarui": "1"}).content.decode()
    assert "Segera" in only
    assert "Lewat" in only
    assert "Nanti" not in only


def test_list_filters(demo: Pemda, make_entry: MakeEntry, client: Client) -> None:
    make_entry(title="Anggaran dinas", category=Category.BERKALA, year=2025)
    make_entry(title="Izin terbit", status=EntryStatus.DRAFT)
    make_entry(opd="diskominfo", title="Profil Diskominfo")
    client.force_login(user("kabid.ikp"))
    url = reverse("dip:entry_list")

    def titles(**params: str) -> set[str]:
        page = client.get(url, params).content.decode()
        names = {"Anggaran dinas", "Izin terbit", "Profil Diskominfo"}
        return {name for name in names if name in page}

    assert titles() == {"Anggaran dinas", "Izin terbit", "Profil Diskominfo"}
    assert titles(kategori="berkala") == {"Anggaran dinas"}
    assert titles(status="draf") == {"Izin terbit"}
    assert titles(tahun="2025") == {"Anggaran dinas"}
    assert titles(q="izin") == {"Izin terbit"}
    assert titles(opd=str(Opd.objects.get(code="diskominfo").pk)) == {"Profil Diskominfo"}
    assert titles(tahun="abc", kategori="xyz") == titles()  # nonsense is ignored


def test_list_runs_a_constant_number_of_queries(
    demo: Pemda, make_entry: MakeEntry, client: Client
) -> None:
    client.force_login(user("kabid.ikp"))
    url = reverse("dip:entry_list")
    make_entry(category=Category.BERKALA, refresh_due_on=dt.date(2026, 4, 1))
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for number in range(9):
        make_entry(opd="diskominfo" if number % 2 else "dpmptsp", title=f"Entri {number}")
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url)
    assert page.content.decode().count("data-entry=") == 10
    assert len(ten) == len(one)


# --- topics -----------------------------------------------------------------------------


def test_ppid_utama_adds_and_renames_topics(demo: Pemda, client: Client) -> None:
    client.force_login(user("kabid.ikp"))
    url = reverse("dip:topic_list")
    assert client.post(url, {"baru-name": "Pelayanan Publik"}).status_code == 302
    topic = Topic.objects.get()
    assert (topic.name, topic.slug, topic.pemda_id) == (
        "Pelayanan Publik",
        "pelayanan-publik",
        demo.pk,
    )
    again = client.post(url, {"baru-name": "pelayanan  publik"})
    assert "Topik dengan nama itu sudah ada." in again.content.decode()
    response = client.post(url, {"topic": str(topic.pk), f"topik{topic.pk}-name": "Layanan Publik"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.slug) == ("Layanan Publik", "pelayanan-publik")
    assert [e.action for e in AuditEvent.objects.for_object(topic)] == [
        "dip.topic_created",
        "dip.topic_renamed",
    ]
    client.force_login(user("admin.dpmptsp"))
    assert client.get(url).status_code == 404


# --- demo -------------------------------------------------------------------------------


def test_demo_dip_covers_all_categories_and_loads_once(
    demo: Pemda, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = dip_demo_load(demo)
    assert created == DipEntry.objects.count() >= 20
    assert set(DipEntry.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(DipEntry.objects.values_list("opd__code", flat=True)) == {
        "diskominfo",
        "dpmptsp",
        "setda",
    }
    # Exempt entries are established only on an approved consequence test (art. 19): the
    # demo closes one that way, the others stay drafts.
    exempt = DipEntry.objects.filter(category=Category.DIKECUALIKAN, status=EntryStatus.ESTABLISHED)
    assert [entry.exemption is not None and entry.exemption.is_approved for entry in exempt] == [
        True
    ]
    assert (
        DipEntry.objects.filter(status=EntryStatus.ESTABLISHED, published_at__isnull=False).count()
        >= 15
    )
    assert DipEntry.objects.filter(category=Category.SERTA_MERTA).count() >= 2
    # The demo PDFs were read: a word found only in a document finds its entry.
    [report] = DipEntry.objects.filter(title="Laporan layanan informasi publik")
    assert "panjang" not in f"{report.title} {report.summary} {report.legal_basis}".lower()
    assert report.pk in found("sepanjang", demo, public_only=True)
    counts = (DipEntry.objects.count(), AuditEvent.objects.count(), Topic.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        assert dip_demo_load(demo) == 0
    assert (DipEntry.objects.count(), AuditEvent.objects.count(), Topic.objects.count()) == counts


def test_every_staff_page_of_an_entry_renders(
    demo: Pemda, make_entry: MakeEntry, client: Client, at: list[dt.datetime]
) -> None:
    entry = make_entry(category=Category.BERKALA, refresh_due_on=dt.date(2026, 5, 1))
    document = services.document_add(
        entry=entry, actor=user("ppid.dpmptsp"), title="Tautan", url="https://example.org/a"
    )
    client.force_login(user("kabid.ikp"))
    for name in ("entry_detail", "entry_edit", "entry_withdraw", "entry_refresh", "document_add"):
        assert client.get(reverse(f"dip:{name}", args=[entry.pk])).status_code == 200, name
    for name in ("entry_list", "entry_create", "topic_list"):
        assert client.get(reverse(f"dip:{name}")).status_code == 200, name
    refreshed = client.post(
        reverse("dip:entry_refresh", args=[entry.pk]), {"refreshed_on": "2026-03-16"}
    )
    assert refreshed.status_code == 302
    entry.refresh_from_db()
    assert entry.refresh_due_on == dt.date(2026, 9, 16)
    detail = client.get(reverse("dip:entry_detail", args=[entry.pk])).content.decode()
    assert document.url in detail
    assert "Entri DIP berkala diperbarui" in detail
    client.post(reverse("dip:entry_withdraw", args=[entry.pk]), {"reason": "Diganti"})
    withdrawn = client.get(reverse("dip:entry_detail", args=[entry.pk])).content.decode()
    assert "Alasan: Diganti" in withdrawn
    assert reverse("dip:entry_edit", args=[entry.pk]) not in withdrawn
    # A withdrawn entry's forms send the person back to it with the reason why.
    response = client.get(reverse("dip:entry_edit", args=[entry.pk]))
    assert response["Location"] == reverse("dip:entry_detail", args=[entry.pk])


def test_dashboard_panel_counts_drafts_refreshes_and_failed_reads(
    demo: Pemda, make_entry: MakeEntry, rf: Any, at: list[dt.datetime]
) -> None:
    make_entry(status=EntryStatus.DRAFT)
    make_entry(category=Category.BERKALA, refresh_due_on=dt.date(2026, 4, 1))
    make_entry(opd="diskominfo")
    request = rf.get("/staff/")
    request.user = user("ppid.dpmptsp")
    panel = dashboard_panel(request)
    assert panel == {"dip": {"total": 2, "drafts": 1, "refresh": 1, "failed": 0}}
    html = render_to_string("public_information/staff/entry_panel.html", {"panel": panel})
    assert "1 perlu diperbarui" in html
    outsider = rf.get("/staff/")
    outsider.user = user("kadis.dpmptsp")
    assert dashboard_panel(outsider) is None
