"""The Daftar Informasi Publik (DIP, UU 14/2008 art. 7 and 9–11; RULES.md "Periodic
reporting"): each public body's list of the information it holds, by category, with its
documents, the consequence tests that close exempt information, and the dated decisions
(penetapan) by which the PPID establishes the list.

An entry belongs to the OPD that holds the information; the PPID Utama's own entries belong
to the OPD where the PPID Utama sits. What the public sees is decided in one place,
:meth:`DipEntryQuerySet.public`: established entries that are not exempt.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terbuka.core.storage import private_storage
from terbuka.organizations.models import Opd, Pemda
from terbuka.procedures.models import Case

#: Berkala information is published again at least every six months (UU 14/2008 art. 9(4)).
REFRESH_MONTHS = 6


class Category(models.TextChoices):
    """The four categories of public information (UU 14/2008 art. 9–11 and 17)."""

    BERKALA = "berkala", _("Berkala")
    SERTA_MERTA = "serta_merta", _("Serta merta")
    SETIAP_SAAT = "setiap_saat", _("Setiap saat")
    DIKECUALIKAN = "dikecualikan", _("Dikecualikan")


class EntryStatus(models.TextChoices):
    """Where an entry stands in the DIP cycle (seed 004)."""

    DRAFT = "draf", _("Draf OPD")
    SUBMITTED = "diajukan", _("Diajukan ke sekretariat PPID")
    RETURNED = "dikembalikan", _("Dikembalikan untuk dilengkapi")
    VERIFIED = "diverifikasi", _("Lengkap dan sesuai")
    ESTABLISHED = "ditetapkan", _("Ditetapkan PPID")
    WITHDRAWN = "dicabut", _("Dicabut")


class Format(models.TextChoices):
    """Forms in which the information is available (DIP column "format")."""

    PRINTED = "cetak", _("Tercetak (hardcopy)")
    ELECTRONIC = "elektronik", _("Elektronik (softcopy)")
    WEBSITE = "situs", _("Situs web")
    AUDIOVISUAL = "audiovisual", _("Audio/visual")


class Topic(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        verbose_name = _("topik")
        verbose_name_plural = _("topik")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "slug"], name="unique_topic_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class DipRevision(models.Model):
    """A number that goes up in the same transaction as any change to a Pemda's DIP entries.

    Readers that keep a copy of the public list (:mod:`terbuka.public_information.catalog`)
    compare it with their copy's; writers serialize on the row only while they commit.
    """

    pemda = models.OneToOneField(Pemda, on_delete=models.CASCADE, primary_key=True)
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("revisi DIP")
        verbose_name_plural = _("revisi DIP")

    def __str__(self) -> str:
        return f"{self.pemda_id}:{self.number}"


class DipEntryQuerySet(models.QuerySet["DipEntry"]):
    def public(self) -> DipEntryQuerySet:
        """Entries anyone may read: established by the PPID and not exempt."""
        return self.filter(status=EntryStatus.ESTABLISHED).exclude(category=Category.DIKECUALIKAN)

    def exempt_list(self) -> DipEntryQuerySet:
        """The public list of exempt information: titles and grounds only are shown."""
        return self.filter(status=EntryStatus.ESTABLISHED, category=Category.DIKECUALIKAN)


class DipEntry(models.Model):
    """One line of a body's DIP, with the columns RULES.md lists."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, related_name="dip_entries", verbose_name=_("badan publik")
    )
    title = models.CharField(_("judul informasi"), max_length=300)
    summary = models.TextField(_("ringkasan isi informasi"))
    holder = models.CharField(_("pejabat/unit yang menguasai informasi"), max_length=250)
    responsible = models.CharField(
        _("penanggung jawab pembuatan/penerbitan informasi"), max_length=250
    )
    produced_when = models.CharField(_("waktu pembuatan/penerbitan"), max_length=120)
    produced_where = models.CharField(_("tempat pembuatan/penerbitan"), max_length=250)
    formats = models.JSONField(_("bentuk informasi yang tersedia"), default=list)
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=120)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="entries")
    year = models.PositiveSmallIntegerField(_("tahun informasi"))
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Berkala entries: when the information was last brought up to date and when it must be
    # again (at most REFRESH_MONTHS later).
    refreshed_on = models.DateField(_("terakhir diperbarui"), null=True, blank=True)
    refresh_due_on = models.DateField(_("pembaruan berikutnya"), null=True, blank=True)
    # Dikecualikan entries: the consequence test that closed the information.
    exemption = models.ForeignKey(
        "ConsequenceTest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("uji konsekuensi"),
    )
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    download_count = models.PositiveIntegerField(_("jumlah unduhan"), default=0)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    updated_at = models.DateTimeField(_("diubah"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DipEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri DIP")
        verbose_name_plural = _("entri DIP")
        ordering = ["opd", "category", "title", "id"]
        indexes = [
            models.Index(fields=["pemda", "status", "category", "year"], name="dip_browse"),
            # The public list kept in memory (:mod:`terbuka.public_information.catalog`), newest
            # first: read in order from the index alone.
            models.Index(
                fields=["pemda", "status", "published_at", "id", "opd", "category", "year"],
                name="dip_catalog",
            ),
            models.Index(fields=["pemda", "status", "opd", "category"], name="dip_opd_facet"),
            models.Index(fields=["opd", "status", "category"], name="dip_opd"),
            # Harvest: public entries changed since a moment, in a stable order.
            models.Index(fields=["pemda", "updated_at", "id"], name="dip_changed"),
            models.Index(fields=["updated_at", "id"], name="dip_changed_all"),
            models.Index(fields=["category", "refresh_due_on"], name="dip_refresh"),
        ]
        constraints = [
            # An exempt entry is established only on a consequence test (art. 19).
            models.CheckConstraint(
                condition=~Q(category="dikecualikan", status="ditetapkan")
                | Q(exemption__isnull=False),
                name="dip_exempt_needs_test",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == EntryStatus.ESTABLISHED and self.category != Category.DIKECUALIKAN


class Document(models.Model):
    """A document of an entry: a file kept in versions, or a link to where it is published."""

    entry = models.ForeignKey(DipEntry, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("judul dokumen"), max_length=300)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    current = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    download_count = models.PositiveIntegerField(_("jumlah unduhan"), default=0)
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["entry", "title", "id"]

    def __str__(self) -> str:
        return self.title


class DownloadDay(models.Model):
    """How often a document was downloaded on one day of the Pemda's calendar: what the
    monthly and six-monthly reports count a period's downloads from (the running totals on
    the document and its entry stay for the public pages)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="download_days")
    day = models.DateField(_("tanggal"))
    count = models.PositiveIntegerField(_("jumlah unduhan"), default=0)

    class Meta:
        verbose_name = _("unduhan harian")
        verbose_name_plural = _("unduhan harian")
        constraints = [
            models.UniqueConstraint(fields=["document", "day"], name="one_download_day"),
        ]
        indexes = [models.Index(fields=["day", "document"], name="download_day")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.day}: {self.count}"


class TextStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu pembacaan teks")
    DONE = "selesai", _("Teks terbaca")
    EMPTY = "kosong", _("Tidak ada teks (mis. pindaian atau gambar)")
    FAILED = "gagal", _("Gagal dibaca")


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    file = models.FileField(_("berkas"), upload_to="dip/%Y/%m/", storage=private_storage)
    name = models.CharField(_("nama berkas"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=10)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("teks"), blank=True)
    text_status = models.CharField(
        _("pembacaan teks"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.TextField(_("galat pembacaan teks"), blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("versi dokumen")
        verbose_name_plural = _("versi dokumen")
        ordering = ["document", "-number"]
        indexes = [models.Index(fields=["text_status"], name="dip_text_status")]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_doc_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class TestResult(models.TextChoices):
    CLOSE = "tutup", _("Tertutup (dikecualikan)")
    OPEN = "buka", _("Terbuka")


class ConsequenceTest(models.Model):
    """Uji konsekuensi (UU 14/2008 art. 2(4), 17, 19; RULES.md "Refusal grounds"): the
    information, the art. 17 grounds and any other law, the harm opening it would do, the
    public interest weighed, and the result; run by the PPID and approved by the agency head.
    Printed as the Surat Penetapan Klasifikasi."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor penetapan"), max_length=120, blank=True)
    information = models.TextField(_("informasi yang diuji"))
    grounds = models.JSONField(_("dasar pengecualian (pasal 17)"), default=list)
    other_law = models.TextField(_("undang-undang lain yang menjadi dasar"), blank=True)
    harm = models.TextField(_("konsekuensi/bahaya bila informasi dibuka"))
    public_interest = models.TextField(_("kepentingan publik yang dipertimbangkan"))
    result = models.CharField(_("hasil uji"), max_length=10, choices=TestResult.choices)
    exempt_until = models.DateField(_("dikecualikan sampai"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("PPID yang memutuskan"),
    )
    decided_by_position = models.CharField(_("jabatan PPID"), max_length=250)
    decided_on = models.DateField(_("tanggal uji"))
    place = models.CharField(_("tempat penetapan"), max_length=120)
    approved_by_name = models.CharField(_("nama pimpinan badan publik"), max_length=250, blank=True)
    approved_by_position = models.CharField(_("jabatan pimpinan"), max_length=250, blank=True)
    approved_on = models.DateField(_("tanggal persetujuan pimpinan"), null=True, blank=True)
    # The entries the test was run for; once approved, a closing test becomes their
    # ``DipEntry.exemption`` (a later test may take them over).
    covers = models.ManyToManyField(
        DipEntry, blank=True, related_name="covering_tests", verbose_name=_("entri yang diuji")
    )
    retest_alerted_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("uji konsekuensi")
        verbose_name_plural = _("uji konsekuensi")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["exempt_until"], name="dip_exempt_until")]

    def __str__(self) -> str:
        return self.number or self.information[:60]

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class Submission(models.Model):
    """An OPD's entries sent to the PPID's secretariat in one round of the DIP cycle (seed
    004), handled as a case of the agency's DIP SOP."""

    class Status(models.TextChoices):
        OPEN = "berjalan", _("Berjalan")
        ESTABLISHED = "ditetapkan", _("Ditetapkan")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="dip_submissions")
    entries = models.ManyToManyField(DipEntry, related_name="submissions")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    receipt_number = models.CharField(_("nomor tanda terima"), max_length=120, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rounds = models.PositiveSmallIntegerField(_("putaran verifikasi"), default=0)

    class Meta:
        verbose_name = _("pengajuan DIP")
        verbose_name_plural = _("pengajuan DIP")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # A receipt number names one submission of the Pemda: the database refuses a
            # second, whatever path wrote it.
            models.UniqueConstraint(
                fields=["pemda", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="unique_dip_receipt_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opd} — {self.submitted_at:%d-%m-%Y}"


class Decree(models.Model):
    """The PPID's dated decision establishing the DIP (penetapan DIP): the entries it lists."""

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor keputusan"), max_length=120)
    decided_on = models.DateField(_("tanggal penetapan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entries = models.ManyToManyField(DipEntry, related_name="decrees")
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="decrees"
    )
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("penetapan DIP")
        verbose_name_plural = _("penetapan DIP")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.number


def refresh_due(refreshed_on: dt.date) -> dt.date:
    """The day a berkala entry refreshed on ``refreshed_on`` must be refreshed again by."""
    month = refreshed_on.month - 1 + REFRESH_MONTHS
    year = refreshed_on.year + month // 12
    month = month % 12 + 1
    day = min(refreshed_on.day, _days_in_month(year, month))
    return dt.date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
