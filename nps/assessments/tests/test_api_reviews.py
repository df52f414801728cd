import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nps.accounts.services import create_api_token
from nps.assessments.answers import save_answer
from nps.assessments.evidence import attach_evidence
from nps.assessments.models import Answer, Assurance, PeerReview, ReviewFinding

pytestmark = pytest.mark.django_db

COUNCILLORS, PARTNERS, MANAGERS = "engaging-councillors", "working-with-partners", "engaging-senior-managers"
PDF = b"%PDF-1.4\n% demo\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api_for(db):
    def client(user):
        return Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})

    return client


@pytest.fixture
def reviews_url(council_return):
    return f"/api/v1/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/reviews"


def send(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def problems(response):
    assert response.status_code == 422, response.content
    return {problem["loc"][-1]: problem["msg"] for problem in response.json()["detail"]}


def version_of(council_return, code):
    return Answer.objects.get(council_return=council_return, index__code=code).version


def find(client, review, code, **values):
    body = {"verdict": "agree", "version": version_of(review.council_return, code), **values}
    return send(client, "put", f"/api/v1/reviews/{review.pk}/findings/{code}", body)


def complete_with_a_suggestion(client, review):
    find(client, review, COUNCILLORS)
    find(client, review, PARTNERS, verdict="different_level", suggested_level=4, comment="Joint teams")
    return send(client, "post", f"/api/v1/reviews/{review.pk}/complete")


# The council -------------------------------------------------------------------------------------------------------


def test_an_editor_asks_for_a_review_of_every_answered_index_by_default(
    api_for, editor, answered_return, council_c, reviews_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = send(
            api_for(editor), "post", reviews_url, {"organisation": council_c.gss_code, "email": "r@wigan.example"}
        )
    assert asked.status_code == 201
    body = asked.json()
    assert (body["reviewing_organisation"], body["reviewing_organisation_name"]) == (
        council_c.gss_code,
        "Wigan Council",
    )
    assert (body["status"], body["requested_by"], len(body["indices"]), body["findings"]) == (
        "requested",
        "Alice",
        14,
        [],
    )
    assert [email.to for email in mail.outbox][-1] == ["r@wigan.example"]


def test_asking_says_what_is_wrong(api_for, editor, council_return, council_a, council_c, reviews_url):
    client = api_for(editor)
    unknown = {"organisation": council_c.gss_code, "email": "r@wigan.example", "indices": ["nonsense"]}
    assert problems(send(client, "post", reviews_url, unknown)) == {"indices": "No such index in this round: nonsense"}
    itself = {"organisation": council_a.gss_code, "email": "r@wigan.example", "indices": [COUNCILLORS]}
    assert problems(send(client, "post", reviews_url, itself)) == {
        "organisation": "Choose a current council other than your own"
    }
    too_long = {"organisation": council_c.gss_code, "email": "r" * 250 + "@wigan.example", "indices": [COUNCILLORS]}
    assert problems(send(client, "post", reviews_url, too_long)) == {
        "email": "Ensure this value has at most 254 characters (it has 264)."
    }
    unanswered = {"organisation": council_c.gss_code, "email": "r@wigan.example", "indices": [COUNCILLORS]}
    refused = send(client, "post", reviews_url, unanswered)
    assert refused.status_code == 400 and "Answer these indices before" in refused.json()["detail"]
    assert not PeerReview.objects.exists()


def test_invitations_past_the_limit_answer_429(api_for, editor, answered_return, council_c, reviews_url, settings):
    settings.INVITATION_LIMIT_PER_SENDER = 1
    client = api_for(editor)
    values = {"organisation": council_c.gss_code, "indices": [COUNCILLORS]}
    assert send(client, "post", reviews_url, {**values, "email": "one@wigan.example"}).status_code == 201
    limited = send(client, "post", reviews_url, {**values, "email": "two@wigan.example"})
    assert limited.status_code == 429 and "You have sent 1 invitations" in limited.json()["detail"]
    assert PeerReview.objects.count() == 1


def test_the_council_sees_findings_only_once_the_review_is_completed(
    api_for, editor, viewer, reviewer, review, reviews_url
):
    reviewer_client = api_for(reviewer)
    find(reviewer_client, review, COUNCILLORS)
    [under_way] = api_for(viewer).get(reviews_url).json()
    assert (under_way["status"], under_way["findings"]) == ("requested", [])
    complete_with_a_suggestion(reviewer_client, review)
    [done] = api_for(viewer).get(reviews_url).json()
    assert [(f["index"], f["verdict"], f["suggested_level"]) for f in done["findings"]] == [
        (COUNCILLORS, "agree", None),
        (PARTNERS, "different_level", 4),
    ]


def test_an_editor_withdraws_once(api_for, editor, reviewer, review, reviews_url):
    client = api_for(editor)
    withdrawn = send(client, "post", f"{reviews_url}/{review.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = send(client, "post", f"{reviews_url}/{review.pk}/withdraw")
    assert again.status_code == 400 and "This review was withdrawn on" in again.json()["detail"]
    assert api_for(reviewer).get(f"/api/v1/reviews/{review.pk}").status_code == 404
    late = find(api_for(reviewer), review, COUNCILLORS)
    assert late.status_code == 400 and "This review was withdrawn on" in late.json()["detail"]


def test_an_editor_resolves_a_suggestion_once(api_for, editor, reviewer, review, reviews_url):
    complete_with_a_suggestion(api_for(reviewer), review)
    suggestion = ReviewFinding.objects.get(verdict="different_level")
    url = f"{reviews_url}/findings/{suggestion.pk}/resolve"
    assert problems(send(api_for(editor), "post", url, {"resolution": ""})) == {
        "resolution": "Say what the council did about this suggestion"
    }
    resolved = send(api_for(editor), "post", url, {"resolution": "Kept ours"})
    assert resolved.status_code == 200
    assert (resolved.json()["resolution"], resolved.json()["resolved_by"]) == ("Kept ours", "Alice")
    again = send(api_for(editor), "post", url, {"resolution": "Twice"})
    assert again.status_code == 400 and "already resolved by Alice" in again.json()["detail"]


def test_viewers_read_the_reviews_and_change_nothing(api_for, viewer, reviewer, review, council_c, reviews_url):
    complete_with_a_suggestion(api_for(reviewer), review)
    suggestion = ReviewFinding.objects.get(verdict="different_level")
    client = api_for(viewer)
    assert client.get(reviews_url).status_code == 200
    ask = {"organisation": council_c.gss_code, "email": "x@wigan.example", "indices": [COUNCILLORS]}
    assert send(client, "post", reviews_url, ask).status_code == 404
    assert send(client, "post", f"{reviews_url}/{review.pk}/withdraw").status_code == 404
    assert (
        send(client, "post", f"{reviews_url}/findings/{suggestion.pk}/resolve", {"resolution": "x"}).status_code == 404
    )


@pytest.mark.parametrize("persona", ["other_editor", "group_lead", "reviewer_colleague", "reviewer"])
def test_people_outside_the_council_get_404_for_its_reviews(request, api_for, review, council_c, reviews_url, persona):
    client = api_for(request.getfixturevalue(persona))
    ask = {"organisation": council_c.gss_code, "email": "x@wigan.example", "indices": [COUNCILLORS]}
    assert client.get(reviews_url).status_code == 404
    assert send(client, "post", reviews_url, ask).status_code == 404
    assert send(client, "post", f"{reviews_url}/{review.pk}/withdraw").status_code == 404
    assert PeerReview.objects.get().is_open


# The reviewer ------------------------------------------------------------------------------------------------------


def test_the_reviewer_reads_only_the_chosen_answers_and_files(api_for, editor, reviewer, review):
    answers = {answer.index.code: answer for answer in review.council_return.answers.select_related("index")}
    shown = attach_evidence(answers[COUNCILLORS], SimpleUploadedFile("minutes.pdf", PDF), by=editor)
    hidden = attach_evidence(answers[MANAGERS], SimpleUploadedFile("board.pdf", PDF), by=editor)
    client = api_for(reviewer)
    [waiting] = client.get("/api/v1/reviews").json()
    assert (waiting["id"], waiting["organisation_name"], waiting["indices"]) == (
        review.pk,
        "Alderley",
        [COUNCILLORS, PARTNERS],
    )
    detail = client.get(f"/api/v1/reviews/{review.pk}").json()
    assert [answer["index"] for answer in detail["answers"]] == [COUNCILLORS, PARTNERS]
    [reading] = detail["answers"][0]["readings"]
    assert reading["level"] == 2 and "exploring the best approach" in reading["descriptor"]
    assert [file["name"] for file in detail["answers"][0]["files"]] == ["minutes.pdf"]
    base = f"/api/v1/reviews/{review.pk}/answers"
    download = client.get(f"{base}/{COUNCILLORS}/evidence/{shown.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(f"{base}/{COUNCILLORS}/evidence/{hidden.pk}").status_code == 404
    assert client.get(f"{base}/{MANAGERS}/evidence/{hidden.pk}").status_code == 404
    assert find(client, review, MANAGERS).status_code == 404


def test_the_reviewer_saves_findings_and_completes(
    api_for, reviewer, review, council_c, django_capture_on_commit_callbacks
):
    client = api_for(reviewer)
    assert problems(find(client, review, PARTNERS, verdict="maybe")) == {
        "verdict": "Select a valid choice. maybe is not one of the available choices."
    }
    assert problems(find(client, review, PARTNERS, verdict="different_level", suggested_level=4)) == {
        "comment": "Say why you suggest a different level"
    }
    saved = find(client, review, COUNCILLORS)
    assert saved.status_code == 200 and (saved.json()["verdict"], saved.json()["answer_changed"]) == ("agree", False)
    early = send(client, "post", f"/api/v1/reviews/{review.pk}/complete")
    assert early.status_code == 400 and "Record a finding for every index" in early.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        done = complete_with_a_suggestion(client, review)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    answer = Answer.objects.get(council_return=review.council_return, index__code=COUNCILLORS)
    assert (answer.assurance, answer.assured_by) == (Assurance.PEER_REVIEWED, council_c)
    assert client.get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert client.get("/api/v1/reviews").json() == []
    late = find(client, review, PARTNERS)
    assert late.status_code == 400 and "This review was completed on" in late.json()["detail"]


def test_a_finding_on_an_answer_changed_since_it_was_read_is_refused(api_for, editor, reviewer, review):
    read = version_of(review.council_return, COUNCILLORS)
    answer = Answer.objects.get(council_return=review.council_return, index__code=COUNCILLORS)
    save_answer(answer, {"current_level": 4}, expected_version=answer.version, by=editor)
    stale = find(api_for(reviewer), review, COUNCILLORS, version=read)
    assert stale.status_code == 400 and "changed this answer while you were reading it" in stale.json()["detail"]


@pytest.mark.parametrize("persona", ["reviewer_colleague", "other_editor", "editor", "national_admin"])
def test_only_the_reviewer_reaches_the_review(request, api_for, editor, review, persona):
    answer = Answer.objects.get(council_return=review.council_return, index__code=COUNCILLORS)
    evidence = attach_evidence(answer, SimpleUploadedFile("minutes.pdf", PDF), by=editor)
    client = api_for(request.getfixturevalue(persona))
    assert client.get("/api/v1/reviews").json() == []
    assert client.get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert client.get(f"/api/v1/reviews/{review.pk}/answers/{COUNCILLORS}/evidence/{evidence.pk}").status_code == 404
    assert find(client, review, COUNCILLORS).status_code == 404
    assert send(client, "post", f"/api/v1/reviews/{review.pk}/complete").status_code == 404
    assert PeerReview.objects.get().is_open and not ReviewFinding.objects.exists()
