"""Demonstration rounds: closed national rounds of synthetic returns (three unless asked for more), and an open round.

Everything here is labelled as demonstration data: rounds, returns and people are `is_demo`, and every text starts
with "Demonstration". The data comes from seeded random generators, so every run over the same organisations
produces the same returns. Past rounds are history rather than anyone's edits, so their rows are written directly in
batches (as the services would have left them); the open round goes through the services, as a council's work would.
How many councils and past rounds there are is `demo_scale`'s part.
"""

import datetime
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import Count, Model
from django.utils import timezone

from nps.accounts.models import Membership, Role, User
from nps.assessments.answers import save_answer
from nps.assessments.demo_assurance import SIGNING_OFF, create_assurance_stages
from nps.assessments.demo_scale import DEFAULT_PAST_ROUNDS, OPEN_ROUND_NAME, PastRound, past_rounds
from nps.assessments.models import (
    Action,
    ActionStatus,
    Answer,
    Assurance,
    Confidence,
    Respondent,
    RespondentAnswer,
    Return,
    ReturnStatus,
    Round,
    RoundStatus,
)
from nps.assessments.respondents import save_view
from nps.assessments.rounds import create_round, open_round
from nps.core.demo import DEMO_ACCOUNTS
from nps.frameworks.levels import Level
from nps.frameworks.models import FrameworkVersion, Index
from nps.lib.bulk import new, reset_sequences, write_rows
from nps.organisations.models import COUNCIL_KINDS, Organisation

Chosen = TypeVar("Chosen")


@dataclass(frozen=True)
class Weights(Generic[Chosen]):
    """Choices and their weights, added up once rather than at every draw (there are millions)."""

    choices: list[Chosen]
    cumulative: list[int]

    @classmethod
    def of(cls, weights: dict[Chosen, int]) -> "Weights[Chosen]":
        return cls(list(weights), list(itertools.accumulate(weights.values())))


SEED = "nps-demonstration"
COUNCILS_PER_CHUNK = 500  # councils whose returns are built in memory at once

LEVEL_WEIGHTS = Weights.of({1: 10, 2: 40, 3: 35, 4: 12, 5: 3})  # levels in the first round: mostly Developing or Mature
RISE_CHANCE = {1: 0.40, 2: 0.25, 3: 0.10, 4: 0.05, 5: 0.0}  # a level rises by one before the next round
FALL_CHANCE = 0.03  # a stricter look next time
TARGET_STEP_WEIGHTS = Weights.of({0: 25, 1: 65, 2: 10})  # target level = current level + step, at most Innovator
TARGET_YEARS_AHEAD = [1, 2, 3]  # targets fall on 31 March, the end of a financial year
CONFIDENCE_WEIGHTS = Weights.of({Confidence.LOW: 25, Confidence.MEDIUM: 50, Confidence.HIGH: 25})
ASSURANCE_WEIGHTS = Weights.of({Assurance.SELF_ASSESSED: 85, Assurance.PEER_REVIEWED: 10, Assurance.VALIDATED: 5})
SUBMITTED_SHARE = 0.6  # of current councils, in every past round
IN_PROGRESS_SHARE = 0.5  # of the returns not submitted; the others were never started
ANSWERED_IN_DRAFT_SHARE = 0.5  # of the answers in a return left in progress
NOT_APPLICABLE_SHARE = 0.02
ACTION_SHARE = 1 / 3  # of submitted answers with a gap
DONE_SHARE = 0.7  # of actions already due; the others are overdue
LATER_ACTION_STATUS_WEIGHTS = Weights.of(
    {ActionStatus.PLANNED: 50, ActionStatus.IN_PROGRESS: 40, ActionStatus.DONE: 10}
)
SPREAD_SHARE = 0.1  # of submitted returns, with the views of two or three colleagues
RESPONDENT_COUNTS = [2, 3]
VIEW_DIFFERENCE_WEIGHTS = Weights.of({-1: 20, 0: 60, 1: 20})  # a colleague's level minus the council's
COMMENT_SHARE = 0.2  # of colleagues' views

OPEN_ROUND_OPENED_DAYS_AGO = 28
OPEN_ROUND_DAYS_LEFT = 56
REVIEWED_IN_DRAFT = 5  # prefilled answers the demonstration editor has reviewed and saved in the open round
VIEWS_ASKED = 4  # indices the demonstration viewer is asked about
VIEWS_GIVEN = 2

EVIDENCE = [
    "procurement strategy approved by cabinet",
    "contract register published every quarter",
    "category plans for the five largest areas of spend",
    "social value measures written into every contract over £100,000",
    "annual report on procurement to the audit committee",
    "supplier engagement events held with local businesses",
    "training records for commissioning and procurement staff",
    "contract management framework adopted across directorates",
]
RATIONALES = [
    "the next level is within reach with the current team",
    "this supports the council's corporate plan",
    "holding steady while other areas catch up",
    "a new system makes the next level achievable",
    "the audit committee asked for improvement here",
]
NOT_APPLICABLE_REASONS = [
    "this service is delivered by the county council on the district's behalf",
    "the council buys this through a shared service with its neighbours",
    "no spend in this area in the period assessed",
]
ACTION_TITLES = [
    "agree a plan with the senior leadership team",
    "train commissioning staff in the new approach",
    "publish the revised policy on the council's website",
    "review the largest contracts against the framework",
    "report progress to the audit committee",
]
ACTION_OWNERS = ["Head of procurement", "Category manager", "Contract manager", "Social value lead"]
VIEW_COMMENTS = [
    "we are further on than the consolidated answer suggests",
    "the evidence is thinner in my directorate",
    "agree with the team's assessment",
]


@dataclass(frozen=True)
class Demonstration:
    """Who and what the demonstration rounds are about."""

    framework_version: FrameworkVersion
    indices: list[Index]
    councils: list[Organisation]
    national_admin: User
    editor: User  # the demonstration editor: their council submits in every past round and drafts in the open one
    viewer: User
    home_council: Organisation
    password: str  # the demonstration password as the demonstration accounts hold it, hashed: shared by every account
    editors: dict[int, int]  # organisation id -> user id of the demonstration editor who saves and submits


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    submitted: int
    returns: int


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    organisation: Organisation


def weighted(generator: random.Random, weights: Weights[Chosen]) -> Chosen:
    return generator.choices(weights.choices, cum_weights=weights.cumulative)[0]


def chunks(items: Sequence[Chosen], size: int) -> Iterator[Sequence[Chosen]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def demo_round_exists(name: str) -> bool:
    return Round.objects.filter(name=name, is_demo=True).exists()


WRITTEN_MODELS: list[type[Model]] = [
    User,
    Membership,
    Return,
    Answer,
    Action,
    Respondent,
    Respondent.indices.through,
    RespondentAnswer,
]


@transaction.atomic
def create_demo_rounds(
    today: datetime.date | None = None, *, past_round_count: int = DEFAULT_PAST_ROUNDS
) -> list[Round]:
    """Create whichever demonstration rounds do not exist yet, and return those created.

    Needs the organisations, the NPS 2018 framework and the demonstration accounts (`nps setup`, then
    `create_demo_accounts`).
    """
    today = today or timezone.localdate()
    rounds = past_rounds(past_round_count)
    missing = [past for past in rounds if not demo_round_exists(past.name)]
    open_missing = not demo_round_exists(OPEN_ROUND_NAME)
    if not missing and not open_missing:
        return []
    demonstration = gather_demonstration(for_past_rounds=bool(missing))
    history = level_history(demonstration.councils, demonstration.indices)
    created = [
        create_past_round(past, levels, demonstration, today)
        for past, levels in zip(rounds, history, strict=False)
        if past in missing
    ]
    reset_sequences(WRITTEN_MODELS)
    if open_missing:
        created.append(create_open_round(demonstration, today, prefill_from=rounds[-1]))
    return created


def demo_user(name: str) -> User:
    """One of the demonstration accounts by its name ("Council editor"), as `nps.core.demo` creates them."""
    email = next(account.email for account in DEMO_ACCOUNTS if account.name == name)
    return User.objects.get(email=email)


def gather_demonstration(*, for_past_rounds: bool) -> Demonstration:
    """Only past rounds create accounts, so only they need the editors."""
    framework_version = FrameworkVersion.objects.get(framework__code="nps", code="2018")
    councils = list(Organisation.objects.current().councils().order_by("gss_code"))
    editor = demo_user("Council editor")
    home_council = Membership.objects.get(user=editor, role=Role.EDITOR).organisation
    return Demonstration(
        framework_version=framework_version,
        indices=list(framework_version.indices.order_by("position")),
        councils=councils,
        national_admin=demo_user("National admin"),
        editor=editor,
        viewer=demo_user("Council viewer"),
        home_council=home_council,
        password=editor.password,
        editors=council_editors(councils, editor.password) if for_past_rounds else {},
    )


def create_demo_people(people: list[Person], role: str, password: str) -> dict[str, int]:
    """Demonstration accounts sharing the demonstration password, each with a role at its organisation.

    Returns each new account's user id by email address."""
    users = write_rows(
        [
            User(
                email=person.email,
                first_name="Demo",
                last_name=f"{person.name} (demonstration account)",
                is_demo=True,
                password=password,
            )
            for person in people
        ]
    )
    write_rows(
        [
            Membership(user=user, organisation=person.organisation, role=role)
            for user, person in zip(users, people, strict=True)
        ]
    )
    return {user.email: user.pk for user in users}


def council_editors(councils: list[Organisation], password: str) -> dict[int, int]:
    """A demonstration editor at every council, who saved and submitted its past returns; created where missing."""
    existing = Membership.objects.filter(
        organisation__in=Organisation.objects.current().councils(), role=Role.EDITOR, user__is_demo=True
    ).order_by("-user_id")
    editors = dict(existing.values_list("organisation_id", "user_id"))  # the earliest account wins
    missing = [
        Person(f"editor.{council.gss_code.lower()}@demo.example", f"Editor at {council.name}", council)
        for council in councils
        if council.pk not in editors
    ]
    created = create_demo_people(missing, Role.EDITOR, password)
    return editors | {person.organisation.pk: created[person.email] for person in missing}


def level_history(councils: list[Organisation], indices: list[Index]) -> Iterator[dict[tuple[int, int], int]]:
    """Each council's level for each index, round after round: levels stay, or rise by one, now and then fall.

    Keyed by (organisation id, index id). Drawn in the councils' GSS code order, so the same on every run."""
    generator = random.Random(f"{SEED}-levels")
    levels = {(council.pk, index.pk): weighted(generator, LEVEL_WEIGHTS) for council in councils for index in indices}
    while True:
        yield levels
        levels = {key: next_level(level, generator) for key, level in levels.items()}


def next_level(level: int, generator: random.Random) -> int:
    draw = generator.random()
    if draw < RISE_CHANCE[level]:
        return level + 1
    if draw > 1 - FALL_CHANCE and level > Level.MINIMUM:
        return level - 1
    return level


def return_statuses(demonstration: Demonstration, generator: random.Random) -> dict[int, str]:
    """Which councils submitted, started or never started their return; the demonstration editor's always submitted."""
    councils = list(demonstration.councils)
    generator.shuffle(councils)
    councils.sort(key=lambda council: council.pk != demonstration.home_council.pk)  # stable: home council first
    submitted = round(len(councils) * SUBMITTED_SHARE)
    statuses = {council.pk: ReturnStatus.SUBMITTED.value for council in councils[:submitted]}
    for council in councils[submitted:]:
        in_progress = generator.random() < IN_PROGRESS_SHARE
        statuses[council.pk] = ReturnStatus.IN_PROGRESS if in_progress else ReturnStatus.NOT_STARTED
    return statuses


def create_past_round(
    past: PastRound, levels: dict[tuple[int, int], int], demonstration: Demonstration, today: datetime.date
) -> Round:
    generator = random.Random(f"{SEED}-{past.year}")
    round_ = Round.objects.create(
        name=past.name,
        framework_version=demonstration.framework_version,
        opens_on=past.opens_on,
        deadline=past.deadline,
        invited_kinds=[str(kind) for kind in COUNCIL_KINDS],
        status=RoundStatus.CLOSED,
        is_demo=True,
        created_by=demonstration.national_admin,
        published_at=published_on(past),
        embargo_until=published_on(past),
    )
    statuses = return_statuses(demonstration, generator)
    reviewers = peer_reviewers(demonstration.councils)
    for councils in chunks(demonstration.councils, COUNCILS_PER_CHUNK):
        returns = write_rows(
            [past_return(round_, council, statuses[council.pk], past, demonstration, generator) for council in councils]
        )
        answers = write_rows(
            [
                past_answer(
                    council_return,
                    index,
                    levels[(council_return.organisation_id, index.pk)],
                    past,
                    generator,
                    reviewer=reviewers[council_return.organisation_id],
                )
                for council_return in returns
                for index in demonstration.indices
            ]
        )
        submitted_returns = {council_return.pk for council_return in returns if council_return.is_submitted}
        submitted = [answer for answer in answers if answer.council_return_id in submitted_returns]
        write_rows(planned_actions(submitted, past, today, generator))
        create_spreads(returns, submitted, demonstration, generator)
    return round_


def published_on(past: PastRound) -> datetime.datetime:
    """Past rounds' results were published three months after the deadline, at 9:30."""
    day = past.deadline + datetime.timedelta(days=90)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def moment_in(past: PastRound, generator: random.Random) -> datetime.datetime:
    """A working hour between two weeks after the round opened and its deadline."""
    first_day = past.opens_on + datetime.timedelta(days=14)
    day = first_day + datetime.timedelta(days=generator.randint(0, (past.deadline - first_day).days))
    moment = datetime.datetime.combine(day, datetime.time(generator.randint(9, 16), generator.randint(0, 59)))
    return timezone.make_aware(moment, timezone.get_default_timezone())  # the site's: quicker than the current zone


def past_return(
    round_: Round,
    council: Organisation,
    status: str,
    past: PastRound,
    demonstration: Demonstration,
    generator: random.Random,
) -> Return:
    submitted = status == ReturnStatus.SUBMITTED
    return Return(
        round=round_,
        organisation=council,
        status=status,
        submitted_at=moment_in(past, generator) if submitted else None,
        submitted_by_id=demonstration.editors[council.pk] if submitted else None,
        is_demo=True,
    )


def peer_reviewers(councils: list[Organisation]) -> dict[int, int]:
    """The council that peer-reviewed each council's answers, where any were: the next one in the list."""
    return {council.pk: councils[(number + 1) % len(councils)].pk for number, council in enumerate(councils)}


def past_answer(
    council_return: Return, index: Index, level: int, past: PastRound, generator: random.Random, *, reviewer: int
) -> Answer:
    """An answer as the council left it: complete if submitted, half done if in progress, empty if never started.
    A submitted answer carries an assurance label: most are self-assessed, some peer-reviewed, a few validated."""
    answer = new(Answer, council_return_id=council_return.pk, index_id=index.pk)
    if council_return.status == ReturnStatus.NOT_STARTED:
        return answer
    if council_return.status == ReturnStatus.IN_PROGRESS and generator.random() >= ANSWERED_IN_DRAFT_SHARE:
        return answer
    fill_answer(answer, level, past.deadline, generator)
    if council_return.is_submitted and not answer.not_applicable:
        answer.assurance = weighted(generator, ASSURANCE_WEIGHTS)
        answer.assured_by_id = reviewer if answer.assurance == Assurance.PEER_REVIEWED else None
        answer.assured_at = council_return.submitted_at if answer.assurance != Assurance.SELF_ASSESSED else None
    saved_at = council_return.submitted_at or moment_in(past, generator)
    answer.updated_at = saved_at - datetime.timedelta(hours=generator.randint(1, 72))
    answer.updated_by_id = council_return.submitted_by_id
    answer.version = 1
    return answer


def fill_answer(answer: Answer, level: int, deadline: datetime.date, generator: random.Random) -> None:
    """A complete answer: a level with a target and evidence, or (now and then) not applicable with a reason."""
    if generator.random() < NOT_APPLICABLE_SHARE:
        answer.not_applicable = True
        answer.not_applicable_reason = f"Demonstration reason: {generator.choice(NOT_APPLICABLE_REASONS)}."
        return
    answer.current_level = level
    answer.target_level = min(Level.INNOVATOR, level + weighted(generator, TARGET_STEP_WEIGHTS))
    answer.target_date = datetime.date(deadline.year + generator.choice(TARGET_YEARS_AHEAD), 3, 31)
    answer.confidence = weighted(generator, CONFIDENCE_WEIGHTS)
    answer.evidence = f"Demonstration evidence: {generator.choice(EVIDENCE)}."
    answer.rationale = f"Demonstration rationale: {generator.choice(RATIONALES)}."


def planned_actions(
    answers: list[Answer], past: PastRound, today: datetime.date, generator: random.Random
) -> list[Action]:
    return [
        planned_action(answer, past, today, generator)
        for answer in answers
        if answer.gap and generator.random() < ACTION_SHARE
    ]


def planned_action(answer: Answer, past: PastRound, today: datetime.date, generator: random.Random) -> Action:
    """A step towards the next level, due before the target date; most past-due steps are done, some overdue."""
    assert answer.current_level is not None and answer.target_date is not None, "only answers with a gap"
    days_to_target = (answer.target_date - past.deadline).days
    due_date = past.deadline + datetime.timedelta(days=generator.randint(min(60, days_to_target), days_to_target))
    if due_date < today:
        done = generator.random() < DONE_SHARE
        status = ActionStatus.DONE if done else generator.choice([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
    else:
        status = weighted(generator, LATER_ACTION_STATUS_WEIGHTS)
    return new(
        Action,
        answer_id=answer.pk,
        title=f"Demonstration action: {generator.choice(ACTION_TITLES)}",
        owner=f"{generator.choice(ACTION_OWNERS)} (demonstration)",
        due_date=due_date,
        status=status,
        aim_level=answer.current_level + 1,
        created_by_id=answer.updated_by_id,
    )


def create_spreads(
    returns: Sequence[Return], submitted_answers: list[Answer], demonstration: Demonstration, generator: random.Random
) -> None:
    """Two or three colleagues' views for some submitted returns (always the demonstration editor's council)."""
    chosen = [
        council_return
        for council_return in returns
        if council_return.status == ReturnStatus.SUBMITTED
        and (generator.random() < SPREAD_SHARE or council_return.organisation_id == demonstration.home_council.pk)
    ]
    asked = [
        (council_return, respondent_person(council_return.organisation, number))
        for council_return in chosen
        for number in range(1, generator.choice(RESPONDENT_COUNTS) + 1)
    ]
    user_ids = respondent_accounts([person for _, person in asked], demonstration.password)
    respondents = write_rows(
        [
            Respondent(
                council_return=council_return,
                email=person.email,
                user_id=user_ids[person.email],
                invited_by_id=council_return.submitted_by_id,
            )
            for council_return, person in asked
        ]
    )
    write_rows(
        [
            new(Respondent.indices.through, respondent_id=respondent.pk, index_id=index.pk)
            for respondent in respondents
            for index in demonstration.indices
        ]
    )
    write_rows(colleague_views(respondents, submitted_answers, generator))


def respondent_person(council: Organisation, number: int) -> Person:
    email = f"respondent{number}.{council.gss_code.lower()}@demo.example"
    return Person(email, f"Respondent {number} at {council.name}", council)


def respondent_accounts(people: list[Person], password: str) -> dict[str, int]:
    """User ids by email: accounts from earlier rounds are reused, the others created."""
    emails = {person.email for person in people}
    existing = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    missing = list({person.email: person for person in people if person.email not in existing}.values())
    return existing | create_demo_people(missing, Role.RESPONDENT, password)


def colleague_views(
    respondents: Sequence[Respondent], answers: list[Answer], generator: random.Random
) -> list[RespondentAnswer]:
    """Every colleague's view of every index: mostly within one level of the council's answer, and on one index per
    return, the first colleague two levels away while the others agree with the council."""
    answers_by_return: dict[int, list[Answer]] = {}
    for answer in answers:
        answers_by_return.setdefault(answer.council_return_id, []).append(answer)
    disputed = {
        return_id: generator.choice([answer for answer in listed if not answer.not_applicable] or listed).index_id
        for return_id, listed in answers_by_return.items()
    }
    positions: dict[int, int] = {}
    views = []
    for respondent in respondents:
        position = positions[respondent.council_return_id] = positions.get(respondent.council_return_id, -1) + 1
        for answer in answers_by_return[respondent.council_return_id]:
            is_disputed = disputed[respondent.council_return_id] == answer.index_id
            views.append(colleague_view(respondent, answer, position, is_disputed, generator))
    return views


def colleague_view(
    respondent: Respondent, answer: Answer, position: int, is_disputed: bool, generator: random.Random
) -> RespondentAnswer:
    comment = f"Demonstration comment: {generator.choice(VIEW_COMMENTS)}." if generator.random() < COMMENT_SHARE else ""
    return new(
        RespondentAnswer,
        respondent_id=respondent.pk,
        index_id=answer.index_id,
        current_level=view_level(answer.current_level, position, is_disputed, generator),
        not_applicable=answer.not_applicable,
        comment=comment,
    )


def view_level(level: int | None, position: int, is_disputed: bool, generator: random.Random) -> int | None:
    if level is None:
        return None
    if is_disputed and position == 0:
        return level + 2 if level <= Level.MATURE else level - 2
    if is_disputed:
        return level
    return min(Level.INNOVATOR, max(Level.MINIMUM, level + weighted(generator, VIEW_DIFFERENCE_WEIGHTS)))


def create_open_round(demonstration: Demonstration, today: datetime.date, *, prefill_from: PastRound) -> Round:
    """The current round, opened through the services so that answers are prefilled from the latest past round."""
    round_ = create_round(
        name=OPEN_ROUND_NAME,
        framework_version=demonstration.framework_version,
        opens_on=today - datetime.timedelta(days=OPEN_ROUND_OPENED_DAYS_AGO),
        deadline=today + datetime.timedelta(days=OPEN_ROUND_DAYS_LEFT),
        invited_kinds=[str(kind) for kind in COUNCIL_KINDS],
        prefill_from=Round.objects.filter(name=prefill_from.name, is_demo=True).latest("pk"),
        by=demonstration.national_admin,
    )
    # Marked before it opens, so that open_round marks every return as demonstration data too.
    Round.objects.filter(pk=round_.pk).update(is_demo=True)
    open_round(round_, by=demonstration.national_admin)
    round_.refresh_from_db()
    draft_home_return(round_, demonstration)
    create_demo_people(
        [
            Person(f"approver.{council.gss_code.lower()}@demo.example", f"Approver at {council.name}", council)
            for council in Organisation.objects.filter(gss_code__in=SIGNING_OFF)
        ],
        Role.APPROVER,
        demonstration.password,
    )
    create_assurance_stages(round_, demonstration.national_admin)
    return round_


def draft_home_return(round_: Round, demonstration: Demonstration) -> None:
    """The demonstration editor has reviewed a few prefilled answers and asked the viewer about a few more."""
    council_return = Return.objects.get(round=round_, organisation=demonstration.home_council)
    answers = list(council_return.answers.select_related("index").order_by("index__position"))
    generator = random.Random(f"{SEED}-{round_.name}")
    for position, answer in enumerate(answers[:REVIEWED_IN_DRAFT]):
        values = reviewed_values(answer, round_, raise_level=position % 2 == 0, generator=generator)
        save_answer(answer, values, expected_version=answer.version, by=demonstration.editor)
    asked = answers[REVIEWED_IN_DRAFT : REVIEWED_IN_DRAFT + VIEWS_ASKED]
    ask_for_views(council_return, asked, demonstration, generator)


def reviewed_values(answer: Answer, round_: Round, *, raise_level: bool, generator: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {
        "evidence": f"Demonstration evidence: reviewed for {round_.name}: {generator.choice(EVIDENCE)}.",
        "target_date": datetime.date(round_.deadline.year + 1, 3, 31),
    }
    if raise_level and answer.current_level is not None and answer.current_level < Level.INNOVATOR:
        level = answer.current_level + 1
        values["current_level"] = level
        values["target_level"] = max(answer.target_level or level, min(Level.INNOVATOR, level + 1))
        values["rationale"] = f"Demonstration rationale: {generator.choice(RATIONALES)}."
    return values


def ask_for_views(
    council_return: Return, answers: list[Answer], demonstration: Demonstration, generator: random.Random
) -> None:
    # Not invite_respondent: it emails the colleague, and demonstration data must send no email.
    respondent = Respondent.objects.create(
        council_return=council_return,
        email=demonstration.viewer.email,
        user=demonstration.viewer,
        invited_by=demonstration.editor,
    )
    respondent.indices.set([answer.index for answer in answers])
    for answer in answers[:VIEWS_GIVEN]:
        save_view(
            respondent,
            answer.index,
            current_level=view_level(answer.current_level, 1, False, generator),
            not_applicable=answer.not_applicable,
            comment=f"Demonstration comment: {generator.choice(VIEW_COMMENTS)}.",
        )


def demo_round_summaries() -> list[RoundSummary]:
    """Every demonstration round, oldest first, with how many returns it has and how many were submitted."""
    rounds = list(Round.objects.filter(is_demo=True).order_by("opens_on", "pk"))
    returns = Return.objects.filter(round__in=rounds).values_list("round_id").annotate(count=Count("pk"))
    submitted = returns.filter(status=ReturnStatus.SUBMITTED)
    return_counts: dict[int, int] = dict(returns)
    submitted_counts: dict[int, int] = dict(submitted)
    return [
        RoundSummary(round_, submitted_counts.get(round_.pk, 0), return_counts.get(round_.pk, 0)) for round_ in rounds
    ]
