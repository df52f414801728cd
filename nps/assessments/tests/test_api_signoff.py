import json

import pytest
from django.test import Client

from nps.accounts.models import Role
from nps.accounts.services import create_api_token
from nps.assessments.models import Answer, Return, ReturnStatus
from nps.assessments.signoff import send_for_sign_off, sign_off
from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, answer_everything, load_nps_2018, make_open_round, make_user

pytestmark = pytest.mark.django_db

INDEX = "engaging-councillors"


@pytest.fixture
def api_for(db):
    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


def path_of(council_return):
    return f"/api/v1/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}"


def post(client, path, body=None):
    return client.post(path, json.dumps(body), content_type="application/json") if body else client.post(path)


@pytest.fixture
def waiting(sign_off_return, editor, approver):
    answer_everything(sign_off_return, editor)
    send_for_sign_off(sign_off_return, by=editor)
    return sign_off_return


@pytest.fixture
def other_approver(council_b):
    return make_user("bea@brackenshire.example", organisation=council_b, role=Role.APPROVER, first_name="Bea")


def test_an_editor_sends_for_sign_off_and_an_approver_signs_off(api_for, editor, approver, sign_off_return):
    answer_everything(sign_off_return, editor)
    path, alice, abe = path_of(sign_off_return), api_for(editor), api_for(approver)
    refused = alice.post(f"{path}/submit")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "This round needs a council approver to sign the return off, which submits it: send it for "
        "sign-off instead.",
        "missing": [],
    }
    sent = alice.post(f"{path}/send-for-sign-off")
    assert sent.status_code == 200
    body = sent.json()
    assert (body["status"], body["sent_for_sign_off_by"], body["requires_sign_off"]) == (
        "awaiting_sign_off",
        "Alice",
        True,
    )
    assert (body["can_edit"], body["can_sign_off"]) == (False, False)
    assert abe.get(f"{path}/return").json()["can_sign_off"] is True
    signed = abe.post(f"{path}/sign-off")
    assert signed.status_code == 200
    assert (signed.json()["status"], signed.json()["signed_off_by"], signed.json()["submitted_by"]) == (
        "submitted",
        "Abe",
        "Abe",
    )
    assert signed.json()["signed_off_at"] is not None


def test_a_step_that_no_longer_applies_answers_400_with_the_reason(api_for, editor, approver, waiting):
    path = path_of(waiting)
    again = api_for(editor).post(f"{path}/send-for-sign-off")
    assert again.status_code == 400
    assert again.json() == {"detail": "This return is already waiting for sign-off.", "missing": []}
    back = post(api_for(approver), f"{path}/send-back", {"comment": "The evidence is thin"})
    assert (back.status_code, back.json()["status"]) == (200, "in_progress")
    late = api_for(approver).post(f"{path}/sign-off")
    assert late.status_code == 400
    assert late.json()["detail"] == "This return is no longer waiting for sign-off: it was sent back or reopened."
    assert Return.objects.get(pk=waiting.pk).status == ReturnStatus.IN_PROGRESS


def test_sending_an_incomplete_return_lists_what_to_put_right(api_for, editor, approver, sign_off_return):
    response = api_for(editor).post(f"{path_of(sign_off_return)}/send-for-sign-off")
    assert response.status_code == 400
    assert response.json()["detail"] == "The return is not ready yet: 28 things to put right."
    assert len(response.json()["missing"]) == 28


def test_sending_back_needs_a_comment(api_for, approver, waiting):
    response = post(api_for(approver), f"{path_of(waiting)}/send-back", {"comment": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Say what needs changing before the return can be signed off"
    assert Return.objects.get(pk=waiting.pk).is_awaiting_sign_off


@pytest.mark.parametrize(
    "persona", ["editor", "viewer", "other_editor", "other_approver", "group_lead", "national_admin"]
)
def test_only_the_councils_approvers_sign_off_or_send_back(request, api_for, waiting, persona):
    client, path = api_for(request.getfixturevalue(persona)), path_of(waiting)
    assert client.post(f"{path}/sign-off").status_code == 404
    assert post(client, f"{path}/send-back", {"comment": "No"}).status_code == 404
    assert Return.objects.get(pk=waiting.pk).is_awaiting_sign_off


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "other_approver", "group_lead", "national_admin"])
def test_only_the_councils_editors_and_approvers_send_or_confirm(
    request, api_for, sign_off_return, prefilled_return, editor, approver, persona
):
    answer_everything(sign_off_return, editor)
    client = api_for(request.getfixturevalue(persona))
    assert client.post(f"{path_of(sign_off_return)}/send-for-sign-off").status_code == 404
    assert client.post(f"{path_of(prefilled_return)}/answers/{INDEX}/confirm").status_code == 404
    assert Return.objects.get(pk=sign_off_return.pk).status == ReturnStatus.IN_PROGRESS
    assert Answer.objects.get(council_return=prefilled_return, index__code=INDEX).needs_review


def test_an_editor_confirms_a_prefilled_answer_and_it_leaves_the_missing_list(api_for, editor, prefilled_return):
    client, path = api_for(editor), path_of(prefilled_return)
    missing = client.get(f"{path}/missing").json()
    assert len(missing) == 14
    assert missing[0] == {
        "index": "engaging-councillors",
        "field": "needs_review",
        "statement": None,
        "kind": "unconfirmed",
        "message": "Confirm the prefilled answer for Engaging councillors is still right, or change it",
    }
    confirmed = client.post(f"{path}/answers/{INDEX}/confirm")
    assert confirmed.status_code == 200
    assert (confirmed.json()["needs_review"], confirmed.json()["current_level"]) == (False, 2)
    assert INDEX not in {problem["index"] for problem in client.get(f"{path}/missing").json()}
    again = client.post(f"{path}/answers/{INDEX}/confirm")
    assert again.status_code == 400
    assert again.json() == {
        "detail": "The answer for Engaging councillors is already confirmed or changed in this round."
    }


def test_a_statement_without_a_level_is_listed_with_its_code(api_for, council_a, editor):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    council_return = Return.objects.get(round=make_open_round(council_a, version=version))
    missing = api_for(editor).get(f"{path_of(council_return)}/missing").json()
    statements = [(problem["field"], problem["statement"]) for problem in missing if problem["index"] == "pipeline"]
    assert statements == [
        ("statement_levels", "pipeline.published"),
        ("statement_levels", "pipeline.used"),
        ("target_level", None),
    ]


def round_body(**changes):
    return {
        "name": "2028 diagnostic",
        "framework_version": "nps/2018",
        "opens_on": "2027-11-01",
        "deadline": "2028-01-31",
        "invited_kinds": ["district_council"],
        **changes,
    }


def test_the_national_team_chooses_sign_off_and_unconfirmed_prefill_for_a_round(api_for, national_admin):
    load_nps_2018()
    client = api_for(national_admin)
    default = post(client, "/api/v1/rounds", round_body())
    assert default.status_code == 201
    assert (default.json()["requires_sign_off"], default.json()["allow_unconfirmed_prefill"]) == (True, False)
    chosen = post(
        client, "/api/v1/rounds", round_body(name="2029", requires_sign_off=False, allow_unconfirmed_prefill=True)
    )
    assert (chosen.json()["requires_sign_off"], chosen.json()["allow_unconfirmed_prefill"]) == (False, True)
    assert chosen.json()["counts"]["awaiting_sign_off"] == 0


def test_the_round_lists_who_sent_and_who_signed_off_each_return(api_for, national_admin, approver, waiting):
    sign_off(waiting, by=approver)
    returns = api_for(national_admin).get(f"/api/v1/rounds/{waiting.round_id}").json()["returns"]
    alderley = next(item for item in returns if item["organisation"] == waiting.organisation.gss_code)
    assert (alderley["status"], alderley["sent_for_sign_off_by"], alderley["signed_off_by"]) == (
        "submitted",
        "Alice",
        "Abe",
    )


def test_the_openapi_document_lists_sign_off_and_confirming(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return_path = "/api/v1/organisations/{gss_code}/rounds/{round_id}"
    for path in ["send-for-sign-off", "sign-off", "send-back", "answers/{index_code}/confirm"]:
        assert set(paths[f"{return_path}/{path}"]) == {"post"}, path
