from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka.core import clock
from terbuka.core.errors import DomainError
from terbuka.core.forms import StaffForm
from terbuka.core.uploads import UploadValidator
from terbuka.information_requests.identity import (
    NikValidator,
    validate_kemenkumham_number,
    validate_phone,
)
from terbuka.information_requests.models import (
    Channel,
    Decision,
    DeliveryMethod,
    ObjectionDecision,
    ObtainMethod,
    RequesterKind,
)
from terbuka.information_requests.numbering import format_number
from terbuka.information_requests.services import Asked, Requester
from terbuka.organizations.models import Opd
from terbuka.procedures.models import StepRunFile
from terbuka.public_information.exemptions import CitableTest

MAX_UPLOAD = 5 * 1024 * 1024
identity_upload = UploadValidator(("pdf", "jpeg", "png"), MAX_UPLOAD)
REFUSAL_GROUND_CHOICES = [
    ("a", _("a. menghambat proses penegakan hukum")),
    ("b", _("b. mengganggu kepentingan hak kekayaan intelektual dan persaingan usaha")),
    ("c", _("c. membahayakan pertahanan dan keamanan negara")),
    ("d", _("d. mengungkapkan kekayaan alam Indonesia")),
    ("e", _("e. merugikan ketahanan ekonomi nasional")),
    ("f", _("f. merugikan kepentingan hubungan luar negeri")),
    ("g", _("g. mengungkap isi akta otentik yang bersifat pribadi dan wasiat")),
    ("h", _("h. mengungkap rahasia pribadi")),
    ("i", _("i. memorandum atau surat antar/intra badan publik yang dirahasiakan")),
    ("j", _("j. informasi yang tidak boleh diungkapkan berdasarkan undang-undang")),
]


class RequestForm(StaffForm):
    """The request form for the public and for counter intake (same fields)."""

    requester_kind = forms.ChoiceField(
        label=_("Permohonan diajukan oleh"),
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        initial=RequesterKind.INDIVIDUAL,
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    nik = forms.CharField(
        label=_("NIK (dari KTP)"),
        max_length=20,
        required=False,
        validators=[NikValidator()],
        help_text=_(
            "Wajib untuk perorangan dan kuasa. Tidak pernah ditampilkan di halaman publik."
        ),
    )
    entity_approval_number = forms.CharField(
        label=_("Nomor pengesahan Kemenkumham"),
        max_length=120,
        required=False,
        help_text=_("Untuk badan hukum, mis. AHU-0012345.AH.01.04.Tahun 2020."),
    )
    entity_deed = forms.CharField(
        label=_("Nomor dan tanggal akta pendirian"), max_length=200, required=False
    )
    principal_name = forms.CharField(label=_("Nama pemberi kuasa"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 2}))
    phone = forms.CharField(label=_("Nomor telepon"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Surel"), required=False, help_text=_("Tautan pelacakan dikirim ke alamat ini.")
    )
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=120)
    opd = forms.ModelChoiceField(
        label=_("Badan publik yang dimohon"),
        queryset=Opd.objects.none(),
        required=False,
        empty_label=_("PPID Utama"),
        help_text=_(
            "Pilih PPID Pelaksana perangkat daerah bila Anda tahu siapa yang menguasai "
            "informasinya; bila ragu, pilih PPID Utama."
        ),
    )
    information = forms.CharField(
        label=_("Informasi yang dimohon"), widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(
        label=_("Tujuan penggunaan informasi"), widget=forms.Textarea(attrs={"rows": 2})
    )
    obtain_methods = forms.MultipleChoiceField(
        label=_("Cara memperoleh informasi"),
        choices=ObtainMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery_method = forms.ChoiceField(
        label=_("Cara mendapatkan salinan informasi"), choices=DeliveryMethod.choices
    )
    identity_file = forms.FileField(
        label=_("Pindaian KTP / akta / surat kuasa (PDF, JPG atau PNG, maks. 5 MB)"),
        required=False,
        validators=[identity_upload],
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, pemda_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(  # type: ignore[attr-defined]
            pemda_id=pemda_id, is_active=True
        ).order_by("name")

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone") or ""
        return validate_phone(value) if value else ""

    def clean_entity_approval_number(self) -> str:
        value: str = self.cleaned_data.get("entity_approval_number") or ""
        return validate_kemenkumham_number(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("requester_kind")
        needs_nik = kind in (RequesterKind.INDIVIDUAL, RequesterKind.PROXY)
        if needs_nik and not data.get("nik") and "nik" not in self.errors:
            self.add_error("nik", _("NIK wajib diisi untuk pemohon perorangan."))
        if kind == RequesterKind.LEGAL_ENTITY:
            for field in ("entity_approval_number", "entity_deed"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("Wajib diisi untuk badan hukum."))
        if kind == RequesterKind.PROXY and not data.get("principal_name"):
            self.add_error("principal_name", _("Sebutkan nama pemberi kuasa."))
        if kind == RequesterKind.PROXY and not data.get("identity_file"):
            self.add_error("identity_file", _("Lampirkan surat kuasa khusus."))
        if not data.get("phone") and not data.get("email"):
            self.add_error(
                "email", _("Isi nomor telepon atau surel agar kami dapat menghubungi Anda.")
            )
        return data

    def requester(self, language: str) -> Requester:
        data = self.cleaned_data
        return Requester(
            kind=data["requester_kind"],
            name=data["name"].strip(),
            nik=data.get("nik") or "",
            entity_approval_number=data.get("entity_approval_number") or "",
            entity_deed=data.get("entity_deed") or "",
            principal_name=data.get("principal_name") or "",
            address=data["address"].strip(),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            occupation=data["occupation"].strip(),
            language=language,
        )

    def asked(self) -> Asked:
        data = self.cleaned_data
        return Asked(
            information=data["information"].strip(),
            purpose=data["purpose"].strip(),
            obtain_methods=tuple(data["obtain_methods"]),
            delivery_method=data["delivery_method"],
        )


class CounterIntakeForm(RequestForm):
    """Staff record walk-in, letter, phone and e-mail requests as they really arrived."""

    channel = forms.ChoiceField(
        label=_("Cara permohonan"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEBSITE],
    )
    received_at = forms.DateTimeField(
        label=_("Diterima pada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    letter_file = forms.FileField(
        label=_("Pindaian surat permohonan"), required=False, validators=[identity_upload]
    )

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value > clock.now():
            raise forms.ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return value


class ForwardForm(StaffForm):
    to = forms.ModelChoiceField(label=_("Teruskan ke"), queryset=Opd.objects.none())
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)

    def __init__(self, *args: Any, pemda_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Opd.objects.filter(  # type: ignore[attr-defined]
            pemda_id=pemda_id, is_active=True
        ).order_by("name")


class ExtendForm(StaffForm):
    working_days = forms.IntegerField(
        label=_("Perpanjangan (hari kerja)"), min_value=1, max_value=7, initial=7
    )
    reason = forms.CharField(
        label=_("Alasan perpanjangan"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(StaffForm):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices)
    information_form = forms.CharField(
        label=_("Bentuk informasi yang diberikan"), required=False, max_length=200
    )
    withheld_parts = forms.CharField(
        label=_("Bagian yang dikecualikan/dihitamkan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_grounds = forms.MultipleChoiceField(
        label=_("Alasan pengecualian (pasal 17 UU 14/2008)"),
        choices=REFUSAL_GROUND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cited_test = forms.TypedChoiceField(
        label=_("Uji konsekuensi yang ditetapkan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Uji konsekuensi yang telah disetujui pimpinan dan masih berlaku; alasan "
            "pengecualian yang dipilih harus termasuk dalam dasar uji tersebut."
        ),
    )
    consequence_test = forms.CharField(
        label=_("Uji konsekuensi (nomor/ringkasan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_body = forms.CharField(
        label=_("Badan publik lain yang menguasai"), required=False, max_length=250
    )

    def __init__(self, *args: Any, citable: Sequence[CitableTest] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cited_test"]
        field.choices = [("", "—"), *((test.pk, test.label) for test in citable)]  # type: ignore[attr-defined]
        if not citable:
            field.widget = forms.HiddenInput()


class DeliverForm(StaffForm):
    """The information handed over: a new upload and/or copies of the files the request's SOP
    steps produced (``step_files``: each file with its label; only these may be chosen)."""

    attachment = forms.FileField(
        label=_("Berkas informasi (PDF)"),
        required=False,
        validators=[UploadValidator(("pdf",), 20 * 1024 * 1024)],
    )
    step_files = forms.MultipleChoiceField(
        label=_("Berkas dari langkah SOP"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Salinan berkas yang dipilih diserahkan kepada pemohon."),
    )

    def __init__(
        self, *args: Any, step_files: Sequence[tuple[StepRunFile, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step_file_by_id = {str(file.pk): file for file, _label in step_files}
        field = self.fields["step_files"]
        field.choices = [(str(file.pk), label) for file, label in step_files]  # type: ignore[attr-defined]
        if not step_files:
            # Nothing to offer: render nothing, but still refuse any value sent.
            field.widget = forms.MultipleHiddenInput()

    def clean_step_files(self) -> list[StepRunFile]:
        chosen = self.cleaned_data.get("step_files") or []
        return [self.step_file_by_id[value] for value in dict.fromkeys(chosen)]


class FeeForm(StaffForm):
    amount = forms.DecimalField(
        label=_("Biaya salinan/pengiriman (Rp)"), min_value=0, decimal_places=0
    )
    payment_method = forms.CharField(label=_("Cara pembayaran"), max_length=120)
    paid_on = forms.DateField(label=_("Tanggal dibayar"), required=False, widget=forms.DateInput)


class ObjectionForm(StaffForm):
    ground = forms.ChoiceField(label=_("Alasan keberatan"), widget=forms.RadioSelect)
    case_position = forms.CharField(
        label=_("Kasus posisi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Uraikan apa yang terjadi dan apa yang Anda minta."),
    )
    proxy_name = forms.CharField(
        label=_("Nama kuasa (bila diajukan kuasa)"), required=False, max_length=200
    )

    def __init__(self, *args: Any, grounds: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [  # type: ignore[attr-defined]
            (g["ground"], f"{g['ground']}. {g['label']}") for g in grounds
        ]


class ObjectionAnswerForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("Tanggapan Atasan PPID"), choices=ObjectionDecision.choices
    )
    text = forms.CharField(
        label=_("Isi jawaban tertulis"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DisputeForm(StaffForm):
    filed_on = forms.DateField(
        label=_("Tanggal sengketa diajukan ke Komisi Informasi"), widget=forms.DateInput
    )


class PpidSettingsForm(StaffForm):
    number_format = forms.CharField(
        label=_("Format nomor pendaftaran"),
        max_length=120,
        help_text=_("Kolom: {nomor:04d}, {badan}, {bulan}, {bulan_romawi}, {tahun}."),
    )
    sop_code = forms.SlugField(label=_("Kode SOP penanganan permohonan"), max_length=100)
    reminder_days = forms.CharField(
        label=_("Pengingat sebelum batas (hari kerja, pisahkan dengan koma)"),
        required=False,
    )
    retention_years = forms.IntegerField(
        label=_("Masa simpan data pribadi (tahun)"), min_value=1, max_value=30
    )

    def clean_number_format(self) -> str:
        value: str = self.cleaned_data["number_format"]
        try:
            sample = format_number(value, sequence=7, body="dinas", on=dt.date(2026, 3, 17))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        if "7" not in sample:
            raise forms.ValidationError(_("Format harus memuat {nomor}."))
        return value

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data.get("reminder_days") or ""
        try:
            days = sorted({int(part) for part in raw.replace(" ", "").split(",") if part})
        except ValueError as error:
            raise forms.ValidationError(_("Tulis angka hari kerja, mis. 3, 1.")) from error
        if any(day < 1 or day > 10 for day in days):
            raise forms.ValidationError(_("Pengingat antara 1 dan 10 hari kerja."))
        return days
