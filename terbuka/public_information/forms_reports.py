"""Forms of the DIP's import and reports: the XLSX to import and for which OPD, the
confirmation of a checked sheet, and the month or semester of a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm
from terbuka.core.uploads import UploadValidator
from terbuka.organizations.models import Opd
from terbuka.public_information.imports import MAX_BYTES

FIRST_YEAR = 2000


class ImportForm(StaffForm):
    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah pemilik DIP"),
        queryset=Opd.objects.none(),
        error_messages={
            "required": _("Pilih perangkat daerah yang DIP-nya diimpor."),
            "invalid_choice": _("Anda tidak mengelola DIP perangkat daerah itu."),
        },
    )
    file = forms.FileField(
        label=_("Berkas DIP (XLSX)"),
        max_length=255,
        validators=[UploadValidator(("xlsx",), MAX_BYTES)],
        error_messages={
            "required": _("Pilih berkas XLSX yang akan diimpor."),
            "empty": _("Berkas yang dipilih kosong."),
            "invalid": _("Yang dikirim bukan berkas; pilih ulang berkasnya."),
            "missing": _("Berkas tidak terkirim; pilih ulang berkasnya."),
            "max_length": _("Nama berkas terlalu panjang (paling banyak %(max)d karakter)."),
        },
        help_text=_(
            "Lembar pertama berkas dibaca. Jenis berkas dibaca dari isinya; paling besar "
            "%(limit)s MB."
        )
        % {"limit": MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, opds: QuerySet[Opd], **kwargs: Any) -> None:
        """``opds``: the OPDs the person may import into (their own; any for the PPID Utama)."""
        super().__init__(*args, **kwargs)
        field: Any = self.fields["opd"]
        field.queryset = opds
        if len(opds) == 1:
            field.initial = opds[0].pk


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


def _years(today: dt.date) -> list[tuple[int, int]]:
    return [(year, year) for year in range(today.year, FIRST_YEAR - 1, -1)]


class MonthForm(StaffForm):
    bulan = forms.TypedChoiceField(
        label=_("Bulan"), coerce=int, choices=[(n, MONTHS[n]) for n in range(1, 13)]
    )
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["tahun"]
        field.choices = _years(today)


class SemesterForm(StaffForm):
    semester = forms.TypedChoiceField(
        label=_("Semester"),
        coerce=int,
        choices=[(1, _("I (Januari–Juni)")), (2, _("II (Juli–Desember)"))],
    )
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["tahun"]
        field.choices = _years(today)
