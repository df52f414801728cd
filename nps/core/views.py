import functools
from http import HTTPStatus

from django.core.exceptions import BadRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache


def page(template_name: str):  # noqa: ANN201 - a tiny view factory for static pages
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template_name)

    return view


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Django's error pages in production, except under /api/, where an error that no API operation answered (an address
# the API does not have, a request refused before it reached the API) is JSON like the API's own.
API_PATH = "/api/"


def api_error(status: int, detail: str = "") -> JsonResponse:
    return JsonResponse({"detail": detail or HTTPStatus(status).phrase}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not request.path.startswith(API_PATH):
        return defaults.bad_request(request, exception)
    return api_error(400, str(exception) if type(exception) is BadRequest else "")  # our own words, not Django's


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return api_error(404) if request.path.startswith(API_PATH) else defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return api_error(500) if request.path.startswith(API_PATH) else defaults.server_error(request)


def api_docs(request: HttpRequest) -> HttpResponse:
    """A readable page listing every API operation, generated from the OpenAPI document."""
    return render(request, "core/api_docs.html", api_docs_context())


@functools.cache
def api_docs_context() -> dict[str, object]:
    """Only the code changes the document: read once per process."""
    from nps.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        {
            "method": method.upper(),
            "path": path_name,
            **operation,
            "is_open": operation.get("security") is None and not schema.get("security"),
        }
        for path_name, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return {"schema": schema, "operations": operations}
