"""SOPs as versioned documents, and their runs: cases and the step runs (tasks) in inboxes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terbuka.core.storage import private_storage
from terbuka.organizations.models import Opd, Pemda, Position, Unit


class Sop(models.Model):
    """An SOP across its revisions. ``opd`` empty: a library SOP any OPD may run."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="sops")
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="sops"
    )
    code = models.SlugField(_("kode"), max_length=100)
    name = models.CharField(_("nama"), max_length=300)
    current_version = models.ForeignKey(
        "SopVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="unique_sop_code_per_pemda")
        ]

    def __str__(self) -> str:
        return self.name


class SopVersion(models.Model):
    """One revision of an SOP: the YAML as written and the hash of its parsed definition."""

    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("revisi ke"))
    source = models.TextField(_("definisi YAML"))
    definition_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("dibuat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("catatan revisi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        ordering = ["sop", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="unique_sop_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.sop} (revisi {self.number})"


class CaseStatus(models.TextChoices):
    OPEN = "berjalan", _("Berjalan")
    COMPLETED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class Case(models.Model):
    """One run of an SOP version for an OPD (and optionally one unit)."""

    version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="cases")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    title = models.CharField(_("judul"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    data = models.JSONField(_("data kasus"), default=dict, blank=True)
    started_at = models.DateTimeField(_("dimulai"))
    # Empty when a module started the case for the public (e.g. a request filed online).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)
    # The domain record a module attached this case to (an information request, a DIP entry).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kasus SOP")
        verbose_name_plural = _("kasus SOP")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["opd", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="case_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StepRunStatus(models.TextChoices):
    OPEN = "terbuka", _("Belum selesai")
    DONE = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class StepRun(models.Model):
    """A step of a case in someone's inbox: a task with a due time from the mutu baku.

    It waits for the holders of ``position`` (any of them may claim it) unless ``assignee``
    names one person. Overdue is derived from ``due_at``; nothing stores it.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_runs")
    sequence = models.PositiveIntegerField(_("urutan"))
    step_id = models.CharField(_("langkah"), max_length=100)
    lane_id = models.CharField(_("pelaksana"), max_length=100)
    # Denormalised from the case so that inbox and overdue queries need no join.
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="step_runs"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_step_runs",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StepRunStatus.choices, default=StepRunStatus.OPEN
    )
    started_at = models.DateTimeField(_("mulai"))
    due_at = models.DateTimeField(_("tenggat"), null=True, blank=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_behalf_of = models.CharField(_("dicatat atas nama"), max_length=200, blank=True)
    decision = models.CharField(_("keputusan"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # The time taken in the unit of the step's standard, and whether it met the standard;
    # written once at completion so that measurement needs no recomputation.
    elapsed = models.FloatField(null=True, blank=True)
    within_standard = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("langkah kasus")
        verbose_name_plural = _("langkah kasus")
        ordering = ["case", "sequence"]
        indexes = [
            # Overdue listing and counts (opd_id spares SQLite a row lookup per entry).
            models.Index(fields=["status", "due_at", "opd"], name="steprun_open_due"),
            # The two halves of an inbox, each read in due order straight from its index.
            models.Index(fields=["assignee", "status", "due_at", "id"], name="steprun_assignee"),
            models.Index(
                fields=["position", "status", "assignee", "due_at", "id"], name="steprun_position"
            ),
            models.Index(fields=["opd", "status", "due_at"], name="steprun_opd"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="unique_step_run_sequence"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="terbuka"), name="one_open_step_per_case"
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=models.F("started_at")),
                name="step_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.step_id}"


class StepRunFile(models.Model):
    step_run = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("berkas"), upload_to="langkah/%Y/%m/", storage=private_storage)
    name = models.CharField(_("nama berkas"), max_length=255)
    uploaded_at = models.DateTimeField(_("diunggah"))

    class Meta:
        verbose_name = _("berkas langkah")
        verbose_name_plural = _("berkas langkah")

    def __str__(self) -> str:
        return self.name
