"""The send_round_reminders command: who gets which reminder, never twice, and nobody who should not."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from nps.accounts.models import Invitation, Role
from nps.accounts.preferences import set_round_reminders
from nps.assessments import outreach
from nps.assessments.answers import reopen_return, submit_return
from nps.assessments.models import MessageKind, Return, RoundMessage
from nps.assessments.outreach import due_reminders, send_due_reminders, send_invitations
from nps.assessments.rounds import close_round, extend_deadline
from nps.core.models import EmailStatus, OutgoingEmail
from nps.organisations.models import Contact, Kind
from nps.testing import answer_everything, emails_sent, make_open_round, make_organisation, make_user

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
ALICE = "alice@alderley.example"
CHARLIE = "charlie@brackenshire.example"


def at(month: int, number: int, hour: int = 8) -> time_machine.travel:
    """A moment of the 2026 round: November and December 2026, or January and February 2027 (deadline 31 Jan)."""
    year = 2027 if month < 6 else 2026
    return time_machine.travel(datetime.datetime(year, month, number, hour, tzinfo=LONDON), tick=False)


def run(month: int, number: int, *arguments: str) -> str:
    """The reminders command, then the email worker, as cron runs them; what the reminders command printed."""
    output = StringIO()
    with at(month, number):
        call_command("send_round_reminders", *arguments, stdout=output)
        emails_sent()
    return output.getvalue()


def reminders(round_) -> list[tuple[str, int | None]]:
    return sorted(
        RoundMessage.objects.filter(round=round_, kind=MessageKind.REMINDER).values_list("email", "days_before")
    )


@pytest.fixture
def diagnostic(council_a, council_b, editor, viewer, other_editor, national_admin):
    """Open since 2 November 2026 with a deadline of 31 January 2027; Alice (A) and Charlie (B) were invited."""
    with at(11, 2):
        round_ = make_open_round(council_a, council_b)
        send_invitations(round_, by=national_admin)
        emails_sent()
    mail.outbox.clear()
    return round_


@pytest.fixture
def council_c(db):
    """A council with nobody in the toolkit, and Cara as its named contact."""
    council = make_organisation("Carrow", kind=Kind.DISTRICT_COUNCIL)
    Contact.objects.create(organisation=council, name="Cara Lane", email="cara@carrow.example")
    return council


def submit(round_, organisation, user):
    council_return = Return.objects.get(round=round_, organisation=organisation)
    answer_everything(council_return, user)
    submit_return(council_return, by=user)
    council_return.refresh_from_db()
    return council_return


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ([(1, 16)], []),
        ([(1, 17)], [14]),
        ([(1, 17), (1, 17)], [14]),
        ([(1, 17), (1, 20), (1, 23)], [14]),
        ([(1, 17), (1, 24), (1, 30)], [14, 7, 1]),
        ([(1, 25)], [7]),
        ([(1, 17), (1, 31)], [14, 1]),
        ([(1, 31), (1, 31)], [1]),
        ([(2, 1)], []),
        ([(1, 17), (2, 3)], [14]),
    ],
    ids=[
        "nothing before the first reminder's day",
        "the first reminder on its day",
        "a second run the same day sends nothing",
        "days between reminders send nothing",
        "each reminder on its day",
        "missed reminders: only the latest due, late",
        "a missed 1-day reminder goes on the deadline day",
        "and only once",
        "nothing after the deadline",
        "nothing after the deadline, however late",
    ],
)
def test_each_editor_gets_each_due_reminder_once(diagnostic, runs, expected):
    for month, number in runs:
        run(month, number)
    assert reminders(diagnostic) == sorted((email, days) for email in [ALICE, CHARLIE] for days in expected)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ALICE, CHARLIE] * len(expected))


def test_viewers_and_group_leads_get_no_reminders(diagnostic, viewer, group_lead):
    run(1, 17)
    assert {message.to[0] for message in mail.outbox} == {ALICE, CHARLIE}


def test_an_organisation_that_submitted_gets_no_more_reminders(diagnostic, council_a, editor):
    run(1, 17)
    with at(1, 20):
        submit(diagnostic, council_a, editor)
    run(1, 24)
    run(1, 30)
    assert reminders(diagnostic) == [(ALICE, 14), (CHARLIE, 1), (CHARLIE, 7), (CHARLIE, 14)]


def test_a_reopened_return_is_reminded_again_but_not_twice(diagnostic, council_a, editor, national_admin):
    with at(1, 10):
        council_return = submit(diagnostic, council_a, editor)
    run(1, 17)
    with at(1, 18):
        reopen_return(council_return, reason="Evidence missing", by=national_admin)
    run(1, 18)
    run(1, 24)
    assert [days for email, days in reminders(diagnostic) if email == ALICE] == [7, 14]


def test_a_return_closed_by_its_councils_abolition_gets_no_reminders(diagnostic, council_a, council_b):
    Return.objects.filter(round=diagnostic, organisation=council_a).update(closed_because="Abolished.")
    Contact.objects.create(organisation=council_a, name="Left behind", email="left@alderley.example")
    run(1, 17)
    assert reminders(diagnostic) == [(CHARLIE, 14)]


def test_a_closed_round_gets_no_reminders(diagnostic, national_admin):
    with at(1, 16):
        close_round(diagnostic, by=national_admin)
    assert run(1, 17) == "0 reminders put in the outbox, which `nps send_email` sends.\n"
    assert mail.outbox == []


def test_an_extended_deadline_moves_the_reminders_not_yet_sent_and_repeats_none(diagnostic, national_admin):
    run(1, 17)
    run(1, 24)
    with at(1, 25):
        extend_deadline(diagnostic, datetime.date(2027, 2, 28), by=national_admin)
    for month, number in [(1, 30), (2, 14), (2, 21)]:
        run(month, number)
    assert reminders(diagnostic) == [(ALICE, 7), (ALICE, 14), (CHARLIE, 7), (CHARLIE, 14)]
    run(2, 27)
    assert [days for email, days in reminders(diagnostic) if email == ALICE] == [1, 7, 14]


def test_a_round_whose_invitations_were_never_emailed_gets_no_reminders(council_a, editor):
    with at(11, 2):
        make_open_round(council_a)
    run(1, 17)
    assert mail.outbox == []


def test_someone_who_turned_reminders_off_gets_none(diagnostic):
    set_round_reminders(ALICE.upper(), False, by=None)
    run(1, 17)
    assert [message.to for message in mail.outbox] == [[CHARLIE]]
    set_round_reminders(ALICE, True, by=None)
    run(1, 24)
    assert reminders(diagnostic) == [(ALICE, 7), (CHARLIE, 7), (CHARLIE, 14)]


def test_an_organisation_invited_late_is_reminded_only_after_its_invitation(
    council_a, council_b, editor, national_admin
):
    with at(11, 2):
        round_ = make_open_round(council_a, council_b)
        send_invitations(round_, by=national_admin)  # council B has nobody yet
    make_user(CHARLIE, organisation=council_b, role=Role.EDITOR)
    with at(1, 20):
        send_invitations(round_, by=national_admin)
    run(1, 20)
    assert reminders(round_) == [(ALICE, 14)]
    run(1, 24)
    assert reminders(round_) == [(ALICE, 7), (ALICE, 14), (CHARLIE, 7)]


def test_demonstration_accounts_hear_nothing_of_a_real_round(diagnostic, council_a):
    make_user("editor.alderley@demo.example", organisation=council_a, role=Role.EDITOR, is_demo=True)
    run(1, 17)
    assert "editor.alderley@demo.example" not in [message.to[0] for message in mail.outbox]


def test_a_reminder_is_plain_text_and_links_to_the_return_and_the_email_preferences(diagnostic, council_a):
    run(1, 24)
    message = next(message for message in mail.outbox if message.to == [ALICE])
    assert message.subject == "Reminder: Alderley's return to 2026 diagnostic is due in 7 days"
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert f"http://127.0.0.1:8000/organisations/{council_a.gss_code}/rounds/{diagnostic.pk}/" in message.body
    assert "Its status: not started." in message.body
    link = message.body.split("choose here (no sign-in needed):\n")[1].split()[0]
    assert link.startswith("http://127.0.0.1:8000/email-preferences/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and ALICE in page.content.decode()


def test_the_last_reminder_says_tomorrow_and_the_deadline_day_says_today(diagnostic):
    run(1, 30)
    assert mail.outbox[0].subject.endswith("is due tomorrow")
    mail.outbox.clear()
    RoundMessage.objects.filter(kind=MessageKind.REMINDER).delete()
    run(1, 31)
    assert mail.outbox[0].subject.endswith("is due today")


def test_it_prints_what_it_sent(diagnostic):
    assert run(1, 17).splitlines() == [
        f"Queued: Reminder 14 days before the deadline to {ALICE} at Alderley for 2026 diagnostic",
        f"Queued: Reminder 14 days before the deadline to {CHARLIE} at Brackenshire for 2026 diagnostic",
        "2 reminders put in the outbox, which `nps send_email` sends.",
    ]


def test_a_dry_run_lists_what_is_due_and_sends_nothing(diagnostic):
    output = run(1, 17, "--dry-run")
    assert "Due: Reminder 14 days before the deadline to alice@alderley.example at Alderley" in output
    assert output.endswith("2 reminders due; none sent (dry run).\n")
    assert mail.outbox == [] and reminders(diagnostic) == []


def test_a_reminder_logged_by_a_concurrent_run_is_not_sent_again(diagnostic, monkeypatch):
    with at(1, 17):
        planned = due_reminders()
        send_due_reminders()  # another run, finishing first
        monkeypatch.setattr(outreach, "due_reminders", lambda today=None: planned)
        report = send_due_reminders()
        assert len(emails_sent()) == 2
    assert len(planned) == 2 and report.sent == []


def test_the_log_refuses_the_same_reminder_twice(diagnostic, council_a):
    fields = {"round": diagnostic, "organisation": council_a, "email": ALICE, "kind": MessageKind.REMINDER}
    RoundMessage.objects.create(days_before=7, **fields)
    RoundMessage.objects.create(days_before=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundMessage.objects.create(days_before=7, **fields)


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("Connection refused")


def test_a_reminder_the_mail_server_refused_is_tried_again_and_never_logged_twice(diagnostic, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    run(1, 17)
    assert reminders(diagnostic) == [(ALICE, 14), (CHARLIE, 14)]
    waiting = OutgoingEmail.objects.filter(status=EmailStatus.WAITING, subject__startswith="Reminder")
    assert waiting.count() == 2 and "Connection refused" in waiting.first().last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(1, 18)
    assert reminders(diagnostic) == [(ALICE, 14), (CHARLIE, 14)]
    assert sorted(message.to[0] for message in mail.outbox) == [ALICE, CHARLIE]


# Contacts of organisations with nobody in the toolkit --------------------------------------------------------------


@pytest.fixture
def with_contact(council_a, council_c, editor, national_admin):
    with at(11, 2):
        round_ = make_open_round(council_a, council_c)
        send_invitations(round_, by=national_admin)
        emails_sent()
    return round_


def sign_up_link(message) -> str:
    return "/invitations/" + message.body.split("/invitations/")[1].split("/")[0] + "/"


def to_cara() -> list:
    return [message for message in mail.outbox if message.to == ["cara@carrow.example"]]


def test_a_contact_gets_reminders_with_a_new_sign_up_link_while_nobody_has_joined(with_contact):
    first = sign_up_link(to_cara()[0])
    mail.outbox.clear()
    run(1, 17)
    [reminder] = to_cara()
    assert "Nobody at Carrow has joined the toolkit yet" in reminder.body
    link = sign_up_link(reminder)
    assert link != first
    with at(1, 17):
        assert Client().get(first).status_code == 410  # the invitation's own link expired after 14 days
        assert Client().get(link).status_code == 200
    assert Invitation.objects.filter(email="cara@carrow.example", role=Role.EDITOR).count() == 2


def test_once_the_contact_joins_they_are_reminded_as_the_editor_and_not_twice(with_contact, council_c):
    link = sign_up_link(to_cara()[0])
    with at(11, 3):
        Client().post(link, {"first_name": "Cara", "last_name": "Lane", "password": "a-long-passphrase"})
    mail.outbox.clear()
    run(1, 17)
    run(1, 17)
    [reminder] = to_cara()
    assert "/invitations/" not in reminder.body and "an editor for Carrow" in reminder.body
