"""The invitations endpoints: the national team sends and lists; everyone else gets 404."""

import datetime

import pytest
from django.test import Client

from nps.accounts.services import create_api_token
from nps.assessments.models import MessageKind, RoundMessage
from nps.assessments.rounds import create_round
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Contact, Kind
from nps.testing import emails_sent, make_open_round, make_organisation

pytestmark = pytest.mark.django_db
NOT_NATIONAL = ["editor", "viewer", "other_editor", "group_lead"]


@pytest.fixture
def api_for(db):
    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


@pytest.fixture
def diagnostic(council_a, council_b, editor, other_editor):
    return make_open_round(council_a, council_b)


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_nobody_but_the_national_team_sends_or_lists_invitations(request, api_for, diagnostic, persona):
    client = api_for(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/rounds/{diagnostic.pk}/invitations").status_code == 404
    assert client.post(f"/api/v1/rounds/{diagnostic.pk}/invitations").status_code == 404
    assert emails_sent() == [] and not RoundMessage.objects.exists()


def test_anonymous_callers_are_refused(diagnostic):
    assert Client().get(f"/api/v1/rounds/{diagnostic.pk}/invitations").status_code == 401


def test_the_national_team_sends_the_invitations_once(api_for, national_admin, council_a, council_b, diagnostic):
    borough = make_organisation("Dunmere", kind=Kind.LONDON_BOROUGH)
    round_ = make_open_round(council_a, council_b, borough, name="2027 diagnostic")
    client = api_for(national_admin)
    response = client.post(f"/api/v1/rounds/{round_.pk}/invitations")
    body = response.json()
    assert response.status_code == 200
    assert sorted(message["email"] for message in body["sent"]) == [
        "alice@alderley.example",
        "charlie@brackenshire.example",
    ]
    assert body["sent"][0]["kind"] == "invitation" and body["sent"][0]["sent_by"] == "Nadia"
    assert body["nobody_to_send_to"] == [borough.gss_code]
    again = client.post(f"/api/v1/rounds/{round_.pk}/invitations").json()
    assert again["sent"] == [] and len(emails_sent()) == 2


def test_a_round_not_open_is_refused_with_the_reason(api_for, national_admin, council_a, diagnostic):
    draft = create_round(
        name="Draft",
        framework_version=FrameworkVersion.objects.get(code="2018"),
        opens_on=datetime.date(2027, 4, 1),
        deadline=datetime.date(2027, 6, 30),
        invited_kinds=[council_a.kind],
        by=None,
    )
    response = api_for(national_admin).post(f"/api/v1/rounds/{draft.pk}/invitations")
    assert response.status_code == 400
    assert response.json() == {"detail": "Invitations can only be sent for an open round."}


def test_the_list_shows_each_organisations_recipients_and_messages(api_for, national_admin, council_b, diagnostic):
    client = api_for(national_admin)
    client.post(f"/api/v1/rounds/{diagnostic.pk}/invitations")
    RoundMessage.objects.create(
        round=diagnostic,
        organisation=council_b,
        email="charlie@brackenshire.example",
        kind=MessageKind.REMINDER,
        days_before=7,
    )
    council_c = make_organisation("Carrow", kind=Kind.DISTRICT_COUNCIL)  # came after the round opened: not listed
    Contact.objects.create(organisation=council_c, name="Cara", email="cara@carrow.example")
    response = client.get(f"/api/v1/rounds/{diagnostic.pk}/invitations")
    organisations = response.json()
    assert [organisation["organisation_name"] for organisation in organisations] == ["Alderley", "Brackenshire"]
    assert response["X-Total-Count"] == "2"
    [second] = client.get(f"/api/v1/rounds/{diagnostic.pk}/invitations?limit=1&offset=1").json()
    assert second["organisation_name"] == "Brackenshire"
    brackenshire = organisations[1]
    assert brackenshire["organisation"] == council_b.gss_code and brackenshire["return_status"] == "not_started"
    assert brackenshire["nobody_to_send_to"] is False
    assert brackenshire["recipients"] == [
        {"email": "charlie@brackenshire.example", "name": "Charlie", "kind": "editor"}
    ]
    assert [(message["kind"], message["days_before"], message["label"]) for message in brackenshire["messages"]] == [
        ("invitation", None, "Invitation"),
        ("reminder", 7, "Reminder 7 days before the deadline"),
    ]
    assert brackenshire["messages"][1]["sent_by"] is None and brackenshire["messages"][0]["joined_at"] is None
