"""Forms of the DIP cycle: a submission, the verification of one, and the PPID's decree.

The forms check what a person chose; the cycle's services (:mod:`.cycle`) check the rules
and write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm
from terbuka.organizations.models import Opd
from terbuka.public_information.models import DipEntry, Submission

COMPLETE = "lengkap"
INCOMPLETE = "belum"


class EntryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        entry: DipEntry = obj
        return f"{entry.title} ({entry.get_category_display()}, {entry.get_status_display()})"


class SubmissionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        submission: Submission = obj
        verified = getattr(submission, "verified_count", None)
        count = f", {verified} entri" if verified is not None else ""
        number = submission.receipt_number or "—"
        return f"{number} — {submission.opd}{count}"


class SubmissionForm(StaffForm):
    """The OPD and the draft or returned entries its team sends to the secretariat."""

    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Opd.objects.none(),
        error_messages={"invalid_choice": _("Anda tidak mengelola DIP perangkat daerah itu.")},
    )
    entries = EntryChoices(
        label=_("Entri yang diajukan"),
        queryset=DipEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu entri DIP untuk diajukan.")},
        help_text=_("Entri draf yang belum ada dalam pengajuan yang sedang berjalan."),
    )

    def __init__(
        self, *args: Any, opds: QuerySet[Opd], entries: QuerySet[DipEntry], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        opd_field: Any = self.fields["opd"]
        opd_field.queryset = opds
        entries_field: Any = self.fields["entries"]
        entries_field.queryset = entries

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opd, chosen = data.get("opd"), data.get("entries")
        if opd is not None and chosen:
            others = [entry.title for entry in chosen if entry.opd_id != opd.pk]
            if others:
                self.add_error(
                    "entries",
                    _("Entri berikut bukan milik %(opd)s: %(titles)s.")
                    % {"opd": opd.name, "titles": "; ".join(others)},
                )
        return data


class VerifyForm(StaffForm):
    """The secretariat's verification of the waiting entries (step 6)."""

    result = forms.ChoiceField(
        label=_("Hasil verifikasi kelengkapan dan kesesuaian"),
        choices=[
            (COMPLETE, _("Lengkap dan sesuai")),
            (INCOMPLETE, _("Belum lengkap / belum sesuai — kembalikan ke perangkat daerah")),
        ],
        widget=forms.RadioSelect,
    )
    returned_entries = EntryChoices(
        label=_("Entri yang dikembalikan"),
        queryset=DipEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Entri lain dalam pengajuan ini tetap menunggu verifikasi."),
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila dikembalikan: apa yang harus dilengkapi atau disesuaikan."),
    )

    def __init__(self, *args: Any, waiting: QuerySet[DipEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["returned_entries"]
        field.queryset = waiting

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result") == INCOMPLETE:
            if not data.get("returned_entries"):
                self.add_error("returned_entries", _("Pilih entri yang dikembalikan."))
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Tuliskan apa yang harus dilengkapi atau disesuaikan."))
        elif data.get("result") == COMPLETE and data.get("returned_entries"):
            self.add_error(
                "returned_entries",
                _("Pengajuan yang lengkap dan sesuai tidak mengembalikan entri."),
            )
        return data

    @property
    def complete(self) -> bool:
        return bool(self.cleaned_data.get("result") == COMPLETE)


class DecreeForm(StaffForm):
    """The PPID's decision: its number and date and the verified submissions it covers."""

    number = forms.CharField(label=_("Nomor keputusan"), max_length=120)
    decided_on = forms.DateField(label=_("Tanggal penetapan"), widget=forms.DateInput)
    submissions = SubmissionChoices(
        label=_("Pengajuan yang ditetapkan"),
        queryset=Submission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu pengajuan.")},
        help_text=_("Semua entri yang lengkap dan sesuai dari pengajuan terpilih ditetapkan."),
    )

    def __init__(
        self, *args: Any, submissions: QuerySet[Submission], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field: Any = self.fields["submissions"]
        field.queryset = submissions

    def clean_decided_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["decided_on"]
        if value > self.today:
            raise forms.ValidationError(_("Tanggal penetapan tidak boleh melewati hari ini."))
        return value
