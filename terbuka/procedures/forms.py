from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka.core.forms import StaffForm, style_fields
from terbuka.organizations.models import Opd, Unit, User
from terbuka.procedures.definition import Field, FieldType, Record, SopDefinition, Step


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class StepCompleteForm(StaffForm):
    """Ask for exactly the output the step must record."""

    note = forms.CharField(
        label=_("Catatan / hasil"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("Berkas"), required=False)
    on_behalf_of = forms.CharField(
        label=_("Dicatat atas nama"),
        required=False,
        max_length=200,
        help_text=_("Pihak luar yang melakukan langkah ini (mis. pemohon, penyedia)."),
    )

    def __init__(self, *args: Any, step: Step, external: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if step.branches:
            self.fields["decision"] = forms.ChoiceField(
                label=_("Keputusan"),
                widget=forms.RadioSelect,
                choices=[(branch.label, branch.label) for branch in step.branches],
            )
        if step.repeatable:
            self.fields["repeat"] = forms.BooleanField(
                label=_("Ulangi langkah ini (pelaksanaannya bisa berulang)"), required=False
            )
        if Record.NOTE in step.records or Record.DISPOSITION in step.records:
            self.fields["note"].required = True
        if not external:
            del self.fields["on_behalf_of"]
        else:
            self.fields["on_behalf_of"].required = True
        style_fields(self)

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("Berkas %(name)s lebih dari 20 MB."), params={"name": upload.name}
                )
        return files


class ReassignForm(StaffForm):
    to = forms.ModelChoiceField(label=_("Alihkan kepada"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Alasan"), max_length=300)

    def __init__(self, *args: Any, opd: Opd, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(holdings__position__opd=opd, is_active=True)
            .distinct()
            .order_by("full_name")
        )
        style_fields(self)


class CancelForm(StaffForm):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)


FIELD_TYPES: dict[FieldType, type[forms.Field]] = {
    FieldType.TEXT: forms.CharField,
    FieldType.NUMBER: forms.IntegerField,
    FieldType.MONEY: forms.DecimalField,
    FieldType.DATE: forms.DateField,
    FieldType.REGION: forms.CharField,
    FieldType.PERSON: forms.CharField,
    FieldType.FILE: forms.CharField,
}


def _case_field(field: Field) -> forms.Field:
    if field.type == FieldType.CHOICE:
        return forms.ChoiceField(
            label=field.label,
            required=field.required,
            choices=[("", "—"), *((c, c) for c in field.choices)],
        )
    kwargs: dict[str, Any] = {"label": field.label, "required": field.required}
    if field.type == FieldType.DATE:
        kwargs["widget"] = forms.DateInput
    if field.type == FieldType.FILE:
        kwargs["help_text"] = _("Nama atau nomor dokumen; berkasnya dilampirkan pada langkah.")
    return FIELD_TYPES[field.type](**kwargs)


class CaseStartForm(StaffForm):
    title = forms.CharField(label=_("Judul kasus"), max_length=300)
    opd = forms.ModelChoiceField(label=_("Perangkat daerah"), queryset=Opd.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, definition: SopDefinition, opds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            opd__in=opds
        ).select_related("opd")
        self.field_ids = []
        for field in definition.fields:
            self.fields[f"data_{field.id}"] = _case_field(field)
            self.field_ids.append(field.id)
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, opd = data.get("unit"), data.get("opd")
        if unit is not None and opd is not None and unit.opd_id != opd.pk:
            self.add_error("unit", _("Unit kerja harus berada di perangkat daerah yang dipilih."))
        return data

    def case_data(self) -> dict[str, Any]:
        values = {}
        for field_id in self.field_ids:
            value = self.cleaned_data.get(f"data_{field_id}")
            if value not in (None, ""):
                values[field_id] = value if isinstance(value, str | int) else str(value)
        return values


class SopSourceForm(StaffForm):
    source = forms.CharField(
        label=_("Definisi YAML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "font-monospace"}),
    )
    upload = forms.FileField(label=_("atau unggah berkas YAML"), required=False)
    note = forms.CharField(label=_("Catatan revisi"), max_length=300)

    MAX_BYTES = 512 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                self.add_error("upload", _("Berkas YAML lebih dari 512 KB."))
                return data
            try:
                data["source"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("Berkas harus teks UTF-8 (YAML)."))
                return data
        if not (data.get("source") or "").strip():
            self.add_error("source", _("Isi definisi YAML atau unggah berkasnya."))
        return data
