from types import SimpleNamespace as Answer

import pytest

from nps.assessments.checks import IndexStatus, StatementAnswer, answer_problems, index_status

STATUS_CASES = [
    ("nothing yet", Answer(), IndexStatus.NOT_STARTED),
    ("a level without a target", Answer(current_level=2), IndexStatus.IN_PROGRESS),
    ("a target without a level", Answer(target_level=3), IndexStatus.IN_PROGRESS),
    ("evidence only", Answer(evidence="Policy"), IndexStatus.IN_PROGRESS),
    ("level and target", Answer(current_level=2, target_level=3), IndexStatus.ANSWERED),
    ("prefilled but not checked", Answer(current_level=2, target_level=3, needs_review=True), IndexStatus.IN_PROGRESS),
    ("not applicable", Answer(not_applicable=True, current_level=2), IndexStatus.NOT_APPLICABLE),
]


@pytest.mark.parametrize(("case", "answer", "status"), STATUS_CASES, ids=[c[0] for c in STATUS_CASES])
def test_index_status(case, answer, status):
    assert index_status(answer) == status


LEVEL = ("current_level", "unanswered", "Give the current level for Talent, or mark it not applicable")
TARGET = ("target_level", "unanswered", "Set the target level for Talent")
UNCONFIRMED = ("needs_review", "unconfirmed", "Confirm the prefilled answer for Talent is still right, or change it")
NOT_APPLICABLE_REASON = ("not_applicable_reason", "missing_reason", "Say why Talent is not applicable")
TARGET_REASON = ("rationale", "missing_reason", "Say why the target for Talent is below its current level")

PROBLEM_CASES = [
    ("no answer at all", None, [LEVEL]),
    ("nothing filled in", Answer(current_level=None, target_level=None, not_applicable=False), [LEVEL, TARGET]),
    ("level but no target", Answer(current_level=3, target_level=None), [TARGET]),
    ("complete", Answer(current_level=3, target_level=3), []),
    ("a target above the current level needs no reason", Answer(current_level=2, target_level=4), []),
    ("a target below the current level without a reason", Answer(current_level=4, target_level=2), [TARGET_REASON]),
    ("a reason of spaces is no reason", Answer(current_level=4, target_level=2, rationale="  "), [TARGET_REASON]),
    ("a target below with a reason", Answer(current_level=4, target_level=2, rationale="Budget cut"), []),
    ("not applicable with a reason", Answer(not_applicable=True, not_applicable_reason="No contracts"), []),
    ("not applicable needs no target", Answer(not_applicable=True, not_applicable_reason="x", target_level=None), []),
    (
        "not applicable without a reason",
        Answer(not_applicable=True, not_applicable_reason="  "),
        [NOT_APPLICABLE_REASON],
    ),
    ("prefilled and unconfirmed", Answer(current_level=2, target_level=3, needs_review=True), [UNCONFIRMED]),
    (
        "prefilled, unconfirmed and incomplete",
        Answer(current_level=2, target_level=None, needs_review=True),
        [UNCONFIRMED, TARGET],
    ),
    (
        "prefilled not applicable, unconfirmed",
        Answer(not_applicable=True, not_applicable_reason="x", needs_review=True),
        [UNCONFIRMED],
    ),
]


@pytest.mark.parametrize(("case", "answer", "expected"), PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES])
def test_what_an_index_still_needs_before_submission(case, answer, expected):
    problems = answer_problems("talent", "Talent", answer)
    assert [(problem.field, problem.kind, problem.message) for problem in problems] == expected
    assert {problem.index_code for problem in problems} <= {"talent"}


def test_a_round_may_allow_unconfirmed_prefilled_answers_but_still_needs_them_complete():
    prefilled = Answer(current_level=4, target_level=None, needs_review=True)
    problems = answer_problems("talent", "Talent", prefilled, allow_unconfirmed_prefill=True)
    assert [(problem.field, problem.kind) for problem in problems] == [("target_level", "unanswered")]


def statements(*levels):
    return [
        StatementAnswer(f"statement_{number}", f"pipeline.{number}", f"Statement {number}", level)
        for number, level in enumerate(levels, start=1)
    ]


STATEMENT_CASES = [
    ("every statement has a level", statements(2, 3), []),
    ("one statement without a level", statements(2, None), [("statement_2", "pipeline.2")]),
    (
        "no statement has a level",
        statements(None, None),
        [("statement_1", "pipeline.1"), ("statement_2", "pipeline.2")],
    ),
]


@pytest.mark.parametrize(("case", "levels", "expected"), STATEMENT_CASES, ids=[c[0] for c in STATEMENT_CASES])
def test_where_an_index_has_several_statements_each_needs_a_level(case, levels, expected):
    answer = Answer(current_level=2, target_level=3)  # the index's level, the median of the statements given
    problems = answer_problems("pipeline", "Pipeline", answer, levels)
    assert [(problem.field, problem.statement_code) for problem in problems] == expected
    assert all(problem.message.startswith("Give the level for “Statement") for problem in problems)


def test_statements_need_no_level_when_the_index_does_not_apply():
    answer = Answer(not_applicable=True, not_applicable_reason="No pipeline")
    assert answer_problems("pipeline", "Pipeline", answer, statements(None, None)) == []
