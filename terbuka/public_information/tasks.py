"""Background work of the DIP: reading the text of uploaded document versions.

Every stored version starts as ``menunggu`` (waiting). The service that stored it calls
:func:`enqueue_text_read` inside its transaction:

* with ``DIP_TEXT_READ_INLINE = True`` (the default) the text is read in the same process
  right after the commit, so the person uploading waits for it;
* with ``False`` nothing runs at commit, and a cron job reads every waiting version::

      */5 * * * *  cd /srv/terbuka && .venv/bin/python manage.py dip_read_texts

  The command runs :func:`read_pending_texts`; a task queue can call the same function.

Reading is idempotent: a version that is no longer waiting is left alone, so overlapping runs
and a second run change nothing. Each version is written in its own transaction; the text is
read before that transaction opens, so a slow document never holds the write lock. A failure
is recorded on the version (``gagal`` with the reason in Indonesian) and never touches the
stored file.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit
from terbuka.core.extract import ExtractionError, extract_text
from terbuka.public_information import actions, index
from terbuka.public_information.models import DocumentVersion, TextStatus

logger = logging.getLogger(__name__)

FILE_MISSING = _("Berkas tidak ditemukan di penyimpanan. Unggah ulang sebagai versi baru.")
READ_BROKE = _("Teks tidak dapat dibaca karena kesalahan sistem. Hubungi operator.")


def enqueue_text_read(version_id: int) -> None:
    """Have the text of the version read once the caller's transaction commits (inline), or
    leave it waiting for ``dip_read_texts``. Call inside the transaction that stored it."""
    if settings.DIP_TEXT_READ_INLINE:
        # robust: a failure here is logged and never turns a saved upload into an error page.
        transaction.on_commit(lambda: document_text_read(version_id), robust=True)


def _read(version: DocumentVersion) -> tuple[str, str, str]:
    """(text, status, error) of the version's file."""
    try:
        with version.file.open("rb") as handle:
            text = extract_text(handle, version.kind)
    except ExtractionError as error:
        return "", TextStatus.FAILED, str(error)
    except FileNotFoundError:
        return "", TextStatus.FAILED, str(FILE_MISSING)
    except Exception:
        # extract_text turns parser errors into ExtractionError; anything else is a fault of
        # the system, recorded so the version does not stay waiting (and retried) forever.
        logger.exception("Reading the text of DIP document version %s failed", version.pk)
        return "", TextStatus.FAILED, str(READ_BROKE)
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return text, (TextStatus.DONE if text.strip() else TextStatus.EMPTY), ""


def document_text_read(version_id: int) -> str | None:
    """Read and store the text of a waiting version, audit it and reindex its entry.

    Returns the new text status, or None when the version is gone or no longer waiting.
    """
    version = DocumentVersion.objects.filter(pk=version_id, text_status=TextStatus.PENDING).first()
    if version is None:
        return None
    text, status, error = _read(version)
    with transaction.atomic():
        locked = (
            DocumentVersion.objects.select_for_update()
            .select_related("document__entry")
            .filter(pk=version_id, text_status=TextStatus.PENDING)
            .first()
        )
        if locked is None:  # another run got there first
            return None
        locked.text = text
        locked.text_status = status
        locked.text_error = error
        locked.save(update_fields=["text", "text_status", "text_error"])
        entry = locked.document.entry
        audit.record(
            action=actions.DOCUMENT_TEXT_READ,
            obj=entry,
            opd_id=entry.opd_id,
            data={
                "dokumen": locked.document.title,
                "dokumen_id": locked.document_id,
                "versi": locked.number,
                "status": status,
                "jumlah_karakter": len(text),
                "galat": error,
            },
        )
        index.entry_changed(entry)
    return status


def read_pending_texts(*, limit: int | None = None) -> Counter[str]:
    """Read every waiting version (at most ``limit``), oldest first, one transaction each.

    Returns how many ended in each text status.
    """
    waiting = DocumentVersion.objects.filter(text_status=TextStatus.PENDING).order_by("pk")
    ids = list(waiting.values_list("pk", flat=True)[:limit])
    done: Counter[str] = Counter()
    for version_id in ids:
        status = document_text_read(version_id)
        if status is not None:
            done[status] += 1
    return done
