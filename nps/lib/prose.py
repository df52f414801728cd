"""Renders the project's own Markdown documents (trusted text, never user input) with GOV.UK typography."""

import re

import markdown
from django.utils.safestring import SafeString, mark_safe

HEADING_CLASSES = {2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s", 5: "govuk-heading-s"}
TAG_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}


def shift_heading(match: re.Match[str]) -> str:
    closing, level = match.group(1), min(int(match.group(2)) + 1, 5)
    return f"</h{level}>" if closing else f'<h{level} class="{HEADING_CLASSES[level]}">'


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with GOV.UK classes; headings move down one level, below the page's own h1."""
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    html = re.sub(r"<(/?)h([1-5])>", shift_heading, html)
    for tag, css in TAG_CLASSES.items():
        html = re.sub(rf"<{tag}(?=[ >])", f'<{tag} class="{css}"', html)
    return mark_safe(html)  # noqa: S308 - our own documents only
