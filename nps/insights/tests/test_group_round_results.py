"""A group's own round: its published results reach its members (and everyone, if the group chooses) under the group's
name, with the same withholding; reports say whom they cover; members see the group's priorities."""

import datetime

import pytest
from django.test import Client

from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round, create_round, open_round
from nps.frameworks.loader import load_framework_file
from nps.insights.publication import publish_results
from nps.insights.tests.conftest import submit_everything
from nps.testing import load_nps_2018, regional_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(group, peers):
    """Council A and its six peers are all members of the group."""
    group.members.add(*peers)
    return peers


def group_round(group, group_lead, *, results_public=False):
    load_nps_2018()
    strategy = load_framework_file(regional_text(group.gss_code))
    round_ = create_round(
        name="Regional 2027",
        framework_version=strategy,
        opens_on=datetime.date(2027, 4, 1),
        deadline=datetime.date(2027, 6, 30),
        invited_kinds=["district_council"],
        run_by=group,
        requires_sign_off=False,
        results_public=results_public,
        by=group_lead,
    )
    open_round(round_, by=group_lead)
    return Round.objects.get(pk=round_.pk)


@pytest.fixture
def published(group, group_lead, members, national_admin):
    round_ = group_round(group, group_lead)
    submit_everything(round_, national_admin, {"Alderley": 3, "Peer 0": 1, "Peer 1": 4})
    close_round(round_, by=national_admin)
    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=national_admin)
    return Round.objects.get(pk=round_.pk)


def test_members_see_the_groups_published_results_under_its_name(client_for, editor, published, group):
    client = client_for(editor)
    assert "Regional 2027" in client.get("/results/").text
    page = client.get(f"/results/{published.pk}/")
    assert page.status_code == 200
    assert f"Regional 2027: {group.name}&#x27;s members" in page.text
    assert "Only its members and the national team see these figures." in page.text
    assert "Alderley" not in page.text.replace(group.name, "")  # the group's figures, never a member's answers
    rows = b"".join(client.get(f"/results/{published.pk}/figures.csv").streaming_content).decode().splitlines()
    assert rows[1].split(",")[3:5] == ["Group", group.name]


@pytest.mark.parametrize("persona", ["other_editor", "anonymous"])
def test_outside_the_group_the_results_are_not_shown(request, client_for, published, persona):
    client = Client() if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    assert "Regional 2027" not in client.get("/results/").text
    assert client.get(f"/results/{published.pk}/").status_code == 404
    assert client.get(f"/results/{published.pk}/figures.csv").status_code == 404


def test_a_group_that_chooses_publishes_its_results_for_everyone(group, group_lead, members, national_admin):
    round_ = group_round(group, group_lead, results_public=True)
    submit_everything(round_, national_admin, {})
    close_round(round_, by=national_admin)
    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=national_admin)
    anonymous = Client()
    assert "Regional 2027" in anonymous.get("/results/").text
    assert "It published these figures for everyone." in anonymous.get(f"/results/{round_.pk}/").text
    assert any(r["id"] == round_.pk for r in anonymous.get("/api/v1/results").json())


def test_the_national_teams_report_on_a_group_round_is_titled_by_whom_it_covers(
    client_for, national_admin, published, group
):
    page = client_for(national_admin).get(f"/rounds/{published.pk}/report/").text
    assert f'<h1 class="govuk-heading-xl">Report on {group.name}&#x27;s members</h1>' in page
    assert "National report" not in page
    report = client_for(national_admin).get(f"/api/v1/rounds/{published.pk}/report").json()
    assert report["covers"] == f"{group.name}'s members"
    assert report["indices"][0]["lines"][0]["group"] == group.name


def test_an_open_group_rounds_report_says_when_the_figures_appear(client_for, group, group_lead, members):
    round_ = group_round(group, group_lead)
    report = client_for(group_lead).get(f"/api/v1/groups/{group.gss_code}/rounds/{round_.pk}/report").json()
    assert report["indices"] == []
    assert report["figures_note"].startswith("The members' levels appear once the round has closed")


def test_members_see_the_groups_priorities_on_their_return_and_answer_pages(client_for, editor, group, group_lead):
    round_ = group_round(group, group_lead)
    council_return = Return.objects.get(round=round_)
    base = f"/organisations/{council_return.organisation.gss_code}/rounds/{round_.pk}/"
    tag = f"{group.name} priority</strong>"
    assert client_for(editor).get(base).text.count(tag) == 1
    assert tag in client_for(editor).get(base + "indices/obtaining-social-value/").text
    assert tag not in client_for(editor).get(base + "indices/engaging-councillors/").text
