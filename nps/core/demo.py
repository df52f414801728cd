"""Demonstration accounts: one per role, attached to real organisations, always labelled as demonstration."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings

from nps.accounts.models import Membership, Role, User
from nps.core.models import record
from nps.organisations.models import Organisation

DEMO_PASSWORD = "demo-password-2018"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str | None
    gss_code: str | None


DEMO_ACCOUNTS = [
    DemoAccount("national.admin@demo.example", "National admin", None, None),
    DemoAccount("group.lead@demo.example", "Group lead", Role.GROUP_LEAD, "E47000001"),  # Greater Manchester CA
    DemoAccount("editor@demo.example", "Council editor", Role.EDITOR, "E08000001"),  # Bolton
    DemoAccount("viewer@demo.example", "Council viewer", Role.VIEWER, "E08000001"),  # Bolton
    DemoAccount("approver@demo.example", "Council approver", Role.APPROVER, "E08000002"),  # Bury
    DemoAccount("other.editor@demo.example", "Other council editor", Role.EDITOR, "E06000052"),  # Cornwall
]


@contextmanager
def no_email() -> Iterator[None]:
    """Demonstration data sends no email, although the services that make it would: wrap the whole transaction, so
    that the emails they leave for after the commit go nowhere too."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


@transaction.atomic
def create_demo_accounts() -> list[tuple[DemoAccount, User, Organisation | None]]:
    created = []
    password = make_password(DEMO_PASSWORD)  # once: hashing is slow on purpose, and the password is the same for all
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=account.email,
            defaults={
                "first_name": "Demo",
                "last_name": f"{account.name} (demonstration account)",
                "is_demo": True,
                "is_national_admin": account.role is None,
                "is_staff": account.role is None,
                "password": password,
            },
        )
        organisation = None
        if account.gss_code:
            organisation = Organisation.objects.get(gss_code=account.gss_code)
            Membership.objects.update_or_create(
                user=user, organisation=organisation, defaults={"role": str(account.role)}
            )
        created.append((account, user, organisation))
    emails = ", ".join(account.email for account in DEMO_ACCOUNTS)
    record("demo_accounts_set", f"Set up the demonstration accounts, with the shared password: {emails}", by=None)
    return created
