import datetime

import pytest
from django.db import IntegrityError

from nps.assessments.answers import (
    AnswerConflict,
    IncompleteReturn,
    ReturnLocked,
    StepRefused,
    confirm_answer,
    reopen_return,
    return_problems,
    save_answer,
    submit_return,
)
from nps.assessments.models import Answer, AnswerChange, Assurance, EventKind, Return, ReturnEvent, ReturnStatus, Round
from nps.assessments.rounds import close_round
from nps.core.models import AuditEvent
from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, answer_everything, database_refuses, database_rows, make_open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_return(council_a):
    return Return.objects.get(round=make_open_round(council_a), organisation=council_a)


def answer_for(council_return, code="engaging-councillors"):
    return council_return.answers.select_related("index").get(index__code=code)


def test_saving_records_who_changed_what_from_what_to_what(council_return, editor):
    answer = answer_for(council_return)
    save_answer(answer, {"current_level": 2, "target_level": 3}, expected_version=0, by=editor)
    saved = save_answer(
        answer_for(council_return), {"current_level": 3, "target_level": 3}, expected_version=1, by=editor
    )
    assert (saved.current_level, saved.version, saved.updated_by) == (3, 2, editor)
    changes = [(c.field, c.old_value, c.new_value, c.changed_by) for c in saved.changes.order_by("pk")]
    assert changes == [
        ("current_level", "", "Developing", editor),
        ("target_level", "", "Mature", editor),
        ("current_level", "Developing", "Mature", editor),
    ]
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.IN_PROGRESS


def test_the_history_uses_the_pages_words(council_return, editor):
    answer = save_answer(answer_for(council_return), {"confidence": "medium"}, expected_version=0, by=editor)
    assert [(c.field, c.new_value) for c in answer.changes.all()] == [("confidence", "Medium confidence")]


def test_changing_a_peer_reviewed_answer_makes_it_self_assessed_again_and_says_so(council_return, editor, council_b):
    answer = answer_for(council_return)
    Answer.objects.filter(pk=answer.pk).update(assurance=Assurance.PEER_REVIEWED, assured_by=council_b)
    saved = save_answer(answer_for(council_return), {"current_level": 4}, expected_version=0, by=editor)
    assert (saved.assurance, saved.assured_by) == (Assurance.SELF_ASSESSED, None)
    assurance = saved.changes.get(field="assurance")
    assert (assurance.old_value, assurance.new_value) == (
        "Peer-reviewed by Brackenshire Council",
        "Self-assessed (the answer changed after it was assured)",
    )


def test_saving_an_assured_answer_unchanged_keeps_its_label(council_return, editor):
    answer = answer_for(council_return)
    Answer.objects.filter(pk=answer.pk).update(assurance=Assurance.VALIDATED, current_level=2)
    save_answer(answer_for(council_return), {"current_level": 2}, expected_version=0, by=editor)
    assert answer_for(council_return).assurance == Assurance.VALIDATED


def test_saving_nothing_new_changes_nothing(council_return, editor):
    save_answer(answer_for(council_return), {"current_level": 2}, expected_version=0, by=editor)
    again = save_answer(answer_for(council_return), {"current_level": 2}, expected_version=1, by=editor)
    assert again.version == 1
    assert AnswerChange.objects.count() == 1


def test_the_second_of_two_simultaneous_saves_is_refused_with_the_first_persons_changes(council_return, editor, viewer):
    alice_loaded = answer_for(council_return)
    bob_loaded = answer_for(council_return)
    save_answer(
        alice_loaded,
        {"current_level": 3, "evidence": "Cabinet report"},
        expected_version=alice_loaded.version,
        by=editor,
    )
    with pytest.raises(AnswerConflict) as conflict:
        save_answer(bob_loaded, {"current_level": 1}, expected_version=bob_loaded.version, by=viewer)
    assert [(c.field, c.new_value, c.changed_by) for c in conflict.value.changes] == [
        ("current_level", "Mature", editor),
        ("evidence", "Cabinet report", editor),
    ]
    assert answer_for(council_return).current_level == 3  # nothing overwritten


def test_a_save_after_seeing_the_conflict_goes_through(council_return, editor, viewer):
    save_answer(answer_for(council_return), {"current_level": 3}, expected_version=0, by=editor)
    saved = save_answer(answer_for(council_return), {"current_level": 1}, expected_version=1, by=viewer)
    assert saved.current_level == 1


def test_a_complete_return_is_submitted_and_then_read_only(council_return, editor):
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    submitted = Return.objects.get(pk=council_return.pk)
    assert (submitted.status, submitted.submitted_by) == (ReturnStatus.SUBMITTED, editor)
    assert submitted.submitted_at is not None
    assert AuditEvent.objects.filter(action="return_submitted", organisation=council_return.organisation).exists()
    assert submitted.events.get().kind == EventKind.SUBMITTED
    with pytest.raises(ReturnLocked):
        save_answer(answer_for(submitted), {"current_level": 5}, expected_version=1, by=editor)
    with pytest.raises(ReturnLocked):
        submit_return(submitted, by=editor)


SUBMISSION_CASES = [
    ("nothing answered", {}, 28),
    (
        "one index not applicable with a reason, the rest blank",
        {"engaging-councillors": {"not_applicable": True, "not_applicable_reason": "No councillors' panel"}},
        26,
    ),
    ("one index answered without a target", {"engaging-councillors": {"current_level": 2}}, 27),
]


@pytest.mark.parametrize(("case", "answers", "missing"), SUBMISSION_CASES, ids=[c[0] for c in SUBMISSION_CASES])
def test_the_submission_check_lists_every_missing_item(council_return, editor, case, answers, missing):
    for code, values in answers.items():
        save_answer(answer_for(council_return, code), values, expected_version=0, by=editor)
    assert len(return_problems(council_return)) == missing
    with pytest.raises(IncompleteReturn) as error:
        submit_return(council_return, by=editor)
    assert len(error.value.problems) == missing
    assert Return.objects.get(pk=council_return.pk).status != ReturnStatus.SUBMITTED


def test_not_applicable_indices_need_no_level_or_target(council_return, editor):
    answer_everything(council_return, editor)
    answer = answer_for(council_return, "engaging-smes")
    save_answer(
        answer,
        {
            "not_applicable": True,
            "not_applicable_reason": "Fire authority: no local SME spend",
            "current_level": None,
            "target_level": None,
        },
        expected_version=answer.version,
        by=editor,
    )
    assert return_problems(council_return) == []
    submit_return(council_return, by=editor)


def test_the_national_team_reopens_a_submitted_return(council_return, editor, national_admin):
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    reopen_return(Return.objects.get(pk=council_return.pk), reason="Council asked to correct", by=national_admin)
    reopened = Return.objects.get(pk=council_return.pk)
    assert reopened.status == ReturnStatus.IN_PROGRESS and reopened.is_editable
    assert "Council asked to correct" in AuditEvent.objects.get(action="return_reopened").description


def test_a_return_in_a_closed_round_cannot_change(council_return, editor, national_admin):
    close_round(council_return.round, by=national_admin)
    with pytest.raises(ReturnLocked):
        save_answer(answer_for(council_return), {"current_level": 2}, expected_version=0, by=editor)


def test_with_several_statements_the_index_level_is_the_median_of_statement_levels(council_a, editor):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    council_return = Return.objects.get(round=make_open_round(council_a, version=version))
    answer = answer_for(council_return, "pipeline")
    statements = list(answer.index.statements.all())
    saved = save_answer(
        answer,
        {"target_level": 4},
        expected_version=0,
        by=editor,
        statement_levels={statements[0].pk: 2, statements[1].pk: 4},
    )
    assert saved.current_level == 2
    assert {c.field for c in saved.changes.all()} == {
        "target_level",
        "current_level",
        "statement:pipeline.published",
        "statement:pipeline.used",
    }


def test_target_dates_are_kept(council_return, editor):
    saved = save_answer(
        answer_for(council_return), {"target_date": datetime.date(2028, 3, 31)}, expected_version=0, by=editor
    )
    assert saved.changes.get().new_value == "31 March 2028"


# Prefilled answers -------------------------------------------------------------------------------------------------


def test_confirming_a_prefilled_answer_keeps_it_as_it_is(prefilled_return, editor):
    answer = answer_for(prefilled_return)
    assert answer.needs_review
    confirmed = confirm_answer(answer, by=editor)
    assert not confirmed.needs_review and confirmed.review_note == ""
    unchanged = ["current_level", "target_level", "version", "updated_at", "updated_by_id", "assurance"]
    assert [getattr(confirmed, field) for field in unchanged] == [getattr(answer, field) for field in unchanged]
    assert not confirmed.changes.exists()
    event = ReturnEvent.objects.get(answer=confirmed)
    assert (event.kind, event.by, event.council_return) == (EventKind.CONFIRMED, editor, prefilled_return)
    assert AuditEvent.objects.filter(action="answer_confirmed", actor=editor).exists()
    assert "Confirm the prefilled answer for Engaging councillors" not in [
        p.message for p in return_problems(prefilled_return)
    ]


def test_an_answer_is_confirmed_once(prefilled_return, editor):
    confirm_answer(answer_for(prefilled_return), by=editor)
    with pytest.raises(StepRefused, match="already confirmed or changed in this round"):
        confirm_answer(answer_for(prefilled_return), by=editor)
    save_answer(answer_for(prefilled_return, "embedding-change"), {}, expected_version=0, by=editor)
    with pytest.raises(StepRefused):
        confirm_answer(answer_for(prefilled_return, "embedding-change"), by=editor)


def test_saving_a_prefilled_answer_unchanged_confirms_it(prefilled_return, editor):
    saved = save_answer(answer_for(prefilled_return), {"current_level": 2}, expected_version=0, by=editor)
    assert not saved.needs_review and not saved.changes.exists()


def test_confirming_in_a_closed_round_is_refused(prefilled_return, editor, national_admin):
    close_round(prefilled_return.round, by=national_admin)
    with pytest.raises(ReturnLocked):
        confirm_answer(answer_for(prefilled_return), by=editor)
    assert answer_for(prefilled_return).needs_review


def test_confirming_is_all_or_nothing(prefilled_return, editor):
    rows = database_rows()
    with database_refuses("INSERT", ReturnEvent), pytest.raises(IntegrityError):
        confirm_answer(answer_for(prefilled_return), by=editor)
    assert database_rows() == rows


def test_unconfirmed_prefilled_answers_stop_submission_unless_the_round_allows_them(prefilled_return, editor):
    with pytest.raises(IncompleteReturn) as error:
        submit_return(prefilled_return, by=editor)
    assert {(problem.field, problem.kind) for problem in error.value.problems} == {("needs_review", "unconfirmed")}
    assert len(error.value.problems) == 14
    Round.objects.filter(pk=prefilled_return.round_id).update(allow_unconfirmed_prefill=True)
    submit_return(prefilled_return, by=editor)
    assert Return.objects.get(pk=prefilled_return.pk).is_submitted
