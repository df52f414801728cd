"""Each email address's choice of optional emails, changed through a signed link that works without signing in.

Three kinds of optional email are chosen here: reminders before a round's deadline (assessments.outreach), news
about exemplar connection requests (community.notifications), and news about a return's sign-off, peer reviews,
validation and queries (assessments.assurance_emails). Every kind is on until its address turns it off.

The link carries the address signed with the secret key (django.core.signing), so nobody can make one for someone
else's address; it does not expire, since an old email's link should still stop the emails. Only a POST changes
the choice, so a mail scanner that follows links changes nothing.
"""

from collections.abc import Iterable
from typing import Literal, get_args

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from nps.accounts.models import EmailPreference, User
from nps.core.models import record

SALT = "nps.accounts.email-preferences"

Kind = Literal["round_reminders", "connection_emails", "assurance_emails"]
KINDS: tuple[Kind, ...] = get_args(Kind)
DESCRIPTIONS: dict[Kind, str] = {
    "round_reminders": "round reminders",
    "connection_emails": "connection request emails",
    "assurance_emails": "emails about returns' sign-off, reviews, validation and queries",
}


def normalised(email: str) -> str:
    return email.strip().lower()


def preferences_token(email: str) -> str:
    return signing.dumps(normalised(email), salt=SALT)


def email_from_token(token: str) -> str | None:
    try:
        return str(signing.loads(token, salt=SALT))
    except signing.BadSignature:
        return None


def preferences_url(email: str) -> str:
    return settings.SITE_URL + reverse("accounts:email_preferences", args=[preferences_token(email)])


def wants(email: str, kind: Kind) -> bool:
    """Whether the address wants this kind of optional email; yes until it says otherwise."""
    return normalised(email) not in without([email], kind)


def choices(email: str) -> dict[Kind, bool]:
    """The address's choice for every kind."""
    preference = EmailPreference.objects.filter(email=normalised(email)).first()
    return {kind: preference is None or getattr(preference, kind) for kind in KINDS}


def without(emails: Iterable[str], kind: Kind) -> set[str]:
    """Those of the addresses (normalised) that turned this kind off."""
    addresses = {normalised(email) for email in emails}
    return set(EmailPreference.objects.filter(email__in=addresses, **{kind: False}).values_list("email", flat=True))


@transaction.atomic
def set_preferences(
    email: str,
    *,
    round_reminders: bool | None = None,
    connection_emails: bool | None = None,
    assurance_emails: bool | None = None,
    by: User | None,
) -> EmailPreference:
    """Record the choices given (None leaves a kind as it is); `by` is the signed-in person, or None when it came
    through an email's link. Each change is recorded in the audit log; saving the same choices again records
    nothing."""
    wanted: dict[Kind, bool | None] = {
        "round_reminders": round_reminders,
        "connection_emails": connection_emails,
        "assurance_emails": assurance_emails,
    }
    given = {kind: value for kind, value in wanted.items() if value is not None}
    preference, created = EmailPreference.objects.select_for_update().get_or_create(email=normalised(email))
    changed = [kind for kind, value in given.items() if getattr(preference, kind) != value]
    for kind in changed:
        setattr(preference, kind, given[kind])
    if changed or created:
        preference.save()
    if changed:
        turned = " and ".join(f"{DESCRIPTIONS[kind]} {'on' if given[kind] else 'off'}" for kind in changed)
        record("email_preferences_changed", f"{preference.email} turned {turned}", by=by)
    return preference


# Each kind by name, as the code that sends it asks.


def wants_round_reminders(email: str) -> bool:
    return wants(email, "round_reminders")


def without_round_reminders(emails: Iterable[str]) -> set[str]:
    """Those of the addresses that turned reminders off."""
    return without(emails, "round_reminders")


def set_round_reminders(email: str, wanted: bool, *, by: User | None) -> EmailPreference:
    return set_preferences(email, round_reminders=wanted, by=by)


def wants_connection_emails(email: str) -> bool:
    return wants(email, "connection_emails")


def set_connection_emails(email: str, wanted: bool, *, by: User | None) -> EmailPreference:
    return set_preferences(email, connection_emails=wanted, by=by)


def without_assurance_emails(emails: Iterable[str]) -> set[str]:
    """Those of the addresses that turned off news about their returns' sign-off, reviews, validation and queries."""
    return without(emails, "assurance_emails")
