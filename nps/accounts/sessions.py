"""Where people are signed in: each signed-in session's browser and address, noted at most once a minute, and the
named changes that end sessions."""

import time

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nps.accounts.models import SignedInSession, User
from nps.core.models import record
from nps.lib.client_address import client_address

SEEN_KEY = "signed_in_seen"
SEEN_EVERY_SECONDS = 60
# The first match names the browser: Edge and Opera say "Chrome" too, and Chrome says "Safari".
BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def note_seen(request: HttpRequest, user: User) -> None:
    """Note the session's browser, address and time, unless that was done for this session in the last minute: one
    write a minute at most, not one a page."""
    key = request.session.session_key
    seen = request.session.get(SEEN_KEY)
    if key is None or (seen and seen[0] == key and time.time() - seen[1] < SEEN_EVERY_SECONDS):
        return
    details = {
        "user": user,
        "user_agent": request.headers.get("User-Agent", "")[:500],
        "address": client_address(request)[:45],
        "last_seen_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            SignedInSession.objects.update_or_create(session_id=key, defaults=details)
    except IntegrityError:  # the session was ended a moment ago, by another request
        return
    request.session[SEEN_KEY] = [key, time.time()]


def browser_name(user_agent: str) -> str:
    """'Firefox on Windows' from what a browser says of itself; 'An unknown browser' when it says nothing we know."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "An unknown browser")


def sessions_of(user: User) -> list[SignedInSession]:
    """The person's sessions that have not expired, the most recently used first."""
    return list(SignedInSession.objects.filter(user=user, session__expire_date__gt=timezone.now()))


def end(sessions: list[SignedInSession]) -> int:
    """Delete the sessions, which signs their browsers out; their records go with them."""
    keys = [signed_in.session_id for signed_in in sessions]
    return Session.objects.filter(session_key__in=keys).delete()[1].get("sessions.Session", 0)


@transaction.atomic
def sign_out_session(signed_in: SignedInSession, *, by: User) -> None:
    end([signed_in])
    record("session_ended", f"{by.email} signed out a session of {signed_in.user.email}", by=by)


@transaction.atomic
def sign_out_other_sessions(user: User, current_key: str, *, by: User) -> int:
    others = [signed_in for signed_in in sessions_of(user) if signed_in.session_id != current_key]
    end(others)
    record("sessions_ended", f"{by.email} signed out {counted(len(others), 'other session')} of {user.email}", by=by)
    return len(others)


@transaction.atomic
def end_all_sessions(user: User, *, by: User) -> tuple[int, int]:
    """Sign the person out everywhere and revoke every API token they have, as when an account may be in the wrong
    hands; returns how many sessions and tokens ended."""
    sessions = list(SignedInSession.objects.filter(user=user))
    ended = end(sessions)
    tokens = user.api_tokens.all().delete()[0]
    record(
        "all_sessions_ended",
        f"{by.email} signed {user.email} out of {counted(ended, 'session')} and revoked {counted(tokens, 'API token')}",
        by=by,
    )
    return ended, tokens


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"
