"""The database calendar: non-working days per Pemda and office hours per weekday."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terbuka.organizations.models import Opd, Pemda


class DayKind(models.TextChoices):
    NATIONAL_HOLIDAY = "libur_nasional", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    REGIONAL_HOLIDAY = "libur_daerah", _("Libur daerah")


class DaySource(models.TextChoices):
    SEEDED = "paket_holidays", _("Diisi otomatis (paket holidays)")
    MANUAL = "manual", _("Dimasukkan operator")


class NonWorkingDayQuerySet(models.QuerySet["NonWorkingDay"]):
    def in_force(self) -> NonWorkingDayQuerySet:
        return self.filter(removed_at__isnull=True)


class NonWorkingDay(models.Model):
    """A date on which a Pemda's offices do not work.

    An operator who removes a seeded day leaves the row with ``removed_at`` set, so that
    seeding the year again does not bring the day back.
    """

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="non_working_days")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=DayKind.choices)
    source = models.CharField(_("sumber"), max_length=20, choices=DaySource.choices)
    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)

    objects = NonWorkingDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "date"], name="one_entry_per_pemda_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class OfficeHours(models.Model):
    """Opening hours on one weekday, for a whole Pemda (``opd`` empty) or one OPD."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="office_hours")
    opd = models.ForeignKey(
        Opd, on_delete=models.CASCADE, null=True, blank=True, related_name="office_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("jam buka"))
    closes = models.TimeField(_("jam tutup"))

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        ordering = ["opd", "weekday"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="closes_after_opens"
            ),
            models.UniqueConstraint(
                fields=["pemda", "weekday"],
                condition=Q(opd__isnull=True),
                name="one_pemda_hours_per_weekday",
            ),
            models.UniqueConstraint(
                fields=["opd", "weekday"],
                condition=Q(opd__isnull=False),
                name="one_opd_hours_per_weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
