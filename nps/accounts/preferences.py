"""Each email address's choice of optional emails, changed through a signed link that works without signing in.

The link carries the address signed with the secret key (django.core.signing), so nobody can make one for someone
else's address; it does not expire, since an old email's link should still stop the emails. Only a POST changes
the choice, so a mail scanner that follows links changes nothing.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from nps.accounts.models import EmailPreference, User
from nps.core.models import record

SALT = "nps.accounts.email-preferences"


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


def wants_round_reminders(email: str) -> bool:
    preference = EmailPreference.objects.filter(email=normalised(email)).first()
    return preference is None or preference.round_reminders


def without_round_reminders(emails: Iterable[str]) -> set[str]:
    """Those of the addresses that turned reminders off."""
    addresses = {normalised(email) for email in emails}
    return set(
        EmailPreference.objects.filter(email__in=addresses, round_reminders=False).values_list("email", flat=True)
    )


@transaction.atomic
def set_round_reminders(email: str, wanted: bool, *, by: User | None) -> EmailPreference:
    """Record the choice; `by` is the signed-in person, or None when it came through an email's link."""
    preference, _ = EmailPreference.objects.update_or_create(
        email=normalised(email), defaults={"round_reminders": wanted}
    )
    record(
        "email_preferences_changed",
        f"{preference.email} turned round reminders {'on' if wanted else 'off'}",
        by=by,
    )
    return preference
