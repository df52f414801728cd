"""How the API answers what it refuses: always JSON {"detail": ...}, in production as in development, with the status
codes each operation can answer listed in its OpenAPI document."""

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver
from django.utils.log import log_response
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.security import SessionAuth

from nps.lib.api import Detail, Invalid, anyone
from nps.lib.bounds import LARGEST_INTEGER, SMALLEST_INTEGER, storable

SERVER_ERROR = "Something went wrong on our side and nothing was saved. Try again later; if it goes on, tell us."
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class UnreadableBody(ValueError):
    """Why a request body cannot be read; its message is the answer's detail."""


class JsonParser(Parser):
    """Request bodies as JSON, refusing what no field can hold: numbers the database cannot store, and text with the
    NUL character or half a surrogate pair, which neither SQLite nor PostgreSQL can save."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(
                request.body, parse_int=bounded_number, parse_float=bounded_number, parse_constant=not_a_number
            )
        except UnreadableBody:
            raise
        except RecursionError:
            raise UnreadableBody("The body is nested too deeply.") from None
        except ValueError as error:
            raise UnreadableBody(f"The body is not valid JSON: {error}") from None
        if nesting(data) > MAX_NESTING:
            raise UnreadableBody("The body is nested too deeply.")
        if not all(storable(text) for text in texts(data)):
            raise UnreadableBody("Text in the body contains a NUL character or half a surrogate pair.")
        return data


def bounded_number(digits: str) -> int | float:
    """A JSON number, whole or not, within what the database holds: the parser would otherwise allow any size."""
    value = float(digits) if any(mark in digits for mark in ".eE") else int(digits)
    if not SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
        raise UnreadableBody(
            f"The number {digits} is out of range: numbers go from {SMALLEST_INTEGER} to {LARGEST_INTEGER}."
        )
    return value


def not_a_number(word: str) -> float:
    raise UnreadableBody(f"{word} is not a number JSON allows.")


# The same limit on every Python: json's own stops near 1,000 levels on 3.11, and much deeper from 3.13.
MAX_NESTING = 500


def nesting(data: Any) -> int:
    """How deeply lists and objects nest in parsed JSON, without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            pending += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def texts(data: Any) -> Iterator[str]:
    """Every string in parsed JSON, keys included, without recursion (the parser allows deep nesting)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item


# Exceptions Django answers with a status of its own, answered as JSON here; anything else is a 500.
REFUSALS: list[tuple[type[Exception], int, Callable[[Exception], str]]] = [
    (Http404, 404, lambda error: "Not Found"),
    (PermissionDenied, 403, lambda error: "Forbidden"),
    (MultiPartParserError, 400, lambda error: f"The multipart body cannot be read ({error}): send it with a boundary."),
    (RequestDataTooBig, 400, lambda error: "The request is too large."),
    (SuspiciousOperation, 400, lambda error: "Bad Request"),
    (BadRequest, 400, lambda error: "Bad Request"),
]


def answer(api: NinjaAPI, request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def http_error(request: HttpRequest, error: HttpError, api: NinjaAPI) -> HttpResponse:
    """Ninja's own refusals; a body it could not read says why (Ninja says only "Cannot parse request body")."""
    cause = error.__cause__
    return answer(api, request, error.status_code, str(cause) if isinstance(cause, UnreadableBody) else str(error))


def invalid(request: HttpRequest, error: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    return answer(api, request, 422, error.errors)


def server_error(request: HttpRequest, error: Exception, api: NinjaAPI) -> HttpResponse:
    """Logged with its traceback, and signalled as Django signals any uncaught exception; the answer says no more."""
    signals.got_request_exception.send(sender=None, request=request)
    response = answer(api, request, 500, SERVER_ERROR)
    log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=error)
    return response


def not_allowed_as_json(view: Callable[..., HttpResponse], api: NinjaAPI) -> Callable[..., HttpResponse]:
    """Ninja answers a method a path does not have with a plain-text 405; this answers JSON, keeping `Allow`."""

    @functools.wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        refusal = answer(api, request, 405, f"Method {request.method} is not allowed here: use {allowed}.")
        refusal["Allow"] = allowed
        return refusal

    return answered


class Api(NinjaAPI):
    """The project's NinjaAPI: bounded JSON bodies, JSON errors, and every refusal documented."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=JsonParser(), **kwargs)

    def set_default_exception_handlers(self) -> None:
        handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
            (Exception, server_error),
            (HttpError, http_error),
            (NinjaValidationError, invalid),
        ]
        for exception, handler in handlers:
            self.add_exception_handler(exception, functools.partial(handler, api=self))
        for exception, status, detail in REFUSALS:
            self.add_exception_handler(exception, functools.partial(self.refuse, status=status, detail=detail))

    def refuse(
        self, request: HttpRequest, error: Exception, *, status: int, detail: Callable[[Exception], str]
    ) -> HttpResponse:
        return answer(self, request, status, detail(error))

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = not_allowed_as_json(pattern.callback, self)
        return patterns, app_name, namespace

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        """The document depends on the code alone: made once per process and prefix (half a second each time)."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        documents = self.__dict__.setdefault("openapi_documents", {})
        if path_prefix not in documents:
            documents[path_prefix] = DocumentedSchema(self, path_prefix)
        return documents[path_prefix]  # type: ignore[no-any-return]


def refusals(operation: Operation) -> Iterator[tuple[int, type[Schema]]]:
    """The statuses any operation of its kind can answer, besides those its route declares."""
    authenticators = operation.auth_callbacks
    if authenticators and anyone not in authenticators:
        yield 401, Detail
    if UNSAFE_METHODS & set(operation.methods) and any(isinstance(a, SessionAuth) for a in authenticators):
        yield 403, Detail  # a signed-in browser session without its CSRF token
    if "{" in operation.path:
        yield 404, Detail
    yield 400, Detail  # an address with a NUL character, a body that is not JSON, an upload without a boundary
    if operation.models:
        yield 422, Invalid


class DocumentedSchema(OpenAPISchema):
    """The OpenAPI document, with each operation's refusals and, where the public may call it, no security needed."""

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        """The route's own responses, and its refusals; where the route gives a status a schema of its own (a 400
        that lists problems), the answer may also be a refusal's plain {"detail"}."""
        documented = super().responses(operation)
        media_type = self.api.renderer.media_type
        for status, model in refusals(operation):
            wrapper = response_model(model)
            schema = self._create_schema_from_model(wrapper, mode="serialization")[0]  # type: ignore[type-var]
            own = documented.get(status, {}).get("content", {}).get(media_type, {}).get("schema")
            if own is None:
                description = HttpResponse(status=status).reason_phrase
                documented[status] = {"description": description, "content": {media_type: {"schema": schema}}}
            elif own != schema:
                documented[status]["content"][media_type]["schema"] = {"anyOf": [own, schema]}
        return dict(sorted(documented.items()))

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security is not None and anyone in operation.auth_callbacks:
            security.append({})  # OpenAPI's way to say that no credentials are needed either
        return security


@functools.cache
def response_model(model: type[Schema]) -> type[Schema]:
    """The wrapper Ninja builds around a response's schema to document it."""
    return type(f"{model.__name__}Response", (Schema,), {"__annotations__": {"response": model}})
