"""Emails about a round: the invitation when it opens, and reminders before its deadline, each logged so that none
goes twice.

Who hears: an invited organisation's editors; where it has none, its named contacts (`organisations.Contact`), each
with a sign-up link that is an accounts invitation as editor (single-use, expiring). An invitation to a round is a
service message and goes to everyone; reminders are optional, carry a link to the email preferences page and skip
anyone who turned them off there. Demonstration accounts hear only about demonstration rounds.

The reminder schedule (`ROUND_REMINDER_DAYS`) counts days before the deadline. On each run, an organisation that
has not submitted gets the latest reminder whose day has come (see `due_reminder`), once per person. A run missed
(the scheduler was down) is made up late, once, while the deadline has not passed; a reminder overtaken by a later
one is skipped rather than sent twice in a row. Reminders follow invitations: a round whose invitations were never
emailed gets none, and none is scheduled on or before the day an organisation was invited. When the deadline is
extended, the reminders not yet sent follow the new deadline and those sent are not repeated.

Each message is logged and put in the outbox (nps.core.outbox) in its own transaction. The log's unique constraints
make a concurrent run's attempt at the same message find the row instead of sending again. The outbox sends it, tries
again when the mail server fails, and marks it failed in the end; the national team sees how many of each kind are
sent, waiting or failed (`delivery_counts`) and can put the failed ones back in the outbox (`resend_failed`).
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nps.accounts.models import Invitation, Membership, Role, User, hash_token, new_token
from nps.accounts.preferences import preferences_url, without_round_reminders
from nps.assessments.models import (
    MessageKind,
    Return,
    ReturnStatus,
    Round,
    RoundMessage,
    RoundStatus,
    message_label,
)
from nps.assessments.rounds import RoundError
from nps.core.models import EmailStatus, OutgoingEmail, record
from nps.core.outbox import queue, resend
from nps.organisations.models import Contact, Organisation


@dataclass(frozen=True)
class Recipient:
    """Someone to email about an organisation's return: an editor, or a contact where it has no editor."""

    email: str
    name: str
    user: User | None = None
    contact: Contact | None = None

    @property
    def kind(self) -> str:
        return "contact" if self.contact else "editor"


@dataclass
class OrganisationOutreach:
    """What the national team sees for one invited organisation: who would hear now, and what went to whom."""

    council_return: Return
    recipients: list[Recipient]
    messages: list[RoundMessage]

    @property
    def organisation(self) -> Organisation:
        return self.council_return.organisation

    @property
    def nobody_to_send_to(self) -> bool:
        return not self.recipients


@dataclass(frozen=True)
class DueReminder:
    council_return: Return
    recipient: Recipient
    days_before: int

    def __str__(self) -> str:
        council_return = self.council_return
        return describe(self.recipient.email, council_return.organisation, council_return.round, self.days_before)


@dataclass
class Report:
    """What a sending run did: the messages put in the outbox, and the organisations that have nobody to send to."""

    sent: list[RoundMessage] = field(default_factory=list)
    nobody: list[Organisation] = field(default_factory=list)


# Who hears ------------------------------------------------------------------------------------------------------------


def editors_who_hear(round_: Round) -> QuerySet[Membership]:
    """The editors' roles whose holders hear about the round: active accounts, and demonstration accounts only for a
    demonstration round."""
    accounts = Q(user__is_demo=False) | Q(user__is_demo=round_.is_demo)
    return Membership.objects.filter(accounts, role=Role.EDITOR, user__is_active=True)


def recipients_by_organisation(
    round_: Round, organisation_ids: Collection[int] | None = None
) -> dict[int, list[Recipient]]:
    """For each organisation invited to the round (or only each of those given): its editors who hear, or failing
    those its contacts."""
    whole_round = organisation_ids is None
    invited: Any = round_.returns.values("organisation_id") if whole_round else organisation_ids
    memberships = editors_who_hear(round_).filter(organisation_id__in=invited).select_related("user")
    editors: dict[int, list[Recipient]] = defaultdict(list)
    for membership in memberships.order_by("user__email"):
        user = membership.user
        editors[membership.organisation_id].append(Recipient(user.email.lower(), user.get_full_name(), user=user))
    contacts: dict[int, list[Recipient]] = defaultdict(list)
    for contact in Contact.objects.filter(organisation_id__in=invited).order_by("email"):
        contacts[contact.organisation_id].append(Recipient(contact.email.lower(), contact.name, contact=contact))
    organisations = round_.returns.values_list("organisation_id", flat=True) if whole_round else invited
    return {pk: editors[pk] or contacts[pk] for pk in organisations}


def round_outreach(round_: Round, returns: Sequence[Return]) -> list[OrganisationOutreach]:
    """The organisations of these returns (a page of the round's), each with who would hear now and the messages sent
    to it."""
    organisation_ids = [council_return.organisation_id for council_return in returns]
    recipients = recipients_by_organisation(round_, organisation_ids)
    # Every kind named, so that the index on round, kind and organisation serves it; few senders, many messages.
    sent = round_.messages.filter(kind__in=MessageKind.values, organisation_id__in=organisation_ids)
    messages: dict[int, list[RoundMessage]] = defaultdict(list)
    for message in sent.select_related("invitation", "outgoing_email").prefetch_related("sent_by"):
        messages[message.organisation_id].append(message)
    return [
        OrganisationOutreach(
            council_return, recipients[council_return.organisation_id], messages[council_return.organisation_id]
        )
        for council_return in returns
    ]


# Who was reached, for the whole round ---------------------------------------------------------------------------------

NOBODY, NOT_INVITED = "nobody", "not_invited"
REACH = {NOT_INVITED: "Not sent yet", NOBODY: "Nobody to send to: no editor and no contact"}


def reach_conditions(round_: Round) -> dict[str, Q]:
    """What picks out the round's returns whose organisation has nobody to send to, or has had no invitation."""
    editors = editors_who_hear(round_).values("organisation_id")
    invited = round_.messages.filter(kind=MessageKind.INVITATION).values("organisation_id")
    return {
        NOBODY: ~Q(organisation_id__in=editors) & ~Q(organisation_id__in=Contact.objects.values("organisation_id")),
        NOT_INVITED: ~Q(organisation_id__in=invited),
    }


def reaching(round_: Round, returns: QuerySet[Return], reach: str) -> QuerySet[Return]:
    """The returns narrowed to those of one reach (NOBODY or NOT_INVITED); all of them for none."""
    return returns.filter(reach_conditions(round_)[reach]) if reach else returns


def outreach_counts(round_: Round) -> dict[str, int]:
    """How many organisations the round invited, how many of those have nobody to send to or were sent no
    invitation, and how many invitations and reminders were sent."""
    sent = dict(round_.messages.values_list("kind").annotate(count=Count("id")).order_by())
    invitations = round_.messages.filter(kind=MessageKind.INVITATION)
    invited = round_.returns.count()
    return {
        "invited": invited,
        NOBODY: round_.returns.filter(reach_conditions(round_)[NOBODY]).count(),
        NOT_INVITED: invited - invitations.values("organisation_id").distinct().count(),
        "invitations": sent.get(MessageKind.INVITATION, 0),
        "reminders": sent.get(MessageKind.REMINDER, 0),
    }


# When -----------------------------------------------------------------------------------------------------------------


def due_reminder(
    schedule: Iterable[int], deadline: datetime.date, today: datetime.date, invited_on: datetime.date
) -> int | None:
    """The reminder due today, as days before the deadline, or None: the latest whose day has come, counting only
    days after the invitation and none once the deadline has passed. Each person gets each reminder once; a missed
    one is still due until the next one's day comes."""
    if today > deadline:
        return None
    due = [days for days in schedule if invited_on < deadline - datetime.timedelta(days=days) <= today]
    return min(due, default=None)


def reminder_days(round_: Round) -> list[tuple[int, datetime.date]]:
    """The schedule of reminders for the round: days before the deadline, and the date."""
    return [(days, round_.deadline - datetime.timedelta(days=days)) for days in settings.ROUND_REMINDER_DAYS]


def invitation_dates(round_: Round) -> dict[int, datetime.date]:
    """The day each organisation's first invitation went, by organisation."""
    firsts = (
        round_.messages.filter(kind=MessageKind.INVITATION)
        .values("organisation_id")
        .annotate(first=Min("sent_at"))
        .values_list("organisation_id", "first")
    )
    return {organisation_id: timezone.localdate(first) for organisation_id, first in firsts}


def due_reminders(today: datetime.date | None = None) -> list[DueReminder]:
    """Every reminder due now in every open round, leaving out those already sent and people who opted out."""
    today = today or timezone.localdate()
    rounds = Round.objects.filter(status=RoundStatus.OPEN, deadline__gte=today).order_by("deadline", "pk")
    return [due for round_ in rounds for due in due_in_round(round_, today)]


def due_in_round(round_: Round, today: datetime.date) -> list[DueReminder]:
    invited = invitation_dates(round_)
    if not invited:
        return []
    returns = round_.returns.exclude(status=ReturnStatus.SUBMITTED).filter(closed_because="")  # not abolished councils
    returns = returns.select_related("organisation", "round")
    recipients = recipients_by_organisation(round_)
    sent = set(round_.messages.filter(kind=MessageKind.REMINDER).values_list("organisation_id", "email", "days_before"))
    opted_out = without_round_reminders(r.email for people in recipients.values() for r in people)
    due = []
    for council_return in returns.order_by("organisation__name"):
        organisation_id = council_return.organisation_id
        invited_on = invited.get(organisation_id, min(invited.values()))
        days = due_reminder(settings.ROUND_REMINDER_DAYS, round_.deadline, today, invited_on)
        if days is None:
            continue
        due += [
            DueReminder(council_return, recipient, days)
            for recipient in recipients[organisation_id]
            if recipient.email not in opted_out and (organisation_id, recipient.email, days) not in sent
        ]
    return due


# Sending --------------------------------------------------------------------------------------------------------------


def send_invitations(round_: Round, *, by: User) -> Report:
    """Invite each recipient of every organisation that has not submitted, except those invited already: for a
    round just opened, or to reach people added since (a new editor, or a contact of an organisation that had none).
    """
    round_.refresh_from_db()
    if round_.status != RoundStatus.OPEN:
        raise RoundError("Invitations can only be sent for an open round.")
    report = Report()
    invited = set(round_.messages.filter(kind=MessageKind.INVITATION).values_list("organisation_id", "email"))
    recipients = recipients_by_organisation(round_)
    returns = round_.returns.exclude(status=ReturnStatus.SUBMITTED).filter(closed_because="")  # not abolished councils
    returns = returns.select_related("organisation", "round")
    for council_return in returns.order_by("organisation__name"):
        people = recipients[council_return.organisation_id]
        if not people:
            report.nobody.append(council_return.organisation)
        for recipient in people:
            if (council_return.organisation_id, recipient.email) not in invited:
                send_logged(council_return, recipient, None, by=by, report=report)
    record(
        "round_invitations_sent",
        f"{round_.name}: invited {len(report.sent)} people; {len(report.nobody)} organisations have nobody to send to",
        by=by,
        organisation=round_.run_by,
    )
    return report


def send_due_reminders(today: datetime.date | None = None) -> Report:
    report = Report()
    for due in due_reminders(today):
        send_logged(due.council_return, due.recipient, due.days_before, by=None, report=report)
    return report


def send_logged(
    council_return: Return, recipient: Recipient, days_before: int | None, *, by: User | None, report: Report
) -> None:
    """Log one invitation (days_before None) or reminder and put it in the outbox, in one transaction. If it was
    logged already, by an earlier or a concurrent run, nothing is sent."""
    kind = MessageKind.INVITATION if days_before is None else MessageKind.REMINDER
    with transaction.atomic():
        message, created = RoundMessage.objects.get_or_create(
            round=council_return.round,
            organisation=council_return.organisation,
            email=recipient.email,
            kind=kind,
            days_before=days_before,
            defaults={"user": recipient.user, "sent_by": by},
        )
        if not created:
            return
        compose = invitation_email if kind == MessageKind.INVITATION else reminder_email
        message.outgoing_email = queue(compose(message, council_return, recipient, sign_up_link(message, recipient)))
        message.save(update_fields=["outgoing_email"])
    report.sent.append(message)


# Delivery -------------------------------------------------------------------------------------------------------------


def delivery_counts(round_: Round) -> dict[str, dict[str, int]]:
    """For each kind of message (invitation, reminder), how many were sent, are waiting in the outbox, or failed.
    Messages logged before the outbox have no email in it: they were sent then."""
    counts: dict[str, dict[str, int]] = {kind: dict.fromkeys(EmailStatus.values, 0) for kind in MessageKind.values}
    rows = round_.messages.values_list("kind", "outgoing_email__status").annotate(count=Count("id")).order_by()
    for kind, status, count in rows:
        counts[kind][status or EmailStatus.SENT] += count
    return counts


@transaction.atomic
def resend_failed(round_: Round, *, by: User) -> int:
    """Put the round's invitations and reminders that failed back in the outbox: how many."""
    failed = OutgoingEmail.objects.filter(pk__in=round_.messages.values("outgoing_email"))
    count = resend(failed)
    if count:
        description = f"{round_.name}: sent {count} failed emails again"
        record("round_emails_resent", description, by=by, organisation=round_.run_by)
    return count


def sign_up_link(message: RoundMessage, recipient: Recipient) -> str | None:
    """For a contact without access: a new single-use, expiring invitation to join as the organisation's editor."""
    if recipient.contact is None:
        return None
    token = new_token()
    message.invitation = Invitation.objects.create(
        organisation=message.organisation,
        email=recipient.email,
        role=Role.EDITOR,
        token_hash=hash_token(token),
        invited_by=message.sent_by,
    )
    message.save(update_fields=["invitation"])
    record(
        "invitation_sent",
        f"Invited {recipient.email} as {Role.EDITOR.label} for {message.round.name}",
        by=message.sent_by,
        organisation=message.organisation,
    )
    return settings.SITE_URL + reverse("accounts:invitation", args=[token])


# What the emails say --------------------------------------------------------------------------------------------------


def email_context(message: RoundMessage, council_return: Return, recipient: Recipient, link: str | None) -> dict:
    round_ = council_return.round
    return {
        "round": round_,
        "organisation": council_return.organisation,
        "council_return": council_return,
        "recipient": recipient,
        "return_url": settings.SITE_URL
        + reverse("assessments:overview", args=[council_return.organisation.gss_code, round_.pk]),
        "sign_up_url": link,
        "invitation": message.invitation,
        "site_url": settings.SITE_URL,
    }


def invitation_email(
    message: RoundMessage, council_return: Return, recipient: Recipient, link: str | None
) -> EmailMessage:
    """The invitation to a round: a service message, so it has no preferences link."""
    round_ = council_return.round
    return EmailMessage(
        subject=f"{round_.name}: {council_return.organisation.name}'s return is due by {round_.deadline:%-d %B %Y}",
        body=render_to_string(
            "assessments/email/round_invitation.txt", email_context(message, council_return, recipient, link)
        ),
        to=[recipient.email],
    )


def reminder_email(
    message: RoundMessage, council_return: Return, recipient: Recipient, link: str | None
) -> EmailMessage:
    """A reminder: optional, so it links to the recipient's email preferences, also as List-Unsubscribe."""
    round_ = council_return.round
    days_left = (round_.deadline - timezone.localdate()).days
    when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
    preferences = preferences_url(recipient.email)
    context = {
        **email_context(message, council_return, recipient, link),
        "days_left": days_left,
        "when": when,
        "preferences_url": preferences,
    }
    return EmailMessage(
        subject=f"Reminder: {council_return.organisation.name}'s return to {round_.name} is due {when}",
        body=render_to_string("assessments/email/round_reminder.txt", context),
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{preferences}>"},
    )


def describe(email: str, organisation: Organisation, round_: Round, days_before: int | None) -> str:
    """One line for the command's output: what goes to whom."""
    return f"{message_label(days_before)} to {email} at {organisation.name} for {round_.name}"
