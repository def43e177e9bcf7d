"""Keeping SOP definitions: a revision is a new version; running cases keep theirs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.organizations.models import Opd, Pemda, User
from terbuka.procedures import actions
from terbuka.procedures.definition import load_sop_text
from terbuka.procedures.models import Sop, SopVersion

LIBRARY_DIR = Path(settings.BASE_DIR) / "sops"


class CodeMismatch(DomainError):
    default_message = _("id '%(found)s' pada berkas berbeda dengan SOP '%(expected)s'.")


def sop_save_version(
    *,
    pemda: Pemda,
    source: str,
    actor: User | None,
    opd: Opd | None = None,
    note: str = "",
    filename: str = "",
    expected_code: str | None = None,
) -> SopVersion:
    """Validate ``source`` and store it as the SOP's next revision.

    Raises :class:`DefinitionInvalid` (every error with file, line and field) when the YAML
    is not a valid SOP. Saving the same definition again creates no new revision.
    """
    definition = load_sop_text(source, filename or "sop.yaml")
    if expected_code is not None and definition.id != expected_code:
        raise CodeMismatch(found=definition.id, expected=expected_code)
    digest = definition.definition_hash()
    with transaction.atomic():
        sop, _created = Sop.objects.select_for_update().get_or_create(
            pemda=pemda, code=definition.id, defaults={"name": definition.name, "opd": opd}
        )
        current = sop.current_version
        if current is not None and current.definition_hash == digest and current.source == source:
            return current
        number = (sop.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = SopVersion.objects.create(
            sop=sop,
            number=number,
            source=source,
            definition_hash=digest,
            created_at=clock.now(),
            created_by=actor,
            note=note,
        )
        sop.current_version, sop.name = version, definition.name
        sop.save(update_fields=["current_version", "name"])
        audit.record(
            action=actions.SOP_VERSION_CREATED,
            actor=actor,
            obj=sop,
            opd_id=sop.opd_id,
            data={"revisi": number, "catatan": note},
        )
    return version


def library_load(*, pemda: Pemda, directory: Path = LIBRARY_DIR) -> int:
    """Store every SOP file of the library for ``pemda``; returns how many revisions were new."""
    created = 0
    for path in sorted(directory.glob("*.yaml")):
        before = SopVersion.objects.filter(sop__pemda=pemda, sop__code=path.stem).count()
        sop_save_version(
            pemda=pemda,
            source=path.read_text(encoding="utf-8"),
            actor=None,
            note="Pustaka SOP",
            filename=f"sops/{path.name}",
            expected_code=path.stem,
        )
        created += SopVersion.objects.filter(sop__pemda=pemda, sop__code=path.stem).count() - before
    return created
