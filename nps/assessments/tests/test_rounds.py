import datetime

import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Answer, Return, ReturnStatus, Round, RoundStatus
from nps.assessments.rounds import RoundError, close_round, create_round, extend_deadline, open_round
from nps.core.models import AuditEvent
from nps.frameworks.loader import load_framework_file
from nps.organisations.models import Kind
from nps.testing import answer_everything, load_nps_2018, make_open_round, make_organisation

pytestmark = pytest.mark.django_db


def test_opening_a_round_invites_current_organisations_of_the_chosen_types(council_a, council_b, national_admin):
    former = make_organisation("Oldshire", kind=Kind.DISTRICT_COUNCIL, end_date=datetime.date(2023, 3, 31))
    round_ = create_round(
        name="2026 diagnostic",
        framework_version=load_nps_2018(),
        opens_on=datetime.date(2026, 11, 1),
        deadline=datetime.date(2027, 1, 31),
        invited_kinds=[Kind.DISTRICT_COUNCIL],
        by=national_admin,
    )
    assert open_round(round_, by=national_admin) == 1
    council_return = Return.objects.get(round=round_)
    assert council_return.organisation == council_a
    assert not Return.objects.filter(organisation__in=[council_b, former]).exists()
    assert council_return.answers.count() == 14
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN
    assert AuditEvent.objects.filter(action="round_opened", actor=national_admin).exists()


def test_a_round_opens_once(council_a):
    round_ = make_open_round(council_a)
    with pytest.raises(RoundError):
        open_round(round_, by=None)


@pytest.mark.parametrize(
    ("opens_on", "deadline", "message"),
    [
        (datetime.date(2027, 2, 1), datetime.date(2027, 1, 31), "The deadline must be on or after the opening date."),
    ],
)
def test_a_round_needs_a_sensible_deadline(national_admin, opens_on, deadline, message):
    with pytest.raises(RoundError, match=message):
        create_round(
            name="x",
            framework_version=load_nps_2018(),
            opens_on=opens_on,
            deadline=deadline,
            invited_kinds=[],
            by=national_admin,
        )


def test_a_round_needs_a_published_framework(national_admin):
    from nps.testing import SAMPLE_FRAMEWORK_FILE

    draft = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text().replace("status: published", "status: draft"))
    with pytest.raises(RoundError, match="published framework version"):
        create_round(
            name="x",
            framework_version=draft,
            opens_on=datetime.date(2026, 1, 1),
            deadline=datetime.date(2026, 2, 1),
            invited_kinds=[],
            by=national_admin,
        )


DEADLINE_CASES = [
    ("later", datetime.date(2027, 2, 28), None),
    ("the same day", datetime.date(2027, 1, 31), "must be after the current one, 31 January 2027"),
    ("earlier", datetime.date(2027, 1, 1), "must be after the current one"),
]


@pytest.mark.parametrize(("case", "deadline", "error"), DEADLINE_CASES, ids=[c[0] for c in DEADLINE_CASES])
def test_extending_the_deadline(council_a, national_admin, case, deadline, error):
    round_ = make_open_round(council_a)
    if error:
        with pytest.raises(RoundError, match=error):
            extend_deadline(round_, deadline, by=national_admin)
    else:
        extend_deadline(round_, deadline, by=national_admin)
        assert Round.objects.get(pk=round_.pk).deadline == deadline


def test_closing_a_round_locks_every_return(council_a, editor, national_admin):
    round_ = make_open_round(council_a)
    close_round(round_, by=national_admin)
    council_return = Return.objects.get(round=round_)
    assert not council_return.is_editable
    with pytest.raises(RoundError):
        close_round(Round.objects.get(pk=round_.pk), by=national_admin)


PREFILL_FIELDS = {
    "current_level": 3,
    "target_level": 4,
    "evidence": "Annual report",
    "confidence": "high",
    "rationale": "Local priority",
    "target_date": datetime.date(2028, 3, 31),
}


def test_a_new_round_starts_from_each_councils_previous_submitted_answers(council_a, council_b, editor, other_editor):
    earlier = make_open_round(council_a, council_b, name="2025 diagnostic")
    a_return = Return.objects.get(round=earlier, organisation=council_a)
    answer_everything(a_return, editor, level=3, target=4)
    from nps.assessments.answers import save_answer

    councillors = a_return.answers.get(index__code="engaging-councillors")
    save_answer(
        councillors,
        {
            "evidence": "Annual report",
            "confidence": "high",
            "rationale": "Local priority",
            "target_date": datetime.date(2028, 3, 31),
        },
        expected_version=councillors.version,
        by=editor,
    )
    submit_return(a_return, by=editor)
    answer_everything(Return.objects.get(round=earlier, organisation=council_b), other_editor)  # never submitted

    later = make_open_round(council_a, council_b, name="2026 diagnostic", prefill_from=earlier)
    prefilled = Answer.objects.get(
        council_return__round=later, council_return__organisation=council_a, index__code="engaging-councillors"
    )
    assert {field: getattr(prefilled, field) for field in PREFILL_FIELDS} == PREFILL_FIELDS
    assert prefilled.needs_review
    assert Return.objects.get(round=later, organisation=council_a).status == ReturnStatus.IN_PROGRESS
    not_prefilled = Answer.objects.filter(council_return__round=later, council_return__organisation=council_b)
    assert not not_prefilled.exclude(current_level=None).exists()


def test_prefill_matches_indices_by_code_across_versions(council_a, editor):
    from nps.testing import NPS_2018_FILE

    earlier = make_open_round(council_a, name="2025 diagnostic")
    a_return = Return.objects.get(round=earlier)
    answer_everything(a_return, editor, level=4, target=5)
    submit_return(a_return, by=editor)
    text = (
        NPS_2018_FILE.read_text()
        .replace('code: "2018"', 'code: "2026"\n  fresh_start: true')  # not on one line: matched by code
        .replace("code: developing-talent", "code: growing-talent")
    )
    new_version = load_framework_file(text)
    later = make_open_round(council_a, name="2026 diagnostic", version=new_version, prefill_from=earlier)
    answers = Answer.objects.filter(council_return__round=later).select_related("index")
    levels = {answer.index.code: answer.current_level for answer in answers}
    assert levels["engaging-councillors"] == 4
    assert levels["growing-talent"] is None
