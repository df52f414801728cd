"""Login throttling: after repeated failures for an email address or from an address, sign-in is refused for a while.

Counts live in the shared cache, so every app server sees the same counts.
"""

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, ip_address: str) -> list[str]:
    return [f"login-failures:email:{email.strip().lower()}", f"login-failures:ip:{ip_address}"]


def is_locked(email: str, ip_address: str) -> bool:
    counts = cache.get_many(_keys(email, ip_address))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(email: str, ip_address: str) -> None:
    for key in _keys(email, ip_address):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_failures(email: str, ip_address: str) -> None:
    cache.delete(_keys(email, ip_address)[0])
