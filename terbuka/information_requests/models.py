"""Requests for public information (UU 14/2008): the register, the statutory clock, decisions.

The law's lifecycle lives here (:mod:`.lifecycle`); the office's own handling of a request is
a case of its SOP in :mod:`terbuka.procedures`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from terbuka.core.storage import private_storage
from terbuka.organizations.models import Opd, Pemda
from terbuka.procedures.models import Case

UTAMA = "utama"  # body code of the PPID Utama; a PPID Pelaksana's body code is its OPD's code


class PpidSettings(models.Model):
    """A Pemda's configurable rules for its PPID service (each change is audited)."""

    pemda = models.OneToOneField(Pemda, on_delete=models.CASCADE, related_name="ppid_settings")
    number_format = models.CharField(
        _("format nomor pendaftaran"),
        max_length=120,
        default="{nomor:04d}/PPID/{badan}/{bulan_romawi}/{tahun}",
        help_text=_(
            "Kolom: {nomor} urutan per badan publik dan tahun, {badan} kode badan publik, "
            "{bulan}, {bulan_romawi}, {tahun}."
        ),
    )
    sop_code = models.SlugField(
        _("SOP penanganan permohonan"), max_length=100, default="batang-dpmptsp-si"
    )
    retention_years = models.PositiveSmallIntegerField(
        _("masa simpan data pribadi (tahun)"), default=5
    )
    reminder_days = models.JSONField(
        _("pengingat sebelum batas (hari kerja)"),
        default=list,
        help_text=_("Mis. [3, 1]: pengingat 3 dan 1 hari kerja sebelum batas."),
    )

    class Meta:
        verbose_name = _("pengaturan PPID")
        verbose_name_plural = _("pengaturan PPID")

    def __str__(self) -> str:
        return str(self.pemda)


class RegistrationCounter(models.Model):
    """The last registration sequence per body and year. Rows are locked while numbering, so
    numbers stay unique and gapless however many people submit at once."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="+")
    body_code = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "body_code", "year"], name="one_counter_per_body_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body_code} {self.year}: {self.last}"


class Channel(models.TextChoices):
    WEBSITE = "situs", _("Situs web")
    WALK_IN = "langsung", _("Datang langsung")
    LETTER = "surat", _("Surat")
    EMAIL = "surel", _("Surel")
    PHONE = "telepon", _("Telepon")


class RequesterKind(models.TextChoices):
    INDIVIDUAL = "perorangan", _("Perorangan (WNI)")
    LEGAL_ENTITY = "badan_hukum", _("Badan hukum Indonesia")
    PROXY = "kuasa", _("Kuasa dari pemohon")


class ObtainMethod(models.TextChoices):
    SEE = "melihat", _("Melihat/membaca/mendengarkan/mencatat")
    SOFT_COPY = "salinan_elektronik", _("Mendapatkan salinan elektronik (softcopy)")
    HARD_COPY = "salinan_cetak", _("Mendapatkan salinan cetak (hardcopy)")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "langsung", _("Mengambil langsung")
    COURIER = "kurir", _("Kurir")
    POST = "pos", _("Pos")
    FAX = "faksimili", _("Faksimili")
    EMAIL = "surel", _("Surel")


class Status(models.TextChoices):
    RECEIVED = "diterima", _("Diterima")
    EXTENDED = "diperpanjang", _("Diperpanjang")
    DECIDED = "diputuskan", _("Diberitahukan")
    DELIVERED = "diserahkan", _("Informasi diserahkan")
    CLOSED = "selesai", _("Selesai")
    WITHDRAWN = "ditarik", _("Ditarik pemohon")


class Decision(models.TextChoices):
    GRANTED = "dikabulkan", _("Dikabulkan seluruhnya")
    PARTIAL = "sebagian", _("Dikabulkan sebagian")
    REFUSED = "ditolak", _("Ditolak")
    NOT_HELD = "tidak_dikuasai", _("Informasi tidak dikuasai")
    OTHER_BODY = "badan_lain", _("Dikuasai badan publik lain")


class InformationRequest(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="+")
    # The body asked: an OPD's PPID Pelaksana, or the PPID Utama (empty).
    opd = models.ForeignKey(
        Opd,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("badan publik yang dimohon"),
    )
    # Where the request is handled now (forwarding keeps the statutory clock).
    handling_opd = models.ForeignKey(
        Opd,
        on_delete=models.PROTECT,
        related_name="handled_information_requests",
        verbose_name=_("ditangani oleh"),
    )
    body_code = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("nomor pendaftaran"), max_length=120)
    channel = models.CharField(_("cara permohonan"), max_length=20, choices=Channel.choices)

    requester_kind = models.CharField(_("pemohon"), max_length=20, choices=RequesterKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    entity_approval_number = models.CharField(
        _("nomor pengesahan Kemenkumham"), max_length=120, blank=True
    )
    entity_deed = models.CharField(_("akta pendirian"), max_length=200, blank=True)
    principal_name = models.CharField(_("nama pemberi kuasa"), max_length=200, blank=True)
    address = models.TextField(_("alamat"))
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=120)
    information = models.TextField(_("informasi yang dimohon"))
    purpose = models.TextField(_("tujuan penggunaan informasi"))
    obtain_methods = models.JSONField(_("cara memperoleh informasi"), default=list)
    delivery_method = models.CharField(
        _("cara mendapatkan salinan"), max_length=20, choices=DeliveryMethod.choices
    )
    language = models.CharField(_("bahasa"), max_length=5, default="id")

    received_at = models.DateTimeField(_("diterima pada"))
    received_on = models.DateField(_("tanggal diterima (dihitung)"))
    notice_due_on = models.DateField(_("batas pemberitahuan tertulis"))
    strict_notice_due_on = models.DateField(_("target internal"))
    extended_due_on = models.DateField(_("batas setelah perpanjangan"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, blank=True)
    held = models.BooleanField(_("informasi dikuasai"), null=True, blank=True)
    information_form = models.CharField(
        _("bentuk informasi yang dikuasai"), max_length=200, blank=True
    )
    withheld_parts = models.TextField(_("bagian yang dihitamkan/dikecualikan"), blank=True)
    refusal_grounds = models.JSONField(
        _("alasan pengecualian (pasal 17)"), default=list, blank=True
    )
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    other_body = models.CharField(_("badan publik lain"), max_length=250, blank=True)
    notice_number = models.CharField(_("nomor pemberitahuan tertulis"), max_length=120, blank=True)
    noticed_on = models.DateField(_("tanggal pemberitahuan tertulis"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("biaya"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    payment_method = models.CharField(_("cara pembayaran"), max_length=120, blank=True)
    paid_on = models.DateField(_("tanggal pembayaran"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("diserahkan pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("alasan penarikan"), max_length=300, blank=True)

    tracking_token = models.CharField(max_length=64, unique=True)
    # The key the submitted form carried: a form sent twice registers one request.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # The approved consequence test a refusal or partial grant cites (art. 17, 19).
    cited_test = models.ForeignKey(
        "public_information.ConsequenceTest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uji konsekuensi yang dirujuk"),
    )

    class Meta:
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")
        # The receipt date never goes back as the arrival moment goes forward, so this is
        # arrival order too; led by received_on, it is the order of the indexes below.
        ordering = ["-received_on", "-received_at", "-id"]
        indexes = [
            # The register and reports of a whole Pemda (PPID Utama) and of one handling
            # OPD, with or without a status, over a range of receipt dates: each served by
            # one index range, the COUNT from the index alone.
            models.Index(fields=["pemda", "received_on", "received_at"], name="ir_pemda_received"),
            models.Index(
                fields=["pemda", "status", "received_on", "received_at"], name="ir_pemda_status"
            ),
            models.Index(
                fields=["handling_opd", "received_on", "received_at"], name="ir_opd_received"
            ),
            models.Index(
                fields=["handling_opd", "status", "received_on", "received_at"],
                name="ir_opd_status",
            ),
            models.Index(fields=["status", "notice_due_on"], name="ir_status_due"),
            # "Permohonan saya": every request made with one e-mail address, any letter case.
            models.Index(Lower("email"), name="ir_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "body_code", "year", "sequence"], name="gapless_number_per_body"
            ),
            models.UniqueConstraint(fields=["pemda", "number"], name="unique_request_number"),
            models.CheckConstraint(
                condition=Q(notice_due_on__gte=models.F("received_on")),
                name="notice_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True)
                | Q(extended_due_on__gte=models.F("notice_due_on")),
                name="extension_after_notice_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AttachmentKind(models.TextChoices):
    IDENTITY = "identitas", _("KTP / identitas")
    DEED = "akta", _("Akta / pengesahan badan hukum")
    POWER_OF_ATTORNEY = "kuasa", _("Surat kuasa")
    LETTER = "surat", _("Surat permohonan (pindaian)")
    NOTICE = "pemberitahuan", _("Pemberitahuan tertulis")
    INFORMATION = "informasi", _("Informasi yang diberikan")


# Attachments the requester may download from the tracking page (through expiring links).
REQUESTER_VISIBLE = (AttachmentKind.NOTICE, AttachmentKind.INFORMATION)


class RequestAttachment(models.Model):
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("berkas"), upload_to="permohonan/%Y/%m/", storage=private_storage)
    name = models.CharField(_("nama berkas"), max_length=255)
    created_at = models.DateTimeField(_("diunggah"))

    class Meta:
        verbose_name = _("lampiran permohonan")
        verbose_name_plural = _("lampiran permohonan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """The one extension the law allows (UU 14/2008 art. 22(8)): at most 7 working days."""

    request = models.OneToOneField(
        InformationRequest, on_delete=models.CASCADE, related_name="extension"
    )
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))
    reason = models.TextField(_("alasan"))
    new_due_on = models.DateField(_("batas baru"))
    notice_number = models.CharField(_("nomor pemberitahuan perpanjangan"), max_length=120)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("perpanjangan waktu")
        verbose_name_plural = _("perpanjangan waktu")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=7),
                name="extension_at_most_7_working_days",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} +{self.working_days}"


class ObjectionStatus(models.TextChoices):
    FILED = "diajukan", _("Diajukan")
    ANSWERED = "dijawab", _("Dijawab Atasan PPID")
    RESPONDED = "ditanggapi", _("Ditanggapi pemohon")


class ObjectionDecision(models.TextChoices):
    UPHELD = "diterima", _("Keberatan diterima")
    PARTLY_UPHELD = "diterima_sebagian", _("Keberatan diterima sebagian")
    REJECTED = "ditolak", _("Keberatan ditolak")
    SETTLED = "musyawarah", _("Diselesaikan secara musyawarah")


class RequesterReaction(models.TextChoices):
    ACCEPTS = "menerima", _("Menerima jawaban")
    DISPUTES = "sengketa", _("Mengajukan sengketa ke Komisi Informasi")


class Objection(models.Model):
    """A keberatan to the Atasan PPID (UU 14/2008 art. 35–36): filed within 30 working days
    after its ground arose, answered in writing within 30 working days."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="objections"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("nomor registrasi keberatan"), max_length=120)
    ground = models.CharField(_("alasan keberatan"), max_length=1)
    case_position = models.TextField(_("kasus posisi"))
    filed_at = models.DateTimeField(_("diajukan pada"))
    filed_on = models.DateField(_("tanggal diterima"))
    window_closed_on = models.DateField(_("batas pengajuan"))
    answer_due_on = models.DateField(_("batas jawaban"))
    proxy_name = models.CharField(_("nama kuasa"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED
    )
    decision = models.CharField(
        _("tanggapan Atasan PPID"), max_length=20, choices=ObjectionDecision.choices, blank=True
    )
    decision_text = models.TextField(_("isi jawaban"), blank=True)
    decision_number = models.CharField(_("nomor surat jawaban"), max_length=120, blank=True)
    answered_on = models.DateField(_("tanggal jawaban"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    atasan_name = models.CharField(_("nama Atasan PPID"), max_length=200, blank=True)
    atasan_title = models.CharField(_("jabatan Atasan PPID"), max_length=250, blank=True)
    reaction = models.CharField(
        _("tanggapan pemohon"), max_length=20, choices=RequesterReaction.choices, blank=True
    )
    reacted_on = models.DateField(_("tanggal tanggapan pemohon"), null=True, blank=True)

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "ground"], name="one_objection_per_ground"),
            models.CheckConstraint(
                condition=Q(ground__in=list("abcdefg")), name="objection_ground_a_to_g"
            ),
            models.CheckConstraint(
                condition=Q(answer_due_on__gte=models.F("filed_on")), name="answer_after_filing"
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due_on"], name="objection_due")]

    def __str__(self) -> str:
        return self.number


class Dispute(models.Model):
    """A dispute before the Komisi Informasi (UU 14/2008 art. 37–38): an external case whose
    dates and outcome are recorded here."""

    objection = models.OneToOneField(Objection, on_delete=models.PROTECT, related_name="dispute")
    filed_on = models.DateField(_("tanggal pengajuan ke Komisi Informasi"))
    commission_number = models.CharField(
        _("nomor register Komisi Informasi"), max_length=120, blank=True
    )
    registered_on = models.DateField(_("tanggal registrasi"), null=True, blank=True)
    mediation_on = models.DateField(_("tanggal mediasi"), null=True, blank=True)
    adjudication_on = models.DateField(_("tanggal ajudikasi"), null=True, blank=True)
    outcome = models.TextField(_("putusan/hasil"), blank=True)
    decided_on = models.DateField(_("tanggal putusan"), null=True, blank=True)
    complied_on = models.DateField(_("tanggal putusan dilaksanakan"), null=True, blank=True)
    compliance_note = models.TextField(_("catatan pelaksanaan putusan"), blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sengketa informasi")
        verbose_name_plural = _("sengketa informasi")

    def __str__(self) -> str:
        return f"{self.objection} — Komisi Informasi"
