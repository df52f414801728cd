import json

import pytest
from django.test import Client

from nps.accounts.services import create_api_token
from nps.assessments.answers import reopen_return
from nps.assessments.models import Answer, AnswerChange, Assurance, Query
from nps.assessments.validation import answer_query, ask_query, validate_answers

pytestmark = pytest.mark.django_db

COUNCILLORS, SMES = "engaging-councillors", "engaging-smes"
NOT_THE_NATIONAL_TEAM = ["editor", "approver", "viewer", "other_editor", "group_lead"]


@pytest.fixture
def api_for(db):
    """api_for(user) gives a test client that sends a new API token of that user."""

    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


@pytest.fixture
def national_url(submitted_return):
    return f"/api/v1/rounds/{submitted_return.round_id}/returns/{submitted_return.organisation.gss_code}"


@pytest.fixture
def url(council_return):
    return f"/api/v1/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}"


@pytest.fixture
def query(submitted_return, national_admin):
    return ask_query(answer_of(submitted_return), question="Which report shows this?", by=national_admin)


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def answer_of(council_return, code=COUNCILLORS):
    return Answer.objects.get(council_return=council_return, index__code=code)


def labels(council_return):
    return set(council_return.answers.values_list("assurance", flat=True))


def response_url(url, query):
    return f"{url}/answers/{query.answer.index.code}/queries/{query.pk}/response"


# Validating --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_THE_NATIONAL_TEAM)
def test_only_the_national_team_may_validate_or_query_through_the_api(
    request, api_for, submitted_return, national_url, persona
):
    client = api_for(request.getfixturevalue(persona))
    assert post(client, national_url + "/validate", {"whole_return": True}).status_code == 404
    assert post(client, national_url + f"/answers/{COUNCILLORS}/queries", {"question": "Why?"}).status_code == 404
    assert labels(submitted_return) == {Assurance.SELF_ASSESSED} and not Query.objects.exists()


def test_the_national_team_validates_chosen_indices_with_a_note(
    api_for, national_admin, submitted_return, national_url
):
    response = post(api_for(national_admin), national_url + "/validate", {"indices": [SMES, COUNCILLORS], "note": "Ok"})
    assert response.status_code == 200
    body = response.json()
    assert [answer["index"] for answer in body] == [COUNCILLORS, SMES]
    assert {(answer["assurance"], answer["assurance_label"]) for answer in body} == {
        ("validated", "Validated by the national team")
    }
    assert answer_of(submitted_return, SMES).assurance == Assurance.VALIDATED


def test_the_national_team_validates_the_whole_return(api_for, national_admin, submitted_return, national_url):
    response = post(api_for(national_admin), national_url + "/validate", {"whole_return": True})
    assert response.status_code == 200 and len(response.json()) == 14
    assert labels(submitted_return) == {Assurance.VALIDATED}


def test_a_step_that_no_longer_applies_is_refused_with_400(api_for, national_admin, submitted_return, national_url):
    client = api_for(national_admin)
    validate_answers(submitted_return, [SMES], by=national_admin)
    response = post(client, national_url + "/validate", {"indices": [COUNCILLORS, SMES]})
    assert response.status_code == 400 and response.json()["detail"].startswith("Already validated:")
    ask_query(answer_of(submitted_return), question="Why?", by=national_admin)
    response = post(client, national_url + "/validate", {"whole_return": True})
    assert response.status_code == 400 and "not yet answered your query" in response.json()["detail"]
    reopen_return(submitted_return, reason="A correction", by=national_admin)
    response = post(client, national_url + "/validate", {"indices": [COUNCILLORS]})
    assert response.status_code == 400 and "only a submitted return can be validated" in response.json()["detail"]
    response = post(client, national_url + f"/answers/{COUNCILLORS}/queries", {"question": "Why?"})
    assert response.status_code == 400 and "once the council has submitted it" in response.json()["detail"]
    assert answer_of(submitted_return).assurance == Assurance.SELF_ASSESSED


@pytest.mark.parametrize(
    ("body", "location", "message"),
    [
        ({}, ["body", "payload", "indices"], "Choose the indices to validate, or validate the whole return"),
        ({"indices": ["nonsense"]}, ["body", "payload", "indices"], "Select a valid choice. nonsense is not one"),
        ({"indices": [COUNCILLORS], "note": "x" * 1001}, ["body", "payload", "note"], "at most 1000 characters"),
        ({"indices": [COUNCILLORS], "assurance": "validated"}, ["body", "payload", "assurance"], "Extra inputs"),
    ],
)
def test_bad_input_to_validation_is_a_422_naming_its_place(
    api_for, national_admin, submitted_return, national_url, body, location, message
):
    response = post(api_for(national_admin), national_url + "/validate", body)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == location and message in problem["msg"]
    assert labels(submitted_return) == {Assurance.SELF_ASSESSED}


# Queries -----------------------------------------------------------------------------------------------------------


def test_the_national_team_asks_a_question(api_for, national_admin, submitted_return, national_url):
    response = post(api_for(national_admin), national_url + f"/answers/{COUNCILLORS}/queries", {"question": "Why?"})
    assert response.status_code == 201
    body = response.json()
    assert (body["index"], body["question"], body["asked_by"], body["is_open"]) == (COUNCILLORS, "Why?", "Nadia", True)
    assert body["response"] == "" and body["answered_by"] is None and body["answered_at"] is None
    empty = post(api_for(national_admin), national_url + f"/answers/{COUNCILLORS}/queries", {"question": ""})
    assert empty.status_code == 422 and empty.json()["detail"][0]["msg"] == "Write your question to the council"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor", 200),
        ("approver", 200),
        ("viewer", 200),
        ("national_admin", 200),
        ("other_editor", 404),
        ("group_lead", 404),
    ],
)
def test_who_may_read_a_returns_questions(request, api_for, url, query, persona, status):
    response = api_for(request.getfixturevalue(persona)).get(url + "/queries")
    assert response.status_code == status
    if status == 200:
        assert [(item["index"], item["question"]) for item in response.json()] == [
            (COUNCILLORS, "Which report shows this?")
        ]


@pytest.mark.parametrize("persona", ["editor", "approver"])
def test_the_councils_editors_and_approvers_answer_a_question(request, api_for, url, query, persona):
    user = request.getfixturevalue(persona)
    response = post(api_for(user), response_url(url, query), {"response": "The annual report."})
    assert response.status_code == 200
    body = response.json()
    assert (body["is_open"], body["response"], body["answered_by"]) == (False, "The annual report.", str(user))


@pytest.mark.parametrize("persona", ["viewer", "national_admin", "other_editor", "group_lead"])
def test_nobody_else_may_answer_a_question(request, api_for, url, query, persona):
    client = api_for(request.getfixturevalue(persona))
    assert post(client, response_url(url, query), {"response": "Mine"}).status_code == 404
    query.refresh_from_db()
    assert query.is_open


def test_answering_an_answered_question_is_a_400_and_an_empty_answer_a_422(api_for, editor, approver, url, query):
    client = api_for(editor)
    empty = post(client, response_url(url, query), {"response": ""})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "payload", "response"]
    answer_query(query, response="The annual report.", by=approver)
    again = post(client, response_url(url, query), {"response": "Another"})
    assert again.status_code == 400 and again.json()["detail"].startswith("This query was already answered by Abe")


# No council can give itself "validated" ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["assurance", "assured_by", "assured_at"])
@pytest.mark.parametrize("persona", ["editor", "approver"])
def test_an_answer_sent_with_an_assurance_is_refused(request, api_for, council_return, url, persona, field):
    body = {"version": 0, "current_level": 3, field: "validated"}
    response = api_for(request.getfixturevalue(persona)).put(
        f"{url}/answers/{COUNCILLORS}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    answer = answer_of(council_return)
    assert (answer.current_level, answer.assurance, answer.version) == (None, Assurance.SELF_ASSESSED, 0)


# The readable history ----------------------------------------------------------------------------------------------


def test_the_history_gives_changes_and_steps_in_the_pages_words(
    api_for, editor, national_admin, submitted_return, url, query
):
    AnswerChange.objects.create(
        answer=answer_of(submitted_return), version=1, field="confidence", old_value="low", new_value="medium"
    )
    answer_query(query, response="The annual report.", by=editor)
    validate_answers(submitted_return, [COUNCILLORS], note="Report read", by=national_admin)
    history = api_for(editor).get(f"{url}/answers/{COUNCILLORS}/history").json()
    kinds = ["validated", "change", "query_answered", "change", "queried"]  # the confidence change came after the query
    assert [entry["kind"] for entry in history][:5] == kinds
    validated, assurance = history[:2]
    assert validated["description"] == "Validated by the national team: Report read"
    assert (validated["label"], validated["version"], validated["field"], validated["changed_by"]) == (
        "Validated",
        None,
        "",
        "Nadia",
    )
    assert (assurance["field"], assurance["old_value"], assurance["new_value"]) == (
        "assurance",
        "Self-assessed",
        "Validated by the national team",
    )
    confidence = next(entry for entry in history if entry["field"] == "confidence")
    assert (confidence["old_value"], confidence["new_value"], confidence["description"]) == (
        "Low confidence",
        "Medium confidence",
        "",
    )
