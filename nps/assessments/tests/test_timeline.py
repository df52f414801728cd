import datetime

import pytest

from nps.accounts.models import User
from nps.assessments.answers import save_answer
from nps.assessments.models import AnswerChange, EventKind, ReturnEvent
from nps.assessments.timeline import CHANGE, answer_history, merged_history, readable_value, record_event

NOON = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
ALICE = User(email="alice@alderley.example", first_name="Alice")
NADIA = User(email="nadia@national.example", first_name="Nadia", is_national_admin=True)


@pytest.mark.parametrize(
    ("field", "stored", "readable"),
    [
        # rows written before the history used the pages' words
        ("confidence", "low", "Low confidence"),
        ("confidence", "medium", "Medium confidence"),
        ("confidence", "HIGH", "High confidence"),
        ("basis", "self_assessed", "Self-assessed"),
        ("basis", "peer_reviewed", "Peer-reviewed"),
        ("assurance", "validated", "Validated by the national team"),
        ("current_level", "3", "Mature"),
        ("target_level", "5", "Innovator"),
        ("statement:1.2", "1", "Minimum"),
        ("not_applicable", "True", "Yes"),
        ("not_applicable", "False", "No"),
        ("target_date", "2027-03-31", "31 March 2027"),
        # rows that already read well, and values that are not codes, are left as they are
        ("confidence", "Medium confidence", "Medium confidence"),
        ("assurance", "Peer-reviewed by Wigan Council", "Peer-reviewed by Wigan Council"),
        (
            "assurance",
            "Self-assessed (the answer changed after it was assured)",
            "Self-assessed (the answer changed after it was assured)",
        ),
        ("current_level", "Mature", "Mature"),
        ("current_level", "7", "7"),
        ("target_date", "31 March 2027", "31 March 2027"),
        ("target_date", "2027-02-30", "2027-02-30"),
        ("evidence", "low", "low"),
        ("evidence", "True", "True"),
        ("rationale", "", ""),
    ],
)
def test_stored_history_values_read_in_the_pages_words(field, stored, readable):
    assert readable_value(field, stored) == readable


def change(minutes, field="confidence", old="low", new="medium", by=ALICE, version=1):
    at = NOON + datetime.timedelta(minutes=minutes)
    return AnswerChange(field=field, old_value=old, new_value=new, changed_at=at, changed_by=by, version=version)


def event(minutes, kind=EventKind.VALIDATED, description="Validated by the national team", by=NADIA):
    return ReturnEvent(kind=kind, description=description, at=NOON + datetime.timedelta(minutes=minutes), by=by)


def lines(entries):
    return [(entry.kind, entry.label, entry.old_value, entry.new_value, entry.description) for entry in entries]


@pytest.mark.parametrize(
    ("changes", "events", "expected"),
    [
        ([], [], []),
        (
            [change(0)],
            [],
            [(CHANGE, "confidence", "Low confidence", "Medium confidence", "")],
        ),
        (
            [change(5, "basis", "self_assessed", "validated")],
            [],
            [(CHANGE, "assurance", "Self-assessed", "Validated by the national team", "")],
        ),
        (  # newest first, steps and changes together
            [change(10, "current_level", "Developing", "Mature"), change(0)],
            [
                event(20, EventKind.SIGNED_OFF, "Signed off"),
                event(5, EventKind.QUERIED, "The national team asked: Why?"),
            ],
            [
                ("signed_off", "Signed off", "", "", "Signed off"),
                (CHANGE, "current level", "Developing", "Mature", ""),
                ("queried", "Queried", "", "", "The national team asked: Why?"),
                (CHANGE, "confidence", "Low confidence", "Medium confidence", ""),
            ],
        ),
        (  # a step and the change it made at the same moment: the step, which says why, comes first
            [change(0, "assurance", "Self-assessed", "Validated by the national team")],
            [event(0)],
            [
                ("validated", "Validated", "", "", "Validated by the national team"),
                (CHANGE, "assurance", "Self-assessed", "Validated by the national team", ""),
            ],
        ),
        (
            [change(0, "statement:1.2", "2", "3")],
            [],
            [(CHANGE, "statement 1.2", "Developing", "Mature", "")],
        ),
    ],
)
def test_the_history_merges_changes_and_steps_newest_first(changes, events, expected):
    assert lines(merged_history(changes, events)) == expected


def test_each_entry_says_who_and_when():
    [step, edit] = merged_history([change(0, by=None, version=3)], [event(1)])
    assert (step.by, step.at, step.version, step.is_change) == (
        NADIA,
        NOON + datetime.timedelta(minutes=1),
        None,
        False,
    )
    assert (edit.by, edit.at, edit.version, edit.is_change, edit.field) == (None, NOON, 3, True, "confidence")


@pytest.mark.django_db
def test_an_answers_history_holds_its_own_steps_and_the_returns_but_not_other_answers(
    council_return, editor, national_admin
):
    councillors = council_return.answers.get(index__code="engaging-councillors")
    smes = council_return.answers.get(index__code="engaging-smes")
    save_answer(councillors, {"current_level": 2}, expected_version=0, by=editor)
    record_event(council_return, EventKind.SIGNED_OFF, "Signed off", by=editor)
    record_event(council_return, EventKind.QUERIED, "The national team asked: Why?", by=national_admin, answer=smes)
    record_event(council_return, EventKind.VALIDATED, "Validated", by=national_admin, answer=councillors)
    history = answer_history(councillors)
    assert [(entry.kind, entry.label) for entry in history] == [
        ("validated", "Validated"),
        ("signed_off", "Signed off"),
        (CHANGE, "current level"),
    ]
    assert [entry.kind for entry in answer_history(smes)] == ["queried", "signed_off"]


@pytest.mark.django_db
def test_old_raw_values_in_the_database_read_well_in_the_history(council_return, editor):
    answer = council_return.answers.get(index__code="engaging-councillors")
    save_answer(answer, {"confidence": "medium"}, expected_version=0, by=editor)
    AnswerChange.objects.create(answer=answer, version=0, field="basis", old_value="", new_value="self_assessed")
    AnswerChange.objects.filter(field="confidence").update(old_value="low", new_value="medium")
    readable = {(entry.label, entry.old_value, entry.new_value) for entry in answer_history(answer)}
    assert readable == {("confidence", "Low confidence", "Medium confidence"), ("assurance", "", "Self-assessed")}
