"""Emails about a return's assurance: sign-off, peer reviews, validation and queries.

Each is plain text, links to the page where the person acts (built from SITE_URL), and carries the link to the
sender's email preferences: anyone who turned off "news about your council's returns" gets none. They go into the
outbox (nps.core.outbox) in the change's transaction, so an email never describes a change that was rolled back, and
a mail server that is down never undoes one.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from nps.accounts.models import Membership, Role
from nps.accounts.preferences import preferences_url, without_assurance_emails
from nps.core.outbox import queue
from nps.organisations.models import Organisation


def people_at(organisation: Organisation, *roles: Role) -> list[str]:
    """The addresses of the organisation's people with any of these roles."""
    memberships = Membership.objects.filter(organisation=organisation, role__in=roles, user__is_active=True)
    return sorted(set(memberships.values_list("user__email", flat=True)))


def editors_of(organisation: Organisation) -> list[str]:
    return people_at(organisation, Role.EDITOR, Role.APPROVER)


def approvers_of(organisation: Organisation) -> list[str]:
    return people_at(organisation, Role.APPROVER)


def site_link(view_name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(view_name, args=args)


def notify(recipients: Iterable[str], subject: str, template: str, context: dict[str, object]) -> None:
    """Email each address that wants news about returns, one message each."""
    for email in sorted(set(recipients) - without_assurance_emails(recipients)):
        unsubscribe = preferences_url(email)
        body = render_to_string(template, {**context, "preferences_url": unsubscribe})
        queue(EmailMessage(subject, body, to=[email], headers={"List-Unsubscribe": f"<{unsubscribe}>"}))
