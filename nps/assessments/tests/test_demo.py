import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Avg, Max, Min, QuerySet
from django.test import override_settings
from django.utils import timezone

from nps.accounts.models import Membership, User
from nps.assessments import demo_scale
from nps.assessments.demo_scale import OPEN_ROUND_NAME, PAST_ROUNDS
from nps.assessments.models import (
    Action,
    Answer,
    AnswerChange,
    Assurance,
    PeerReview,
    Query,
    Respondent,
    RespondentAnswer,
    Return,
    ReturnStatus,
    ReviewStatus,
    Round,
    RoundStatus,
)
from nps.frameworks.models import Index
from nps.organisations.models import Organisation

pytestmark = pytest.mark.django_db

BOLTON = "E08000001"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTED_MODELS = [Round, Return, Answer, AnswerChange, Action, Respondent, RespondentAnswer, User, Membership]


SCALE = ["--organisations", "400", "--rounds", "4"]


def run(command: str, *arguments: str) -> str:
    output = io.StringIO()
    call_command(command, *arguments, stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demonstration(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The reference data and the demonstration data, as `make run` loads them; yields the demo command's output.

    Made once for the module (it takes seconds) inside a transaction that is rolled back afterwards: each test's own
    transaction is a savepoint within it, so tests stay independent and nothing leaks into other modules."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        run("setup")
        yield run("demo")
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("count", "years"),
    [(1, [2025]), (3, [2018, 2021, 2025]), (5, [2016, 2017, 2018, 2021, 2025])],
)
def test_more_past_rounds_come_a_year_apart_before_the_three_named_ones(count, years):
    rounds = demo_scale.past_rounds(count)
    assert [past.year for past in rounds] == years
    assert all(past.name == f"{past.year} diagnostic (demonstration)" for past in rounds)
    assert [past.opens_on for past in rounds] == sorted(past.opens_on for past in rounds)


def test_it_refuses_fewer_councils_than_there_are_and_says_to_use_a_fresh_database():
    run("setup")
    with pytest.raises(CommandError, match="Use a fresh database"):
        run("demo", "--organisations", "100")
    assert not Organisation.objects.filter(is_synthetic=True).exists()


@pytest.fixture(scope="class")
def scaled(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """`nps demo --organisations 400 --rounds 4`, made once for the class using it, in a transaction rolled back
    afterwards. That class comes before the tests of the default demonstration, whose data must not exist yet."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        assert not Round.objects.exists(), "the default demonstration data is already there"
        run("setup")
        real = list(Organisation.objects.filter(is_synthetic=False).order_by("pk").values())
        yield {"output": run("demo", *SCALE), "real": real}
        transaction.set_rollback(True)


class TestAtAScale:
    def test_it_adds_synthetic_councils_until_there_are_400_all_labelled(self, scaled):
        councils = Organisation.objects.current().councils()
        synthetic = list(councils.filter(is_synthetic=True))
        assert councils.count() == 400 and len(synthetic) == 400 - councils.filter(is_synthetic=False).count() > 0
        assert all(re.fullmatch(r"Synthetic council \d{5}", council.name) for council in synthetic)
        assert all(re.fullmatch(r"X\d{8}", council.gss_code) for council in synthetic)
        assert all("not a real council" in council.notes for council in synthetic)
        assert f"Added {len(synthetic)} synthetic councils" in scaled["output"]

    def test_synthetic_councils_take_the_real_councils_types_and_regions(self, scaled):
        real = set(Organisation.objects.filter(is_synthetic=False).values_list("kind", "region"))
        synthetic = Counter(Organisation.objects.filter(is_synthetic=True).values_list("kind", "region"))
        assert set(synthetic) <= real
        assert len({kind for kind, _ in synthetic}) > 3 and len({region for _, region in synthetic}) > 5

    def test_the_real_councils_are_unchanged(self, scaled):
        assert list(Organisation.objects.filter(is_synthetic=False).order_by("pk").values()) == scaled["real"]

    def test_it_makes_four_past_rounds_and_an_open_one_over_every_council(self, scaled):
        rounds = list(Round.objects.order_by("opens_on"))
        names = [round_.name for round_ in rounds]
        assert names == [f"{year} diagnostic (demonstration)" for year in (2017, 2018, 2021, 2025, 2026)]
        assert all(round_.is_demo for round_ in rounds) and [r.status for r in rounds].count(RoundStatus.CLOSED) == 4
        indices = Index.objects.filter(version__rounds=rounds[0]).count()
        for round_ in rounds:
            assert round_.returns.count() == 400
            assert Answer.objects.filter(council_return__round=round_).count() == 400 * indices
        for round_ in rounds[:-1]:
            assert round_.returns.filter(status=ReturnStatus.SUBMITTED).count() == 240
        assert "Took " in scaled["output"]

    def test_a_second_run_at_the_same_scale_creates_nothing(self, scaled):
        counts = [model.objects.count() for model in [*COUNTED_MODELS, Organisation]]
        output = run("demo", *SCALE)
        assert [model.objects.count() for model in [*COUNTED_MODELS, Organisation]] == counts
        assert "nothing new was created" in output

    @pytest.mark.parametrize("scale", [["--organisations", "500"], ["--rounds", "5"], ["--organisations", "317"]])
    def test_a_run_at_another_scale_refuses_and_says_to_use_a_fresh_database(self, scaled, scale):
        counts = [model.objects.count() for model in [*COUNTED_MODELS, Organisation]]
        with pytest.raises(CommandError, match="400 councils and 4 past rounds.*Use a fresh database"):
            run("demo", *scale)
        assert [model.objects.count() for model in [*COUNTED_MODELS, Organisation]] == counts


def past_rounds() -> list[Round]:
    return list(Round.objects.filter(name__in=[past.name for past in PAST_ROUNDS]).order_by("opens_on"))


def submitted_answers(*rounds: Round) -> QuerySet[Answer]:
    return Answer.objects.filter(
        council_return__round__in=rounds, council_return__status=ReturnStatus.SUBMITTED, not_applicable=False
    )


def test_it_creates_three_closed_past_rounds_and_one_open_round_all_labelled(demonstration):
    rounds = past_rounds()
    open_round = Round.objects.get(name=OPEN_ROUND_NAME)
    assert [round_.opens_on.year for round_ in rounds] == [2018, 2021, 2025]
    assert all(round_.status == RoundStatus.CLOSED and round_.is_demo for round_ in rounds)
    assert open_round.status == RoundStatus.OPEN and open_round.is_demo
    assert open_round.deadline > timezone.localdate() and open_round.prefill_from == rounds[-1]
    assert not Return.objects.filter(is_demo=False).exists()
    assert "2026 diagnostic (demonstration)" in demonstration and "demonstration data" in demonstration


def test_about_sixty_percent_of_current_councils_submitted_each_past_round(demonstration):
    councils = Organisation.objects.current().councils().count()
    for round_ in past_rounds():
        submitted = round_.returns.filter(status=ReturnStatus.SUBMITTED)
        assert 0.5 * councils < submitted.count() < 0.7 * councils
        assert not submitted.filter(submitted_at=None).exists() and not submitted.filter(submitted_by=None).exists()
        assert round_.returns.count() == councils
    first, *_, last = past_rounds()
    first_submitters = set(first.returns.filter(status=ReturnStatus.SUBMITTED).values_list("organisation", flat=True))
    last_submitters = set(last.returns.filter(status=ReturnStatus.SUBMITTED).values_list("organisation", flat=True))
    assert first_submitters != last_submitters


def test_submitted_levels_are_mostly_developing_or_mature_and_rise_over_the_rounds(demonstration):
    levels = Counter(submitted_answers(*past_rounds()).values_list("current_level", flat=True))
    total = sum(levels.values())
    assert (levels[2] + levels[3]) / total > 0.6
    assert (levels[4] + levels[5]) / total < 0.25
    averages = [
        submitted_answers(round_).aggregate(Avg("current_level"))["current_level__avg"] for round_ in past_rounds()
    ]
    assert averages == sorted(averages) and averages[0] < averages[-1]


def test_submitted_answers_are_complete_with_targets_after_the_round(demonstration):
    answers = Answer.objects.filter(council_return__round__in=past_rounds(), council_return__status="submitted")
    applicable = submitted_answers(*past_rounds()).select_related("council_return__round")
    assert all(
        answer.target_level >= answer.current_level and answer.target_date > answer.council_return.round.deadline
        for answer in applicable
    )
    assert all(answer.evidence.startswith("Demonstration evidence: ") for answer in applicable)
    not_applicable = answers.filter(not_applicable=True)
    assert 0 < not_applicable.count() < 0.05 * answers.count()
    assert not not_applicable.filter(not_applicable_reason="").exists()


def test_some_gaps_have_actions_some_overdue_and_some_done(demonstration):
    actions = list(Action.objects.select_related("answer"))
    assert actions
    assert all(action.answer.gap and action.aim_level > action.answer.current_level for action in actions)
    assert any(action.is_overdue() for action in actions)
    assert any(action.status == "done" for action in actions)


def test_bolton_submitted_every_past_round_and_has_a_draft_in_the_open_round(demonstration):
    editor = User.objects.get(email="editor@demo.example")
    bolton_returns = Return.objects.filter(organisation__gss_code=BOLTON)
    for round_ in past_rounds():
        past_return = bolton_returns.get(round=round_)
        assert past_return.status == ReturnStatus.SUBMITTED and past_return.submitted_by == editor
    draft = bolton_returns.get(round__name=OPEN_ROUND_NAME)
    assert draft.status == ReturnStatus.IN_PROGRESS
    assert draft.answers.filter(needs_review=False, updated_by=editor).exists()
    assert draft.answers.filter(needs_review=True).exists()
    assert AnswerChange.objects.filter(answer__council_return=draft, changed_by=editor).exists()


def test_the_viewer_is_asked_for_views_in_the_open_round_and_gave_some(demonstration):
    draft = Return.objects.get(organisation__gss_code=BOLTON, round__name=OPEN_ROUND_NAME)
    respondent = draft.respondents.get(user__email="viewer@demo.example")
    assert respondent.indices.count() > respondent.answers.count() > 0


def test_colleagues_views_differ_and_some_by_two_levels_or_more(demonstration):
    spreads = (
        RespondentAnswer.objects.exclude(current_level=None)
        .values("respondent__council_return", "index")
        .annotate(lowest=Min("current_level"), highest=Max("current_level"))
    )
    ranges = Counter(spread["highest"] - spread["lowest"] for spread in spreads)
    assert ranges[0] and ranges[1]
    assert sum(count for difference, count in ranges.items() if difference >= 2) >= 3
    respondents = Respondent.objects.filter(council_return__round__in=past_rounds()).select_related("user")
    assert all(respondent.user.email.startswith("respondent") for respondent in respondents)
    assert Membership.objects.filter(user__in=[respondent.user for respondent in respondents], role="respondent")


def test_every_user_is_a_labelled_demonstration_account(demonstration):
    users = User.objects.all()
    assert users.count() > 5
    assert all(user.is_demo and "(demonstration account)" in user.last_name for user in users)


def test_a_second_run_creates_nothing(demonstration):
    counts = [model.objects.count() for model in COUNTED_MODELS]
    output = run("demo")
    assert [model.objects.count() for model in COUNTED_MODELS] == counts
    assert "nothing new was created" in output


def test_the_open_round_shows_every_stage_of_assurance(demonstration):
    returns = {
        council_return.organisation.gss_code: council_return
        for council_return in Return.objects.filter(round__name=OPEN_ROUND_NAME).select_related("organisation")
    }
    assert returns["E08000002"].status == ReturnStatus.AWAITING_SIGN_OFF  # Bury, waiting for the demo approver
    assert returns["E08000003"].signed_off_by is not None and returns["E08000003"].is_submitted  # Manchester
    labels = Counter(returns["E08000003"].answers.values_list("assurance", flat=True))
    assert labels["validated"] == 2 and Query.objects.filter(answer__council_return=returns["E08000003"]).exists()
    trafford = returns["E08000009"].answers.values_list("assurance", "assured_by__name")
    assert Counter(trafford)[("peer_reviewed", "Stockport")] == 13  # one level the reviewer doubted
    assert PeerReview.objects.get(council_return=returns[BOLTON]).status == ReviewStatus.REQUESTED


def test_past_rounds_carry_assurance_labels(demonstration):
    past = Answer.objects.filter(council_return__round__name="2025 diagnostic (demonstration)").exclude(
        assurance=Assurance.SELF_ASSESSED
    )
    assert past.filter(assurance=Assurance.VALIDATED).exists()
    peer_reviewed = past.filter(assurance=Assurance.PEER_REVIEWED)
    assert peer_reviewed.exists() and not peer_reviewed.filter(assured_by__isnull=True).exists()
