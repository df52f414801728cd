import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from nps.accounts.models import Role
from nps.accounts.services import create_api_token
from nps.assessments.models import Round
from nps.insights.opendata import FIELDS, figure_rows
from nps.insights.publication import publish_results
from nps.insights.tests.conftest import submit_everything
from nps.organisations.models import Kind
from nps.testing import make_open_round, make_organisation, make_user

pytestmark = pytest.mark.django_db

INDEX = "engaging-councillors"
PERSONAS = ["editor", "viewer", "other_editor", "group_lead", "national_admin"]
NOT_NATIONAL = ["editor", "viewer", "other_editor", "group_lead"]
PUBLIC = {"results", "result"}
READERS = {
    "editor": {"dashboard", *PUBLIC},
    "viewer": {"dashboard", *PUBLIC},
    "other_editor": PUBLIC,
    "group_lead": {"group_report", *PUBLIC},
    "national_admin": {"dashboard", "progress", "report", "group_report", *PUBLIC},
}


@pytest.fixture
def api_for(db):
    """api_for(user) gives a test client that sends a new API token of that user."""

    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


@pytest.fixture
def members(group, peers):
    group.members.add(*peers[:4])  # council A and four peers: five members


@pytest.fixture
def dashboard_url(council_a, published_round):
    return f"/api/v1/organisations/{council_a.gss_code}/rounds/{published_round.pk}/dashboard"


@pytest.fixture
def group_url(group, published_round):
    return f"/api/v1/groups/{group.gss_code}/rounds/{published_round.pk}/report"


@pytest.fixture
def reads(dashboard_url, group_url, published_round, members):
    return {
        "dashboard": dashboard_url,
        "progress": f"/api/v1/rounds/{published_round.pk}/progress",
        "report": f"/api/v1/rounds/{published_round.pk}/report",
        "group_report": group_url,
        "results": "/api/v1/results",
        "result": f"/api/v1/results/{published_round.pk}",
    }


def post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def line(report, group):
    return next(line for line in report["lines"] if line["group"] == group)


def index(response, code=INDEX):
    return next(index for index in response.json()["indices"] if index["code"] == code)


def peer(response, group):
    return next(peer for peer in index(response)["peers"] if peer["group"] == group)


# Who may see what --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_reads_exactly_what_the_web_pages_show_them(request, client_for, reads, persona):
    client = client_for(request.getfixturevalue(persona))
    statuses = {name: client.get(path).status_code for name, path in reads.items()}
    assert statuses == {name: 200 if name in READERS[persona] else 404 for name in reads}


def test_without_a_token_or_session_only_the_published_results_answer(client, reads):
    statuses = {name: client.get(path).status_code for name, path in reads.items()}
    assert statuses == {name: 200 if name in PUBLIC else 401 for name in reads}


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_only_the_national_team_publishes_or_withdraws(request, api_for, closed_round, persona):
    client = api_for(request.getfixturevalue(persona))
    embargo = {"embargo_until": "2020-01-01T09:30:00Z"}
    assert post(client, f"/api/v1/rounds/{closed_round.pk}/publish", embargo).status_code == 404
    assert post(client, f"/api/v1/rounds/{closed_round.pk}/withdraw").status_code == 404
    assert Round.objects.get(pk=closed_round.pk).published_at is None


def test_another_groups_lead_gets_404(client_for, members, group_url, council_b, closed_round):
    other_group = make_organisation("Other Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    other_group.members.add(council_b)
    client = client_for(make_user("lead@other.example", organisation=other_group, role=Role.GROUP_LEAD))
    assert client.get(group_url).status_code == 404
    # council B is not in the closed round, so neither is the other group
    assert client.get(f"/api/v1/groups/{other_group.gss_code}/rounds/{closed_round.pk}/report").status_code == 404


def test_a_group_lead_gets_404_for_a_round_none_of_their_members_is_in(client_for, group_lead, members, council_b):
    unitary_round = make_open_round(council_b, name="2026 unitary diagnostic")
    group = group_lead.memberships.get().organisation
    assert (
        client_for(group_lead).get(f"/api/v1/groups/{group.gss_code}/rounds/{unitary_round.pk}/report").status_code
        == 404
    )


# A council's dashboard ---------------------------------------------------------------------------------------------


def test_the_viewer_reads_position_target_gap_and_peers_without_anyone_elses_answer(
    client_for, viewer, dashboard_url, settings
):
    settings.MINIMUM_GROUP_SIZE = 2  # show the two regions of this small test
    response = client_for(viewer).get(dashboard_url)
    line = index(response)
    assert (line["current_level"], line["target_level"], line["gap"], line["not_applicable"]) == (3, 4, 1, False)
    assert [peer["group"] for peer in line["peers"]] == ["District councils", "North West", "England"]
    districts = peer(response, "District councils")  # seven: 1, 2, 2, 2, 3, 4, 4
    assert (districts["n"], districts["median"], districts["counts"]) == (
        7,
        2,
        {"1": 1, "2": 3, "3": 1, "4": 2, "5": 0},
    )
    assert districts["percentages"]["2"] == 42.9 and districts["minimum_group_size"] == 2
    assert peer(response, "North West")["position"] == {"below": 3, "at": 1, "above": 1}  # 1, 2, 2, 3, 4
    assert response.json()["actions"] == {"planned": 0, "in_progress": 0, "done": 0, "overdue": 0}
    assert response.json()["demonstration_data"] is False
    assert "Peer" not in response.content.decode() and "Southern" not in response.content.decode()


def test_the_dashboard_shows_earlier_rounds_and_movement(
    client_for, editor, closed_round, council_a, peers, national_admin
):
    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    submit_everything(later, national_admin, {"Alderley": 4})
    line = index(client_for(editor).get(f"/api/v1/organisations/{council_a.gss_code}/rounds/{later.pk}/dashboard"))
    assert line["earlier"] == [{"round": "2025 diagnostic", "level": 3, "not_applicable": False}]
    assert line["movement"] == 1


def test_demonstration_rounds_are_flagged(client_for, viewer, closed_round, dashboard_url):
    Round.objects.filter(pk=closed_round.pk).update(is_demo=True)
    assert client_for(viewer).get(dashboard_url).json()["demonstration_data"] is True


@pytest.mark.parametrize(("minimum", "suppressed"), [(7, False), (8, True)])
def test_a_peer_group_is_shown_at_the_minimum_size_and_suppressed_below_it(
    client_for, viewer, dashboard_url, settings, minimum, suppressed
):
    settings.MINIMUM_GROUP_SIZE = minimum  # seven district councils, the only type: nothing else can give it away
    districts = peer(client_for(viewer).get(dashboard_url), "District councils")
    assert districts["suppressed"] is suppressed and districts["minimum_group_size"] == minimum
    if suppressed:
        hidden = ["n", "not_applicable", "counts", "percentages", "median", "position"]
        assert all(districts[field] is None for field in hidden)
    else:
        assert districts["n"] == 7 and districts["counts"]["3"] == 1


def test_a_region_that_would_give_a_smaller_one_away_is_hidden_too(client_for, viewer, dashboard_url):
    north_west = peer(client_for(viewer).get(dashboard_url), "North West")  # five councils, but South East has two
    assert (north_west["suppressed"], north_west["suppression_reason"]) == (True, "combination")


def test_before_publication_a_council_sees_no_peers_and_is_told_why(
    client_for, viewer, council_a, closed_round, national_admin
):
    url = f"/api/v1/organisations/{council_a.gss_code}/rounds/{closed_round.pk}/dashboard"
    response = client_for(viewer).get(url).json()
    assert all(line["peers"] == [] for line in response["indices"])
    assert (
        response["peers_note"]
        == "Comparisons with other councils appear when the results of 2025 diagnostic are published."
    )
    assert index(client_for(national_admin).get(url))["peers"]  # the national team sees them once closed


def test_during_the_embargo_a_council_sees_no_peers(client_for, viewer, council_a, closed_round, national_admin):
    publish_results(closed_round, embargo_until=timezone.now() + datetime.timedelta(days=1), by=national_admin)
    url = f"/api/v1/organisations/{council_a.gss_code}/rounds/{closed_round.pk}/dashboard"
    assert index(client_for(viewer).get(url))["peers"] == []


def test_shared_early_only_councils_that_submitted_see_their_peers(
    client_for, api_for, council_a, council_b, peers, national_admin
):
    round_ = make_open_round(council_a, council_b, *peers, name="2025 diagnostic")
    submit_everything_but(round_, national_admin, council_b)
    closed = post(api_for(national_admin), f"/api/v1/rounds/{round_.pk}/close?share_early=true")
    assert closed.status_code == 200 and closed.json()["share_early"] is True
    submitted = make_user("ed@alderley.example", organisation=council_a, role=Role.VIEWER)
    not_submitted = make_user("ed@brackenshire.example", organisation=council_b, role=Role.VIEWER)
    dashboard = "/api/v1/organisations/{}/rounds/{}/dashboard"
    assert index(client_for(submitted).get(dashboard.format(council_a.gss_code, round_.pk)))["peers"]
    response = client_for(not_submitted).get(dashboard.format(council_b.gss_code, round_.pk)).json()
    assert response["indices"][0]["peers"] == [] and "shared comparisons early" in response["peers_note"]
    stopped = post(api_for(national_admin), f"/api/v1/rounds/{round_.pk}/share-early", {"share_early": False})
    assert stopped.json()["share_early"] is False
    assert index(client_for(submitted).get(dashboard.format(council_a.gss_code, round_.pk)))["peers"] == []


def submit_everything_but(round_, user, left_out):
    from nps.assessments.answers import submit_return
    from nps.assessments.models import Return
    from nps.testing import answer_everything

    for council_return in Return.objects.filter(round=round_).exclude(organisation=left_out):
        answer_everything(council_return, user)
        submit_return(council_return, by=user)


# The national team -------------------------------------------------------------------------------------------------


def test_progress_counts_responses_by_region_and_type_and_lists_who_has_not_submitted(
    client_for, national_admin, council_a, peers, closed_round
):
    open_round = make_open_round(council_a, *peers, name="2026 diagnostic")
    progress = client_for(national_admin).get(f"/api/v1/rounds/{open_round.pk}/progress").json()
    assert progress["totals"] == {
        "invited": 7,
        "not_started": 7,
        "in_progress": 0,
        "awaiting_sign_off": 0,
        "submitted": 0,
    }
    assert {row["name"]: row["invited"] for row in progress["by_region"]} == {"North West": 5, "South East": 2}
    assert [row["name"] for row in progress["by_kind"]] == ["District council"]
    assert len(progress["not_submitted"]) == 7 and "Peer 3" in {row["name"] for row in progress["not_submitted"]}
    assert progress["not_submitted_count"] == 7
    page = client_for(national_admin).get(f"/api/v1/rounds/{open_round.pk}/progress?limit=5&offset=5").json()
    assert len(page["not_submitted"]) == 2 and page["totals"]["invited"] == 7


def test_the_national_report_is_unsuppressed_with_movement_since_an_earlier_round(
    client_for, national_admin, council_a, peers, closed_round
):
    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    submit_everything(later, national_admin, {"Alderley": 4, "Peer 0": 1})
    response = client_for(national_admin).get(f"/api/v1/rounds/{later.pk}/report", {"compare": closed_round.pk})
    report = index(response)
    assert response.json()["submitted"] == 7
    assert response.json()["compare"] == {"id": closed_round.pk, "name": "2025 diagnostic"}
    assert report["movement"] == {"up": 1, "same": 4, "down": 2, "n": 7}
    england = line(report, "England")
    assert (england["n"], england["median"], england["percentages"]["2"]) == (7, 2, 71.4)  # five of seven
    south_east = line(report, "South East")  # two councils: shown to the national team only
    assert (south_east["suppressed"], south_east["minimum_group_size"], south_east["n"]) == (False, None, 2)


def test_the_national_report_compares_only_with_an_earlier_national_round(
    client_for, national_admin, council_a, peers, closed_round
):
    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    client = client_for(national_admin)
    for compare in [later.pk, later.pk + 100]:
        response = client.get(f"/api/v1/rounds/{closed_round.pk}/report", {"compare": compare})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "compare"]
    assert index(client.get(f"/api/v1/rounds/{closed_round.pk}/report"))["movement"] is None


def test_publishing_through_the_api_makes_the_results_public(api_for, client, national_admin, closed_round):
    response = post(api_for(national_admin), f"/api/v1/rounds/{closed_round.pk}/publish", {})
    assert response.status_code == 200 and response.json()["is_public"] is True
    assert [round_["id"] for round_ in client.get("/api/v1/results").json()] == [closed_round.pk]
    assert client.get(f"/api/v1/results/{closed_round.pk}").status_code == 200


def test_published_results_stay_private_during_the_embargo(api_for, client, national_admin, closed_round):
    body = {"embargo_until": "2030-01-01T09:30:00"}  # no offset: UK time
    response = post(api_for(national_admin), f"/api/v1/rounds/{closed_round.pk}/publish", body)
    assert response.status_code == 200 and response.json()["is_public"] is False
    embargo_until = Round.objects.get(pk=closed_round.pk).embargo_until
    assert embargo_until == timezone.make_aware(datetime.datetime(2030, 1, 1, 9, 30))
    assert client.get("/api/v1/results").json() == []
    assert client.get(f"/api/v1/results/{closed_round.pk}").status_code == 404


def test_withdrawing_takes_the_results_down(api_for, client, national_admin, published_round):
    response = post(api_for(national_admin), f"/api/v1/rounds/{published_round.pk}/withdraw")
    assert response.status_code == 200
    assert (response.json()["published_at"], response.json()["is_public"]) == (None, False)
    assert client.get(f"/api/v1/results/{published_round.pk}").status_code == 404


@pytest.mark.parametrize("embargo", [0, "2020-01-01T09:30:00Z", "1970-01-01"])
def test_an_embargo_in_the_past_is_refused_instead_of_publishing_at_once(
    api_for, national_admin, closed_round, embargo
):
    response = post(api_for(national_admin), f"/api/v1/rounds/{closed_round.pk}/publish", {"embargo_until": embargo})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The embargo must be in the future")
    assert Round.objects.get(pk=closed_round.pk).published_at is None


def test_publishing_an_open_round_is_refused(api_for, national_admin, council_a):
    open_round = make_open_round(council_a)
    response = post(api_for(national_admin), f"/api/v1/rounds/{open_round.pk}/publish", {"embargo_until": "2030-01-01"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Close the round before publishing its results."}
    assert Round.objects.get(pk=open_round.pk).published_at is None


# A group's lead ----------------------------------------------------------------------------------------------------


def test_the_group_report_shows_who_submitted_and_aggregates_only(
    client_for, group_lead, members, group_url, group, settings
):
    settings.MINIMUM_GROUP_SIZE = 2  # at five, England less the group would give South East's two away
    response = client_for(group_lead).get(group_url)
    members_out = response.json()["members"]
    assert [member["name"] for member in members_out] == ["Alderley", "Peer 0", "Peer 1", "Peer 2", "Peer 3"]
    assert all(set(member) == {"gss_code", "name", "status", "submitted_at"} for member in members_out)
    overall = index(response)["lines"][0]
    assert (overall["scope"], overall["group"], overall["n"]) == ("Group", group.name, 5)
    assert overall["percentages"]["2"] == 40.0  # two of the five members at Developing
    assert "Southern" not in response.content.decode()


def test_a_group_that_england_less_would_give_other_councils_away_is_withheld(
    client_for, group_lead, members, group_url
):
    lines = index(client_for(group_lead).get(group_url))["lines"]  # five members; England less them is two councils
    assert {(line["suppressed"], line["suppression_reason"]) for line in lines} == {(True, "combination")}


def test_before_publication_the_group_sees_who_submitted_but_no_levels(
    client_for, group_lead, members, group, closed_round
):
    response = client_for(group_lead).get(f"/api/v1/groups/{group.gss_code}/rounds/{closed_round.pk}/report").json()
    assert len(response["members"]) == 5 and response["indices"] == []
    assert response["figures_note"] == "The members' levels appear when the results of 2025 diagnostic are published."


@pytest.mark.parametrize(("minimum", "suppressed"), [(2, False), (6, True)])
def test_a_group_is_shown_at_the_minimum_size_and_suppressed_below_it(
    client_for, group_lead, members, group_url, settings, minimum, suppressed
):
    settings.MINIMUM_GROUP_SIZE = minimum
    lines = index(client_for(group_lead).get(group_url))["lines"]
    assert {line["suppressed"] for line in lines} == {suppressed}


def test_a_group_of_one_council_shows_no_figures(client_for, group_lead, group_url):
    response = client_for(group_lead).get(group_url)  # council A alone
    lines = [line for report in response.json()["indices"] for line in report["lines"]]
    assert lines and all(line["suppressed"] and line["counts"] is None and line["n"] is None for line in lines)


# Published results -------------------------------------------------------------------------------------------------


def test_the_public_results_are_the_open_data_rows(client, published_round):
    listed = client.get("/api/v1/results").json()
    assert [(round_["id"], round_["name"]) for round_ in listed] == [(published_round.pk, "2025 diagnostic")]
    results = client.get(f"/api/v1/results/{published_round.pk}").json()
    assert results["figures"] == list(figure_rows(published_round))
    assert all(list(row) == FIELDS for row in results["figures"])
    assert (results["licence"], results["minimum_group_size"]) == ("Open Government Licence v3.0", 5)


@pytest.mark.parametrize(("minimum", "suppressed"), [(7, False), (8, True)])
def test_a_published_figure_is_shown_at_the_minimum_size_and_suppressed_below_it(
    client, published_round, settings, minimum, suppressed
):
    settings.MINIMUM_GROUP_SIZE = minimum
    figures = client.get(f"/api/v1/results/{published_round.pk}").json()["figures"]
    england = next(row for row in figures if row["index_code"] == INDEX and row["scope"] == "National")
    assert england["suppressed"] is suppressed
    assert england["councils_with_a_level"] == (None if suppressed else 7)


def test_nothing_is_public_before_publication(client, closed_round):
    assert client.get("/api/v1/results").json() == []
    assert client.get(f"/api/v1/results/{closed_round.pk}").status_code == 404


def test_nothing_is_public_during_the_embargo(client, closed_round, national_admin):
    publish_results(closed_round, embargo_until=timezone.now() + datetime.timedelta(days=1), by=national_admin)
    assert client.get("/api/v1/results").json() == []
    assert client.get(f"/api/v1/results/{closed_round.pk}").status_code == 404


# The OpenAPI document ----------------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_insights_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/organisations/{gss_code}/rounds/{round_id}/dashboard", "get"),
        ("/api/v1/rounds/{round_id}/progress", "get"),
        ("/api/v1/rounds/{round_id}/report", "get"),
        ("/api/v1/rounds/{round_id}/publish", "post"),
        ("/api/v1/rounds/{round_id}/withdraw", "post"),
        ("/api/v1/groups/{gss_code}/rounds/{round_id}/report", "get"),
        ("/api/v1/results", "get"),
        ("/api/v1/results/{round_id}", "get"),
    ]:
        assert method in paths.get(path, {}), path
    assert "security" not in paths["/api/v1/results/{round_id}"]["get"]
    assert "security" in paths["/api/v1/rounds/{round_id}/report"]["get"]


def test_withdrawing_unpublished_results_is_refused(api_for, national_admin, closed_round):
    response = post(api_for(national_admin), f"/api/v1/rounds/{closed_round.pk}/withdraw")
    assert response.status_code == 400
    assert response.json()["detail"] == "The results of 2025 diagnostic are not published."


def test_every_line_counts_answers_by_how_they_were_assured(client_for, national_admin, closed_round, client, settings):
    from nps.assessments.models import Answer, Assurance
    from nps.insights.publication import publish_results

    answers = Answer.objects.filter(council_return__round=closed_round, index__code=INDEX).order_by("pk")
    Answer.objects.filter(pk=answers[0].pk).update(assurance=Assurance.VALIDATED)
    Answer.objects.filter(pk__in=[a.pk for a in answers[1:3]]).update(assurance=Assurance.PEER_REVIEWED)
    Round.objects.filter(pk=closed_round.pk).update(results_version=7)
    report = index(client_for(national_admin).get(f"/api/v1/rounds/{closed_round.pk}/report"))
    assert line(report, "England")["assurance"] == {"self_assessed": 4, "peer_reviewed": 2, "validated": 1}
    html = client_for(national_admin).get(f"/rounds/{closed_round.pk}/report/").content.decode()
    assert "4 self-assessed, 2 peer-reviewed, 1 validated" in html
    publish_results(Round.objects.get(pk=closed_round.pk), embargo_until=None, by=national_admin)
    rows = client.get(f"/api/v1/results/{closed_round.pk}").json()["figures"]
    england = next(row for row in rows if row["index_code"] == INDEX and row["scope"] == "National")
    assert (england["self_assessed_count"], england["peer_reviewed_count"], england["validated_count"]) == (4, 2, 1)
    withheld = next(row for row in rows if row["index_code"] == INDEX and row["group"] == "South East")
    assert withheld["suppressed"] and withheld["validated_count"] is None
