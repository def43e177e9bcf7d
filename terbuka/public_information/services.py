"""Writes of the DIP's entries, their documents and the Pemda's topics.

Every function runs in one transaction, writes an audit event on the entry (so the entry's
timeline tells its whole story, documents included) and reindexes the entry once the
transaction commits. Files are kept in private storage under a generated name; the type is
read from the content (:mod:`terbuka.core.uploads`), never from the name. The text of a
stored version is read in the background (:mod:`terbuka.public_information.tasks`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, FileField, Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.counters import add_one
from terbuka.core.errors import DomainError
from terbuka.core.uploads import KINDS_DOCUMENT, UploadValidator, sniff
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.organizations.selectors import local_today
from terbuka.public_information import actions, index, tasks
from terbuka.public_information.cycle import entry_transition
from terbuka.public_information.models import (
    Category,
    DipEntry,
    Document,
    DocumentVersion,
    DownloadDay,
    EntryStatus,
    Format,
    Topic,
    refresh_due,
)

# Topic changes are audited too. TODO(actions.py owner): move these two into actions.py
# (and delete them here in the same change: an action declared twice fails at start-up).

#: The DIP columns a person writes; ``entry_create`` and ``entry_update`` take these keys.
ENTRY_FIELDS = (
    "title",
    "summary",
    "holder",
    "responsible",
    "produced_when",
    "produced_where",
    "formats",
    "retention",
    "category",
    "legal_basis",
    "year",
    "refreshed_on",
)
#: The file name extension a stored version gets, by the kind read from its content.
EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "odt": "odt",
    "ods": "ods",
    "csv": "csv",
    "png": "png",
    "jpeg": "jpg",
    "gif": "gif",
    "webp": "webp",
}

OPD_INACTIVE = _("Perangkat daerah ini tidak aktif; entri DIP tidak dapat dibuat untuknya.")
TOPIC_OTHER_PEMDA = _("Topik yang dipilih bukan milik pemerintah daerah ini.")
FORMATS_REQUIRED = _("Pilih sedikitnya satu bentuk informasi yang tersedia.")
FORMAT_UNKNOWN = _("Bentuk informasi tidak dikenal: %(value)s.")
WITHDRAWN_FROZEN = _("Entri yang sudah dicabut tidak dapat diubah.")
ALREADY_WITHDRAWN = _("Entri ini sudah dicabut.")
REASON_REQUIRED = _("Alasan pencabutan wajib diisi.")
EXEMPT_NEEDS_TEST = _(
    "Entri yang sudah ditetapkan hanya dapat masuk atau keluar dari kategori dikecualikan "
    "melalui uji konsekuensi (UU 14/2008 pasal 19)."
)
NOT_BERKALA = _("Hanya informasi berkala yang dicatat pembaruannya.")
REFRESH_IN_FUTURE = _("Tanggal pembaruan tidak boleh melewati hari ini.")
REFRESH_BACKWARDS = _("Tanggal pembaruan tidak boleh sebelum pembaruan terakhir (%(date)s).")
ONE_SOURCE = _("Unggah berkas atau isi tautan dokumen, salah satu saja.")
TITLE_REQUIRED = _("Judul dokumen wajib diisi.")
URL_INVALID = _("Tautan harus alamat web lengkap yang diawali http:// atau https://.")
LINK_HAS_NO_VERSIONS = _("Dokumen ini berupa tautan; tidak ada berkas yang dapat diganti.")
TOPIC_NAME_REQUIRED = _("Nama topik harus memuat huruf atau angka.")
TOPIC_EXISTS = _("Topik dengan nama itu sudah ada.")

_url = URLValidator(schemes=["http", "https"])


def max_upload_bytes() -> int:
    """The largest document file staff may upload (setting ``DIP_MAX_UPLOAD_MB``)."""
    return int(settings.DIP_MAX_UPLOAD_MB) * 1024 * 1024


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The entry columns of ``data``, trimmed, with the formats checked and in a fixed order."""
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"Not DIP entry fields: {sorted(unknown)}")
    values = {name: data.get(name) for name in ENTRY_FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    values["legal_basis"] = values["legal_basis"] or ""
    formats = list(values["formats"] or [])
    for value in formats:
        if value not in Format.values:
            raise DomainError(FORMAT_UNKNOWN, value=value)
    if not formats:
        raise DomainError(FORMATS_REQUIRED)
    values["formats"] = [value for value in Format.values if value in formats]
    return values


def _check_topics(pemda_id: int, topics: Iterable[Topic]) -> list[Topic]:
    chosen = list(topics)
    if any(topic.pemda_id != pemda_id for topic in chosen):
        raise DomainError(TOPIC_OTHER_PEMDA)
    return chosen


def _check_refreshed_on(refreshed_on: dt.date | None, today: dt.date) -> None:
    if refreshed_on is not None and refreshed_on > today:
        raise DomainError(REFRESH_IN_FUTURE)


def _locked(entry: DipEntry) -> DipEntry:
    return DipEntry.objects.select_for_update().select_related("pemda", "opd").get(pk=entry.pk)


def entry_create(
    *, opd: Opd, actor: User, data: Mapping[str, Any], topics: Iterable[Topic]
) -> DipEntry:
    """A new entry of the OPD's DIP, as a draft (draf OPD). A berkala entry is due to be
    refreshed six months after ``refreshed_on``, or after today when that is not given."""
    if not opd.is_active:
        raise DomainError(OPD_INACTIVE)
    values = _values(data)
    chosen = _check_topics(opd.pemda_id, topics)
    today = local_today(opd.pemda)
    if values["category"] == Category.BERKALA:
        _check_refreshed_on(values["refreshed_on"], today)
        values["refresh_due_on"] = refresh_due(values["refreshed_on"] or today)
    else:
        values["refreshed_on"] = None
        values["refresh_due_on"] = None
    now = clock.now()
    with transaction.atomic():
        entry = DipEntry(
            pemda_id=opd.pemda_id,
            opd=opd,
            status=EntryStatus.DRAFT,
            created_at=now,
            updated_at=now,
            created_by=actor,
            **values,
        )
        entry.full_clean()
        entry.save()
        entry.topics.set(chosen)
        audit.record(
            action=actions.ENTRY_CREATED,
            actor=actor,
            obj=entry,
            opd_id=opd.pk,
            data={
                "judul": entry.title,
                "kategori": entry.category,
                "tahun": entry.year,
                "opd": opd.code,
                "topik": sorted(topic.name for topic in chosen),
                "pembaruan_berikutnya": entry.refresh_due_on,
            },
        )
        index.entry_changed(entry)
    return entry


def _refresh_values(
    locked: DipEntry, values: dict[str, Any], today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """(refreshed_on, refresh_due_on) of an edited entry."""
    if values["category"] != Category.BERKALA:
        return None, None
    refreshed_on = values["refreshed_on"]
    if refreshed_on is not None and refreshed_on != locked.refreshed_on:
        _check_refreshed_on(refreshed_on, today)
        return refreshed_on, refresh_due(refreshed_on)
    if locked.category != Category.BERKALA or locked.refresh_due_on is None:
        return refreshed_on, refresh_due(refreshed_on or today)
    # Clearing the date does not move the deadline.
    return refreshed_on, locked.refresh_due_on


def entry_update(
    *, entry: DipEntry, actor: User, data: Mapping[str, Any], topics: Iterable[Topic]
) -> list[str]:
    """Change an entry's columns and topics; returns the names of what changed (nothing
    changed: no write, no event). An established entry stays established; the change is
    audited with its old and new values."""
    values = _values(data)
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status == EntryStatus.WITHDRAWN:
            raise DomainError(WITHDRAWN_FROZEN)
        chosen = _check_topics(locked.pemda_id, topics)
        exempt_before = locked.category == Category.DIKECUALIKAN
        exempt_after = values["category"] == Category.DIKECUALIKAN
        if locked.status == EntryStatus.ESTABLISHED and exempt_before != exempt_after:
            raise DomainError(EXEMPT_NEEDS_TEST)
        today = local_today(locked.pemda)
        values["refreshed_on"], values["refresh_due_on"] = _refresh_values(locked, values, today)
        changes: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            old = getattr(locked, name)
            if old != value:
                changes[name] = {"dari": old, "ke": value}
                setattr(locked, name, value)
        old_topics = {topic.pk: topic.name for topic in locked.topics.all()}
        new_topics = {topic.pk: topic.name for topic in chosen}
        if set(old_topics) != set(new_topics):
            changes["topics"] = {
                "dari": sorted(old_topics.values()),
                "ke": sorted(new_topics.values()),
            }
        if not changes:
            return []
        locked.updated_at = clock.now()
        locked.full_clean()
        locked.save(update_fields=[*(name for name in changes if name != "topics"), "updated_at"])
        if "topics" in changes:
            locked.topics.set(chosen)
        audit.record(
            action=actions.ENTRY_CHANGED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={"status": locked.status, "perubahan": changes},
        )
        index.entry_changed(locked)
    return list(changes)


def entry_withdraw(*, entry: DipEntry, actor: User, reason: str) -> DipEntry:
    """Take an entry out of the DIP (dicabut), with the reason on record. A withdrawn entry is
    no longer public and can no longer be edited."""
    reason = reason.strip()
    if not reason:
        raise DomainError(REASON_REQUIRED)
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status == EntryStatus.WITHDRAWN:
            raise DomainError(ALREADY_WITHDRAWN)
        entry_transition(
            entry=locked,
            to=EntryStatus.WITHDRAWN,
            actor=actor,
            data={"alasan": reason},
        )
    return locked


def entry_refresh(*, entry: DipEntry, actor: User, refreshed_on: dt.date) -> DipEntry:
    """Record that berkala information was brought up to date on ``refreshed_on``; the next
    refresh is due six months later (UU 14/2008 art. 9(4))."""
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status == EntryStatus.WITHDRAWN:
            raise DomainError(WITHDRAWN_FROZEN)
        if locked.category != Category.BERKALA:
            raise DomainError(NOT_BERKALA)
        _check_refreshed_on(refreshed_on, local_today(locked.pemda))
        if locked.refreshed_on is not None and refreshed_on < locked.refreshed_on:
            raise DomainError(REFRESH_BACKWARDS, date=locked.refreshed_on.strftime("%d-%m-%Y"))
        before = {"diperbarui": locked.refreshed_on, "batas": locked.refresh_due_on}
        locked.refreshed_on = refreshed_on
        locked.refresh_due_on = refresh_due(refreshed_on)
        locked.updated_at = clock.now()
        locked.save(update_fields=["refreshed_on", "refresh_due_on", "updated_at"])
        audit.record(
            action=actions.ENTRY_REFRESHED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data={
                "sebelumnya": before,
                "diperbarui": refreshed_on,
                "pembaruan_berikutnya": locked.refresh_due_on,
            },
        )
        index.entry_changed(locked)
    return locked


def _check_upload(upload: UploadedFile) -> str:
    """The kind of an acceptable document file, read from its content."""
    try:
        UploadValidator(KINDS_DOCUMENT, max_upload_bytes())(upload)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    kind = sniff(upload, allow_csv=True)
    assert kind is not None  # the validator accepted it
    return kind


def _digest(upload: UploadedFile) -> tuple[str, int]:
    sha256 = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        sha256.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return sha256.hexdigest(), size


def _original_name(upload: UploadedFile, kind: str) -> str:
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()
    return (name or f"dokumen.{EXTENSIONS[kind]}")[-255:]


@dataclass(frozen=True)
class _Kept:
    """A checked file already in private storage, not yet recorded as a version."""

    path: str
    name: str
    kind: str
    size: int
    sha256: str


@contextlib.contextmanager
def _kept(upload: UploadedFile | None) -> Iterator[_Kept | None]:
    """Check and store the file before the caller's transaction (so the write lock is not
    held while a large file is copied); remove it again if the caller fails."""
    if upload is None:
        yield None
        return
    kind = _check_upload(upload)
    sha256, size = _digest(upload)
    field = DocumentVersion._meta.get_field("file")
    assert isinstance(field, FileField)
    # A generated name: what the uploader called the file is kept in ``name`` only.
    path = field.generate_filename(None, f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}")
    path = field.storage.save(path, upload, max_length=field.max_length)
    try:
        yield _Kept(path, _original_name(upload, kind), kind, size, sha256)
    except BaseException:
        field.storage.delete(path)
        raise


def _version_store(*, document: Document, actor: User, kept: _Kept, number: int) -> DocumentVersion:
    """Record the kept file as version ``number`` of the document and make it current; its
    text is read once the transaction commits."""
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=kept.path,
        name=kept.name,
        kind=kept.kind,
        size=kept.size,
        sha256=kept.sha256,
        uploaded_at=clock.now(),
        uploaded_by=actor,
    )
    document.current = version
    document.save(update_fields=["current"])
    tasks.enqueue_text_read(version.pk)
    return version


def document_downloaded(*, document: Document, today: dt.date) -> None:
    """One more download of ``document`` on ``today`` (the Pemda's calendar day): on the
    document, on its entry and on the day's count, in one transaction. Not a change to the
    list: neither ``updated_at`` nor the list's revision moves."""
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
        DipEntry.objects.filter(pk=document.entry_id).update(download_count=F("download_count") + 1)
        add_one(
            DownloadDay.objects.filter(document_id=document.pk, day=today),
            "count",
            DownloadDay(document_id=document.pk, day=today),
        )


def _touch(entry: DipEntry) -> None:
    entry.updated_at = clock.now()
    entry.save(update_fields=["updated_at"])


def document_add(
    *,
    entry: DipEntry,
    actor: User,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Document:
    """A document of the entry: a file (version 1) or a link to where it is published."""
    title, url = title.strip(), url.strip()
    if not title:
        raise DomainError(TITLE_REQUIRED)
    if (upload is None) == (not url):
        raise DomainError(ONE_SOURCE)
    if url:
        try:
            _url(url)
        except ValidationError as error:
            raise DomainError(URL_INVALID) from error
    with _kept(upload) as kept, transaction.atomic():
        locked = _locked(entry)
        if locked.status == EntryStatus.WITHDRAWN:
            raise DomainError(WITHDRAWN_FROZEN)
        document = Document(entry=locked, title=title, url=url, created_at=clock.now())
        document.full_clean(exclude=["entry", "current"])
        document.save()
        data: dict[str, Any] = {"dokumen": title, "dokumen_id": document.pk}
        if kept is not None:
            version = _version_store(document=document, actor=actor, kept=kept, number=1)
            data |= _version_data(version)
        else:
            data["tautan"] = url
        _touch(locked)
        audit.record(
            action=actions.DOCUMENT_ADDED,
            actor=actor,
            obj=locked,
            opd_id=locked.opd_id,
            data=data,
        )
        index.entry_changed(locked)
    return document


def _version_data(version: DocumentVersion) -> dict[str, Any]:
    return {
        "versi": version.number,
        "berkas": version.name,
        "jenis": version.kind,
        "ukuran": version.size,
        "sha256": version.sha256,
    }


def document_version_add(
    *, document: Document, actor: User, upload: UploadedFile
) -> DocumentVersion:
    """A new version of a document's file; it becomes current, the earlier ones are kept."""
    with _kept(upload) as kept, transaction.atomic():
        assert kept is not None
        entry = _locked(document.entry)  # the entry first, as every writer of it locks
        locked = Document.objects.select_for_update().get(pk=document.pk, entry=entry)
        if entry.status == EntryStatus.WITHDRAWN:
            raise DomainError(WITHDRAWN_FROZEN)
        if locked.url:
            raise DomainError(LINK_HAS_NO_VERSIONS)
        last = locked.versions.aggregate(last=Max("number"))["last"] or 0
        version = _version_store(document=locked, actor=actor, kept=kept, number=last + 1)
        _touch(entry)
        audit.record(
            action=actions.DOCUMENT_VERSION_ADDED,
            actor=actor,
            obj=entry,
            opd_id=entry.opd_id,
            data={"dokumen": locked.title, "dokumen_id": locked.pk, **_version_data(version)},
        )
        index.entry_changed(entry)
    return version


def _topic_slug(name: str) -> str:
    slug = slugify(name)[:120].strip("-")
    if not slug:
        raise DomainError(TOPIC_NAME_REQUIRED)
    return slug


def topic_create(*, pemda: Pemda, actor: User, name: str) -> Topic:
    """A topic of the Pemda's DIP; its slug (for public links) is made from the name."""
    name = " ".join(name.split())
    slug = _topic_slug(name)
    with transaction.atomic():
        if Topic.objects.filter(pemda=pemda, slug=slug).exists():
            raise DomainError(TOPIC_EXISTS)
        topic = Topic.objects.create(pemda=pemda, name=name[:120], slug=slug)
        audit.record(
            action=actions.TOPIC_CREATED,
            actor=actor,
            obj=topic,
            data={"nama": topic.name, "slug": slug},
        )
    return topic


def topic_rename(*, topic: Topic, actor: User, name: str) -> Topic:
    """Give a topic another name. Its slug stays, so public links to it keep working."""
    name = " ".join(name.split())
    _topic_slug(name)  # the name must still hold letters or digits
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.name == name:
            return locked
        taken = (
            Topic.objects.filter(pemda_id=locked.pemda_id, slug=slugify(name)[:120])
            .exclude(pk=locked.pk)
            .exists()
        )
        if taken:
            raise DomainError(TOPIC_EXISTS)
        previous = locked.name
        locked.name = name[:120]
        locked.save(update_fields=["name"])
        audit.record(
            action=actions.TOPIC_RENAMED,
            actor=actor,
            obj=locked,
            data={"dari": previous, "ke": locked.name},
        )
    return locked
