"""Form base classes that render with Bootstrap classes and accessible error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def style_fields(form: forms.BaseForm) -> None:
    """Give widgets Bootstrap classes; mark invalid ones once the form has been validated.

    It reads ``_errors`` rather than ``errors`` so that styling never triggers validation
    (forms that add fields in ``__init__`` must be validated after they exist).
    """
    errors = getattr(form, "_errors", None) or {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, _CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if errors.get(name):
            css += " is-invalid"
        classes = widget.attrs.get("class", "").split()
        widget.attrs["class"] = " ".join(dict.fromkeys([*classes, *css.split()]))
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.TimeInput):
            widget.input_type = "time"
            widget.format = "%H:%M"


class StaffForm(forms.Form):
    template_name = "core/forms/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self) -> None:
        super().full_clean()
        style_fields(self)


class StaffModelForm(forms.ModelForm):
    template_name = "core/forms/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self) -> None:
        super().full_clean()
        style_fields(self)


class FormRenderer(TemplatesSetting):
    """Every form, including Django's own (sign-in), renders with the project's template."""

    form_template_name = "core/forms/form.html"
