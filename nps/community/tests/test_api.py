"""The same operations under /api/v1/community/ with the same permissions: 404 to anyone who may not see or change."""

import json

import pytest
from django.test import Client

from nps.accounts.services import create_api_token
from nps.community.case_studies import create_case_study, publish_case_study
from nps.community.connections import request_connection
from nps.community.models import CaseStudy, ConnectionRequest, ExemplarOffer, ExemplaryMark

from .conftest import INDEX, OTHER_INDEX, return_of, submit

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


@pytest.fixture
def api_for(db):
    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


def post(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


@pytest.fixture
def leader_a(diagnostic, council_a, editor):
    submit(return_of(diagnostic, council_a), editor, levels={INDEX: (4, 4)})
    return council_a


OFFER = {"indices": [INDEX], "contact_name": "Alice", "contact_email": "alice@alderley.example", "note": "Training"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)],
)
def test_a_councils_offers_and_requests_are_for_the_council_and_the_national_team(
    request, api_for, exemplar_a, persona, status
):
    client = api_for(request.getfixturevalue(persona))
    assert client.get(f"{API}/organisations/{exemplar_a.gss_code}/offers").status_code == status
    assert client.get(f"{API}/organisations/{exemplar_a.gss_code}/connections").status_code == status


def test_an_editor_offers_help_through_the_api(api_for, editor, leader_a):
    response = post(api_for(editor), f"{API}/organisations/{leader_a.gss_code}/offers", OFFER)
    assert response.status_code == 201
    assert response.json()[0] == {
        "index": INDEX,
        "contact_name": "Alice",
        "contact_email": "alice@alderley.example",
        "note": "Training",
        "active": True,
        "is_demo": False,
    }


def test_an_offer_where_the_council_does_not_lead_is_refused_with_the_field(api_for, editor, leader_a):
    response = post(
        api_for(editor), f"{API}/organisations/{leader_a.gss_code}/offers", {**OFFER, "indices": [OTHER_INDEX]}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "payload", "indices"]
    assert "You cannot offer help in Obtaining social value" in problem["msg"]


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "group_lead", "national_admin"])
def test_only_editors_offer_and_withdraw(request, api_for, exemplar_a, persona):
    client = api_for(request.getfixturevalue(persona))
    assert post(client, f"{API}/organisations/{exemplar_a.gss_code}/offers", OFFER).status_code == 404
    assert post(client, f"{API}/organisations/{exemplar_a.gss_code}/offers/{INDEX}/withdraw").status_code == 404
    assert ExemplarOffer.objects.get().active


def test_an_editor_withdraws_an_offer(api_for, editor, exemplar_a):
    response = post(api_for(editor), f"{API}/organisations/{exemplar_a.gss_code}/offers/{INDEX}/withdraw")
    assert response.status_code == 200 and response.json()["active"] is False


def test_exemplars_for_a_returns_gaps_share_only_what_the_exemplar_chose(
    api_for, other_editor, editor, exemplar_a, gap_b
):
    url = f"{API}/organisations/{gap_b.organisation.gss_code}/rounds/{gap_b.round_id}/exemplars"
    indices = api_for(other_editor).get(url).json()
    assert len(indices) == 14
    councillors = next(item for item in indices if item["index"] == INDEX)
    assert councillors["exemplars"] == [
        {
            "organisation": exemplar_a.gss_code,
            "organisation_name": "Alderley",
            "contact_name": "Alice Alderley",
            "note": "Our member training programme.",
            "reason": "Same region (North West)",
            "is_demo": False,
            "request_status": None,
        }
    ]
    assert api_for(editor).get(url).status_code == 404


def test_an_editor_asks_to_be_connected_through_the_api(
    api_for, other_editor, editor, exemplar_a, council_b, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"{API}/organisations/{council_b.gss_code}/connections"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_for(other_editor), url, {"exemplar": exemplar_a.gss_code, "index": INDEX, "message": "Hi"})
    assert response.status_code == 201
    assert response.json()["status"] == "requested" and response.json()["exemplar_contact"] is None
    assert len(mailoutbox) == 2  # the exemplar's contact and the council; no national admin exists here
    again = post(api_for(other_editor), url, {"exemplar": exemplar_a.gss_code, "index": INDEX})
    assert again.status_code == 400 and "already asked" in again.json()["detail"]
    not_offered = post(api_for(other_editor), url, {"exemplar": exemplar_a.gss_code, "index": OTHER_INDEX})
    assert not_offered.status_code == 404
    assert post(api_for(editor), url, {"exemplar": exemplar_a.gss_code, "index": INDEX}).status_code == 404


@pytest.fixture
def connection(exemplar_a, council_b, other_editor):
    return request_connection(council_b, ExemplarOffer.objects.get(), message="Please", by=other_editor)


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_editor", "group_lead"])
def test_the_national_teams_endpoints_answer_404_to_everyone_else(request, api_for, connection, persona):
    client = api_for(request.getfixturevalue(persona))
    assert client.get(f"{API}/connections").status_code == 404
    assert client.get(f"{API}/connections/{connection.pk}").status_code == 404
    assert post(client, f"{API}/connections/{connection.pk}/decision", {"decision": "connect"}).status_code == 404
    assert client.get(f"{API}/support").status_code == 404
    assert client.get(f"{API}/exemplary-marks").status_code == 404
    assert ConnectionRequest.objects.get().status == "requested"


def test_the_national_team_decides_through_the_api(api_for, national_admin, connection):
    client = api_for(national_admin)
    assert [item["id"] for item in client.get(f"{API}/connections?status=requested").json()] == [connection.pk]
    assert post(client, f"{API}/connections/{connection.pk}/decision", {"decision": "maybe"}).status_code == 422
    response = post(client, f"{API}/connections/{connection.pk}/decision", {"decision": "connect", "note": "Go"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "connected"
    assert body["exemplar_contact"] == {"name": "Alice Alderley", "email": "alice@alderley.example"}
    assert body["requester_contact"] == {"name": "Charlie", "email": "charlie@brackenshire.example"}
    post(client, f"{API}/connections/{connection.pk}/decision", {"decision": "close"})
    refused = post(client, f"{API}/connections/{connection.pk}/decision", {"decision": "close"})
    assert refused.status_code == 400


def test_support_and_marks_through_the_api(api_for, national_admin, exemplar_a, council_b):
    client = api_for(national_admin)
    councillors = next(row for row in client.get(f"{API}/support").json() if row["index"] == INDEX)
    assert (councillors["exemplars"], councillors["open_requests"]) == (1, 0)
    response = post(client, f"{API}/exemplary-marks", {"organisation": council_b.gss_code, "index": OTHER_INDEX})
    assert response.status_code == 201
    unknown = post(client, f"{API}/exemplary-marks", {"organisation": "E00000000", "index": OTHER_INDEX})
    assert unknown.json()["detail"][0]["loc"] == ["body", "payload", "organisation"]
    assert client.delete(f"{API}/exemplary-marks/{response.json()['id']}").status_code == 204
    assert not ExemplaryMark.objects.exists()


CASE_STUDY = {"title": "Members", "summary": "S", "body": "B", "indices": [INDEX], "links": ["https://example.com"]}


def test_the_public_reads_published_case_studies_without_signing_in(diagnostic, api_for, national_admin):
    draft = create_case_study({"title": "Draft", "summary": "S", "body": "B"}, [INDEX], by=None)
    published = create_case_study({"title": "Out", "summary": "S", "body": "B", "level_reached": 5}, [INDEX], by=None)
    publish_case_study(published, by=None)
    assert [item["title"] for item in Client().get(f"{API}/case-studies").json()] == ["Out"]
    assert Client().get(f"{API}/case-studies?level=4").json() == []
    assert Client().get(f"{API}/case-studies/out").json()["indices"] == [INDEX]
    assert Client().get(f"{API}/case-studies/{draft.slug}").status_code == 404
    admin = api_for(national_admin)
    assert len(admin.get(f"{API}/case-studies?include_drafts=true").json()) == 2
    assert admin.get(f"{API}/case-studies/{draft.slug}").status_code == 200


def test_the_national_team_writes_and_publishes_case_studies_through_the_api(
    diagnostic, api_for, national_admin, editor
):
    assert post(api_for(editor), f"{API}/case-studies", CASE_STUDY).status_code == 404
    client = api_for(national_admin)
    created = post(client, f"{API}/case-studies", CASE_STUDY)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    changed = client.put(
        f"{API}/case-studies/members", json.dumps({**CASE_STUDY, "title": "Members again"}), "application/json"
    )
    assert changed.json()["title"] == "Members again"
    assert post(api_for(editor), f"{API}/case-studies/members/publish").status_code == 404
    assert post(client, f"{API}/case-studies/members/publish").json()["status"] == "published"
    assert post(client, f"{API}/case-studies/members/publish").status_code == 400
    assert Client().get(f"{API}/case-studies/members").status_code == 200
    bad = post(client, f"{API}/case-studies", {**CASE_STUDY, "links": ["nope"], "indices": []})
    assert {problem["loc"][-1] for problem in bad.json()["detail"]} == {"links", "indices"}
    assert CaseStudy.objects.count() == 1
