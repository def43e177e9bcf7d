from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm, StaffModelForm
from terbuka.organizations.models import (
    HoldingKind,
    Opd,
    Pemda,
    Position,
    Unit,
    nip_validator,
)


class PemdaForm(StaffModelForm):
    website = forms.URLField(label=_("situs web"), required=False, assume_scheme="https")

    class Meta:
        model = Pemda
        fields = [
            "name",
            "kind",
            "region_code",
            "time_zone",
            "logo",
            "address",
            "phone",
            "email",
            "website",
            "about",
            "cuti_bersama_is_working_day",
            "after_hours_counts_next_day",
        ]


class OpdForm(StaffModelForm):
    class Meta:
        model = Opd
        fields = ["code", "name", "short_name", "address", "is_active"]


class UnitForm(StaffModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent"]

    def __init__(self, *args: Any, opd: Opd, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = opd.units.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class PositionForm(StaffModelForm):
    class Meta:
        model = Position
        fields = ["code", "title", "role", "unit"]

    def __init__(self, *args: Any, opd: Opd, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = opd.units.all()  # type: ignore[attr-defined]


class HoldingForm(StaffForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Akun yang sudah ada dipakai; jika belum ada, akun baru dibuat."),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=18, required=False, validators=[nip_validator])
    email = forms.EmailField(label=_("Surel"), required=False)
    password = forms.CharField(
        label=_("Kata sandi awal (akun baru)"),
        required=False,
        widget=forms.PasswordInput,
        min_length=10,
    )
    kind = forms.ChoiceField(label=_("Jenis penugasan"), choices=HoldingKind.choices)
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("Berakhir"), required=False, widget=forms.DateInput)
    decree = forms.CharField(label=_("Nomor SK/surat perintah"), required=False, max_length=200)


class HoldingEndForm(StaffForm):
    ends_on = forms.DateField(label=_("Berakhir pada"), widget=forms.DateInput)


class DelegationForm(StaffForm):
    delegate = forms.CharField(label=_("Nama pengguna penerima pelimpahan"), max_length=150)
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("Berakhir"), widget=forms.DateInput)
    reason = forms.CharField(label=_("Alasan (mis. cuti tahunan)"), max_length=300)


class StructureImportForm(StaffForm):
    file = forms.FileField(
        label=_("Berkas struktur (XLSX atau CSV)"),
        help_text=_("Satu baris per jabatan. Lihat dokumentasi kolom pada halaman ini."),
    )
