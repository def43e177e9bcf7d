from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm, style_fields
from terbuka.workcalendar.models import DayKind, OfficeHours

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
INVALID_DATE = _("Tanggal tidak valid. Tulis sebagai TTTT-BB-HH atau HH-BB-TTTT, mis. 17-08-2026.")


class DayForm(StaffForm):
    date = forms.DateField(
        label=_("Tanggal"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput,
        error_messages={"invalid": INVALID_DATE, "required": _("Tanggal wajib diisi.")},
    )
    name = forms.CharField(label=_("Nama"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=DayKind.choices)


class DayRenameForm(StaffForm):
    name = forms.CharField(label=_("Nama"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=DayKind.choices)


class SeedForm(StaffForm):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)


class OfficeHoursForm(StaffForm):
    """One pair of opening and closing times per weekday; both empty = closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in OfficeHours.Weekday.choices:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s — buka") % {"day": label},
                required=False,
                widget=forms.TimeInput,
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s — tutup") % {"day": label},
                required=False,
                widget=forms.TimeInput,
            )
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in OfficeHours.Weekday.values:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"closes_{day}", _("Isi jam buka dan jam tutup, atau kosongkan keduanya.")
                )
            elif opens is not None and closes <= opens:
                self.add_error(f"closes_{day}", _("Jam tutup harus setelah jam buka."))
        return data
