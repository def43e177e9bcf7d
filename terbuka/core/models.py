"""Shared model pieces and the append-only audit log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import label_of


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Audit events are append-only.")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Something that happened: who, when, what (a dotted action constant), to what, with what.

    Rows are only ever inserted; the model refuses updates and deletes.
    """

    occurred_at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    # Who acted when there is no staff account: "sistem", "publik", an import file name.
    actor_label = models.CharField(_("label pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    # The OPD the object belongs to, so that a timeline can be scoped like its object.
    opd_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are append-only.")

    @property
    def action_label(self) -> Any:
        return label_of(self.action)
