"""The outbox and `nps send_email`: every email is a row first, sent with retries, and its fate recorded."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from nps.core.models import EmailStatus, OutgoingEmail
from nps.core.outbox import queue, queue_mail, resend, send_due, send_one

pytestmark = pytest.mark.django_db


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused")


def later(minutes: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def test_an_email_waits_in_the_outbox_until_the_worker_sends_it(settings):
    settings.EMAIL_SEND_AT_ONCE = False
    queue(EmailMessage("Hello", "Body", to=["a@example.org"], headers={"List-Unsubscribe": "<https://x>"}))
    assert mail.outbox == []
    assert send_due() == {"sent": 1}
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == ("Hello", "Body", ["a@example.org"])
    assert message.extra_headers["List-Unsubscribe"] == "<https://x>"
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.SENT and email.sent_at and email.attempts == 1


def test_with_send_at_once_the_email_goes_as_soon_as_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail("Hello", "Body", "a@example.org")
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_an_email_of_a_change_rolled_back_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError), transaction.atomic():
        queue_mail("Hello", "Body", "a@example.org")
        1 / 0  # noqa: B018 - the change fails after its email was queued
    assert send_due() == {} and mail.outbox == [] and not OutgoingEmail.objects.exists()


def test_a_refused_email_is_tried_again_later_and_later_then_marked_failed(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    settings.EMAIL_MAX_ATTEMPTS, settings.EMAIL_RETRY_SECONDS = 3, 60
    queue_mail("Hello", "Body", "a@example.org")
    assert send_due() == {"retry": 1}
    email = OutgoingEmail.objects.get()
    assert email.last_error == "ConnectionRefusedError: Connection refused"
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert send_due() == {}  # not yet
    with later(1.1):
        assert send_due() == {"retry": 1}  # the second failure waits twice as long
    with later(2.2):
        assert send_due() == {}
    with later(3.2):
        assert send_due() == {"failed": 1}
    with later(60):
        assert send_due() == {}
    assert OutgoingEmail.objects.get().status == EmailStatus.FAILED


def test_a_failed_email_sent_again_gets_a_fresh_set_of_attempts(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    settings.EMAIL_MAX_ATTEMPTS = 1
    queue_mail("Hello", "Body", "a@example.org")
    send_due()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert resend(OutgoingEmail.objects.all()) == 1
    assert send_due() == {"sent": 1}
    assert resend(OutgoingEmail.objects.all()) == 0  # only failed ones go again
    assert len(mail.outbox) == 1


def test_an_email_sent_already_by_another_worker_is_not_sent_again():
    email = queue_mail("Hello", "Body", "a@example.org")
    assert send_one(email.pk, get_connection()) == "sent"
    assert send_one(email.pk, get_connection()) is None
    assert len(mail.outbox) == 1


def test_the_command_says_what_it_did(settings):
    queue_mail("Hello", "Body", "a@example.org")
    output = StringIO()
    call_command("send_email", stdout=output)
    assert output.getvalue() == "1 sent, 0 to be tried again, 0 failed.\n"
    assert len(mail.outbox) == 1
