"""Pemda → Perangkat Daerah (OPD) → units → positions (jabatan), and who holds them."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2})?$",
    _("Kode wilayah Kemendagri berbentuk 2 digit (provinsi) atau 2.2 digit, mis. 33.25."),
)
nip_validator = RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 digit angka."))
code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$", _("Kode hanya boleh huruf kecil, angka dan tanda hubung.")
)


class User(AbstractUser):
    """A staff account. Citizens do not need one."""

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(
        _("NIP"), max_length=18, blank=True, validators=[nip_validator], db_index=True
    )
    language = models.CharField(
        _("bahasa"),
        max_length=5,
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        default="id",
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class Pemda(models.Model):
    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    region_code = models.CharField(
        _("kode wilayah Kemendagri"), max_length=5, unique=True, validators=[region_code_validator]
    )
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB
    )
    logo = models.ImageField(_("logo"), upload_to="pemda/", blank=True)
    address = models.TextField(_("alamat kop surat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    about = models.TextField(_("tentang"), blank=True)
    is_primary = models.BooleanField(
        _("Pemda utama situs ini"),
        default=False,
        help_text=_("Pemda yang ditampilkan di situs publik."),
    )
    # Working-calendar policy (RULES.md "Working days"); both changes are audited.
    cuti_bersama_is_working_day = models.BooleanField(
        _("cuti bersama dihitung sebagai hari kerja"), default=False
    )
    after_hours_counts_next_day = models.BooleanField(
        _("permohonan di luar jam kerja dihitung diterima hari kerja berikutnya"), default=True
    )

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_primary"], condition=Q(is_primary=True), name="one_primary_pemda"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Opd(models.Model):
    """A Perangkat Daerah: dinas, badan, sekretariat, kecamatan."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="opds")
    code = models.CharField(_("kode"), max_length=40, validators=[code_validator])
    name = models.CharField(_("nama"), max_length=250)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="unique_opd_code_per_pemda")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        SUBBAGIAN = "subbagian", _("Subbagian")
        BIDANG = "bidang", _("Bidang")
        SEKSI = "seksi", _("Seksi")
        UPT = "upt", _("UPT")
        TIM = "tim", _("Tim/Kelompok Kerja")

    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unit induk"),
    )
    code = models.CharField(_("kode"), max_length=40, validators=[code_validator])
    name = models.CharField(_("nama"), max_length=250)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["opd", "code"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "code"], name="unique_unit_code_per_opd")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a position does in Terbuka. Permissions follow roles, scoped to the OPD."""

    KEPALA = "kepala", _("Kepala Perangkat Daerah")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    KEPALA_BIDANG = "kepala_bidang", _("Kepala Bidang")
    KEPALA_SUBBAGIAN = "kepala_subbagian", _("Kepala Subbagian")
    KEPALA_SEKSI = "kepala_seksi", _("Kepala Seksi")
    KEPALA_UPT = "kepala_upt", _("Kepala UPT")
    STAF = "staf", _("Staf")
    FUNGSIONAL = "fungsional", _("Jabatan Fungsional")
    PPID_UTAMA = "ppid_utama", _("PPID Utama")
    PPID_PELAKSANA = "ppid_pelaksana", _("PPID Pelaksana")
    PETUGAS_PPID = "petugas_ppid", _("Petugas Layanan PPID")
    ATASAN_PPID = "atasan_ppid", _("Atasan PPID")
    ADMIN_OPD = "admin_opd", _("Admin OPD")
    WALIDATA = "walidata", _("Walidata")
    PRODUSEN_DATA = "produsen_data", _("Produsen Data")
    OPERATOR = "operator", _("Operator Sistem")


# Roles whose holders see every OPD of their Pemda (RULES/DESIGN: PPID Utama, walidata, the
# Atasan PPID who decides objections, and the system operators).
PEMDA_WIDE_ROLES = frozenset({Role.PPID_UTAMA, Role.WALIDATA, Role.ATASAN_PPID, Role.OPERATOR})
# Roles that may manage the organisation structure (their own OPD, or all for an operator).
STRUCTURE_ADMIN_ROLES = frozenset({Role.ADMIN_OPD, Role.OPERATOR})


class Position(models.Model):
    """A jabatan: one seat in an OPD (optionally in a unit) with a role."""

    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("unit kerja"),
    )
    code = models.CharField(_("kode"), max_length=60, validators=[code_validator])
    title = models.CharField(_("nama jabatan"), max_length=250)
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["opd", "code"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "code"], name="unique_position_code_per_opd")
        ]

    def __str__(self) -> str:
        return self.title


class HoldingKind(models.TextChoices):
    DEFINITIF = "definitif", _("Definitif")
    PLT = "plt", _("Pelaksana Tugas (Plt)")
    PLH = "plh", _("Pelaksana Harian (Plh)")


class PositionHolding(models.Model):
    """A person holds a position from ``starts_on`` until ``ends_on`` (inclusive, open if null)."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holdings")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(
        _("jenis penugasan"),
        max_length=20,
        choices=HoldingKind.choices,
        default=HoldingKind.DEFINITIF,
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("berakhir"), null=True, blank=True)
    decree = models.CharField(_("nomor SK/surat perintah"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pemangku jabatan")
        verbose_name_plural = _("pemangku jabatan")
        ordering = ["position", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="holding_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["user", "starts_on"])]

    def __str__(self) -> str:
        prefix = "" if self.kind == HoldingKind.DEFINITIF else f"{self.get_kind_display()} "
        return f"{prefix}{self.position} — {self.user}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Delegation(models.Model):
    """While on leave, a holder lets another person act in their position."""

    holding = models.ForeignKey(
        PositionHolding, on_delete=models.PROTECT, related_name="delegations"
    )
    delegate = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("berakhir"))
    reason = models.CharField(_("alasan"), max_length=300)

    class Meta:
        verbose_name = _("pelimpahan wewenang")
        verbose_name_plural = _("pelimpahan wewenang")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.holding.position} → {self.delegate}"
