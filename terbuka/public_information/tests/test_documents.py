"""Documents of DIP entries: uploads checked by content, versions, background text reading,
failures staff can see, and the private download."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from terbuka.core.errors import DomainError
from terbuka.core.extract import ENCRYPTED
from terbuka.core.models import AuditEvent
from terbuka.core.tests.test_extract import encrypted_pdf, pdf_bytes
from terbuka.organizations.models import Pemda, User
from terbuka.public_information import actions, services, tasks
from terbuka.public_information.models import DipEntry, Document, DocumentVersion, TextStatus
from terbuka.public_information.tests.conftest import MakeEntry
from terbuka.search.selectors import search

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
PDF_TEXT = "Laporan pembangunan jembatan gantung Desa Sukamaju"


def user(username: str) -> User:
    return User.objects.get(username=username)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def found(word: str, pemda: Pemda) -> list[int]:
    return search("dip_entry", word, public_only=False, pemda_id=pemda.pk).ids


def add_url(entry: DipEntry) -> str:
    return reverse("dip:document_add", args=[entry.pk])


def text_read_events(entry: DipEntry) -> list[AuditEvent]:
    return [
        event
        for event in AuditEvent.objects.for_object(entry)
        if event.action == actions.DOCUMENT_TEXT_READ
    ]


def test_a_pdfs_text_is_read_and_its_entry_found_by_a_word_only_in_the_pdf(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    at: list[dt.datetime],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry()
    client.force_login(user("ppid.dpmptsp"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(entry),
            {"title": "Laporan", "file": upload("laporan.pdf", pdf_bytes(PDF_TEXT))},
        )
    assert response.status_code == 302
    document = Document.objects.select_related("current").get()
    version = document.current
    assert version is not None
    assert (version.number, version.kind, version.name) == (1, "pdf", "laporan.pdf")
    assert version.size == len(pdf_bytes(PDF_TEXT))
    assert len(version.sha256) == 64
    assert version.text_status == TextStatus.DONE
    assert "jembatan gantung" in version.text
    assert version.file.name.startswith("dip/")
    assert version.file.name.endswith(".pdf")
    assert "laporan" not in version.file.name  # stored under a generated name
    assert found("jembatan", demo) == [entry.pk]
    [event] = text_read_events(entry)
    assert event.data["status"] == "selesai"
    actions_logged = [e.action for e in AuditEvent.objects.for_object(entry)]
    assert actions_logged == [actions.DOCUMENT_ADDED, actions.DOCUMENT_TEXT_READ]
    entry.refresh_from_db()
    assert entry.updated_at == at[0]


def test_a_png_named_pdf_is_kept_as_png_and_downloads_as_one(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry()
    client.force_login(user("admin.dpmptsp"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add_url(entry), {"title": "Peta", "file": upload("peta.pdf", PNG)})
    version = DocumentVersion.objects.get()
    assert version.kind == "png"
    assert version.name == "peta.pdf"
    assert version.file.name.endswith(".png")
    assert version.text_status == TextStatus.EMPTY  # an image has no text layer
    response = client.get(reverse("dip:version_download", args=[entry.pk, version.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="peta.png"'
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100)),
        ("laporan.pdf", bytes(range(256)) * 4),
    ],
)
def test_a_file_that_is_no_document_is_refused_in_indonesian_and_nothing_is_stored(
    demo: Pemda, make_entry: MakeEntry, client: Client, name: str, content: bytes
) -> None:
    entry = make_entry()
    client.force_login(user("ppid.dpmptsp"))
    response = client.post(add_url(entry), {"title": "Berkas", "file": upload(name, content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Berkas {name} bukan PDF/DOCX/XLSX" in page
    assert "jenis dibaca dari isi berkas" in page
    assert 'value="Berkas"' in page  # the title typed is kept
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert private_files() == []
    # The service refuses it too, whoever calls it.
    with pytest.raises(DomainError, match="bukan PDF"):
        services.document_add(
            entry=entry, actor=user("ppid.dpmptsp"), title="Berkas", upload=upload(name, content)
        )
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(
    demo: Pemda, make_entry: MakeEntry, settings: Any
) -> None:
    settings.DIP_MAX_UPLOAD_MB = 1
    big = pdf_bytes(PDF_TEXT) + b"\n%" + bytes(1024 * 1024)
    with pytest.raises(DomainError, match="terlalu besar: batasnya 1 MB"):
        services.document_add(
            entry=make_entry(),
            actor=user("ppid.dpmptsp"),
            title="Besar",
            upload=upload("besar.pdf", big),
        )


def test_a_document_is_a_file_or_a_link_never_both_nor_neither(
    demo: Pemda, make_entry: MakeEntry, client: Client
) -> None:
    entry = make_entry()
    client.force_login(user("ppid.dpmptsp"))
    both = client.post(
        add_url(entry),
        {
            "title": "Dua",
            "url": "https://ppid.example.go.id/a.pdf",
            "file": upload("a.pdf", pdf_bytes()),
        },
    )
    assert "Isi salah satu saja" in both.content.decode()
    neither = client.post(add_url(entry), {"title": "Kosong"})
    assert "Unggah berkas atau isi tautan dokumen." in neither.content.decode()
    assert not Document.objects.exists()
    linked = client.post(add_url(entry), {"title": "RUP", "url": "https://sirup.example/rup"})
    assert linked.status_code == 302
    document = Document.objects.get()
    assert (document.url, document.current) == ("https://sirup.example/rup", None)
    assert client.get(reverse("dip:version_add", args=[entry.pk, document.pk])).status_code == 404
    with pytest.raises(DomainError, match="berupa tautan"):
        services.document_version_add(
            document=document, actor=user("ppid.dpmptsp"), upload=upload("a.pdf", pdf_bytes())
        )
    with pytest.raises(DomainError, match="salah satu saja"):
        services.document_add(entry=entry, actor=user("ppid.dpmptsp"), title="Tanpa isi")


def test_an_encrypted_pdf_is_kept_and_its_failed_read_is_shown_to_staff(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry(title="Laporan keuangan")
    client.force_login(user("ppid.dpmptsp"))
    content = encrypted_pdf(user_password="rahasia")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add_url(entry), {"title": "Terkunci", "file": upload("kunci.pdf", content)})
    version = DocumentVersion.objects.get()
    message = str(ENCRYPTED) % {"label": "PDF"}
    assert version.text_status == TextStatus.FAILED
    assert version.text_error == message
    with version.file.open("rb") as stored:
        assert stored.read() == content  # the upload is not lost
    detail = client.get(reverse("dip:entry_detail", args=[entry.pk])).content.decode()
    assert message in detail
    assert 'data-text-status="gagal"' in detail
    listed = client.get(reverse("dip:entry_list")).content.decode()
    row = listed[listed.index(f'data-entry="{entry.pk}"') :]
    assert "teks gagal dibaca" in row[: row.index("</tr>")]
    [event] = text_read_events(entry)
    assert event.data["galat"] == message


def test_without_inline_reading_versions_wait_for_the_command_which_is_idempotent(
    demo: Pemda,
    make_entry: MakeEntry,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DIP_TEXT_READ_INLINE = False
    entry = make_entry()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_add(
            entry=entry,
            actor=user("ppid.dpmptsp"),
            title="Laporan",
            upload=upload("laporan.pdf", pdf_bytes(PDF_TEXT)),
        )
        services.document_add(
            entry=entry, actor=user("ppid.dpmptsp"), title="Peta", upload=upload("p.png", PNG)
        )
    assert set(DocumentVersion.objects.values_list("text_status", flat=True)) == {"menunggu"}
    assert found("jembatan", demo) == []
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dip_read_texts", stdout=out)
    assert out.getvalue().strip() == "terbaca: 1, tanpa teks: 1, gagal: 0"
    statuses = dict(DocumentVersion.objects.values_list("name", "text_status"))
    assert statuses == {"laporan.pdf": "selesai", "p.png": "kosong"}
    assert found("jembatan", demo) == [entry.pk]
    before = (
        list(DocumentVersion.objects.order_by("pk").values_list("text", "text_status")),
        AuditEvent.objects.count(),
    )
    again = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dip_read_texts", stdout=again)
    assert again.getvalue().strip() == "terbaca: 0, tanpa teks: 0, gagal: 0"
    after = (
        list(DocumentVersion.objects.order_by("pk").values_list("text", "text_status")),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert tasks.document_text_read(DocumentVersion.objects.first().pk) is None  # type: ignore[union-attr]


def test_version_two_becomes_current_and_version_one_stays_downloadable(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = make_entry()
    first = pdf_bytes("Anggaran tahap pertama")
    second = pdf_bytes("Anggaran perubahan kedua dengan jembatan")
    client.force_login(user("ppid.dpmptsp"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add_url(entry), {"title": "RKA", "file": upload("rka.pdf", first)})
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dip:version_add", args=[entry.pk, document.pk]),
            {"file": upload("rka-perubahan.pdf", second)},
        )
    assert response.status_code == 302
    document.refresh_from_db()
    v1, v2 = DocumentVersion.objects.order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert document.current_id == v2.pk
    assert found("jembatan", demo) == [entry.pk]  # the current version's text is indexed
    download = client.get(reverse("dip:version_download", args=[entry.pk, v1.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == first  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="rka.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    detail = client.get(reverse("dip:entry_detail", args=[entry.pk])).content.decode()
    assert "rka.pdf" in detail
    assert "rka-perubahan.pdf" in detail
    assert [e.action for e in AuditEvent.objects.for_object(entry)].count(
        actions.DOCUMENT_VERSION_ADDED
    ) == 1


def test_download_by_another_opds_staff_or_an_outsider_is_404(
    demo: Pemda,
    make_entry: MakeEntry,
    client: Client,
) -> None:
    entry = make_entry()
    services.document_add(
        entry=entry, actor=user("ppid.dpmptsp"), title="RKA", upload=upload("rka.pdf", pdf_bytes())
    )
    version = DocumentVersion.objects.get()
    url = reverse("dip:version_download", args=[entry.pk, version.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(user("admin.kominfo"))
    assert client.get(url).status_code == 404
    other = make_entry(opd="diskominfo", title="Entri Diskominfo")
    # A version asked for through another entry's address is not found either.
    client.force_login(user("kabid.ikp"))
    assert (
        client.get(reverse("dip:version_download", args=[other.pk, version.pk])).status_code == 404
    )
    response = client.get(url)
    assert response.status_code == 200
    response.close()  # the file it streams


def test_a_withdrawn_entry_takes_no_documents_and_the_refused_file_is_not_kept(
    demo: Pemda, make_entry: MakeEntry
) -> None:
    entry = make_entry()
    services.entry_withdraw(entry=entry, actor=user("ppid.dpmptsp"), reason="Tidak berlaku")
    with pytest.raises(DomainError, match="sudah dicabut"):
        services.document_add(
            entry=entry, actor=user("ppid.dpmptsp"), title="RKA", url="https://example.org/a"
        )
    with pytest.raises(DomainError, match="sudah dicabut"):
        services.document_add(
            entry=entry,
            actor=user("ppid.dpmptsp"),
            title="RKA",
            upload=upload("rka.pdf", pdf_bytes()),
        )
    assert not Document.objects.exists()
    assert private_files() == []
