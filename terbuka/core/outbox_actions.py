"""Audit actions of the e-mail outbox (:mod:`terbuka.core.outbox`)."""

from django.utils.translation import gettext_lazy as _

from terbuka.core.actions import Action

OUTBOX_QUEUED = Action("outbox.queued", _("Surel dimasukkan ke antrean"))
OUTBOX_SENT = Action("outbox.sent", _("Surel terkirim"))
OUTBOX_FAILED = Action("outbox.failed", _("Pengiriman surel gagal, dijadwalkan ulang"))
OUTBOX_DEAD = Action("outbox.dead", _("Pengiriman surel dihentikan setelah gagal berulang"))
OUTBOX_RETRIED = Action("outbox.retried", _("Surel dikirim ulang oleh operator"))
