"""Forms for editing a draft version: each turns into the same plain index data a framework file is read into."""

from dataclasses import replace
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from nps.core.forms import GovukForm
from nps.frameworks.levels import Scale
from nps.frameworks.models import FrameworkVersion, IndexKind
from nps.frameworks.schema import CODE_PATTERN, IndexData, StatementData

ENABLERS = "enablers"
code_validator = RegexValidator(CODE_PATTERN, "Use lower-case letters, digits and hyphens, for example local-economy")


def level_fields(scale: Scale) -> dict[str, forms.CharField]:
    return {
        f"level_{level.number}": forms.CharField(
            label=level.label,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": f"Describe level {level.number}, {level.name}"},
        )
        for level in scale.levels
    }


class IndexForm(GovukForm):
    """An index of a draft: new (with a code) or reworded."""

    code = forms.CharField(
        label="Code",
        max_length=60,
        validators=[code_validator],
        help_text="Stable and never reused: results are compared across versions by this code.",
    )
    title = forms.CharField(label="Title", max_length=250)
    place = forms.ChoiceField(label="Where it belongs")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}))
    what_it_is = forms.CharField(label="What it is", widget=forms.Textarea(attrs={"rows": 3}))
    why_it_is_important = forms.CharField(label="Why it is important", widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.BooleanField(label="A priority for this strategy", required=False)

    def __init__(self, *args: Any, version: FrameworkVersion, existing: IndexData | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version, self.existing = version, existing
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            *[(theme.code, f"Theme: {theme.title}") for theme in version.themes.all()],
            (ENABLERS, "Enablers"),
        ]
        if existing is None or not existing.has_statements:
            self.fields.update(level_fields(version.scale))
        if existing is not None:
            del self.fields["code"]
        if version.framework.owner_id is None:
            del self.fields["priority"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.version.indices.filter(code=code).exists():
            raise forms.ValidationError(f"This version already has an index with the code {code}")
        return code

    def index_data(self) -> IndexData:
        data = self.cleaned_data
        place = data["place"]
        levels = {n: data[f"level_{n}"] for n in self.version.scale.numbers if f"level_{n}" in data}
        base = self.existing or IndexData(
            data["code"], "", "", None, "", "", "", [StatementData(data["code"], "", {}, [])], []
        )
        statements = (
            base.statements if base.has_statements else [corrected(base.statements[0], levels, self.version.scale)]
        )
        texts = {name: data[name] for name in ("title", "description", "what_it_is", "why_it_is_important")}
        return replace(
            base,
            **texts,
            kind=IndexKind.ENABLER if place == ENABLERS else IndexKind.KEY_AREA,
            theme_code=None if place == ENABLERS else place,
            statements=statements,
            reconstructed=[name for name in base.reconstructed if getattr(base, name) == texts.get(name)],
            priority=data.get("priority", base.priority),
        )


def corrected(statement: StatementData, levels: dict[int, str], scale: Scale) -> StatementData:
    """New descriptor texts; a reworded descriptor is no longer marked as reconstructed."""
    numbers = {f"levels.{level.code}": level.number for level in scale.levels}
    kept = [
        name
        for name in statement.reconstructed
        if name not in numbers or statement.levels.get(numbers[name]) == levels.get(numbers[name])
    ]
    return replace(statement, levels=levels, reconstructed=kept)


class StatementForm(GovukForm):
    code = forms.CharField(label="Code", max_length=80, validators=[code_validator])
    text = forms.CharField(label="Statement", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.fields.update(level_fields(scale))

    def statement_data(self) -> StatementData:
        data = self.cleaned_data
        return StatementData(data["code"], data["text"], {n: data[f"level_{n}"] for n in self.scale.numbers}, [])


def initial_for(index: IndexData) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "code": index.code,
        "title": index.title,
        "description": index.description,
        "what_it_is": index.what_it_is,
        "why_it_is_important": index.why_it_is_important,
        "place": index.theme_code or ENABLERS,
        "priority": index.priority,
    }
    if not index.has_statements:
        initial.update({f"level_{level}": text for level, text in index.statements[0].levels.items()})
    return initial


class RetireForm(GovukForm):
    successors = forms.MultipleChoiceField(
        label="What replaces it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose nothing to retire it outright, one index for a one-to-one replacement, several to split it. "
        "Retire several indices into the same one to merge them.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successors"].choices = choices  # type: ignore[attr-defined]


class NewVersionForm(GovukForm):
    code = forms.CharField(label="Version code", max_length=40, help_text='For example "2026"')
    title = forms.CharField(label="Title", max_length=250)


class ThemeForm(GovukForm):
    code = forms.CharField(label="Code", max_length=60, validators=[code_validator])
    title = forms.CharField(label="Title", max_length=250)


class ImportForm(GovukForm):
    file = forms.FileField(label="Framework file (YAML)", help_text="The format is described in the documentation.")
