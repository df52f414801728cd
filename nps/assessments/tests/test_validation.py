import io

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from openpyxl import load_workbook

from nps.accounts.preferences import set_preferences
from nps.assessments.answers import reopen_return, save_answer
from nps.assessments.models import (
    Answer,
    AnswerChange,
    Assurance,
    EventKind,
    Query,
    ReturnEvent,
    Round,
)
from nps.assessments.rounds import close_round
from nps.assessments.validation import (
    QueryRefused,
    ValidationRefused,
    answer_query,
    ask_query,
    validate_answers,
    validate_return,
)
from nps.assessments.workbook import LETTERS, build_workbook
from nps.assessments.workbook_upload import upload_workbook
from nps.core.models import AuditEvent
from nps.testing import answer_everything, database_refuses, database_rows

pytestmark = pytest.mark.django_db

COUNCILLORS, SMES = "engaging-councillors", "engaging-smes"


@pytest.fixture
def submitted(submitted_return):
    return submitted_return


def answer_of(council_return, code=COUNCILLORS):
    return Answer.objects.select_related("index").get(council_return=council_return, index__code=code)


def labels(council_return):
    return dict(council_return.answers.values_list("index__code", "assurance"))


# Validating --------------------------------------------------------------------------------------------------------


def test_validating_chosen_indices_labels_only_those_answers(submitted, national_admin):
    validated = validate_answers(submitted, [COUNCILLORS, SMES], note="Checked the evidence", by=national_admin)
    assert [answer.index.code for answer in validated] == [COUNCILLORS, SMES]
    answer = answer_of(submitted)
    assert answer.assurance == Assurance.VALIDATED and answer.assured_at is not None and answer.assured_by is None
    assert answer.assurance_label == "Validated by the national team"
    assert sorted(code for code, label in labels(submitted).items() if label == Assurance.VALIDATED) == [
        COUNCILLORS,
        SMES,
    ]


def test_validating_records_the_history_row_the_event_and_the_audit(submitted, national_admin):
    version = answer_of(submitted).version
    validate_answers(submitted, [COUNCILLORS], note="Checked the evidence", by=national_admin)
    change = AnswerChange.objects.get(answer=answer_of(submitted), field="assurance")
    assert (change.old_value, change.new_value, change.changed_by) == (
        "Self-assessed",
        "Validated by the national team",
        national_admin,
    )
    assert answer_of(submitted).version == version  # the council's answer is unchanged: no conflict for anyone
    event = ReturnEvent.objects.get(kind=EventKind.VALIDATED)
    assert event.answer == answer_of(submitted) and event.by == national_admin
    assert event.description == "Validated by the national team: Checked the evidence"
    audit = AuditEvent.objects.get(action="answers_validated")
    assert audit.organisation == submitted.organisation and COUNCILLORS in audit.description


def test_validating_the_whole_return_validates_every_answer_not_yet_validated(submitted, national_admin):
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    validated = validate_return(submitted, by=national_admin)
    assert len(validated) == 13 and COUNCILLORS not in [answer.index.code for answer in validated]
    assert set(labels(submitted).values()) == {Assurance.VALIDATED}
    assert ReturnEvent.objects.filter(kind=EventKind.VALIDATED).count() == 14


def test_validating_moves_the_rounds_figures_on(submitted, national_admin):
    before = Round.objects.get(pk=submitted.round_id).results_version
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    assert Round.objects.get(pk=submitted.round_id).results_version == before + 1


@pytest.mark.parametrize("state", ["not started", "in progress", "reopened"])
def test_a_return_that_is_not_submitted_cannot_be_validated(request, council_return, editor, national_admin, state):
    if state == "in progress":
        answer_everything(council_return, editor)
    if state == "reopened":
        council_return = request.getfixturevalue("submitted_return")
        reopen_return(council_return, reason="A correction", by=national_admin)
    council_return.refresh_from_db()
    with pytest.raises(ValidationRefused, match="only a submitted return can be validated"):
        validate_answers(council_return, [COUNCILLORS], by=national_admin)
    with pytest.raises(ValidationRefused, match="not submitted"):
        validate_return(council_return, by=national_admin)
    assert set(labels(council_return).values()) == {Assurance.SELF_ASSESSED}


def test_a_submitted_return_can_be_validated_after_its_round_closes(submitted, national_admin):
    close_round(submitted.round, by=national_admin)
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    assert answer_of(submitted).assurance == Assurance.VALIDATED


def test_validating_an_index_already_validated_is_refused_and_validates_none_of_the_others(submitted, national_admin):
    validate_answers(submitted, [SMES], by=national_admin)
    with pytest.raises(ValidationRefused, match="Already validated: Engaging local SMEs and micro-businesses"):
        validate_answers(submitted, [COUNCILLORS, SMES], by=national_admin)
    assert answer_of(submitted).assurance == Assurance.SELF_ASSESSED
    assert ReturnEvent.objects.filter(kind=EventKind.VALIDATED).count() == 1


def test_validating_a_whole_return_already_validated_is_refused(submitted, national_admin):
    validate_return(submitted, by=national_admin)
    with pytest.raises(ValidationRefused, match="Every index of this return is already validated"):
        validate_return(submitted, by=national_admin)


def test_an_unknown_index_or_no_index_is_refused(submitted, national_admin):
    with pytest.raises(ValidationRefused, match="No such index in this return: nonsense"):
        validate_answers(submitted, [COUNCILLORS, "nonsense"], by=national_admin)
    with pytest.raises(ValidationRefused, match="Choose the indices"):
        validate_answers(submitted, [], by=national_admin)
    assert answer_of(submitted).assurance == Assurance.SELF_ASSESSED


def test_an_index_with_an_open_query_is_not_validated_until_the_council_answers(submitted, editor, national_admin):
    query = ask_query(answer_of(submitted), question="Where is the report?", by=national_admin)
    with pytest.raises(ValidationRefused, match="not yet answered your query about Engaging councillors"):
        validate_answers(submitted, [COUNCILLORS, SMES], by=national_admin)
    with pytest.raises(ValidationRefused, match="Engaging councillors"):
        validate_return(submitted, by=national_admin)
    assert set(labels(submitted).values()) == {Assurance.SELF_ASSESSED}
    answer_query(query, response="Attached now.", by=editor)
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    assert answer_of(submitted).assurance == Assurance.VALIDATED


def test_validation_whose_audit_event_cannot_be_written_leaves_nothing_behind(
    submitted, national_admin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    before = database_rows()
    with django_capture_on_commit_callbacks(execute=True), database_refuses("INSERT", AuditEvent):
        with pytest.raises(IntegrityError):
            validate_return(submitted, note="All fine", by=national_admin)
    assert database_rows() == before
    assert mail.outbox == []


def test_a_validated_answer_that_changes_is_self_assessed_again_and_its_history_says_so(
    submitted, editor, national_admin
):
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    reopen_return(submitted, reason="A correction", by=national_admin)
    answer = answer_of(submitted)
    save_answer(answer, {"current_level": 4}, expected_version=answer.version, by=editor)
    answer = answer_of(submitted)
    assert answer.assurance == Assurance.SELF_ASSESSED and answer.assured_at is None
    assert list(answer.changes.filter(field="assurance").values_list("old_value", flat=True)) == [
        "Validated by the national team",  # the drop, newest first
        "Self-assessed",  # the validation
    ]


# Emails about validation -------------------------------------------------------------------------------------------


def test_validating_emails_the_councils_editors_and_approvers_with_the_note(
    submitted, viewer, national_admin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validate_answers(submitted, [COUNCILLORS, SMES], note="Evidence is strong", by=national_admin)
    assert sorted(message.to[0] for message in mail.outbox) == ["abe@alderley.example", "alice@alderley.example"]
    message = mail.outbox[0]
    assert message.subject == "2026 diagnostic: the national team validated 2 answers"
    assert "- Engaging councillors\n- Engaging local SMEs and micro-businesses" in message.body
    assert "Their note: Evidence is strong" in message.body
    link = f"{settings.SITE_URL}/organisations/{submitted.organisation.gss_code}/rounds/{submitted.round_id}/"
    assert link in message.body
    assert f"{settings.SITE_URL}/email-preferences/" in message.body and message.extra_headers["List-Unsubscribe"]


def test_someone_who_turned_off_news_of_returns_gets_no_email(
    submitted, approver, national_admin, django_capture_on_commit_callbacks
):
    set_preferences(approver.email, assurance_emails=False, by=approver)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validate_return(submitted, by=national_admin)
    assert [message.to[0] for message in mail.outbox] == ["alice@alderley.example"]


# Queries -----------------------------------------------------------------------------------------------------------


def test_asking_a_query_records_it_with_an_event_and_an_audit_and_emails_the_editors(
    submitted, national_admin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        query = ask_query(answer_of(submitted), question="Which report shows this?", by=national_admin)
    assert query.is_open and query.asked_by == national_admin
    event = ReturnEvent.objects.get(kind=EventKind.QUERIED)
    assert event.answer == answer_of(submitted)
    assert event.description == "The national team asked: Which report shows this?"
    assert AuditEvent.objects.filter(action="answer_queried", organisation=submitted.organisation).exists()
    assert sorted(message.to[0] for message in mail.outbox) == ["abe@alderley.example", "alice@alderley.example"]
    message = mail.outbox[0]
    assert message.subject == "2026 diagnostic: the national team has a question about Engaging councillors"
    assert "Which report shows this?" in message.body
    assert f"/rounds/{submitted.round_id}/indices/{COUNCILLORS}/" in message.body


def test_a_query_about_a_return_that_is_not_submitted_is_refused(council_return, editor, national_admin):
    answer_everything(council_return, editor)
    with pytest.raises(QueryRefused, match="ask about its answers once the council has submitted it"):
        ask_query(answer_of(council_return), question="Why?", by=national_admin)
    assert not Query.objects.exists()


def test_a_validated_answer_can_be_queried_and_keeps_its_label(submitted, national_admin):
    validate_answers(submitted, [COUNCILLORS], by=national_admin)
    ask_query(answer_of(submitted), question="One more thing", by=national_admin)
    assert answer_of(submitted).assurance == Assurance.VALIDATED


def test_answering_a_query_records_it_and_emails_the_national_team_member_who_asked(
    submitted, editor, national_admin, django_capture_on_commit_callbacks
):
    query = ask_query(answer_of(submitted), question="Which report?", by=national_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = answer_query(query, response="The 2026 annual report.", by=editor)
    assert not answered.is_open and answered.answered_by == editor and answered.response == "The 2026 annual report."
    event = ReturnEvent.objects.get(kind=EventKind.QUERY_ANSWERED)
    assert event.by == editor and event.description == "The council answered: The 2026 annual report."
    assert AuditEvent.objects.filter(action="query_answered", organisation=submitted.organisation).exists()
    assert [message.to[0] for message in mail.outbox] == ["nadia@national.example"]
    message = mail.outbox[0]
    assert message.subject == "Alderley answered your question about Engaging councillors"
    assert "Your question: Which report?" in message.body and "Their answer: The 2026 annual report." in message.body
    assert f"/rounds/{submitted.round_id}/returns/{submitted.organisation.gss_code}/validation/" in message.body


def test_answering_an_answered_query_is_refused_and_keeps_the_first_answer(submitted, editor, approver, national_admin):
    query = ask_query(answer_of(submitted), question="Which report?", by=national_admin)
    answer_query(query, response="The annual report.", by=editor)
    with pytest.raises(QueryRefused, match="already answered by Alice on"):
        answer_query(query, response="Something else", by=approver)
    query.refresh_from_db()
    assert query.response == "The annual report." and query.answered_by == editor
    assert ReturnEvent.objects.filter(kind=EventKind.QUERY_ANSWERED).count() == 1


@pytest.mark.parametrize("state", ["reopened", "closed"])
def test_a_query_can_be_answered_whatever_the_state_of_the_return(submitted, approver, national_admin, state):
    query = ask_query(answer_of(submitted), question="Which report?", by=national_admin)
    if state == "reopened":
        reopen_return(submitted, reason="A correction", by=national_admin)
    else:
        close_round(submitted.round, by=national_admin)
    assert not answer_query(query, response="The annual report.", by=approver).is_open


# No council can give itself "validated" ----------------------------------------------------------------------------


def test_an_uploaded_workbook_neither_gives_nor_takes_away_validation(submitted, editor, national_admin):
    """The assurance column is read-only and ignored on upload, whatever is typed into it."""
    validate_answers(submitted, [SMES], by=national_admin)
    reopen_return(submitted, reason="A correction", by=national_admin)
    submitted.refresh_from_db()
    book = load_workbook(io.BytesIO(build_workbook(submitted, upload_url="https://nps.example/")))
    sheet = book["Answers"]
    for row in range(2, sheet.max_row + 1):
        smes = sheet[f"{LETTERS['index_code']}{row}"].value == SMES
        sheet[f"{LETTERS['assurance']}{row}"] = "Self-assessed" if smes else "Validated by the national team"
    sheet[f"{LETTERS['evidence']}2"] = "A new report"  # so that the upload saves something
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(upload_workbook(submitted, buffer.getvalue(), by=editor)) == 1
    assert labels(submitted) == {
        answer.index.code: Assurance.VALIDATED if answer.index.code == SMES else Assurance.SELF_ASSESSED
        for answer in submitted.answers.select_related("index")
    }
