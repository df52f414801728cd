import secrets
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from nps.core.views import bad_request
from nps.lib.bounds import storable

NUL_IN_ADDRESS = "The address holds a NUL character (%00), which no page or API operation accepts."


class ContentSecurityPolicyMiddleware:
    """Sets a per-request nonce for the few inline scripts, and a strict Content-Security-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class UnstorableAddressMiddleware:
    """Refuses, as bad input (400), an address with a NUL character in its path or query: PostgreSQL cannot compare
    text that holds one, and no code, slug or search needs it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts = [request.path, *(text for key, values in request.GET.lists() for text in [key, *values])]
        if not all(storable(text) for text in texts):
            return bad_request(request, BadRequest(NUL_IN_ADDRESS))  # the same answer in development
        return self.get_response(request)
