"""Emails about a return's assurance: sign-off, peer reviews, validation and queries.

Each is plain text, links to the page where the person acts (built from SITE_URL), and carries the link to the
sender's email preferences: anyone who turned off "news about your council's returns" gets none. They are sent after
the change commits, so an email never describes a change that was rolled back, and a mail server that is down never
undoes one: the step stands, and the failure is logged.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from nps.accounts.models import Membership, Role
from nps.accounts.preferences import preferences_url, without_assurance_emails
from nps.organisations.models import Organisation

logger = logging.getLogger(__name__)


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
    """Email each address that wants news about returns, one message each, once the change has committed."""
    wanted = sorted(set(recipients) - without_assurance_emails(recipients))
    transaction.on_commit(lambda: send_each(wanted, subject, template, context))


def send_each(recipients: list[str], subject: str, template: str, context: dict[str, object]) -> None:
    for email in recipients:
        unsubscribe = preferences_url(email)
        body = render_to_string(template, {**context, "preferences_url": unsubscribe})
        message = EmailMessage(subject, body, to=[email], headers={"List-Unsubscribe": f"<{unsubscribe}>"})
        try:
            message.send()
        except Exception:  # the mail server's errors vary by backend; the step itself has happened
            logger.exception("Could not email %s about %s", email, subject)
