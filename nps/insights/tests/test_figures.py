import pytest

from nps.accounts.models import User
from nps.assessments.answers import reopen_return, save_answer, submit_return
from nps.assessments.models import Return, Round
from nps.frameworks.loader import load_framework_file
from nps.insights.distributions import Movement
from nps.insights.figures import movement_between, round_figures
from nps.organisations.models import Kind
from nps.testing import NPS_2018_FILE, answer_everything, make_open_round, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db


def submit_with_levels(council_return: Return, user: User, levels: dict[str, int | None]) -> None:
    """Answer every index at level 2 (target 3), then override some: None marks not applicable."""
    answer_everything(council_return, user)
    for code, level in levels.items():
        answer = council_return.answers.get(index__code=code)
        values = (
            {"not_applicable": True, "not_applicable_reason": "n/a", "current_level": None, "target_level": None}
            if level is None
            else {"current_level": level, "rationale": "A level above the target of 3 needs a reason"}
        )
        save_answer(answer, values, expected_version=answer.version, by=user)
    submit_return(council_return, by=user)


@pytest.fixture
def councils():
    north, south = make_region("North West", "E12000002"), make_region("South East", "E12000008")
    return [make_organisation(f"North {n}", Kind.DISTRICT_COUNCIL, north) for n in range(3)] + [
        make_organisation("South unitary", Kind.UNITARY_AUTHORITY, south),
        make_organisation("South district", Kind.DISTRICT_COUNCIL, south),
    ]


@pytest.fixture
def user():
    return make_user("analyst@national.example", is_national_admin=True)


def test_figures_count_submitted_returns_only_by_region_and_type(councils, user):
    round_ = make_open_round(*councils)
    returns = {r.organisation.name: r for r in Return.objects.filter(round=round_).select_related("organisation")}
    submit_with_levels(returns["North 0"], user, {"engaging-councillors": 4})
    submit_with_levels(returns["North 1"], user, {"engaging-councillors": None})
    submit_with_levels(returns["South unitary"], user, {"engaging-councillors": 1})
    answer_everything(returns["North 2"], user)  # answered but never submitted: not counted
    figures = round_figures(Round.objects.get(pk=round_.pk))
    councillors = figures.overall["engaging-councillors"]
    assert (dict(councillors.counts), councillors.not_applicable, councillors.n) == ({4: 1, 1: 1}, 1, 2)
    assert figures.by_region["engaging-councillors"]["North West"].not_applicable == 1
    assert dict(figures.by_region["engaging-councillors"]["South East"].counts) == {1: 1}
    assert dict(figures.by_kind["working-with-partners"]["district_council"].counts) == {2: 2}
    assert (figures.submitted, figures.submitted_by_region, figures.submitted_by_kind) == (
        3,
        {"North West": 2, "South East": 1},
        {"district_council": 2, "unitary_authority": 1},
    )


def test_figures_are_cached_until_a_return_is_submitted_or_reopened(councils, user, django_assert_num_queries):
    round_ = make_open_round(*councils)
    council_returns = list(Return.objects.filter(round=round_))
    submit_with_levels(council_returns[0], user, {})
    current = Round.objects.get(pk=round_.pk)
    assert round_figures(current).submitted == 1
    with django_assert_num_queries(2):  # two reads of the shared cache: the directory's generation, the figures
        assert round_figures(current).submitted == 1
    submit_with_levels(council_returns[1], user, {})
    assert round_figures(Round.objects.get(pk=round_.pk)).submitted == 2
    reopen_return(Return.objects.get(pk=council_returns[1].pk), reason="fix", by=user)
    assert round_figures(Round.objects.get(pk=round_.pk)).submitted == 1


def test_movement_counts_councils_that_answered_both_rounds(councils, user):
    earlier = make_open_round(*councils, name="2025 diagnostic")
    later = make_open_round(*councils, name="2026 diagnostic")
    pairs = [("North 0", 2, 3), ("North 1", 3, 3), ("North 2", 4, 2)]
    for name, before, after in pairs:
        submit_with_levels(
            Return.objects.get(round=earlier, organisation__name=name), user, {"engaging-councillors": before}
        )
        submit_with_levels(
            Return.objects.get(round=later, organisation__name=name), user, {"engaging-councillors": after}
        )
    submit_with_levels(Return.objects.get(round=later, organisation__name="South unitary"), user, {})  # later only
    submit_with_levels(
        Return.objects.get(round=earlier, organisation__name="South district"), user, {"engaging-councillors": None}
    )  # not applicable before: left out
    submit_with_levels(Return.objects.get(round=later, organisation__name="South district"), user, {})
    movement = movement_between(earlier, later)
    assert movement["engaging-councillors"] == Movement(up=1, same=1, down=1)
    assert movement["working-with-partners"] == Movement(up=0, same=4, down=0)


def test_movement_matches_indices_by_code_across_framework_versions(councils, user):
    earlier = make_open_round(councils[0], name="2025 diagnostic")
    text = (
        NPS_2018_FILE.read_text()
        .replace('code: "2018"', 'code: "2026"\n  fresh_start: true')  # not on one line: matched by code
        .replace("code: developing-talent", "code: growing-talent")
    )
    later = make_open_round(councils[0], name="2026 diagnostic", version=load_framework_file(text))
    submit_with_levels(Return.objects.get(round=earlier, organisation=councils[0]), user, {"engaging-councillors": 1})
    submit_with_levels(Return.objects.get(round=later, organisation=councils[0]), user, {"engaging-councillors": 3})
    movement = movement_between(earlier, later)
    assert movement["engaging-councillors"] == Movement(up=1, same=0, down=0)
    assert "developing-talent" not in movement and "growing-talent" not in movement


def test_councils_that_answered_some_indices_only_count_where_they_answered(councils, user):
    round_ = make_open_round(councils[0], councils[1])
    partial = Return.objects.get(round=round_, organisation=councils[0])
    answer = partial.answers.get(index__code="engaging-councillors")
    save_answer(answer, {"current_level": 5, "target_level": 5}, expected_version=0, by=user)
    Return.objects.filter(pk=partial.pk).update(status="submitted")  # e.g. a historical import with gaps
    Round.objects.filter(pk=round_.pk).update(results_version=99)
    figures = round_figures(Round.objects.get(pk=round_.pk))
    assert dict(figures.overall["engaging-councillors"].counts) == {5: 1}
    assert figures.overall["working-with-partners"].n == 0
