from types import SimpleNamespace as Answer

import pytest

from nps.assessments.checks import IndexStatus, index_status, missing_for_answer

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


MISSING_CASES = [
    ("no answer at all", None, [("current_level", "Give the current level for Talent, or mark it not applicable")]),
    (
        "nothing filled in",
        Answer(current_level=None, target_level=None, not_applicable=False),
        [
            ("current_level", "Give the current level for Talent, or mark it not applicable"),
            ("target_level", "Set the target level for Talent"),
        ],
    ),
    (
        "level but no target",
        Answer(current_level=3, target_level=None),
        [("target_level", "Set the target level for Talent")],
    ),
    ("complete", Answer(current_level=3, target_level=3), []),
    ("not applicable with a reason", Answer(not_applicable=True, not_applicable_reason="No contracts"), []),
    ("not applicable needs no target", Answer(not_applicable=True, not_applicable_reason="x", target_level=None), []),
    (
        "not applicable without a reason",
        Answer(not_applicable=True, not_applicable_reason="  "),
        [("not_applicable_reason", "Say why Talent is not applicable")],
    ),
]


@pytest.mark.parametrize(("case", "answer", "expected"), MISSING_CASES, ids=[c[0] for c in MISSING_CASES])
def test_what_an_index_still_needs_before_submission(case, answer, expected):
    assert [(item.field, item.message) for item in missing_for_answer("Talent", "talent", answer)] == expected
