"""Which councils a round invites: any mix of types, regions, groups and councils named one by one, for the national
team's rounds and a group's, through the pages and the API."""

import datetime
import json

import pytest
from django.test import Client

from nps.accounts.models import Role
from nps.accounts.services import create_api_token
from nps.assessments.models import Return, Round, RoundStatus
from nps.assessments.rounds import RoundError, create_round, open_round, who_is_invited
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.services import derive_strategy, publish_version
from nps.organisations.models import Kind, Nation
from nps.testing import load_nps_2018, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db
DATES = {"opens_on": datetime.date(2027, 4, 1), "deadline": datetime.date(2027, 6, 30)}


@pytest.fixture
def north_west():
    return make_region("North West", "E12000002")


@pytest.fixture
def london():
    return make_region("London", "E12000007")


@pytest.fixture
def councils(north_west, london):
    """Two districts and a unitary in the North West, a London borough and a district in London."""
    return {
        name: make_organisation(name, kind=kind, region=region)
        for name, kind, region in [
            ("Bolton", Kind.DISTRICT_COUNCIL, north_west),
            ("Wigan", Kind.DISTRICT_COUNCIL, north_west),
            ("Warrington", Kind.UNITARY_AUTHORITY, north_west),
            ("Camden", Kind.LONDON_BOROUGH, london),
            ("Barnet", Kind.DISTRICT_COUNCIL, london),
        ]
    }


def invited(**choice):
    round_ = create_round(name="2027 diagnostic", framework_version=load_nps_2018(), by=None, **DATES, **choice)
    open_round(round_, by=None)
    return sorted(Return.objects.filter(round=round_).values_list("organisation__name", flat=True))


def test_regions_narrow_the_types_invited(councils, north_west):
    assert invited(invited_kinds=[Kind.DISTRICT_COUNCIL], invited_regions=[north_west]) == ["Bolton", "Wigan"]


def test_nations_narrow_the_types_invited(councils):
    wales = make_region("Wales", "W92000004")
    make_organisation("Cardiff", kind=Kind.WELSH_UNITARY, region=wales, nation=Nation.WALES)
    kinds = [Kind.DISTRICT_COUNCIL, Kind.WELSH_UNITARY]
    assert invited(invited_kinds=kinds, invited_nations=[Nation.WALES]) == ["Cardiff"]


def test_groups_narrow_the_types_invited(councils):
    partnership = make_organisation("Manchester Partnership", kind=Kind.PROCUREMENT_GROUP)
    partnership.members.add(councils["Wigan"], councils["Warrington"])
    assert invited(invited_kinds=[Kind.DISTRICT_COUNCIL], invited_groups=[partnership]) == ["Wigan"]


def test_councils_named_are_invited_whatever_their_type_or_region(councils, north_west):
    chosen = invited(
        invited_kinds=[Kind.DISTRICT_COUNCIL], invited_regions=[north_west], invited_councils=[councils["Camden"]]
    )
    assert chosen == ["Bolton", "Camden", "Wigan"]


def test_a_round_can_invite_only_councils_named(councils):
    named = [councils["Camden"], councils["Warrington"], councils["Barnet"]]
    assert invited(invited_kinds=[], invited_councils=named) == ["Barnet", "Camden", "Warrington"]


def test_a_round_that_invites_nobody_is_refused(councils):
    with pytest.raises(RoundError, match="Choose at least one type of organisation, or name the councils"):
        create_round(name="x", framework_version=load_nps_2018(), invited_kinds=[], by=None, **DATES)


def test_a_former_council_named_is_not_invited(councils):
    former = make_organisation("Oldshire", end_date=datetime.date(2023, 3, 31))
    round_ = create_round(
        name="x", framework_version=load_nps_2018(), invited_kinds=[], invited_councils=[former], by=None, **DATES
    )
    with pytest.raises(RoundError, match="No current organisation matches the round's invitation"):
        open_round(round_, by=None)


def test_the_invitation_is_put_in_words(councils, north_west, london):
    round_ = create_round(
        name="x",
        framework_version=load_nps_2018(),
        invited_kinds=[Kind.DISTRICT_COUNCIL, Kind.CITY_OF_LONDON],
        invited_regions=[north_west, london],
        invited_councils=[councils["Warrington"]],
        by=None,
        **DATES,
    )
    assert who_is_invited(round_) == (
        "district councils and City of London in London or North West, and 1 council by name: Warrington"
    )
    round_.invited_nations = [Nation.ENGLAND]
    assert who_is_invited(round_).startswith("district councils and City of London in England, London or North West")


# The national team's page ------------------------------------------------------------------------------------------


@pytest.fixture
def round_form(db):
    version = load_nps_2018()
    return lambda **changes: {
        "name": "Named councils 2027",
        "framework_version": version.pk,
        **{"opens_on_0": "1", "opens_on_1": "4", "opens_on_2": "2027"},
        **{"deadline_0": "30", "deadline_1": "6", "deadline_2": "2027"},
        **changes,
    }


def test_the_national_team_invites_three_councils_by_name(client_for, national_admin, councils, round_form):
    client = client_for(national_admin)
    response = client.post("/rounds/new/", round_form(invited_councils="Camden\nwarrington\n\nE99000000 "))
    assert response.status_code == 200  # the third line is no council: nothing is created
    assert "Line 3, “E99000000”: no current council has this name or GSS code" in response.text
    assert not Round.objects.exists()
    codes = councils["Barnet"].gss_code
    response = client.post("/rounds/new/", round_form(invited_councils=f"Camden\nwarrington\n{codes}"))
    round_ = Round.objects.get()
    page = client.get(response.url).text
    assert "3 councils by name: Barnet, Camden, Warrington" in page
    client.post(f"/rounds/{round_.pk}/open/")
    assert Round.objects.get().status == RoundStatus.OPEN
    assert sorted(round_.returns.values_list("organisation__name", flat=True)) == ["Barnet", "Camden", "Warrington"]


def test_a_name_in_part_gets_suggestions_and_no_choice_gets_an_error(client_for, national_admin, councils, round_form):
    client = client_for(national_admin)
    response = client.post("/rounds/new/", round_form(invited_councils="Bol"))
    assert "Line 1, “Bol”: no current council has this name or GSS code in full; did you mean Bolton" in response.text
    response = client.post("/rounds/new/", round_form())
    assert "Choose at least one type of organisation, or name the councils to invite" in response.text
    assert not Round.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "group_lead", "other_editor"])
def test_only_the_national_team_creates_national_rounds(request, client_for, persona, councils, round_form):
    client = client_for(request.getfixturevalue(persona))
    assert client.post("/rounds/new/", round_form(invited_councils="Camden")).status_code == 404
    assert not Round.objects.exists()


# The API ---------------------------------------------------------------------------------------------------------


def api(user):
    client = Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})
    return lambda url, body: client.post(url, json.dumps(body), content_type="application/json")


def round_body(**changes):
    return {"name": "2028 diagnostic", "framework_version": "nps/2018", "opens_on": "2027-11-01", **changes} | {
        "deadline": "2028-01-31"
    }


def test_the_api_takes_regions_and_councils_by_code(national_admin, councils, north_west):
    load_nps_2018()
    camden = councils["Camden"].gss_code
    body = round_body(invited_kinds=["district_council"], invited_regions=["E12000002"], invited_councils=[camden])
    response = api(national_admin)("/api/v1/rounds", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["invited_regions"] == ["E12000002"]
    assert created["invited_councils"] == [camden]
    assert created["invited"] == "district councils in North West, and 1 council by name: Camden"
    response = api(national_admin)(f"/api/v1/rounds/{created['id']}/open", {})
    assert response.json()["counts"]["invited"] == 3


def test_the_api_says_which_item_names_no_council(national_admin, councils):
    load_nps_2018()
    response = api(national_admin)("/api/v1/rounds", round_body(invited_councils=["Camden", "Nowhere"]))
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "invited_councils"
    assert problem["msg"].startswith("Item 2, “Nowhere”: no current council")
    assert not Round.objects.exists()


# A group's round ---------------------------------------------------------------------------------------------------


@pytest.fixture
def strategy(group, group_lead):
    draft = derive_strategy(group, load_nps_2018(), title="Our strategy", by=group_lead)
    publish_version(draft, by=group_lead)
    return f"{draft.framework.code}/{draft.code}"


def test_a_group_lead_runs_a_round_for_named_members_through_the_api(group, group_lead, council_a, council_b, strategy):
    second = make_organisation("Ribble Valley")
    group.members.add(second)
    body = round_body(framework_version=strategy, invited_councils=[council_a.gss_code], run_by=group.gss_code)
    response = api(group_lead)("/api/v1/rounds", body)
    assert response.status_code == 201, response.content
    assert response.json()["run_by"] == group.gss_code
    assert response.json()["invited"] == f"{group.name}'s members: 1 council by name: Alderley"
    round_id = response.json()["id"]
    assert api(group_lead)(f"/api/v1/rounds/{round_id}/open", {}).status_code == 200
    assert list(Return.objects.filter(round_id=round_id).values_list("organisation", flat=True)) == [council_a.pk]


def test_a_group_round_names_only_the_groups_members(group, group_lead, council_b, strategy):
    body = round_body(framework_version=strategy, invited_councils=[council_b.gss_code], run_by=group.gss_code)
    response = api(group_lead)("/api/v1/rounds", body)
    assert response.status_code == 422
    assert "no current member of Alderley and Ribble Combined Authority" in response.json()["detail"][0]["msg"]


def test_a_group_round_uses_the_groups_own_strategy(group, group_lead, strategy):
    response = api(group_lead)("/api/v1/rounds", round_body(invited_kinds=["district_council"], run_by=group.gss_code))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "framework_version"


@pytest.mark.parametrize("persona", ["editor", "other_editor", "another_lead"])
def test_nobody_else_runs_a_groups_round(request, group, group_lead, strategy, persona):
    if persona == "another_lead":
        other_group = make_organisation("Elsewhere Partnership", kind=Kind.PROCUREMENT_GROUP)
        user = make_user("lee@elsewhere.example", organisation=other_group, role=Role.GROUP_LEAD)
    else:
        user = request.getfixturevalue(persona)
    body = round_body(framework_version=strategy, invited_kinds=["district_council"], run_by=group.gss_code)
    assert api(user)("/api/v1/rounds", body).status_code == 404
    version = FrameworkVersion.objects.get(framework__owner=group)
    round_ = create_round(
        name="Theirs", framework_version=version, invited_kinds=[Kind.DISTRICT_COUNCIL], run_by=group, by=None, **DATES
    )
    assert api(user)(f"/api/v1/rounds/{round_.pk}/open", {}).status_code == 404
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.DRAFT
