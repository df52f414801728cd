"""Template helpers for GOV.UK Design System markup, available in every template."""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "input": "govuk-input",
}


@register.filter
def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect, so asked first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    return "input"


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's own input element with the GOV.UK classes and aria-describedby set."""
    kind = widget_kind(field)
    css = INPUT_CLASSES.get(kind, "govuk-input")
    existing = field.field.widget.attrs.get("class", "")
    if field.errors:
        css += f" {css}--error"
    attrs: dict[str, str | bool] = {"class": f"{css} {existing}".strip()}
    if described := described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def date_parts(field: BoundField) -> list[dict[str, object]]:
    """The day, month and year boxes of a GOV.UK date input, with their ids, names, labels and values."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
    return [
        {"id": part["attrs"]["id"], "name": part["name"], "label": part["attrs"]["label"], "value": part["value"]}
        for part in context["widget"]["subwidgets"]
    ]


@register.filter
def choice_hint(field: BoundField, value: object) -> str:
    """An item hint for a radio or checkbox choice, from the field's optional `choice_hints` mapping."""
    hints = getattr(field.field, "choice_hints", None) or {}
    return hints.get(value, hints.get(str(value), ""))


@register.filter
def first_input_id(field: BoundField) -> str:
    """The id an error summary link should point at: the first input of a group (radios, checkboxes, a date)."""
    return f"{field.auto_id}_0" if widget_kind(field) in {"radios", "checkboxes", "date"} else field.auto_id


@register.inclusion_tag("forms/error_summary.html")
def error_summary(*forms_: forms.BaseForm) -> dict:
    """GOV.UK error summary for one or more forms: each error links to its field."""
    items: list[dict[str, object]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        items.extend({"text": error, "href": ""} for error in form.non_field_errors())
        for field in form:
            items.extend({"text": error, "href": f"#{first_input_id(field)}"} for error in field.errors)
    return {"items": items}


@register.simple_tag
def level_tag(level: int | None, scale: Any = None) -> SafeString:
    """A maturity level shown as a GOV.UK tag, or 'Not set'; named on the page's scale (`scale`, a framework
    version's levels), else on the five NPS levels."""
    if not level:
        return mark_safe('<strong class="govuk-tag govuk-tag--grey">Not set</strong>')
    return format_html(
        '<strong class="govuk-tag app-level-tag app-level-tag--{}">{}</strong>', level, level_name(level, scale)
    )


@register.simple_tag
def named_level(level: int | None, scale: Any = None) -> str:
    """A level's name on the page's scale, if the page has one (a tag, unlike a filter, allows it to be missing)."""
    return level_name(level, scale)


@register.filter
def level_name(level: int | None, scale: Any = None) -> str:
    from nps.frameworks.levels import NPS_SCALE

    return str((scale or NPS_SCALE).name(level, "Not set"))


@register.filter
def position(distribution: object, level: int) -> tuple[int, int, int]:
    """Councils below, at and above a level in a distribution."""
    return distribution.position(level)  # type: ignore[attr-defined]


@register.filter
def absolute(number: int) -> int:
    return abs(number)


@register.filter
def assured(distribution: object, assurance: str) -> int:
    """How many of a distribution's answers carry this assurance (its code, such as "validated")."""
    return distribution.assured(assurance)  # type: ignore[attr-defined]


@register.filter
def level_count(distribution: object, level: int) -> int:
    return distribution.count(level)  # type: ignore[attr-defined]


@register.filter
def level_percent(distribution: object, level: int) -> float | None:
    return distribution.percentage(level)  # type: ignore[attr-defined]


WITHHELD_TOO_FEW = "Withheld: fewer than {} councils"
WITHHELD_COMBINED = "Withheld: with other published figures it would reveal fewer than {} councils"
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'


@register.simple_tag
def distribution_cells(figure: Any, scale: Any = None) -> SafeString:
    """One group's cells in a report's table (n, each level with its share, median, not applicable, assurance), or
    why they are withheld. Written here rather than in a template: a national report has some 300 such lines."""
    if getattr(figure, "minimum", None):
        reason = (WITHHELD_TOO_FEW if figure.too_few else WITHHELD_COMBINED).format(figure.minimum)
        columns = 4 + len(maturity_levels(scale))
        return format_html('<td class="govuk-table__cell" colspan="{}">{}</td>', columns, reason)
    n = figure.n
    levels = (
        format_html(
            NUMERIC,
            format_html('{} <span class="govuk-body-s">({}%)</span>', figure.count(level), figure.percentage(level))
            if n
            else figure.count(level),
        )
        for level in maturity_levels(scale)
    )
    assurance = ", ".join(
        f"{figure.assured(code)} {label}"
        for code, label in [
            ("self_assessed", "self-assessed"),
            ("peer_reviewed", "peer-reviewed"),
            ("validated", "validated"),
        ]
    )
    return format_html(
        '{}{}<td class="govuk-table__cell">{}</td>{}<td class="govuk-table__cell">{}</td>',
        format_html(NUMERIC, n),
        mark_safe("".join(levels)),  # noqa: S308 - each part made by format_html
        level_name(figure.median, scale),
        format_html(NUMERIC, figure.not_applicable),
        assurance,
    )


@register.simple_tag
def maturity_levels(scale: Any = None) -> list[int]:
    """The level numbers of the page's scale (a framework version's), else of the five NPS levels."""
    from nps.frameworks.levels import NPS_SCALE

    return list((scale or NPS_SCALE).numbers)


@register.filter
def breaks_after_slashes(path: str) -> SafeString:
    """A long address (an API path) may wrap after each slash, so that it fits a narrow column, and nowhere else."""
    return mark_safe("/<wbr>".join(conditional_escape(part) for part in str(path).split("/")))  # noqa: S308 - escaped
