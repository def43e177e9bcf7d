"""Shared model pieces, the append-only audit log and the e-mail outbox."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from terbuka.core import clock
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


class OutboxStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu")
    SENT = "terkirim", _("Terkirim")
    DEAD = "gagal", _("Gagal")


class OutboxMessage(models.Model):
    """One e-mail written in the same transaction as the change that caused it.

    The sweep in :mod:`terbuka.core.outbox` delivers it; a message that keeps failing is
    retried with a growing delay and finally marked dead for an operator to look at.
    """

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    # What the message is about, as a dotted name: "information_request.registered".
    kind = models.CharField(_("jenis"), max_length=100)
    to = models.EmailField(_("penerima"))
    subject = models.CharField(_("subjek"), max_length=300)
    body_text = models.TextField(_("isi (teks)"))
    body_html = models.TextField(_("isi (HTML)"), blank=True)
    language = models.CharField(_("bahasa"), max_length=10, default="id")
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=clock.now)
    created_at = models.DateTimeField(_("dibuat"), default=clock.now)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    # Set by callers that may enqueue the same notice twice (a retried request, a re-run
    # sweep); the database keeps one message per key.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    subject_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("surel keluar")
        verbose_name_plural = _("kotak keluar surel")
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="core_outbox_unique_dedupe_key",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutboxStatus.SENT) | models.Q(sent_at__isnull=False),
                name="core_outbox_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
