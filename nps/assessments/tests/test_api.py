import datetime
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nps.accounts.models import Role
from nps.accounts.services import create_api_token
from nps.assessments.actions import plan_action
from nps.assessments.answers import save_answer, submit_return
from nps.assessments.evidence import attach_evidence
from nps.assessments.models import Answer, Return
from nps.assessments.rounds import create_round, open_round
from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, load_nps_2018, make_open_round, make_user

pytestmark = pytest.mark.django_db

INDEX = "engaging-councillors"
LOCKED = "This return can no longer change: it is submitted or its round has closed."
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ALLOWED = "csv, docx, jpeg, jpg, ods, odt, pdf, png, pptx, txt, xlsx"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded evidence goes to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api_for(db):
    """api_for(user) gives a test client that sends a new API token of that user."""

    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


def start_round(version, kinds, name="2027 diagnostic"):
    round_ = create_round(
        name=name,
        framework_version=version,
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2027, 1, 31),
        invited_kinds=kinds,
        requires_sign_off=False,  # editors submit; sign-off is in test_api_signoff.py
        by=None,
    )
    open_round(round_, by=None)
    return round_


@pytest.fixture
def diagnostic(council_a):
    """An open national round on NPS 2018 to which council A (and no other council here) is invited."""
    return start_round(load_nps_2018(), [council_a.kind])


@pytest.fixture
def alderley_return(diagnostic, council_a):
    return Return.objects.get(round=diagnostic, organisation=council_a)


@pytest.fixture
def url(alderley_return):
    return f"/api/v1/organisations/{alderley_return.organisation.gss_code}/rounds/{alderley_return.round_id}"


@pytest.fixture
def respondent_user(council_a):
    return make_user("rosa@alderley.example", organisation=council_a, role=Role.RESPONDENT, first_name="Rosa")


def send(client, method, path, body=None):
    """A JSON request; a callable body is a file factory, sent as a multipart upload."""
    if callable(body):
        return client.post(path, {"file": body()})
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def answer_everything(council_return, user):
    for answer in council_return.answers.all():
        save_answer(answer, {"current_level": 2, "target_level": 3}, expected_version=answer.version, by=user)


def problems(response):
    """The 422 answer's problems as {field: message}, keyed by the last part of each location."""
    assert response.status_code == 422, response.content
    return {str(problem["loc"][-1]): problem["msg"] for problem in response.json()["detail"]}


# Who may do what -------------------------------------------------------------------------------------------------


@pytest.fixture
def endpoints(url, alderley_return, diagnostic, editor, council_a):
    """Every assessment endpoint about council A's return, as reads, writes, the respondent's own and round
    operations; with an evidence file and an action to address."""
    answer = alderley_return.answers.get(index__code=INDEX)
    evidence = attach_evidence(answer, pdf(), by=editor)
    action = plan_action(
        answer, title="Train members", owner="Alice", due_date=datetime.date(2027, 3, 31), aim_level=3, by=editor
    )
    answer_url, actions_url = f"{url}/answers/{INDEX}", f"/api/v1/organisations/{council_a.gss_code}/actions"
    return {
        "reads": [
            ("get", f"{url}/return", None),
            ("get", f"{url}/missing", None),
            ("get", answer_url, None),
            ("get", f"{answer_url}/history", None),
            ("get", f"{answer_url}/evidence/{evidence.pk}", None),
            ("get", f"{url}/respondents", None),
            ("get", actions_url, None),
        ],
        "writes": [
            ("put", answer_url, {"version": 0, "current_level": 3}),
            ("post", f"{url}/submit", None),
            ("post", f"{answer_url}/evidence", pdf),
            ("delete", f"{answer_url}/evidence/{evidence.pk}", None),
            ("post", f"{url}/respondents", {"email": "sam@alderley.example", "indices": [INDEX]}),
            ("post", f"{answer_url}/actions", {"title": "T", "owner": "O", "due_date": "2027-06-30", "aim_level": 3}),
            ("patch", f"{actions_url}/{action.pk}", {"status": "done"}),
        ],
        "own_view": [
            ("get", f"{url}/my-view", None),
            ("get", f"{url}/my-view/{INDEX}", None),
            ("put", f"{url}/my-view/{INDEX}", {"current_level": 2}),
        ],
        "rounds": [
            ("get", f"/api/v1/rounds/{diagnostic.pk}", None),
            ("post", "/api/v1/rounds", round_body()),
            ("post", f"/api/v1/rounds/{diagnostic.pk}/open", None),
            ("post", f"/api/v1/rounds/{diagnostic.pk}/close", None),
            ("post", f"/api/v1/rounds/{diagnostic.pk}/deadline", {"deadline": "2027-02-28"}),
            ("post", f"/api/v1/rounds/{diagnostic.pk}/returns/{council_a.gss_code}/reopen", {"reason": "Asked"}),
        ],
    }


def status_of(client, method, path, body):
    response = send(client, method, path, body)
    if response.streaming:  # a download holds its file open until read to the end
        b"".join(response.streaming_content)
    return response.status_code


def statuses(client, requests):
    return {(method, path): status_of(client, method, path, body) for method, path, body in requests}


def all_404(client, requests):
    return statuses(client, requests) == {(method, path): 404 for method, path, _ in requests}


@pytest.mark.parametrize("submitted", [False, True])
def test_another_council_gets_404_for_every_endpoint_on_draft_and_submitted_returns(
    api_for, endpoints, other_editor, editor, alderley_return, submitted
):
    if submitted:
        answer_everything(alderley_return, editor)
        submit_return(alderley_return, by=editor)
    client = api_for(other_editor)
    assert all_404(client, [request for requests in endpoints.values() for request in requests])
    assert alderley_return.answers.get(index__code=INDEX).current_level == (2 if submitted else None)


def test_a_group_lead_gets_404_for_council_as_return(api_for, endpoints, group_lead):
    assert all_404(api_for(group_lead), [request for requests in endpoints.values() for request in requests])


def test_the_viewer_reads_everything_but_every_write_is_404(api_for, endpoints, viewer):
    client = api_for(viewer)
    assert set(statuses(client, endpoints["reads"]).values()) == {200}
    assert all_404(client, endpoints["writes"] + endpoints["own_view"] + endpoints["rounds"])


def test_the_national_team_reads_returns_but_cannot_change_answers(api_for, endpoints, national_admin):
    client = api_for(national_admin)
    assert set(statuses(client, endpoints["reads"]).values()) == {200}
    assert all_404(client, endpoints["writes"] + endpoints["own_view"])


def test_an_editor_cannot_run_rounds(api_for, endpoints, editor):
    assert all_404(api_for(editor), endpoints["rounds"])


def test_without_a_token_or_session_the_api_answers_401(client, url):
    assert client.get(f"{url}/return").status_code == 401
    assert client.get("/api/v1/rounds").status_code == 401


def test_a_session_reads_but_writes_only_with_the_csrf_token(url, editor, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(f"{url}/return").status_code == 200
    body = json.dumps({"version": 0, "current_level": 3})
    refused = client.put(f"{url}/answers/{INDEX}", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check Failed"}
    client.cookies[settings.CSRF_COOKIE_NAME] = token = "a" * 32
    accepted = client.put(
        f"{url}/answers/{INDEX}", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


def test_the_openapi_document_lists_the_assessment_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return_path = "/api/v1/organisations/{gss_code}/rounds/{round_id}"
    for path in [
        "/api/v1/rounds",
        "/api/v1/rounds/{round_id}/returns/{gss_code}/reopen",
        f"{return_path}/return",
        f"{return_path}/submit",
        f"{return_path}/answers/{{index_code}}",
        f"{return_path}/answers/{{index_code}}/evidence/{{file_id}}",
        f"{return_path}/my-view/{{index_code}}",
        "/api/v1/organisations/{gss_code}/actions/{action_id}",
    ]:
        assert path in paths, path
    assert set(paths[f"{return_path}/answers/{{index_code}}"]) == {"get", "put"}


# Rounds ------------------------------------------------------------------------------------------------------------


def round_body(**changes):
    return {
        "name": "2028 diagnostic",
        "framework_version": "nps/2018",
        "opens_on": "2027-11-01",
        "deadline": "2028-01-31",
        "invited_kinds": ["district_council"],
        **changes,
    }


def test_the_national_team_lists_every_round_with_counts(api_for, diagnostic, national_admin):
    [listed] = api_for(national_admin).get("/api/v1/rounds").json()
    assert listed["name"] == "2027 diagnostic"
    assert listed["framework_version"] == "nps/2018"
    assert listed["status"] == "open"
    assert listed["counts"] == {
        "invited": 1,
        "not_started": 1,
        "in_progress": 0,
        "awaiting_sign_off": 0,
        "submitted": 0,
    }


def test_others_list_only_the_rounds_their_organisations_are_in(api_for, diagnostic, council_b, editor, other_editor):
    start_round(diagnostic.framework_version, [council_b.kind], name="Unitary pilot")
    [seen_by_a] = api_for(editor).get("/api/v1/rounds").json()
    [seen_by_b] = api_for(other_editor).get("/api/v1/rounds").json()
    assert (seen_by_a["name"], seen_by_a["counts"]) == ("2027 diagnostic", None)
    assert seen_by_b["name"] == "Unitary pilot"


def test_the_national_team_creates_and_opens_a_round(api_for, diagnostic, national_admin, council_a):
    client = api_for(national_admin)
    created = client.post("/api/v1/rounds", round_body(prefill_from=diagnostic.pk), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "draft" and created.json()["prefill_from"] == diagnostic.pk
    opened = client.post(f"/api/v1/rounds/{created.json()['id']}/open")
    assert opened.status_code == 200
    assert opened.json()["counts"]["invited"] == 1
    detail = client.get(f"/api/v1/rounds/{created.json()['id']}").json()
    assert [r["organisation"] for r in detail["returns"]] == [council_a.gss_code]


def test_a_rounds_returns_come_a_page_at_a_time(api_for, national_admin, council_a, council_b, other_editor):
    round_ = make_open_round(council_a, council_b)
    client = api_for(national_admin)
    first, second = (client.get(f"/api/v1/rounds/{round_.pk}?limit=1&offset={offset}").json() for offset in (0, 1))
    assert [r["organisation"] for r in first["returns"] + second["returns"]] == [council_a.gss_code, council_b.gss_code]
    assert first["returns_count"] == second["returns_count"] == 2
    assert client.get(f"/api/v1/rounds/{round_.pk}?limit=0").status_code == 422
    assert api_for(other_editor).get(f"/api/v1/rounds/{round_.pk}").status_code == 404


def test_a_round_with_bad_fields_is_refused_with_a_message_per_field(api_for, national_admin, db):
    load_nps_2018()
    body = round_body(framework_version="nps/1999", deadline="2027-10-01", invited_kinds=["parish"])
    response = api_for(national_admin).post("/api/v1/rounds", body, content_type="application/json")
    found = problems(response)
    assert found["framework_version"].startswith("Select a valid choice")
    assert found["invited_kinds"] == "Select a valid choice. parish is not one of the available choices."
    response = api_for(national_admin).post(
        "/api/v1/rounds", round_body(deadline="2027-10-01"), content_type="application/json"
    )
    assert problems(response) == {"deadline": "The deadline must be on or after the opening date"}


def test_a_round_in_the_wrong_state_is_refused_with_the_reason(api_for, diagnostic, national_admin):
    response = api_for(national_admin).post(f"/api/v1/rounds/{diagnostic.pk}/open")
    assert response.status_code == 400
    assert response.json() == {"detail": "Only a round that has not opened yet can be opened."}


def test_the_deadline_only_moves_later(api_for, diagnostic, national_admin):
    client = api_for(national_admin)
    path = f"/api/v1/rounds/{diagnostic.pk}/deadline"
    moved = client.post(path, {"deadline": "2027-02-28"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["deadline"] == "2027-02-28"
    earlier = client.post(path, {"deadline": "2027-01-15"}, content_type="application/json")
    assert earlier.status_code == 400
    assert earlier.json()["detail"] == "The new deadline must be after the current one, 28 February 2027."
    assert "deadline" in problems(client.post(path, {"deadline": "2027-02-30"}, content_type="application/json"))


def test_closing_a_round_locks_its_returns(api_for, diagnostic, national_admin, editor, url):
    assert api_for(national_admin).post(f"/api/v1/rounds/{diagnostic.pk}/close").json()["status"] == "closed"
    response = send(api_for(editor), "put", f"{url}/answers/{INDEX}", {"version": 0, "current_level": 3})
    assert response.status_code == 400
    assert response.json() == {"detail": LOCKED}


def test_the_national_team_reopens_a_submitted_return(api_for, diagnostic, national_admin, editor, alderley_return):
    answer_everything(alderley_return, editor)
    submit_return(alderley_return, by=editor)
    client = api_for(national_admin)
    path = f"/api/v1/rounds/{diagnostic.pk}/returns/{alderley_return.organisation.gss_code}/reopen"
    assert problems(client.post(path, {"reason": ""}, content_type="application/json")) == {
        "reason": "Say why you are reopening this return"
    }
    reopened = client.post(path, {"reason": "The council asked to correct an answer"}, content_type="application/json")
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["submitted_at"]) == ("in_progress", None)
    again = client.post(path, {"reason": "Twice"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json() == {"detail": "Only a submitted return can be reopened."}


# Returns and answers -----------------------------------------------------------------------------------------------


def test_the_return_shows_its_state_progress_and_every_answer(api_for, editor, url, alderley_return):
    body = api_for(editor).get(f"{url}/return").json()
    assert body["status"] == "not_started" and body["deadline"] == "2027-01-31"
    assert body["can_edit"] is True
    assert body["progress"] == {"done": 0, "total": alderley_return.answers.count()}
    first = body["answers"][0]
    assert (first["index"], first["title"], first["status"], first["version"]) == (
        INDEX,
        "Engaging councillors",
        "not_started",
        0,
    )
    assert first["files"] == [] and first["statement_levels"] == {}


def test_an_editor_saves_an_answer_and_its_history_records_the_change(api_for, editor, url):
    client = api_for(editor)
    answer = {
        "version": 0,
        "current_level": 2,
        "confidence": "medium",
        "evidence": "Member training log",
        "evidence_links": " https://example.org/report \n\n",
        "target_level": 3,
        "target_date": "2028-03-31",
        "rationale": "Priority",
    }
    saved = send(client, "put", f"{url}/answers/{INDEX}", answer)
    assert saved.status_code == 200
    body = saved.json()
    assert (body["version"], body["status"], body["updated_by"]) == (1, "answered", "Alice")
    assert (body["target_date"], body["evidence_links"]) == ("2028-03-31", "https://example.org/report")
    history = client.get(f"{url}/answers/{INDEX}/history").json()
    assert {change["field"]: change["new_value"] for change in history}["current_level"] == "Developing"
    assert {change["changed_by"] for change in history} == {"Alice"}
    assert client.get(f"{url}/return").json()["status"] == "in_progress"


def test_fields_left_out_keep_their_current_values(api_for, editor, url):
    client = api_for(editor)
    send(client, "put", f"{url}/answers/{INDEX}", {"version": 0, "evidence": "Member training log"})
    body = send(client, "put", f"{url}/answers/{INDEX}", {"version": 1, "current_level": 2}).json()
    assert (body["evidence"], body["current_level"], body["version"]) == ("Member training log", 2, 2)


def test_of_two_people_saving_the_same_version_the_second_is_refused_with_the_first_ones_changes(
    api_for, editor, council_a, url
):
    bob = make_user("bob@alderley.example", organisation=council_a, role=Role.EDITOR, first_name="Bob")
    alice, bob_client = api_for(editor), api_for(bob)
    loaded = [client.get(f"{url}/answers/{INDEX}").json()["version"] for client in (alice, bob_client)]
    assert loaded == [0, 0]
    first = send(alice, "put", f"{url}/answers/{INDEX}", {"version": 0, "current_level": 3})
    second = send(bob_client, "put", f"{url}/answers/{INDEX}", {"version": 0, "current_level": 1, "evidence": "Mine"})
    assert first.status_code == 200
    assert second.status_code == 409
    conflict = second.json()
    assert conflict["detail"].startswith("Someone else saved this answer")
    assert conflict["current_version"] == 1
    [change] = conflict["changes"]
    assert (change["field"], change["old_value"], change["new_value"], change["changed_by"]) == (
        "current_level",
        "",
        "Mature",
        "Alice",
    )
    kept = alice.get(f"{url}/answers/{INDEX}").json()
    assert (kept["current_level"], kept["evidence"], kept["version"]) == (3, "", 1)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"current_level": 7}, "current_level", "Select a valid choice. 7 is not one of the available choices."),
        ({"target_level": 0}, "target_level", "Select a valid choice. 0 is not one of the available choices."),
        ({"target_date": "2027-02-30"}, "target_date", None),
        ({"not_applicable": True}, "not_applicable_reason", "Say why this index does not apply to your council"),
        (
            {"evidence_links": "https://example.org\nnot a link"},
            "evidence_links",
            "Line 2 is not a web address: “not a link”",
        ),
        ({"statement_levels": {INDEX: 2}}, "statement_levels", "This index has one statement: give current_level"),
    ],
)
def test_an_invalid_answer_is_refused_naming_the_field(api_for, editor, url, fields, field, message):
    response = send(api_for(editor), "put", f"{url}/answers/{INDEX}", {"version": 0, **fields})
    found = problems(response)
    assert field in found
    assert message is None or found[field] == message
    assert api_for(editor).get(f"{url}/answers/{INDEX}").json()["version"] == 0


def test_an_answer_without_the_version_it_was_loaded_at_is_refused(api_for, editor, url):
    assert "version" in problems(send(api_for(editor), "put", f"{url}/answers/{INDEX}", {"current_level": 2}))


def test_an_index_with_several_statements_takes_a_level_per_statement(api_for, editor, council_a):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text(encoding="utf-8"))
    round_ = start_round(version, [council_a.kind], name="Sample round")
    path = f"/api/v1/organisations/{council_a.gss_code}/rounds/{round_.pk}/answers/pipeline"
    levels = {"pipeline.published": 2, "pipeline.used": 4}
    body = send(api_for(editor), "put", path, {"version": 0, "statement_levels": levels}).json()
    assert (body["statement_levels"], body["current_level"]) == (levels, 2)
    refused = send(api_for(editor), "put", path, {"version": 1, "statement_levels": {"pipeline.unknown": 2}})
    assert problems(refused) == {"pipeline.unknown": "No such statement in this index"}
    refused = send(api_for(editor), "put", path, {"version": 1, "current_level": 5})
    assert problems(refused) == {
        "current_level": "This index has 2 statements: give each its level in statement_levels"
    }
    assert api_for(editor).get(path).json()["current_level"] == 2  # nothing saved


def test_submitting_an_incomplete_return_lists_what_is_missing(api_for, editor, url, alderley_return):
    client = api_for(editor)
    response = client.post(f"{url}/submit")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"The return is not ready yet: {len(body['missing'])} things to put right."
    assert body["missing"][0] == {
        "index": INDEX,
        "field": "current_level",
        "statement": None,
        "kind": "unanswered",
        "message": "Give the current level for Engaging councillors, or mark it not applicable",
    }
    assert client.get(f"{url}/missing").json() == body["missing"]
    assert Return.objects.get(pk=alderley_return.pk).status == "not_started"


def test_a_submitted_return_is_read_only(api_for, editor, url, alderley_return):
    answer_everything(alderley_return, editor)
    client = api_for(editor)
    submitted = client.post(f"{url}/submit")
    assert submitted.status_code == 200
    body = submitted.json()
    assert (body["status"], body["submitted_by"], body["can_edit"]) == ("submitted", "Alice", False)
    assert client.get(f"{url}/missing").json() == []
    version = Answer.objects.get(council_return=alderley_return, index__code=INDEX).version
    refused = send(client, "put", f"{url}/answers/{INDEX}", {"version": version, "current_level": 5})
    assert (refused.status_code, refused.json()) == (400, {"detail": LOCKED})
    again = client.post(f"{url}/submit")
    assert (again.status_code, again.json()["missing"]) == (400, [])
    assert client.post(f"{url}/answers/{INDEX}/evidence", {"file": pdf()}).json() == {"detail": LOCKED}


# Evidence ----------------------------------------------------------------------------------------------------------


def test_a_pdf_uploads_and_downloads_as_an_attachment(api_for, editor, viewer, url):
    uploaded = api_for(editor).post(f"{url}/answers/{INDEX}/evidence", {"file": pdf()})
    assert uploaded.status_code == 201
    evidence = uploaded.json()
    assert (evidence["name"], evidence["size"], evidence["content_type"]) == ("report.pdf", len(PDF), "application/pdf")
    assert api_for(editor).get(f"{url}/answers/{INDEX}").json()["files"] == [evidence]
    download = api_for(viewer).get(f"{url}/answers/{INDEX}/evidence/{evidence['id']}")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("setup.exe", b"MZ\x90\x00"), f"The file must be one of: {ALLOWED}"),
        (("report.pdf", b"MZ\x90\x00"), "The file’s content is not a real .pdf file"),
        (("large.pdf", PDF + b"0" * 1024 * 1024), "The file must be smaller than 1 MB"),
    ],
)
def test_a_file_of_the_wrong_type_content_or_size_is_refused(api_for, editor, url, settings, upload, message):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    response = api_for(editor).post(f"{url}/answers/{INDEX}/evidence", {"file": pdf(*upload)})
    assert (response.status_code, response.json()) == (400, {"detail": message})
    assert api_for(editor).get(f"{url}/answers/{INDEX}").json()["files"] == []


def test_an_editor_removes_evidence(api_for, editor, url):
    client = api_for(editor)
    evidence = client.post(f"{url}/answers/{INDEX}/evidence", {"file": pdf()}).json()
    assert client.delete(f"{url}/answers/{INDEX}/evidence/{evidence['id']}").status_code == 204
    assert client.get(f"{url}/answers/{INDEX}/evidence/{evidence['id']}").status_code == 404


# Colleagues' views -------------------------------------------------------------------------------------------------


def test_colleagues_views_are_asked_for_given_and_compared(api_for, editor, respondent_user, council_a, url):
    bob = make_user("bob@alderley.example", organisation=council_a, role=Role.RESPONDENT, first_name="Bob")
    client = api_for(editor)
    for person in ["rosa@alderley.example", "bob@alderley.example"]:
        asked = send(client, "post", f"{url}/respondents", {"email": person, "indices": [INDEX]})
        assert asked.status_code == 201 and asked.json()["indices"] == [INDEX]
    send(api_for(respondent_user), "put", f"{url}/my-view/{INDEX}", {"current_level": 1, "comment": "Rarely"})
    send(api_for(bob), "put", f"{url}/my-view/{INDEX}", {"current_level": 4})
    body = client.get(f"{url}/respondents").json()
    assert [respondent["name"] for respondent in body["respondents"]] == ["Bob", "Rosa"]
    row = next(row for row in body["rows"] if row["index"] == INDEX)
    assert {view["respondent"]: view["current_level"] for view in row["views"]} == {"Rosa": 1, "Bob": 4}
    assert (row["spread"]["lowest"], row["spread"]["highest"], row["spread"]["range"]) == (1, 4, 3)


def test_a_respondent_sees_and_changes_only_their_own_view(api_for, editor, respondent_user, url):
    send(api_for(editor), "post", f"{url}/respondents", {"email": "rosa@alderley.example", "indices": [INDEX]})
    client = api_for(respondent_user)
    assert client.get(f"{url}/return").status_code == 404
    assert client.get(f"{url}/my-view/engaging-senior-managers").status_code == 404
    saved = send(client, "put", f"{url}/my-view/{INDEX}", {"not_applicable": True, "current_level": 3})
    assert saved.status_code == 200
    assert client.get(f"{url}/my-view").json() == [
        {
            "index": INDEX,
            "title": "Engaging councillors",
            "respondent": "Rosa",
            "current_level": None,
            "not_applicable": True,
            "comment": "",
        }
    ]
    assert "current_level" in problems(send(client, "put", f"{url}/my-view/{INDEX}", {"current_level": 9}))


def test_asking_for_a_view_needs_a_real_email_and_known_indices(api_for, editor, url):
    client = api_for(editor)
    unknown = send(client, "post", f"{url}/respondents", {"email": "sam@alderley.example", "indices": ["nonsense"]})
    assert problems(unknown) == {"indices": "No such index in this round: nonsense"}
    bad_email = send(client, "post", f"{url}/respondents", {"email": "sam", "indices": [INDEX]})
    assert problems(bad_email) == {"email": "Enter a valid email address."}
    none = send(client, "post", f"{url}/respondents", {"email": "sam@alderley.example", "indices": []})
    assert problems(none) == {"indices": "Choose at least one index"}


# Action plans ------------------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_an_editor_plans_and_updates_actions_and_overdue_ones_are_flagged(api_for, editor, viewer, council_a, url):
    client = api_for(editor)
    action = {"title": "Train members", "owner": "Alice", "due_date": "2027-03-31", "aim_level": 3}
    planned = send(client, "post", f"{url}/answers/{INDEX}/actions", action)
    assert planned.status_code == 201
    assert (planned.json()["status"], planned.json()["index"]) == ("planned", INDEX)
    actions_url = f"/api/v1/organisations/{council_a.gss_code}/actions"
    [listed] = api_for(viewer).get(actions_url).json()
    assert listed["overdue"] is True
    done = send(client, "patch", f"{actions_url}/{listed['id']}", {"status": "done"})
    assert (done.json()["status"], done.json()["overdue"], done.json()["title"]) == ("done", False, "Train members")


def test_an_action_with_an_impossible_level_is_refused(api_for, editor, url):
    action = {"title": "Train members", "owner": "Alice", "due_date": "2027-03-31", "aim_level": 9}
    found = problems(send(api_for(editor), "post", f"{url}/answers/{INDEX}/actions", action))
    assert found == {"aim_level": "Select a valid choice. 9 is not one of the available choices."}
