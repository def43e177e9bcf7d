"""Shared write helpers used by every app's services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from terbuka.core import audit

M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def model_create(
    *, model: type[M], data: dict[str, Any], actor: Any, action: str, opd_id: int | None = None
) -> M:
    """Create, validate and save one row, and record ``action`` with the values written."""
    with transaction.atomic():
        instance = model(**data)
        instance.full_clean()
        instance.save()
        audit.record(
            action=action,
            actor=actor,
            obj=instance,
            opd_id=opd_id,
            data={name: _plain(value) for name, value in data.items()},
        )
    return instance


def model_update(
    *, instance: M, data: dict[str, Any], actor: Any, action: str, opd_id: int | None = None
) -> list[str]:
    """Apply ``data`` to ``instance``; save and audit only the fields that really changed.

    Returns the names of the changed fields (empty when nothing changed: no write, no event).
    """
    changes: dict[str, dict[str, Any]] = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if _plain(old) != _plain(value):
            changes[name] = {"dari": _plain(old), "ke": _plain(value)}
            setattr(instance, name, value)
    if not changes:
        return []
    with transaction.atomic():
        instance.full_clean()
        instance.save(update_fields=list(changes))
        audit.record(action=action, actor=actor, obj=instance, opd_id=opd_id, data=changes)
    return list(changes)
