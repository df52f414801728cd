"""Limits on attempts to sign in and on the emails anyone can make the service send (docs/settings.md explains the
policy). Counts live in the shared cache, so every app server sees the same counts.

Each counted event takes a slot: a cache entry that expires on its own when the window has passed since that event.
A limit of N is reached while all N slots are taken, that is, while N events happened within the window. A slot is
taken with `cache.add`, which is atomic in every cache backend, so simultaneous requests to several servers cannot
share one; `cache.incr` would not do, as the database cache reads, adds and writes back, and resets the expiry."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Counter:
    """Events of one kind for one account, client address or both, at most `limit` of them within `seconds`."""

    key: str
    limit: int
    seconds: int

    @property
    def slots(self) -> list[str]:
        return [f"{self.key}:{slot}" for slot in range(self.limit)]


def digest(*identity: str) -> str:
    """Email and client addresses hashed: cache keys must be short and plain, and need not hold personal data."""
    return hashlib.sha256("\n".join(part.strip().lower() for part in identity).encode()).hexdigest()[:32]


def counter(kind: str, *identity: str, limit: int, seconds: int) -> Counter:
    return Counter(f"limit:{kind}:{digest(*identity)}", limit, seconds)


def is_full(*counters: Counter) -> bool:
    taken = cache.get_many([slot for counter in counters for slot in counter.slots])
    return any(all(slot in taken for slot in counter.slots) for counter in counters)


def count(counter: Counter) -> bool:
    """Take a free slot; False if there was none: the limit is reached."""
    taken = cache.get_many(counter.slots)
    return any(cache.add(slot, True, timeout=counter.seconds) for slot in counter.slots if slot not in taken)


def count_within_limits(*counters: Counter) -> bool:
    """Count one event in every counter, or, when any of them has reached its limit, in none."""
    return not is_full(*counters) and all([count(counter) for counter in counters])


def minutes(seconds: int) -> str:
    return "1 minute" if seconds <= 60 else f"{round(seconds / 60)} minutes"


# Signing in


def sign_in_counters(email: str, address: str) -> tuple[Counter, Counter, Counter]:
    """Attempts for the account from this client address; failures for the account from anywhere; and accounts that
    failed from this client address."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return (
        counter("sign-in", email, address, limit=settings.LOGIN_FAILURE_LIMIT, seconds=window),
        counter("sign-in-account", email, limit=settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT, seconds=window),
        counter("sign-in-client", address, limit=settings.LOGIN_FAILURE_ACCOUNTS_PER_CLIENT, seconds=window),
    )


def start_sign_in(email: str, address: str) -> bool:
    """Count the attempt before its password is checked, so that simultaneous attempts cannot all slip under the
    limit; False when the attempt must be refused without checking the password."""
    here, account, client = sign_in_counters(email, address)
    return not is_full(account, client) and count(here)


def sign_in_failed(email: str, address: str) -> None:
    _, account, client = sign_in_counters(email, address)
    count(account)
    if cache.add(f"{client.key}:tried:{digest(email)}", True, timeout=client.seconds):  # a new account from here
        count(client)


def sign_in_succeeded(email: str, address: str) -> None:
    """Forget the attempts from this client address; those from elsewhere still count."""
    here, _, _ = sign_in_counters(email, address)
    cache.delete_many(here.slots)


def password_changed(email: str, address: str) -> None:
    """Whoever guessed at the old password has lost: let the account's owner sign in at once."""
    here, account, _ = sign_in_counters(email, address)
    cache.delete_many(here.slots + account.slots)


# Emails


def password_reset_email_allowed(email: str, address: str) -> bool:
    window = settings.EMAIL_LIMIT_WINDOW_SECONDS
    return count_within_limits(
        counter("password-reset", email, limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, seconds=window),
        counter("password-reset-client", address, limit=settings.PASSWORD_RESET_LIMIT_PER_CLIENT, seconds=window),
    )


def count_invitation(email: str, organisation_id: int, sender_id: int) -> str | None:
    """Count an invitation email from the sender to the address; or, when a limit is reached, count nothing and say
    which. Invitations to an address are counted per organisation, so that nobody learns of another's."""
    window = settings.EMAIL_LIMIT_WINDOW_SECONDS
    sender = counter("invitation-sender", str(sender_id), limit=settings.INVITATION_LIMIT_PER_SENDER, seconds=window)
    recipient = counter(
        "invitation", email, str(organisation_id), limit=settings.INVITATION_LIMIT_PER_EMAIL, seconds=window
    )
    if is_full(sender):
        return (
            f"You have sent {sender.limit} invitations in the last {minutes(window)}, the most allowed. "
            "Try again later."
        )
    if is_full(recipient):
        return (
            f"{email} has been invited {recipient.limit} times in the last {minutes(window)}, the most allowed. "
            "Try again later."
        )
    count(sender)
    count(recipient)
    return None
