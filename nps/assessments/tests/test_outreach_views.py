"""The national team's pages for a round's emails: open and invite, send invitations, see who heard what and when."""

import datetime
import re

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from nps.accounts.models import Invitation
from nps.assessments.models import MessageKind, Round, RoundMessage, RoundStatus
from nps.assessments.outreach import send_invitations
from nps.assessments.rounds import create_round
from nps.core.models import AuditEvent
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Contact, Kind, Organisation
from nps.testing import emails_sent, load_nps_2018, make_open_round, make_organisation

pytestmark = pytest.mark.django_db
NOT_NATIONAL = ["editor", "viewer", "other_editor", "group_lead"]


@pytest.fixture
def diagnostic(council_a, council_b, editor, other_editor):
    return make_open_round(council_a, council_b)


@pytest.fixture
def draft(council_a, council_b, editor, other_editor):
    return create_round(
        name="2027 diagnostic",
        framework_version=FrameworkVersion.objects.filter(code="2018").first() or load_nps_2018(),
        opens_on=datetime.date(2027, 4, 1),
        deadline=datetime.date(2027, 6, 30),
        invited_kinds=[council_a.kind, council_b.kind],
        by=None,
    )


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_nobody_but_the_national_team_sees_or_sends_invitations(request, client_for, diagnostic, draft, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/rounds/{diagnostic.pk}/invitations/").status_code == 404
    assert client.post(f"/rounds/{diagnostic.pk}/invitations/send/").status_code == 404
    assert client.post(f"/rounds/{draft.pk}/open/").status_code == 404
    assert emails_sent() == [] and not RoundMessage.objects.exists()
    assert Round.objects.get(pk=draft.pk).status == RoundStatus.DRAFT


def test_a_missing_round_is_404(client_for, national_admin):
    assert client_for(national_admin).get("/rounds/999999/invitations/").status_code == 404


def test_opening_a_round_emails_the_invitations(client_for, national_admin, draft):
    response = client_for(national_admin).post(f"/rounds/{draft.pk}/open/", follow=True)
    assert Round.objects.get(pk=draft.pk).status == RoundStatus.OPEN
    assert sorted(message.to[0] for message in emails_sent()) == [
        "alice@alderley.example",
        "charlie@brackenshire.example",
    ]
    assert "2027 diagnostic is open. Invitations sent to 2 people." in response.content.decode()


class MailServerDown(BaseEmailBackend):
    def open(self):
        raise OSError("Connection refused")

    def send_messages(self, email_messages):
        self.open()


def test_the_round_opens_when_the_mail_server_is_down_and_the_page_counts_and_resends_what_failed(
    client_for, national_admin, draft, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    settings.EMAIL_MAX_ATTEMPTS = 1
    client = client_for(national_admin)
    client.post(f"/rounds/{draft.pk}/open/")
    assert Round.objects.get(pk=draft.pk).status == RoundStatus.OPEN and RoundMessage.objects.count() == 2
    page = client.get(f"/rounds/{draft.pk}/invitations/").content.decode()
    assert "0 sent, 2 waiting to be sent, 0 failed" in page
    emails_sent()
    page = client.get(f"/rounds/{draft.pk}/invitations/").content.decode()
    assert "0 sent, 0 waiting to be sent, 2 failed" in page and "(failed: not sent)" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(f"/rounds/{draft.pk}/invitations/resend/", follow=True)
    assert "2 emails put back in the outbox to be sent again." in response.content.decode()
    assert len(emails_sent()) == 2
    assert "2 sent, 0 waiting to be sent, 0 failed" in client.get(f"/rounds/{draft.pk}/invitations/").content.decode()
    assert AuditEvent.objects.filter(action="round_emails_resent").exists()


def test_opening_a_round_that_is_open_already_sends_nothing(client_for, national_admin, diagnostic):
    response = client_for(national_admin).post(f"/rounds/{diagnostic.pk}/open/", follow=True)
    assert "Only a round that has not opened yet can be opened." in response.content.decode()
    assert emails_sent() == []


def test_the_button_invites_a_round_opened_before_and_then_nobody_twice(client_for, national_admin, diagnostic):
    client = client_for(national_admin)
    first = client.post(f"/rounds/{diagnostic.pk}/invitations/send/", follow=True)
    assert "Invitations sent to 2 people." in first.content.decode()
    second = client.post(f"/rounds/{diagnostic.pk}/invitations/send/", follow=True)
    assert "No new invitations to send." in second.content.decode()
    assert len(emails_sent()) == 2


def test_the_button_refuses_a_round_that_has_not_opened(client_for, national_admin, draft):
    response = client_for(national_admin).post(f"/rounds/{draft.pk}/invitations/send/", follow=True)
    assert "Invitations can only be sent for an open round." in response.content.decode()
    assert emails_sent() == []


def test_the_round_page_links_to_its_invitations_and_reminders(client_for, national_admin, diagnostic):
    html = client_for(national_admin).get(f"/rounds/{diagnostic.pk}/").content.decode()
    assert f'href="/rounds/{diagnostic.pk}/invitations/"' in html


def test_the_page_lists_who_was_invited_and_reminded_and_when(client_for, national_admin, council_a, diagnostic):
    send_invitations(diagnostic, by=national_admin)
    RoundMessage.objects.create(
        round=diagnostic,
        organisation=council_a,
        email="alice@alderley.example",
        kind=MessageKind.REMINDER,
        days_before=14,
        sent_at=datetime.datetime(2027, 1, 17, 8, tzinfo=datetime.UTC),
    )
    html = client_for(national_admin).get(f"/rounds/{diagnostic.pk}/invitations/").content.decode()
    assert "Reminder 14 days before the deadline to alice@alderley.example, 17 Jan 2027 08:00" in html
    assert "Invitation to charlie@brackenshire.example" in html
    assert "14 days before the deadline: 17 January 2027" in html
    assert "Organisations with nobody to send to" not in html


def test_the_page_lists_organisations_with_nobody_to_send_to_and_how_to_add_a_contact(
    client_for, national_admin, council_a
):
    borough = make_organisation("Dunmere", kind=Kind.LONDON_BOROUGH)
    round_ = make_open_round(council_a, borough)
    html = client_for(national_admin).get(f"/rounds/{round_.pk}/invitations/").content.decode()
    assert "Organisations with nobody to send to" in html and "2 organisations have no editor" in html
    assert f"/admin/organisations/contact/add/?organisation={borough.pk}" in html
    Contact.objects.create(organisation=borough, name="Dan", email="dan@dunmere.example")
    html = client_for(national_admin).get(f"/rounds/{round_.pk}/invitations/").content.decode()
    assert "1 organisation has no editor" in html and "dan@dunmere.example (contact)" in html


def test_every_national_admin_adds_contacts_in_the_admin(client_for, national_admin, council_a):
    client = client_for(national_admin)
    form = client.get(f"/admin/organisations/contact/add/?organisation={council_a.pk}")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["organisation"] == str(council_a.pk)
    client.post(
        "/admin/organisations/contact/add/",
        {"organisation": council_a.pk, "name": "Ann Other", "email": " Ann@Alderley.example "},
    )
    assert Contact.objects.get(organisation=council_a).email == "ann@alderley.example"


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_nobody_else_manages_contacts(request, client_for, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    assert client_for(user).get("/admin/organisations/contact/").status_code == 302


# At national scale: totals for the whole round, the organisations a page at a time --------------------------------


@pytest.fixture
def big_round(council_a, editor):
    """Alderley, whose editor is Alice, and 54 more district councils without editors: every other one has a
    contact, the rest nobody to send to."""
    districts = [make_organisation(f"District {number:02}", kind=Kind.DISTRICT_COUNCIL) for number in range(54)]
    for district in districts[::2]:
        Contact.objects.create(organisation=district, name="Dee", email=f"dee@{district.gss_code.lower()}.example")
    return make_open_round(council_a, *districts)


def summary(html):
    """The page's summary list, as each key and its value in words."""
    rows = re.findall(r'summary-list__key">(.*?)</dt><dd class="govuk-summary-list__value">(.*?)</dd>', html, re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in rows}


def listed(html):
    """The organisations the table lists, in order."""
    return re.findall(r'<td class="govuk-table__cell"><a class="govuk-link" href="/organisations/[^"]+">([^<]+)<', html)


def test_the_totals_are_for_the_whole_round_and_the_organisations_come_fifty_to_a_page(
    client_for, national_admin, big_round
):
    send_invitations(big_round, by=national_admin)
    client = client_for(national_admin)
    first = client.get(f"/rounds/{big_round.pk}/invitations/").content.decode()
    second = client.get(f"/rounds/{big_round.pk}/invitations/", {"page": 2}).content.decode()
    for html in [first, second]:
        assert summary(html)["Organisations invited"] == "55"
        assert summary(html)["Invitations sent"] == "28: 27 organisations not sent one yet"
        assert summary(html)["Reminders sent"] == "0"
        assert "27 organisations have no editor and no contact" in html
    assert listed(first) == ["Alderley", *[f"District {number:02}" for number in range(49)]]
    assert listed(second) == [f"District {number:02}" for number in range(49, 54)]
    assert "All 55 invited organisations, by name." in first and "Page 2 of 2" in second


def test_searching_by_name_or_gss_code_and_filtering_leave_the_totals_alone(client_for, national_admin, big_round):
    send_invitations(big_round, by=national_admin)
    client = client_for(national_admin)
    url = f"/rounds/{big_round.pk}/invitations/"
    by_name = client.get(url, {"q": "district 07"}).content.decode()
    assert listed(by_name) == ["District 07"] and "1 of 55 organisations matches:" in by_name
    assert summary(by_name)["Invitations sent"].startswith("28:")
    code = Organisation.objects.get(name="District 10").gss_code
    assert listed(client.get(url, {"q": code}).content.decode()) == ["District 10"]
    odd = [f"District {number:02}" for number in range(1, 54, 2)]
    nobody = client.get(url, {"reach": "nobody"}).content.decode()
    assert listed(nobody) == odd and nobody.count("add a contact<span") == 27
    assert listed(client.get(url, {"reach": "not_invited"}).content.decode()) == odd  # nobody heard: none sent
    assert listed(client.get(url, {"reach": "nobody", "q": "District 1"}).content.decode()) == [
        "District 11",
        "District 13",
        "District 15",
        "District 17",
        "District 19",
    ]


def test_a_filter_value_not_offered_is_an_error_and_the_rest_still_apply(client_for, national_admin, big_round):
    response = client_for(national_admin).get(
        f"/rounds/{big_round.pk}/invitations/", {"reach": "everyone", "q": "District 07"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Choose which invitations from the list" in html and listed(html) == ["District 07"]


def test_before_any_invitation_every_organisation_is_not_sent_one_yet(client_for, national_admin, big_round):
    html = client_for(national_admin).get(f"/rounds/{big_round.pk}/invitations/").content.decode()
    assert summary(html)["Invitations sent"] == "0: 55 organisations not sent one yet"


def test_the_page_says_when_a_contact_joined_through_their_invitation(client_for, national_admin, council_a):
    borough = make_organisation("Dunmere", kind=Kind.LONDON_BOROUGH)
    Contact.objects.create(organisation=borough, name="Dan", email="dan@dunmere.example")
    round_ = make_open_round(council_a, borough)
    send_invitations(round_, by=national_admin)
    message = RoundMessage.objects.get(organisation=borough)
    Invitation.objects.filter(pk=message.invitation_id).update(
        accepted_at=datetime.datetime(2027, 2, 3, 23, 30, tzinfo=datetime.UTC)
    )
    html = client_for(national_admin).get(f"/rounds/{round_.pk}/invitations/", {"q": "Dunmere"}).content.decode()
    assert "Invitation to dan@dunmere.example, " in html and "(joined 3 Feb 2027)" in html
