"""What each person has to do next: the page they land on after signing in.

Each section is something the person is part of (their council's return, a view or review asked of them, their
group, a round the national team runs), with its tasks in the GOV.UK task-list pattern and one button for the next
step. The rules come from the apps that own them (a return's problems, who may sign off, which reviews wait), so this
page says nothing they would not; nothing imports it but the home page.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from nps.accounts.models import Role, User
from nps.accounts.permissions import COUNCIL_ROLES, can_edit
from nps.assessments.answers import return_problems
from nps.assessments.checks import IndexStatus, index_status
from nps.assessments.models import (
    Answer,
    Assurance,
    Query,
    RespondentAnswer,
    Return,
    ReturnStatus,
    Round,
    RoundStatus,
)
from nps.assessments.queries import counts_by_region_and_kind, respondent_requests
from nps.assessments.reviews import council_findings, reviews_for, unresolved
from nps.assessments.signoff import can_sign_off_now
from nps.community.models import OPEN_STATUSES, CaseStudy, CaseStudyStatus, ConnectionRequest, ConnectionStatus
from nps.frameworks.models import FrameworkVersion, VersionStatus
from nps.insights.figures import NO_REGION, kind_label
from nps.organisations.models import Organisation

COMPLETED, IN_PROGRESS, NOT_STARTED, CANNOT_START = "Completed", "In progress", "Not yet started", "Cannot start yet"


@dataclass(frozen=True)
class Task:
    """One row of a task list: what to do, where, and how far it is."""

    name: str
    href: str
    status: str
    hint: str = ""
    to_do: bool = False  # the status shows as a tag: something is still to do here
    can_start: bool = True  # otherwise no link: it waits for an earlier step or for someone else


@dataclass(frozen=True)
class Section:
    """Something the person is part of, its tasks, and the button for the next step."""

    heading: str
    summary: str
    button: str = ""
    href: str = ""
    tasks: tuple[Task, ...] = ()
    waiting: bool = True  # something here waits for this person
    is_demo: bool = False
    tables: tuple[dict[str, Any], ...] = ()  # figures behind "Show …" details, each {"caption", "rows"}


def sections_for(user: User) -> list[Section]:
    """Everything this person is part of, what waits for them first (otherwise in the order below)."""
    sections = [
        *national_sections(user),
        *view_sections(user),
        *review_sections(user),
        *return_sections(user),
        *connection_sections(user),
        *group_sections(user),
    ]
    return sorted(sections, key=lambda section: not section.waiting)


def counted(done: int, total: int, name: str, href: str, hint: str = "") -> Task:
    status = COMPLETED if total and done == total else IN_PROGRESS if done else NOT_STARTED
    return Task(name, href, status, hint, to_do=status != COMPLETED)


def waiting(count: int, name: str, href: str, what: str) -> Task:
    """A task that is done when nothing waits: "3 waiting", or "None"."""
    return Task(name, href, f"{count} {what}" if count else "None", to_do=bool(count))


def plural(count: int, singular: str, many: str = "") -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def day(date: Any) -> str:
    return f"{date:%-d %B %Y}"


# A council's return ---------------------------------------------------------------------------------------------------


def council_returns(user: User) -> QuerySet[Return]:
    """The returns of the councils where this person has a council role, newest round first."""
    councils = user.memberships.filter(role__in=COUNCIL_ROLES).values("organisation")
    return (
        Return.objects.filter(organisation__in=councils)
        .select_related("round", "organisation")
        .order_by("-round__opens_on", "organisation__name")
    )


def return_sections(user: User) -> list[Section]:
    returns = list(council_returns(user))
    sections = [return_section(council_return, user) for council_return in returns if council_return.round.is_open]
    past = [council_return for council_return in returns if council_return.round.status == RoundStatus.CLOSED]
    councils = user.memberships.filter(role__in=COUNCIL_ROLES).exclude(organisation__returns__in=returns)
    waiting_councils = [
        council_section(membership.organisation) for membership in councils.select_related("organisation")
    ]
    return sections + waiting_councils + ([past_returns_section(past)] if past else [])


def council_section(council: Organisation) -> Section:
    summary = "No diagnostic round has invited your council yet. When one opens, your return will be here."
    href = reverse("organisations:detail", args=[council.gss_code])
    return Section(council.name, summary, "See your council's page", href, waiting=False)


def return_section(council_return: Return, user: User) -> Section:
    organisation, round_ = council_return.organisation, council_return.round
    heading, link = f"{organisation.name}: {round_.name}", overview(council_return)
    if council_return.is_submitted:
        questions = open_questions(council_return)
        summary = f"Submitted on {day(council_return.submitted_at)}. {after_submission(questions)}"
        button = "Answer the questions" if questions else "See your return"
        return Section(heading, summary, button, link, waiting=bool(questions), is_demo=round_.is_demo)
    tasks = return_tasks(council_return)
    if can_sign_off_now(user, council_return):
        summary = (
            f"Due {day(round_.deadline)}. An editor sent it for sign-off: check it, then sign it off or send it back."
        )
        href = reverse("assessments:submit", args=[organisation.gss_code, round_.pk])  # the check page, with sign-off
        return Section(f"Sign off {heading}", summary, "Check and sign off", href, tasks, is_demo=round_.is_demo)
    to_do = (
        can_edit(user, organisation)
        and council_return.is_editable
        and any(task.to_do and task.can_start for task in tasks)
    )
    summary = f"Due {day(round_.deadline)}. {tasks[0].hint}"
    button = "Continue your return" if to_do else "See the return"
    return Section(heading, summary, button, link, tasks, waiting=to_do, is_demo=round_.is_demo)


def overview(council_return: Return) -> str:
    return reverse("assessments:overview", args=[council_return.organisation.gss_code, council_return.round_id])


def open_questions(council_return: Return) -> int:
    return Query.objects.filter(answer__council_return=council_return, answered_at__isnull=True).count()


def after_submission(questions: int) -> str:
    if questions:
        return f"The national team has asked {plural(questions, 'question')} about it: answer them on the return."
    return "Nothing more is needed unless the national team asks about an answer."


def return_tasks(council_return: Return) -> tuple[Task, ...]:
    """The steps of completing a return, in the order a council takes them."""
    answers = list(council_return.answers.annotate(file_count=Count("files")))
    finished = {IndexStatus.ANSWERED, IndexStatus.NOT_APPLICABLE}
    answered = sum(index_status(answer) in finished for answer in answers)
    evidenced = sum(
        bool(answer.evidence.strip() or answer.evidence_links.strip() or answer.file_count) for answer in answers
    )
    total, link = len(answers), overview(council_return)
    tasks = [counted(answered, total, "Answer every index", link, f"{answered} of {total} indices answered.")]
    if council_return.round.prefill_from_id:
        unconfirmed = sum(answer.needs_review for answer in answers)
        tasks.append(waiting(unconfirmed, "Confirm or change last round's answers", link, "to confirm"))
    tasks.append(counted(evidenced, total, "Add evidence", link, f"{evidenced} of {total} indices with evidence."))
    tasks.append(colleagues_task(council_return))
    tasks += assurance_tasks(council_return)
    tasks += submission_tasks(council_return, ready=not return_problems(council_return))
    return tuple(tasks)


def colleagues_task(council_return: Return) -> Task:
    gave_view = Exists(RespondentAnswer.objects.filter(respondent=OuterRef("pk")))
    views = [respondent.gave_view for respondent in council_return.respondents.annotate(gave_view=gave_view)]
    href = reverse("assessments:respondents", args=[council_return.organisation.gss_code, council_return.round_id])
    if not views:
        return Task("Ask colleagues for their view", href, "Optional")
    return Task("Ask colleagues for their view", href, f"{sum(views)} of {len(views)} gave a view")


def assurance_tasks(council_return: Return) -> list[Task]:
    """The national team's questions and a peer review's suggestions, while any wait for an answer."""
    tasks = []
    if questions := open_questions(council_return):
        tasks.append(waiting(questions, "Answer the national team's questions", overview(council_return), "to answer"))
    if suggestions := unresolved(council_findings(council_return)).count():
        href = reverse(
            "assessments:return_reviews", args=[council_return.organisation.gss_code, council_return.round_id]
        )
        tasks.append(waiting(suggestions, "Resolve the peer review's suggestions", href, "to resolve"))
    return tasks


def submission_tasks(council_return: Return, *, ready: bool) -> list[Task]:
    check = reverse("assessments:submit", args=[council_return.organisation.gss_code, council_return.round_id])
    sign_off = council_return.round.requires_sign_off
    name = "Check your answers and send for sign-off" if sign_off else "Check your answers and submit"
    sent = council_return.status in {ReturnStatus.AWAITING_SIGN_OFF, ReturnStatus.SUBMITTED}
    if sent:
        step = Task(name, check, COMPLETED)
    else:
        step = Task(name, check, NOT_STARTED, to_do=True) if ready else Task(name, check, CANNOT_START, can_start=False)
    if not sign_off:
        return [step]
    approver = COMPLETED if council_return.is_submitted else "Waiting" if sent else CANNOT_START
    return [step, Task("Sign-off by your council's approver", check, approver, can_start=False)]


def past_returns_section(returns: list[Return]) -> Section:
    tasks = tuple(
        Task(
            f"{council_return.round.name}: {council_return.organisation.name}'s dashboard",
            reverse("insights:dashboard", args=[council_return.organisation.gss_code, council_return.round_id]),
            council_return.get_status_display(),
        )
        for council_return in returns
    )
    return Section("Past rounds", "Where you stood, your targets, and how you compare.", tasks=tasks, waiting=False)


# Exemplar connections ------------------------------------------------------------------------------------------------


def connection_sections(user: User) -> list[Section]:
    councils = Organisation.objects.filter(memberships__user=user, memberships__role__in=COUNCIL_ROLES).distinct()
    return [section for council in councils.order_by("name") if (section := connection_section(council))]


def connection_section(council: Organisation) -> Section | None:
    """A council's open connections with exemplars, either way, if it has any."""
    made = ConnectionRequest.objects.filter(requester=council, status__in=OPEN_STATUSES).count()
    learners = ConnectionRequest.objects.filter(exemplar=council, status=ConnectionStatus.CONNECTED).count()
    if not (made or learners):
        return None
    href = reverse("community:council", args=[council.gss_code])
    tasks = (
        waiting(learners, "Get in touch with councils learning from you", href, "connected"),
        Task("Your requests to meet an exemplar", href, f"{made} open" if made else "None"),
    )
    summary = "The national team connects councils with exemplars; each side then gets in touch directly."
    heading = f"{council.name}: exemplar connections"
    return Section(heading, summary, "See your connections", href, tasks, waiting=bool(learners))


# Views and reviews asked of this person -------------------------------------------------------------------------------


def view_sections(user: User) -> list[Section]:
    sections = []
    for respondent in respondent_requests(user):
        council_return = respondent.council_return
        round_, gss_code = council_return.round, council_return.organisation.gss_code
        summary = f"{round_.name}, due {day(round_.deadline)}. The council's editors see your view beside the others'."
        href = reverse("assessments:my_view", args=[gss_code, round_.pk])
        heading = f"Give your view on {council_return.organisation.name}'s return"
        sections.append(Section(heading, summary, "Give your view", href, is_demo=round_.is_demo))
    return sections


def review_sections(user: User) -> list[Section]:
    sections = []
    for review in reviews_for(user):
        council_return = review.council_return
        summary = (
            f"{council_return.organisation.name} asked {review.reviewing_organisation.name} to review "
            f"{plural(review.indices.count(), 'index', 'indices')} of its return to {council_return.round.name}."
        )
        heading = f"Review {council_return.organisation.name}'s return"
        href = reverse("assessments:review", args=[review.pk])
        sections.append(Section(heading, summary, "Start the review", href, is_demo=council_return.round.is_demo))
    return sections


# A group's members ----------------------------------------------------------------------------------------------------


def group_sections(user: User) -> list[Section]:
    groups = Organisation.objects.filter(memberships__user=user, memberships__role=Role.GROUP_LEAD).order_by("name")
    return [group_section(group) for group in groups]


def group_section(group: Organisation) -> Section:
    results = reverse("insights:group_rounds", args=[group.gss_code])
    rounds = Round.objects.filter(status=RoundStatus.OPEN, returns__organisation__groups=group).distinct()
    tasks = [members_task(round_, group, results) for round_ in rounds]
    strategy = FrameworkVersion.objects.filter(framework__owner=group).order_by("-created_at").first()
    status = strategy.get_status_display() if strategy else "Not derived yet"
    tasks.append(Task("Your regional strategy", reverse("frameworks:regional", args=[group.gss_code]), status))
    summary = f"{plural(group.members.count(), 'member council')}. See how your members stand and set your priorities."
    heading = f"{group.name}: your members"
    return Section(heading, summary, "See your members' results", results, tuple(tasks), waiting=bool(rounds))


def members_task(round_: Round, group: Organisation, href: str) -> Task:
    returns = round_.returns.filter(organisation__groups=group)
    submitted = returns.filter(status=ReturnStatus.SUBMITTED).count()
    return Task(f"{round_.name}: members' returns", href, f"{submitted} of {returns.count()} submitted")


# The national team ----------------------------------------------------------------------------------------------------


def national_sections(user: User) -> list[Section]:
    if not user.is_national_admin:
        return []
    unfinished = Round.objects.filter(run_by__isnull=True).exclude(
        status=RoundStatus.CLOSED, published_at__isnull=False
    )
    sections = [round_section(round_) for round_ in unfinished.order_by("-opens_on")] or [new_round_section()]
    return [*sections, requests_section()]


def round_section(round_: Round) -> Section:
    href = reverse("assessments:round", args=[round_.pk])
    counts, by_region, by_kind = counts_by_region_and_kind(round_)
    submitted = f"{counts[ReturnStatus.SUBMITTED]} of {counts['invited']} returns submitted"
    if round_.status == RoundStatus.DRAFT:
        summary = f"Not open yet: nobody is invited until you open it. It is set to open on {day(round_.opens_on)}."
        return Section(f"Open {round_.name}", summary, "Open the round", href, is_demo=round_.is_demo)
    if round_.status == RoundStatus.CLOSED:
        summary = f"Closed with {submitted}. Nobody outside the national team sees the results until you publish them."
        publish = reverse("insights:publish", args=[round_.pk])
        heading = f"Publish the results of {round_.name}"
        return Section(heading, summary, "Publish the results", publish, is_demo=round_.is_demo)
    summary = (
        f"Closes on {day(round_.deadline)}. {counts[ReturnStatus.AWAITING_SIGN_OFF]} waiting for sign-off, "
        f"{counts[ReturnStatus.IN_PROGRESS]} in progress, {counts[ReturnStatus.NOT_STARTED]} not started."
    )
    tables = (
        {
            "caption": "By region",
            "rows": [(row["name"] or NO_REGION, row) for row in by_region],
        },
        {
            "caption": "By council type",
            "rows": [(kind_label(row["name"]), row) for row in by_kind],
        },
    )
    heading = f"{round_.name}: {submitted}"
    return Section(
        heading, summary, "Follow the round", href, national_round_tasks(round_), True, round_.is_demo, tables
    )


def national_round_tasks(round_: Round) -> tuple[Task, ...]:
    href = reverse("assessments:round", args=[round_.pk])
    to_validate = f"{href}?status={ReturnStatus.SUBMITTED}#returns"
    submitted = round_.returns.filter(status=ReturnStatus.SUBMITTED)
    not_validated = Answer.objects.filter(council_return=OuterRef("pk")).exclude(assurance=Assurance.VALIDATED)
    # From the few unanswered queries up, not from the round's answers down (which reads every answer).
    unanswered = Query.objects.filter(answered_at__isnull=True).values_list("answer__council_return__round_id")
    questions = sum(round_id == round_.pk for (round_id,) in unanswered.order_by())
    return (
        waiting(
            submitted.filter(Exists(not_validated)).count(), "Validate submitted returns", to_validate, "not validated"
        ),
        waiting(questions, "Questions waiting for councils", href, "waiting"),
        Task("Close the round", reverse("assessments:close_round", args=[round_.pk]), f"Due {day(round_.deadline)}"),
    )


def new_round_section() -> Section:
    summary = "No national round is open or waiting. A round invites councils to assess themselves by a deadline."
    return Section("Start a diagnostic round", summary, "Create a round", reverse("assessments:new_round"))


def requests_section() -> Section:
    connections = ConnectionRequest.objects.filter(status=ConnectionStatus.REQUESTED).count()
    stories = CaseStudy.objects.filter(status=CaseStudyStatus.DRAFT).count()
    drafts = FrameworkVersion.objects.filter(framework__owner__isnull=True, status=VersionStatus.DRAFT).count()
    tasks = (
        waiting(connections, "Decide connection requests", reverse("community:connections"), "waiting"),
        waiting(stories, "Publish case studies", reverse("community:manage_case_studies"), "in draft"),
        waiting(drafts, "Publish changes to the strategy", reverse("frameworks:manage"), "in draft"),
    )
    summary = "Councils asking to meet an exemplar, case studies to publish and changes to the strategy."
    href = reverse("community:connections")
    return Section("Requests and drafts", summary, "Decide connection requests", href, tasks, waiting=bool(connections))
