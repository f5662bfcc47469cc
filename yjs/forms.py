"""GOV.UK Design System forms: every Django form renders with GOV.UK markup
(templates/govuk/ and the widget templates in templates/django/forms/)."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from cases import validation

_WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


def widget_css_class(widget: forms.Widget) -> str:
    for cls in type(widget).__mro__:
        if cls in _WIDGET_CLASSES:
            return _WIDGET_CLASSES[cls]
    return "govuk-input"


class GovukForm(forms.Form):
    """Base for the service's forms: GOV.UK classes on every widget, and
    ``aria-describedby`` / error classes set when a field has errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        style_fields(self)
        check_fields(self)

    def full_clean(self):
        super().full_clean()
        mark_errors(self)


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        style_fields(self)
        check_fields(self)

    def full_clean(self):
        super().full_clean()
        mark_errors(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_fields(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        css = widget_css_class(widget)
        if isinstance(widget, forms.DateInput | forms.NumberInput):
            css += " govuk-input--width-10"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{css} {existing}".strip()
        if field.help_text:
            widget.attrs["aria-describedby"] = f"id_{form.add_prefix(name)}-hint"


def _text_checked(value: str) -> None:
    try:
        validation.check_characters(value)
    except validation.Invalid as error:
        raise ValidationError(str(error), code="characters") from None


def _date_checked(value) -> None:
    try:
        validation.check_date(value.date() if isinstance(value, datetime) else value)
    except validation.Invalid as error:
        raise ValidationError(str(error), code="too_early") from None


def check_fields(form: forms.BaseForm) -> None:
    """The rules every form shares with the extract import (cases.validation):
    no control characters in text, no date before the earliest accepted."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            field.validators.append(_text_checked)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(_date_checked)


def mark_errors(form: forms.BaseForm) -> None:
    if not form.is_bound:
        return
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        error_class = {
            "govuk-input": "govuk-input--error",
            "govuk-select": "govuk-select--error",
            "govuk-textarea": "govuk-textarea--error",
            "govuk-file-upload": "govuk-file-upload--error",
        }.get(widget_css_class(widget))
        if error_class and error_class not in widget.attrs.get("class", ""):
            widget.attrs["class"] += f" {error_class}"
        described = widget.attrs.get("aria-describedby", "")
        error_id = f"id_{form.add_prefix(name)}-error"
        if error_id not in described:
            widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
