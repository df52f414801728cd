import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from nps.assessments.answers import save_answer
from nps.assessments.evidence import attach_evidence
from nps.assessments.models import Answer, Assurance, PeerReview, ReviewFinding, Verdict
from nps.assessments.reviews import complete_review, save_finding, withdraw_review
from nps.frameworks.levels import Level
from nps.organisations.models import Kind, Organisation
from nps.testing import make_organisation, make_region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% demo\n"
COUNCILLORS, PARTNERS, MANAGERS = "engaging-councillors", "working-with-partners", "engaging-senior-managers"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def answer_to(council_return, code):
    return Answer.objects.get(council_return=council_return, index__code=code)


def attach(council_return, code, name, editor):
    return attach_evidence(answer_to(council_return, code), SimpleUploadedFile(name, PDF), by=editor)


def review_url(review, rest=""):
    return f"/reviews/{review.pk}/{rest}"


def post_finding(client, review, code, **values):
    answer = answer_to(review.council_return, code)
    return client.post(review_url(review, f"indices/{code}/"), {"version": answer.version, **values})


def completed(review, reviewer):
    """Rhea agrees with one answer and suggests Leader for the other, then completes."""
    for code, verdict, level, comment in [
        (COUNCILLORS, Verdict.AGREE, None, ""),
        (PARTNERS, Verdict.DIFFERENT_LEVEL, Level.LEADER, "Joint teams everywhere"),
    ]:
        answer = answer_to(review.council_return, code)
        values = {"verdict": verdict, "suggested_level": level, "comment": comment, "answer_version": answer.version}
        save_finding(review, answer.index, **values, by=reviewer)
    return complete_review(review, by=reviewer)


# The council asks ---------------------------------------------------------------------------------------------------


@pytest.fixture
def neighbour(council_a):
    """A district council in Alderley's region, as Alderley is: a council like it, which the page suggests."""
    return make_organisation("Dunham", kind=Kind.DISTRICT_COUNCIL, population=90_000)


def ask_values(index, **values):
    return {"email": "rhea@wigan.example", "indices": [index.pk], **values}


def test_an_editor_asks_a_council_like_theirs_for_a_review(
    client_for,
    editor,
    council_a,
    council_b,
    council_c,
    neighbour,
    answered_return,
    return_url,
    django_capture_on_commit_callbacks,
):
    client = client_for(editor)
    page = client.get(return_url + "reviews/new/").content.decode()
    assert f'value="{neighbour.gss_code}"' in page and "Dunham" in page
    for not_suggested in [council_a, council_b, council_c]:  # itself, and councils of other types
        assert f'value="{not_suggested.gss_code}"' not in page
    assert 'value="another"' in page and "The council&#x27;s name or GSS code" in page
    assert page.count(" checked>") == 14  # every answered index, by default
    chosen = answer_to(answered_return, COUNCILLORS).index
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            return_url + "reviews/new/", ask_values(chosen, reviewing_organisation=neighbour.gss_code)
        )
    assert response.status_code == 302 and response["Location"] == return_url + "reviews/"
    review = PeerReview.objects.get()
    assert (review.reviewing_organisation, list(review.indices.all())) == (neighbour, [chosen])
    assert mail.outbox[-1].to == ["rhea@wigan.example"]
    listing = client.get(return_url + "reviews/").content.decode()
    assert "Dunham Council" in listing and "Under way" in listing and "Withdraw this review" in listing


def test_the_suggestions_are_the_nearest_in_population_and_only_a_few(client_for, editor, council_a, return_url):
    Organisation.objects.filter(pk=council_a.pk).update(population=100_000)
    for number in range(12):
        make_organisation(f"District {number:02}", kind=Kind.DISTRICT_COUNCIL, population=100_000 + number * 1_000)
    make_organisation("Elsewhere", kind=Kind.DISTRICT_COUNCIL, region=make_region("South East", "E12000008"))
    page = client_for(editor).get(return_url + "reviews/new/").content.decode()
    suggested = re.findall(r'radios__label" for="id_reviewing_organisation_\d">([^<]+)<', page)
    assert suggested == ["District 00", "District 01", "District 02", "District 03", "District 04", "Another council"]


def test_an_editor_asks_any_other_council_by_its_name_or_gss_code(
    client_for, editor, council_c, neighbour, answered_return, return_url
):
    make_organisation("Wigan North", kind=Kind.DISTRICT_COUNCIL)
    client = client_for(editor)
    index = answer_to(answered_return, COUNCILLORS).index
    for number, typed in enumerate(["Wigan", " wigan council ", council_c.gss_code.lower()]):
        values = ask_values(index, reviewing_organisation="another", council=typed, email=f"r{number}@wigan.example")
        assert client.post(return_url + "reviews/new/", values).status_code == 302, typed
    without_javascript = ask_values(index, council="Wigan", email="r3@wigan.example")  # the box, no radio chosen
    assert client.post(return_url + "reviews/new/", without_javascript).status_code == 302
    assert list(PeerReview.objects.values_list("reviewing_organisation", flat=True)) == [council_c.pk] * 4


def test_the_ask_form_refuses_a_council_it_cannot_find_or_tell_apart_or_the_asking_councils_own(
    client_for, editor, council_a, council_c, neighbour, answered_return, return_url
):
    wigan_north = make_organisation("Wigan North", kind=Kind.DISTRICT_COUNCIL)
    make_organisation("Oldham", kind=Kind.METROPOLITAN_DISTRICT, end_date=datetime.date(2020, 3, 31))
    client = client_for(editor)
    index = answer_to(answered_return, COUNCILLORS).index
    for typed, message in [
        ("Nowhere", "No current council has the name or GSS code “Nowhere”: check the spelling"),
        ("Oldham", "No current council has the name or GSS code “Oldham”: check the spelling"),
        (
            "Wig",
            f"More than one council matches “Wig”: Wigan ({council_c.gss_code}), Wigan North ({wigan_north.gss_code})."
            " Enter the full name or the GSS code",
        ),
        (council_a.gss_code, "A council cannot review its own return: choose another council."),
        ("Alderley Council", "A council cannot review its own return: choose another council."),
        ("", "Enter the name or GSS code of the council that should review your return"),
    ]:
        values = ask_values(index, reviewing_organisation="another", council=typed)
        page = client.post(return_url + "reviews/new/", values).content.decode()
        assert "<title>Error: " in page and message in page, typed
        assert f'name="council" value="{typed}"' in page or not typed  # what was typed stays, to correct
    own = client.post(return_url + "reviews/new/", ask_values(index, reviewing_organisation=council_a.gss_code))
    assert "A council cannot review its own return" in own.content.decode()
    assert not PeerReview.objects.exists()


def test_the_ask_form_says_what_is_wrong(client_for, editor, council_return, council_c, neighbour, return_url):
    response = client_for(editor).post(return_url + "reviews/new/", {"email": "not an address"})
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    for message in ["Choose the council that should review your return", "Enter a valid email address", "Choose at"]:
        assert message in page
    unanswered = answer_to(council_return, COUNCILLORS).index
    values = ask_values(unanswered, reviewing_organisation="another", council="Wigan")
    refused = client_for(editor).post(return_url + "reviews/new/", values).content.decode()
    assert "Answer these indices before asking for a review of them: Engaging councillors." in refused
    assert not PeerReview.objects.exists()


def test_a_council_with_none_like_it_enters_the_reviewing_council_by_name(
    client_for, editor, council_c, answered_return, return_url
):
    client = client_for(editor)
    page = client.get(return_url + "reviews/new/").content.decode()
    assert 'type="radio"' not in page and '<label class="govuk-label" for="id_council">Which council should' in page
    index = answer_to(answered_return, COUNCILLORS).index
    empty = client.post(return_url + "reviews/new/", ask_values(index)).content.decode()
    assert "Enter the name or GSS code of the council that should review your return" in empty
    assert 'href="#id_council"' in empty  # the error summary leads to the box
    assert client.post(return_url + "reviews/new/", ask_values(index, council="Wigan")).status_code == 302
    assert PeerReview.objects.get().reviewing_organisation == council_c


def test_an_invitation_past_the_limit_is_a_form_error(
    client_for, editor, answered_return, council_c, return_url, settings
):
    settings.INVITATION_LIMIT_PER_SENDER = 1
    index = answer_to(answered_return, COUNCILLORS).index
    client = client_for(editor)
    for person in ["first@wigan.example", "second@wigan.example"]:
        values = {"reviewing_organisation": council_c.gss_code, "email": person, "indices": [index.pk]}
        response = client.post(return_url + "reviews/new/", values)
    assert response.status_code == 200 and "You have sent 1 invitations" in response.content.decode()
    assert list(PeerReview.objects.values_list("reviewer_email", flat=True)) == ["first@wigan.example"]


def test_an_editor_withdraws_a_review_after_confirming(
    client_for, editor, reviewer, review, return_url, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    page = client.get(return_url + f"reviews/{review.pk}/withdraw/").content.decode()
    assert "rhea@wigan.example will no longer see your answers to" in page and "Working with partners" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(return_url + f"reviews/{review.pk}/withdraw/", follow=True)
    assert "they can no longer see your return" in response.content.decode()
    assert mail.outbox[-1].to == [reviewer.email]
    again = client.post(return_url + f"reviews/{review.pk}/withdraw/", follow=True).content.decode()
    assert "This review was withdrawn on" in again
    assert client_for(reviewer).get(review_url(review)).status_code == 404


# The reviewer reviews -----------------------------------------------------------------------------------------------


def test_the_reviewer_reads_only_the_chosen_answers_and_their_files(client_for, editor, reviewer, review):
    council_return = review.council_return
    Answer.objects.filter(pk=answer_to(council_return, COUNCILLORS).pk).update(
        evidence="Cabinet minutes, May", evidence_links="https://alderley.example/minutes"
    )
    shown = attach(council_return, COUNCILLORS, "Cabinet report.pdf", editor)
    hidden = attach(council_return, MANAGERS, "Board notes.pdf", editor)
    client = client_for(reviewer)
    assert "Review Alderley's return to 2026 diagnostic" in client.get("/returns/").content.decode()
    assert "Alderley" in client.get("/reviews/").content.decode()
    overview = client.get(review_url(review)).content.decode()
    assert (
        "Engaging councillors" in overview and "Working with partners" in overview and "senior managers" not in overview
    )
    page = client.get(review_url(review, f"indices/{COUNCILLORS}/")).content.decode()
    shown_texts = [
        "Developing",
        "exploring the best approach to councillor engagement",  # the descriptor of the council's level
        "Cabinet minutes, May",
        "https://alderley.example/minutes",
        "Cabinet_report.pdf",
        "Mature",  # the target
        "Self-assessed",
    ]
    assert all(text in page for text in shown_texts)
    download = client.get(review_url(review, f"indices/{COUNCILLORS}/evidence/{shown.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(review_url(review, f"indices/{MANAGERS}/")).status_code == 404
    assert client.get(review_url(review, f"indices/{MANAGERS}/evidence/{hidden.pk}/")).status_code == 404
    assert client.get(review_url(review, f"indices/{COUNCILLORS}/evidence/{hidden.pk}/")).status_code == 404


def test_the_reviewer_sees_nothing_else_of_the_council(client_for, editor, reviewer, review, return_url):
    shown = attach(review.council_return, COUNCILLORS, "Cabinet report.pdf", editor)
    client = client_for(reviewer)
    for url in [
        return_url,
        return_url + f"indices/{COUNCILLORS}/",
        return_url + f"indices/{COUNCILLORS}/history/",
        return_url + f"indices/{COUNCILLORS}/evidence/{shown.pk}/",
        return_url + "reviews/",
        return_url + "respondents/",
        return_url + "submit/",
        f"/organisations/{review.council_return.organisation.gss_code}/actions/",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_reviewer_saves_findings_as_they_go_and_completes(
    client_for, reviewer, editor, review, council_c, django_capture_on_commit_callbacks
):
    client = client_for(reviewer)
    agreed = post_finding(client, review, COUNCILLORS, verdict="agree", comment="", **{"continue": "1"})
    assert agreed["Location"] == review_url(review, f"indices/{PARTNERS}/")
    unexplained = post_finding(client, review, PARTNERS, verdict="different_level", suggested_level=4)
    assert "Say why you suggest a different level" in unexplained.content.decode()
    same = post_finding(client, review, PARTNERS, verdict="different_level", suggested_level=2, comment="Hmm")
    assert "level is Developing: choose another, or agree with it" in same.content.decode()
    suggested = post_finding(client, review, PARTNERS, verdict="different_level", suggested_level=4, comment="Joint")
    assert suggested["Location"] == review_url(review)
    check = client.get(review_url(review, "complete/")).content.decode()
    assert "Agree" in check and "Leader" in check and "Joint" in check
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(review_url(review, "complete/"), follow=True).content.decode()
    assert "Review completed" in done
    assert answer_to(review.council_return, COUNCILLORS).assurance_label == "Peer-reviewed by Wigan Council"
    assert editor.email in [email.to[0] for email in mail.outbox]
    for url in [review_url(review), review_url(review, f"indices/{COUNCILLORS}/"), review_url(review, "complete/")]:
        assert client.get(url).status_code == 404, url
    assert "Alderley" not in client.get("/reviews/").content.decode()


def test_completing_without_every_finding_says_what_is_missing(client_for, reviewer, review):
    client = client_for(reviewer)
    post_finding(client, review, COUNCILLORS, verdict="agree")
    page = client.post(review_url(review, "complete/")).content.decode()
    assert "<title>Error: " in page and "Record a finding for every index before completing the review" in page
    assert PeerReview.objects.get().is_open


def test_a_finding_on_an_answer_changed_while_reading_shows_the_new_answer(client_for, reviewer, editor, review):
    client = client_for(reviewer)
    read_version = answer_to(review.council_return, COUNCILLORS).version
    answer = answer_to(review.council_return, COUNCILLORS)
    save_answer(answer, {"current_level": Level.LEADER}, expected_version=answer.version, by=editor)
    url = review_url(review, f"indices/{COUNCILLORS}/")
    response = client.post(url, {"version": read_version, "verdict": "agree"})
    page = response.content.decode()
    assert "changed this answer while you were reading it" in page and "Leader" in page
    assert f'value="{read_version + 1}"' in page
    assert client.post(url, {"version": read_version + 1, "verdict": "agree"}).status_code == 302
    assert ReviewFinding.objects.get().answer_version == read_version + 1


def test_a_step_on_a_withdrawn_review_says_what_happened(client_for, reviewer, editor, review):
    withdraw_review(review, by=editor)
    client = client_for(reviewer)
    for step in [review_url(review, "complete/"), review_url(review, f"indices/{COUNCILLORS}/")]:
        response = client.post(step, {"version": 1, "verdict": "agree"}, follow=True)
        assert "This review was withdrawn on" in response.content.decode()
    assert not ReviewFinding.objects.exists()
    assert client.get(review_url(review, f"indices/{COUNCILLORS}/")).status_code == 404


@pytest.mark.parametrize("persona", ["reviewer_colleague", "other_editor", "editor", "viewer", "national_admin"])
def test_only_the_reviewer_reaches_the_review(request, client_for, review, persona):
    evidence = attach(review.council_return, COUNCILLORS, "report.pdf", request.getfixturevalue("editor"))
    client = client_for(request.getfixturevalue(persona))
    for url in [
        review_url(review),
        review_url(review, f"indices/{COUNCILLORS}/"),
        review_url(review, f"indices/{COUNCILLORS}/evidence/{evidence.pk}/"),
        review_url(review, "complete/"),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(review_url(review, "complete/")).status_code == 404
    assert "Alderley" not in client.get("/reviews/").content.decode()
    assert PeerReview.objects.get().is_open


# The council resolves -----------------------------------------------------------------------------------------------


def test_suggestions_show_on_the_return_and_answer_pages_and_an_editor_resolves_them(
    client_for, editor, viewer, reviewer, review, return_url
):
    completed(review, reviewer)
    suggestion = ReviewFinding.objects.get(verdict=Verdict.DIFFERENT_LEVEL)
    client = client_for(editor)
    overview = client.get(return_url).content.decode()
    assert "Working with partners: Wigan Council suggests Leader" in overview
    answer_page = client.get(return_url + f"indices/{PARTNERS}/").content.decode()
    assert "Wigan Council suggested" in answer_page and "Joint teams everywhere" in answer_page
    assert "Resolve this suggestion" in answer_page
    agreed_page = client.get(return_url + f"indices/{COUNCILLORS}/").content.decode()
    assert "Wigan Council agreed with this answer" in agreed_page
    history = client.get(return_url + f"indices/{COUNCILLORS}/history/").content.decode()
    assert "Peer review requested" in history and "Peer review completed" in history
    assert "rhea@wigan.example at Wigan Council agreed: peer-reviewed by Wigan Council" in history
    assert "Resolve this suggestion" not in client_for(viewer).get(return_url + f"indices/{PARTNERS}/").content.decode()
    resolve_url = return_url + f"reviews/findings/{suggestion.pk}/resolve/"
    empty = client.post(resolve_url, {"resolution": ""}).content.decode()
    assert "Say what the council did about this suggestion" in empty
    assert client.post(resolve_url, {"resolution": "Kept ours"}).status_code == 302
    assert "Resolved by Alice" in client.get(return_url + f"indices/{PARTNERS}/").content.decode()
    again = client.post(resolve_url, {"resolution": "Twice"}).content.decode()
    assert "This suggestion was already resolved by Alice on" in again
    assert ReviewFinding.objects.get(pk=suggestion.pk).resolution == "Kept ours"


def test_an_agreement_changed_by_the_council_drops_back_to_self_assessed(client_for, editor, reviewer, review):
    completed(review, reviewer)
    answer = answer_to(review.council_return, COUNCILLORS)
    save_answer(answer, {"current_level": Level.MATURE}, expected_version=answer.version, by=editor)
    assert answer_to(review.council_return, COUNCILLORS).assurance == Assurance.SELF_ASSESSED


def test_viewers_read_the_reviews_but_change_nothing(client_for, viewer, reviewer, review, return_url):
    completed(review, reviewer)
    suggestion = ReviewFinding.objects.get(verdict=Verdict.DIFFERENT_LEVEL)
    client = client_for(viewer)
    page = client.get(return_url + "reviews/").content.decode()
    assert "Joint teams everywhere" in page and "To resolve" in page and "Ask for a peer review" not in page
    for url in [
        return_url + "reviews/new/",
        return_url + f"reviews/{review.pk}/withdraw/",
        return_url + f"reviews/findings/{suggestion.pk}/resolve/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"resolution": "x"}).status_code == 404, url


@pytest.mark.parametrize("persona", ["other_editor", "group_lead", "reviewer_colleague", "reviewer"])
def test_people_outside_the_council_get_404_for_its_reviews(request, client_for, reviewer, review, return_url, persona):
    completed(review, reviewer)
    suggestion = ReviewFinding.objects.get(verdict=Verdict.DIFFERENT_LEVEL)
    client = client_for(request.getfixturevalue(persona))
    for url in [
        return_url + "reviews/",
        return_url + "reviews/new/",
        return_url + f"reviews/{review.pk}/withdraw/",
        return_url + f"reviews/findings/{suggestion.pk}/resolve/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"resolution": "x"}).status_code == 404, url
