import pytest
from django.core import mail

from nps.assessments.answers import reopen_return
from nps.assessments.models import Answer, AnswerChange, Assurance, Query
from nps.assessments.validation import answer_query, ask_query, validate_answers

pytestmark = pytest.mark.django_db

COUNCILLORS, SMES = "engaging-councillors", "engaging-smes"
NOT_THE_NATIONAL_TEAM = ["editor", "approver", "viewer", "other_editor", "group_lead"]


@pytest.fixture
def validation_url(submitted_return):
    return f"/rounds/{submitted_return.round_id}/returns/{submitted_return.organisation.gss_code}/validation/"


@pytest.fixture
def query(submitted_return, national_admin):
    return ask_query(answer_of(submitted_return), question="Which report shows this?", by=national_admin)


def answer_of(council_return, code=COUNCILLORS):
    return Answer.objects.select_related("index").get(council_return=council_return, index__code=code)


def ask_url(council_return, code=COUNCILLORS):
    return f"/rounds/{council_return.round_id}/returns/{council_return.organisation.gss_code}/indices/{code}/query/"


def respond_url(return_url, query):
    return return_url + f"indices/{query.answer.index.code}/queries/{query.pk}/"


def labels(council_return):
    return set(council_return.answers.values_list("assurance", flat=True))


# The national team's page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_THE_NATIONAL_TEAM)
def test_only_the_national_team_may_see_validate_or_query_a_return(
    request, client_for, submitted_return, validation_url, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(validation_url).status_code == 404
    assert client.post(validation_url, {"whole_return": "1", "confirmed": "1"}).status_code == 404
    assert client.post(ask_url(submitted_return), {f"{COUNCILLORS}-question": "Why?"}).status_code == 404
    assert labels(submitted_return) == {Assurance.SELF_ASSESSED} and not Query.objects.exists()


def test_the_page_lists_each_index_with_its_level_evidence_label_and_open_queries(
    client_for, submitted_return, national_admin, validation_url, query
):
    answer = answer_of(submitted_return, SMES)
    Answer.objects.filter(pk=answer.pk).update(evidence="Our SME action plan")
    validate_answers(submitted_return, [SMES], by=national_admin)
    html = client_for(national_admin).get(validation_url).content.decode()
    assert "Validate Alderley's return" in html
    assert html.count('class="govuk-summary-card"') == 14
    assert "Our SME action plan" in html and "Developing" in html
    assert "Validated by the national team on" in html and "Self-assessed" in html
    assert "Which report shows this?" in html and ">Open</strong>" in html
    assert "1 of 14 indices" in html
    assert f'value="{SMES}"' not in html  # validated already: not offered again
    assert "Developing. Self-assessed. 1 open query." in html


def test_the_round_page_links_to_the_validation_of_each_submitted_return(
    client_for, submitted_return, national_admin, validation_url
):
    html = client_for(national_admin).get(f"/rounds/{submitted_return.round_id}/").content.decode()
    assert html.count("/validation/") == 1 and validation_url in html


def test_validating_chosen_indices_asks_first_then_validates_them(
    client_for, submitted_return, national_admin, validation_url, django_capture_on_commit_callbacks
):
    client = client_for(national_admin)
    chosen = {"indices": [COUNCILLORS, SMES], "note": "Evidence checked"}
    confirm = client.post(validation_url, chosen).content.decode()
    assert "Validate these 2 indices?" in confirm and "Engaging councillors: Developing" in confirm
    assert "Your note: Evidence checked" in confirm
    assert labels(submitted_return) == {Assurance.SELF_ASSESSED}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(validation_url, {**chosen, "confirmed": "1"}, follow=True)
    assert "Validated 2 indices of Alderley&#x27;s return." in response.content.decode()
    assert answer_of(submitted_return).assurance == Assurance.VALIDATED
    assert answer_of(submitted_return, SMES).assurance == Assurance.VALIDATED
    assert len(mail.outbox) == 2


def test_validating_the_whole_return_asks_first_then_validates_every_index(
    client_for, submitted_return, national_admin, validation_url
):
    client = client_for(national_admin)
    assert "Validate the whole return?" in client.post(validation_url, {"whole_return": "1"}).content.decode()
    client.post(validation_url, {"whole_return": "1", "confirmed": "1", "note": ""})
    assert labels(submitted_return) == {Assurance.VALIDATED}
    html = client.get(validation_url).content.decode()
    assert "Every index of this return is validated." in html and "14 of 14 indices" in html


def test_choosing_nothing_says_what_to_do(client_for, national_admin, validation_url):
    html = client_for(national_admin).post(validation_url, {"note": "Hm"}).content.decode()
    assert "<title>Error: " in html
    assert '<a href="#id_indices_0">Choose the indices to validate, or validate the whole return</a>' in html


def test_an_index_validated_since_the_page_loaded_is_refused_with_a_clear_message(
    client_for, submitted_return, national_admin, validation_url
):
    validate_answers(submitted_return, [SMES], by=national_admin)
    response = client_for(national_admin).post(validation_url, {"indices": [COUNCILLORS, SMES], "confirmed": "1"})
    html = response.content.decode()
    assert "Already validated: Engaging local SMEs and micro-businesses. Nothing was validated" in html
    assert answer_of(submitted_return).assurance == Assurance.SELF_ASSESSED


def test_a_reopened_return_is_not_offered_for_validation_and_a_stale_form_is_refused(
    client_for, submitted_return, national_admin, validation_url
):
    reopen_return(submitted_return, reason="A correction", by=national_admin)
    client = client_for(national_admin)
    html = client.get(validation_url).content.decode()
    assert "This return is in progress, not submitted" in html
    assert "Validate the chosen indices" not in html and "Ask the council about" not in html
    html = client.post(validation_url, {"indices": [COUNCILLORS], "confirmed": "1"}).content.decode()
    assert "only a submitted return can be validated" in html
    assert labels(submitted_return) == {Assurance.SELF_ASSESSED}


def test_the_national_team_asks_a_question_about_one_index(
    client_for, submitted_return, national_admin, validation_url
):
    response = client_for(national_admin).post(
        ask_url(submitted_return), {f"{COUNCILLORS}-question": "Which report shows this?"}
    )
    assert response.status_code == 302 and response["Location"] == validation_url + f"#{COUNCILLORS}"
    query = Query.objects.get()
    assert (query.answer, query.question, query.is_open) == (
        answer_of(submitted_return),
        "Which report shows this?",
        True,
    )


def test_an_empty_question_is_shown_again_with_its_error_in_its_index(client_for, submitted_return, national_admin):
    html = client_for(national_admin).post(ask_url(submitted_return), {f"{COUNCILLORS}-question": " "}).content.decode()
    assert "<title>Error: " in html
    assert f'<a href="#id_{COUNCILLORS}-question">Write your question to the council</a>' in html
    assert '<details class="govuk-details govuk-!-margin-bottom-0" open>' in html
    assert not Query.objects.exists()


def test_a_question_about_a_reopened_return_is_refused(client_for, submitted_return, national_admin):
    reopen_return(submitted_return, reason="A correction", by=national_admin)
    response = client_for(national_admin).post(ask_url(submitted_return), {f"{COUNCILLORS}-question": "Why?"})
    assert "ask about its answers once the council has submitted it" in response.content.decode()
    assert not Query.objects.exists()


# The council's answer ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "approver"])
def test_the_councils_editors_and_approvers_see_the_question_and_answer_it_on_the_answer_page(
    request, client_for, return_url, query, persona
):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(return_url + f"indices/{COUNCILLORS}/").content.decode()
    assert "Questions from the national team" in html and "Which report shows this?" in html
    assert f'action="{respond_url(return_url, query)}"' in html
    response = client.post(respond_url(return_url, query), {"response": "The annual report."})
    assert response["Location"] == return_url + f"indices/{COUNCILLORS}/"
    query.refresh_from_db()
    assert query.response == "The annual report." and not query.is_open
    html = client.get(return_url + f"indices/{COUNCILLORS}/").content.decode()
    assert "The annual report." in html and ">Answered</strong>" in html


def test_the_return_page_lists_open_questions_and_answers_them_there(client_for, editor, return_url, query):
    client = client_for(editor)
    html = client.get(return_url).content.decode()
    assert "The national team has a question" in html and "Which report shows this?" in html
    assert '<input type="hidden" name="next" value="overview">' in html
    response = client.post(respond_url(return_url, query), {"response": "The annual report.", "next": "overview"})
    assert response["Location"] == return_url
    assert "The national team has a question" not in client.get(return_url).content.decode()


@pytest.mark.parametrize("persona", ["viewer", "national_admin"])
def test_readers_see_the_question_but_cannot_answer_it(request, client_for, return_url, query, persona):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(return_url + f"indices/{COUNCILLORS}/").content.decode()
    assert "Which report shows this?" in html and "Waiting for the council's answer." in html
    assert "Send your answer" not in html and "Send your answer" not in client.get(return_url).content.decode()
    assert client.get(respond_url(return_url, query)).status_code == 404
    assert client.post(respond_url(return_url, query), {"response": "Mine"}).status_code == 404
    query.refresh_from_db()
    assert query.is_open


@pytest.mark.parametrize("persona", ["other_editor", "group_lead"])
def test_anyone_outside_the_council_gets_404_for_its_questions(request, client_for, return_url, query, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(respond_url(return_url, query)).status_code == 404
    assert client.post(respond_url(return_url, query), {"response": "Mine"}).status_code == 404
    query.refresh_from_db()
    assert query.is_open


def test_an_empty_answer_is_shown_again_with_its_error(client_for, editor, return_url, query):
    html = client_for(editor).post(respond_url(return_url, query), {"response": ""}).content.decode()
    assert "<title>Error: " in html
    assert '<a href="#id_response">Write your answer to the national team</a>' in html
    query.refresh_from_db()
    assert query.is_open


def test_answering_an_answered_question_is_refused_with_who_answered_it(
    client_for, editor, approver, return_url, query
):
    answer_query(query, response="The annual report.", by=approver)
    html = client_for(editor).post(respond_url(return_url, query), {"response": "Another"}).content.decode()
    assert "This query was already answered by Abe on" in html
    query.refresh_from_db()
    assert query.response == "The annual report."


def test_a_question_is_answered_while_the_return_is_reopened(
    client_for, editor, submitted_return, national_admin, return_url, query
):
    reopen_return(submitted_return, reason="A correction", by=national_admin)
    client_for(editor).post(respond_url(return_url, query), {"response": "Corrected it."})
    query.refresh_from_db()
    assert query.response == "Corrected it."


# No council can give itself "validated" ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "approver"])
def test_the_answer_form_ignores_an_assurance_posted_with_it(request, client_for, council_return, return_url, persona):
    client = client_for(request.getfixturevalue(persona))
    client.post(
        return_url + f"indices/{COUNCILLORS}/",
        {"version": 0, "current_level": 3, "assurance": "validated", "assured_at": "2027-01-01"},
    )
    answer = answer_of(council_return)
    assert answer.current_level == 3
    assert answer.assurance == Assurance.SELF_ASSESSED and answer.assured_at is None
    assert "Validated by the national team" not in client.get(return_url + f"indices/{COUNCILLORS}/").content.decode()


# The readable history ----------------------------------------------------------------------------------------------


def test_the_history_reads_in_the_pages_words_with_validation_and_queries_as_steps(
    client_for, editor, submitted_return, national_admin, return_url, query
):
    answer = answer_of(submitted_return)
    AnswerChange.objects.create(answer=answer, version=1, field="confidence", old_value="low", new_value="medium")
    answer_query(query, response="The annual report.", by=editor)
    validate_answers(submitted_return, [COUNCILLORS], note="Report read", by=national_admin)
    html = client_for(editor).get(return_url + f"indices/{COUNCILLORS}/history/").content.decode()
    assert "Low confidence" in html and "Medium confidence" in html and ">low<" not in html
    assert "<strong>Validated</strong>" in html and "Validated by the national team: Report read" in html
    assert "<strong>Queried</strong>" in html and "The national team asked: Which report shows this?" in html
    assert "<strong>Query answered</strong>" in html and "The council answered: The annual report." in html
    assert "Nadia, the national team" in html
    assert html.index("<strong>Validated</strong>") < html.index("<strong>Query answered</strong>")
    assert html.index("<strong>Query answered</strong>") < html.index("<strong>Queried</strong>")
