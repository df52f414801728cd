"""The outbox: every email the app sends is first a row, written in the transaction of the change it tells of.

So a page never waits on the mail server, nor fails because of it, and an email never tells of a change that was
rolled back. The `nps send_email` worker sends what is waiting, oldest first; a failure is recorded and tried again
after a delay that doubles each time (`EMAIL_RETRY_SECONDS`), until `EMAIL_MAX_ATTEMPTS`, when the email is marked
failed and waits for someone to send it again (`resend`).

With `EMAIL_SEND_AT_ONCE` (the default in development and `make run`), the process that wrote an email also sends it
as soon as its transaction commits, through the same path as the worker: the console backend prints it.

Two workers never send one email: each takes the row under a lock (`SKIP LOCKED` on PostgreSQL, so another worker
moves on to the next; SQLite's transactions take turns) and sends it before letting go.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nps.core.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def queue(message: EmailMessage) -> OutgoingEmail:
    """Put the message in the outbox, in the caller's transaction."""
    email = OutgoingEmail.objects.create(
        to=list(message.to),
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        headers=dict(message.extra_headers),
    )
    send_at_commit([email.pk])
    return email


def queue_mail(subject: str, body: str, to: str, headers: dict[str, str] | None = None) -> OutgoingEmail:
    return queue(EmailMessage(subject, body, to=[to], headers=headers))


def send_at_commit(email_ids: list[int]) -> None:
    if settings.EMAIL_SEND_AT_ONCE:
        transaction.on_commit(lambda: send_each(email_ids))


def message_for(email: OutgoingEmail, connection: BaseEmailBackend) -> EmailMessage:
    return EmailMessage(
        email.subject, email.body, email.from_email, email.to, headers=email.headers, connection=connection
    )


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts: doubling each time."""
    return datetime.timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (attempts - 1))


def due() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(status=EmailStatus.WAITING, next_attempt_at__lte=timezone.now())


def send_due(limit: int | None = None) -> Counter[str]:
    """Send the emails waiting whose time has come, oldest first: how many were sent, will be retried, or failed."""
    return send_each(list(due().order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]))


def send_each(email_ids: Iterable[int]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    connection = get_connection()
    try:
        for email_id in email_ids:
            outcome = send_one(email_id, connection)
            if outcome:
                outcomes[outcome] += 1
    finally:
        connection.close()
    return outcomes


def send_one(email_id: int, connection: BaseEmailBackend) -> str | None:
    """Send one waiting email and record what happened: "sent", "retry" or "failed"; None if another worker has it
    or it is no longer waiting."""
    with transaction.atomic():
        waiting = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(
            pk=email_id, status=EmailStatus.WAITING
        )
        email = waiting.first()
        if email is None:
            return None
        email.attempts += 1
        try:
            message_for(email, connection).send()
        except Exception as error:  # the mail server's errors vary by backend; each is recorded and retried
            logger.warning("Could not send email %s to %s (attempt %s): %s", email.pk, email.to, email.attempts, error)
            return record_failure(email, error)
        email.status, email.sent_at, email.last_error = EmailStatus.SENT, timezone.now(), ""
        email.save(update_fields=["status", "sent_at", "last_error", "attempts"])
        return "sent"


def record_failure(email: OutgoingEmail, error: Exception) -> str:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
    else:
        email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    email.save(update_fields=["status", "last_error", "attempts", "next_attempt_at"])
    return "failed" if email.status == EmailStatus.FAILED else "retry"


def resend(emails: QuerySet[OutgoingEmail]) -> int:
    """Put failed emails back in the outbox, to be sent at once with a fresh set of attempts: how many."""
    failed = list(emails.filter(status=EmailStatus.FAILED).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=failed).update(
        status=EmailStatus.WAITING, attempts=0, next_attempt_at=timezone.now()
    )
    send_at_commit(failed)
    return len(failed)
