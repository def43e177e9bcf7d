"""Forms of the consequence tests: recording a test and the agency head's approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm
from terbuka.information_requests.forms import REFUSAL_GROUND_CHOICES
from terbuka.organizations.models import Opd, Pemda
from terbuka.public_information.exemptions import Assessment, assessment_errors
from terbuka.public_information.models import DipEntry, EntryStatus, TestResult


class EntryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        entry: DipEntry = obj
        return f"{entry.opd} — {entry.title} ({entry.get_category_display()})"


class ConsequenceTestForm(StaffForm):
    """A consequence test of information held by one OPD, covering entries of the DIP."""

    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah yang menguasai informasi"), queryset=Opd.objects.none()
    )
    entries = EntryChoiceField(
        label=_("Entri DIP yang dicakup"),
        queryset=DipEntry.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Setelah disetujui pimpinan, hasil tertutup menjadikan entri ini dikecualikan; "
            "hasil terbuka membukanya kembali."
        ),
    )
    information = forms.CharField(
        label=_("Informasi yang diuji"), widget=forms.Textarea(attrs={"rows": 2})
    )
    grounds = forms.MultipleChoiceField(
        label=_("Alasan pengecualian (pasal 17 UU 14/2008)"),
        choices=REFUSAL_GROUND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    other_law = forms.CharField(
        label=_("Undang-undang lain yang menjadi dasar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    harm = forms.CharField(
        label=_("Konsekuensi yang timbul bila informasi dibuka"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_interest = forms.CharField(
        label=_("Kepentingan publik yang dipertimbangkan"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    result = forms.ChoiceField(
        label=_("Hasil uji"), choices=TestResult.choices, widget=forms.RadioSelect
    )
    exempt_until = forms.DateField(
        label=_("Dikecualikan sampai"),
        required=False,
        widget=forms.DateInput,
        help_text=_("Wajib untuk alasan huruf a–f, yang tidak bersifat permanen (pasal 20)."),
    )
    decided_on = forms.DateField(label=_("Tanggal uji"), widget=forms.DateInput)
    place = forms.CharField(label=_("Tempat penetapan"), max_length=120)

    def __init__(self, *args: Any, pemda: Pemda, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        opd_field: Any = self.fields["opd"]
        opd_field.queryset = Opd.objects.filter(pemda=pemda, is_active=True).order_by("name")
        entries_field: Any = self.fields["entries"]
        entries_field.queryset = (
            DipEntry.objects.filter(pemda=pemda)
            .exclude(status=EntryStatus.WITHDRAWN)
            .select_related("opd")
            .order_by("opd__name", "title", "id")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for field, message in assessment_errors(self.assessment(), today=self.today):
                self.add_error(field, message)
        return data

    def assessment(self) -> Assessment:
        data = self.cleaned_data
        return Assessment(
            information=data["information"],
            grounds=tuple(data["grounds"]),
            other_law=data.get("other_law") or "",
            harm=data["harm"],
            public_interest=data["public_interest"],
            result=data["result"],
            exempt_until=data.get("exempt_until"),
            decided_on=data["decided_on"],
            place=data["place"],
        )


class ApproveForm(StaffForm):
    """The agency head's approval of a test, as signed on paper."""

    approved_by_name = forms.CharField(label=_("Nama pimpinan badan publik"), max_length=250)
    approved_by_position = forms.CharField(
        label=_("Jabatan pimpinan"),
        max_length=250,
        widget=forms.TextInput(attrs={"placeholder": _("mis. Bupati atau Wali Kota")}),
    )
    approved_on = forms.DateField(label=_("Tanggal persetujuan"), widget=forms.DateInput)
