"""send_invitations: each invited organisation's editors, or its contacts, hear once that the round is open."""

import datetime

import pytest
import time_machine
from django.test import Client

from nps.accounts.models import Membership, Role, User
from nps.accounts.preferences import set_round_reminders
from nps.assessments.answers import submit_return
from nps.assessments.models import MessageKind, Return, RoundMessage
from nps.assessments.outreach import send_invitations
from nps.assessments.rounds import RoundError, close_round, create_round
from nps.core.models import AuditEvent
from nps.organisations.models import Contact, Kind
from nps.testing import answer_everything, emails_sent, load_nps_2018, make_open_round, make_organisation, make_user

pytestmark = pytest.mark.django_db
ALICE = "alice@alderley.example"
CHARLIE = "charlie@brackenshire.example"
CARA = "cara@carrow.example"


@pytest.fixture
def council_c(db):
    """A council with nobody in the toolkit, and Cara as its named contact."""
    council = make_organisation("Carrow", kind=Kind.DISTRICT_COUNCIL)
    Contact.objects.create(organisation=council, name="Cara Lane", email="Cara@Carrow.example")
    return council


@pytest.fixture
def diagnostic(council_a, council_b, council_c, editor, viewer, other_editor):
    return make_open_round(council_a, council_b, council_c)


def recipients() -> list[str]:
    return sorted(message.to[0] for message in emails_sent())


def to(address: str):
    [message] = [message for message in emails_sent() if message.to == [address]]
    return message


def sign_up_link(message) -> str:
    return "/invitations/" + message.body.split("/invitations/")[1].split("/")[0] + "/"


def test_editors_are_invited_and_contacts_where_an_organisation_has_no_editor(diagnostic, national_admin):
    report = send_invitations(diagnostic, by=national_admin)
    assert recipients() == [ALICE, CARA.lower(), CHARLIE]
    assert sorted(message.email for message in report.sent) == recipients()
    assert report.nobody == []
    logged = RoundMessage.objects.filter(round=diagnostic, kind=MessageKind.INVITATION)
    assert logged.count() == 3 and {message.sent_by for message in logged} == {national_admin}


def test_an_organisation_with_no_editor_and_no_contact_has_nobody_to_send_to(national_admin):
    borough = make_organisation("Dunmere", kind=Kind.LONDON_BOROUGH)
    make_user("vera@dunmere.example", organisation=borough, role=Role.VIEWER)
    report = send_invitations(make_open_round(borough), by=national_admin)
    assert report.sent == [] and report.nobody == [borough]
    assert emails_sent() == []


def test_the_invitation_is_plain_text_with_a_link_to_the_return_and_no_preferences_link(
    diagnostic, council_a, national_admin
):
    set_round_reminders(ALICE, False, by=None)  # a service message goes regardless
    send_invitations(diagnostic, by=national_admin)
    message = to(ALICE)
    assert message.subject == "2026 diagnostic: Alderley's return is due by 31 January 2027"
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert f"http://127.0.0.1:8000/organisations/{council_a.gss_code}/rounds/{diagnostic.pk}/" in message.body
    assert "Hello Alice," in message.body and "by 31 January 2027" in message.body
    assert "email-preferences" not in message.body and "List-Unsubscribe" not in message.extra_headers


def test_sending_again_invites_only_people_added_since(diagnostic, council_a, national_admin):
    send_invitations(diagnostic, by=national_admin)
    emails_sent().clear()
    assert send_invitations(diagnostic, by=national_admin).sent == []
    make_user("ada@alderley.example", organisation=council_a, role=Role.EDITOR)
    report = send_invitations(diagnostic, by=national_admin)
    assert [message.email for message in report.sent] == recipients() == ["ada@alderley.example"]


def test_an_organisation_that_submitted_is_not_invited(diagnostic, council_a, editor, national_admin):
    council_return = Return.objects.get(round=diagnostic, organisation=council_a)
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    send_invitations(diagnostic, by=national_admin)
    assert ALICE not in recipients()


def test_only_an_open_round_sends_invitations(council_a, editor, national_admin):
    draft = create_round(
        name="Draft",
        framework_version=load_nps_2018(),
        opens_on=datetime.date(2027, 4, 1),
        deadline=datetime.date(2027, 6, 30),
        invited_kinds=[council_a.kind],
        by=None,
    )
    closed = make_open_round(council_a, name="2025 diagnostic")
    close_round(closed, by=national_admin)
    for round_ in [draft, closed]:
        with pytest.raises(RoundError, match="only be sent for an open round"):
            send_invitations(round_, by=national_admin)
    assert emails_sent() == []


def test_demonstration_accounts_hear_only_about_demonstration_rounds(council_a, national_admin):
    make_user("editor.alderley@demo.example", organisation=council_a, role=Role.EDITOR, is_demo=True)
    real = make_open_round(council_a, name="2026 diagnostic")
    demonstration = make_open_round(council_a, name="2027 diagnostic")
    demonstration.is_demo = True
    demonstration.save()
    assert send_invitations(real, by=national_admin).nobody == [council_a]
    assert [message.email for message in send_invitations(demonstration, by=national_admin).sent] == [
        "editor.alderley@demo.example"
    ]


def test_sending_is_recorded_in_the_audit_trail(diagnostic, national_admin):
    send_invitations(diagnostic, by=national_admin)
    event = AuditEvent.objects.get(action="round_invitations_sent")
    assert event.actor == national_admin
    assert event.description == "2026 diagnostic: invited 3 people; 0 organisations have nobody to send to"
    assert AuditEvent.objects.filter(action="invitation_sent", organisation__name="Carrow").exists()


# A contact's sign-up link: an accounts invitation as editor, single-use and expiring ------------------------------


def test_a_contact_is_invited_to_join_as_editor_through_a_single_use_link(diagnostic, council_c, national_admin):
    send_invitations(diagnostic, by=national_admin)
    message = to(CARA.lower())
    assert "nobody there has an account yet" in message.body
    link = sign_up_link(message)
    client = Client()
    assert "Create your account" in client.get(link).content.decode()
    client.post(link, {"first_name": "Cara", "last_name": "Lane", "password": "a-long-passphrase"})
    cara = User.objects.get(email=CARA.lower())
    assert Membership.objects.get(user=cara, organisation=council_c).role == Role.EDITOR
    again = Client().get(link)
    assert again.status_code == 410 and "already been accepted" in again.content.decode()
    assert RoundMessage.objects.get(email=CARA.lower()).invitation.accepted_by == cara


def test_a_contacts_link_expires_and_says_what_to_do_next(diagnostic, settings, national_admin):
    send_invitations(diagnostic, by=national_admin)
    link = sign_up_link(to(CARA.lower()))
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=settings.INVITATION_VALID_DAYS, hours=1)
    with time_machine.travel(later):
        response = Client().get(link)
    html = response.content.decode()
    assert response.status_code == 410
    assert "The invitation expired" in html and "to send you a new invitation" in html
