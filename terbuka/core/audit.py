"""Writing to and reading from the audit log.

Services call :func:`record` inside their transaction; views read timelines through
:func:`timeline`.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from terbuka.core import clock
from terbuka.core.models import AuditEvent, AuditEventQuerySet


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def record(
    *,
    action: str,
    actor: Any = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    opd_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user (or None for the system or the public)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        occurred_at=clock.now(),
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor is not None else "sistem"),
        action=action,
        opd_id=opd_id,
        data=_jsonable(data or {}),
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    event.save()
    return event


def timeline(obj: models.Model) -> AuditEventQuerySet:
    """The events of one object, oldest first, with their actors in the same query."""
    return AuditEvent.objects.for_object(obj).select_related("actor")
