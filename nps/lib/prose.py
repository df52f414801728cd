"""Renders the project's own Markdown documents (trusted text, never user input) with GOV.UK typography."""

import re

import markdown
from django.utils.html import escape, strip_tags
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


def scrolling_tables(html: str) -> str:
    """Each table scrolls inside its own focusable region, named after the heading above it, so that a wide table
    never makes the page scroll sideways on a phone."""
    parts = re.split(r"(<table.*?</table>)", html, flags=re.DOTALL)
    name = "Table"
    for number, part in enumerate(parts):
        if part.startswith("<table"):
            parts[number] = f'<div class="app-table-scroll" role="region" aria-label="{name}" tabindex="0">{part}</div>'
        elif headings := re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", part, flags=re.DOTALL):
            name = escape(strip_tags(headings[-1]))
    return "".join(parts)


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with GOV.UK classes; headings move down one level, below the page's own h1."""
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    html = re.sub(r"<(/?)h([1-5])>", shift_heading, html)
    for tag, css in TAG_CLASSES.items():
        html = re.sub(rf"<{tag}(?=[ >])", f'<{tag} class="{css}"', html)
    return mark_safe(scrolling_tables(html))  # noqa: S308 - our own documents only
