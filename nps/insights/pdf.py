"""PDF reports: the same HTML templates rendered by WeasyPrint with a small print stylesheet of their own."""

from collections.abc import Callable
from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from nps.lib.caching import cached_bytes
from nps.settings import PACKAGE_DIR

PRINT_STYLESHEET = PACKAGE_DIR / "insights" / "static" / "insights" / "report.css"


def refuse_remote(url: str) -> dict[str, object]:
    """WeasyPrint may read our own files only: never fetch anything a template (or data in it) points at."""
    raise ValueError(f"Reports do not fetch {urlparse(url).scheme or 'relative'} resources: {url[:60]}")


def pdf_response(request: HttpRequest, template: str, context: dict[str, object], filename: str) -> HttpResponse:
    return pdf_file(render_pdf(request, template, context), filename)


def cached_pdf_response(
    request: HttpRequest,
    name: str,
    depends_on: list[object],
    template: str,
    context: Callable[[], dict[str, object]],
    filename: str,
) -> HttpResponse:
    """A PDF report from the shared cache while nothing it shows has changed (see nps.lib.caching)."""
    pdf = cached_bytes(name, [*depends_on, request.get_full_path()], lambda: render_pdf(request, template, context()))
    return pdf_file(pdf, filename)


def render_pdf(request: HttpRequest, template: str, context: dict[str, object]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    document = HTML(string=html, url_fetcher=refuse_remote, base_url="/")
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(PRINT_STYLESHEET))]))


def pdf_file(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.pdf"'
    return response
