import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name


class GovukFormRenderer(TemplatesSetting):
    """Renders every Django form with GOV.UK Design System markup (templates/forms/)."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])  # "This field is required."
CHOSEN = (forms.widgets.ChoiceWidget, forms.CheckboxInput, forms.FileInput)


def required_message(field: forms.Field, name: str) -> str:
    """GOV.UK's wording for a required field left empty, naming it by its label (or its name): "Enter …" for what is
    typed, "Choose …" for what is picked."""
    words = str(field.label or pretty_name(name)).removesuffix("?")
    if not words[1:2].isupper():  # "GSS code" keeps its capitals
        words = words[:1].lower() + words[1:]
    return f"{'Choose' if isinstance(field.widget, CHOSEN) else 'Enter'} {words}"


class NamesRequiredFields:
    """Every form mixes this in. An error summary lists several errors, and Django's "This field is required."
    names no field: a required field left empty gets a message naming it instead, unless the form gives its own."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if str(field.error_messages.get("required")) == DJANGO_REQUIRED:
                field.error_messages["required"] = required_message(field, name)
        super().full_clean()  # type: ignore[misc]


class GovukForm(NamesRequiredFields, forms.Form):
    pass


class GovukModelForm(NamesRequiredFields, forms.ModelForm):
    pass


class DateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    def __init__(self) -> None:
        parts = [forms.TextInput(attrs={"label": name}) for name in ("Day", "Month", "Year")]
        super().__init__(parts)

    def decompress(self, value: datetime.date | str | None) -> list[object]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:  # what was typed, shown again with its error
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:  # type: ignore[override]
        day, month, year = (str(part or "").strip() for part in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return ""
        return f"{year}-{month}-{day}"


class DateField(forms.DateField):
    widget = DateWidget
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a real date, for example 31 3 2027"}


class WebAddressesField(forms.CharField):
    """Web addresses, one per line: each checked, blank lines dropped, at most `limit` of them."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, limit: int = 20, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One web address per line, starting https://")
        super().__init__(**kwargs)
        self.limit = limit

    def clean(self, value: Any) -> str:
        lines = [line.strip() for line in str(super().clean(value) or "").splitlines() if line.strip()]
        validate = URLValidator(schemes=["https", "http"])
        for number, line in enumerate(lines, start=1):
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(f"Line {number} is not a web address: “{line[:60]}”") from None
        if len(lines) > self.limit:
            raise ValidationError(f"Give at most {self.limit} links")
        return "\n".join(lines)
