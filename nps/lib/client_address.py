"""The address of the computer a request came from, which the sign-in and email limits count by."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Each of the TRUSTED_PROXY_COUNT proxies in front of the app appends the address it was sent the request from to
    X-Forwarded-For, so the client's address is that many entries from the right. Entries further left came from the
    client and can say anything, so they are ignored. Without trusted proxies, or when the header has fewer entries
    (the request did not pass through them all) or that entry is not an address, it is the connection's address."""
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if proxies == 0 or len(forwarded) < proxies:
        return connection
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return connection
