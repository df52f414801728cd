"""The shapes of the assessments API's requests and answers."""

import datetime
from typing import Any

from ninja import Field, Schema

from nps.accounts.models import User
from nps.assessments.checks import Problem, index_status
from nps.assessments.models import (
    Action,
    Answer,
    AnswerChange,
    Respondent,
    Return,
    ReturnStatus,
    Round,
)
from nps.assessments.rounds import who_is_invited
from nps.assessments.timeline import HistoryEntry
from nps.lib.api import Input

REQUIRES_SIGN_OFF = str(Round._meta.get_field("requires_sign_off").help_text)
ALLOW_UNCONFIRMED_PREFILL = str(Round._meta.get_field("allow_unconfirmed_prefill").help_text)
RESULTS_PUBLIC = str(Round._meta.get_field("results_public").help_text)


class ReturnCounts(Schema):
    invited: int
    not_started: int
    in_progress: int
    awaiting_sign_off: int
    submitted: int


class RoundOut(Schema):
    id: int
    name: str
    framework_version: str = Field(description="Framework and version codes, for example `nps/2018`.")
    opens_on: datetime.date
    deadline: datetime.date
    status: str
    invited_kinds: list[str]
    invited_nations: list[str] = Field(description="With types: only those in these nations: england, wales.")
    invited_regions: list[str] = Field(description="With types: only those in these regions (E12 codes).")
    invited_groups: list[str] = Field(description="With types: only members of these groups (GSS codes).")
    invited_councils: list[str] = Field(description="Organisations invited by name, whatever their type or region.")
    invited: str = Field(description="Who the round invites, in words.")
    prefill_from: int | None
    run_by: str | None = Field(description="The GSS code of the group running the round; null for national rounds.")
    is_demo: bool
    share_early: bool = Field(
        description="Councils that submitted may compare themselves with their peers before the results are published."
    )
    requires_sign_off: bool = Field(description=REQUIRES_SIGN_OFF)
    allow_unconfirmed_prefill: bool = Field(description=ALLOW_UNCONFIRMED_PREFILL)
    results_public: bool = Field(description=RESULTS_PUBLIC)
    counts: ReturnCounts | None = Field(description="How many returns are in each state; national team only.")

    @staticmethod
    def resolve_framework_version(round_: Round) -> str:
        return f"{round_.framework_version.framework.code}/{round_.framework_version.code}"

    @staticmethod
    def resolve_invited_regions(round_: Round) -> list[str]:
        return [region.code for region in round_.invited_regions.all()]

    @staticmethod
    def resolve_invited_groups(round_: Round) -> list[str]:
        return [group.gss_code for group in round_.invited_groups.all()]

    @staticmethod
    def resolve_invited_councils(round_: Round) -> list[str]:
        return [council.gss_code for council in round_.invited_councils.all()]

    @staticmethod
    def resolve_invited(round_: Round) -> str:
        return who_is_invited(round_)

    @staticmethod
    def resolve_prefill_from(round_: Round) -> int | None:
        return round_.prefill_from_id

    @staticmethod
    def resolve_run_by(round_: Round) -> str | None:
        return round_.run_by.gss_code if round_.run_by else None

    @staticmethod
    def resolve_counts(round_: Round) -> dict[str, int] | None:
        if not hasattr(round_, "invited"):  # only rounds_with_counts() annotates them, for the national team
            return None
        return {status: getattr(round_, status) for status in ["invited", *ReturnStatus.values]}


class RoundIn(Input):
    name: str
    framework_version: str = Field(description="Framework and version codes of a published version: `nps/2018`.")
    opens_on: datetime.date
    deadline: datetime.date
    invited_kinds: list[str] = Field([], description="Organisation types invited when the round opens.")
    invited_nations: list[str] = Field([], description="With types: only those in these nations: england, wales.")
    invited_regions: list[str] = Field([], description="With types: only those in these regions (E12 codes).")
    invited_groups: list[str] = Field([], description="With types: only members of these groups (GSS codes).")
    invited_councils: list[str] = Field(
        [], description="Organisations invited by GSS code (or full name), whatever their type or region."
    )
    run_by: str | None = Field(
        None, description="A group's GSS code: the group's round for its members, on its own strategy (its lead)."
    )
    results_public: bool = Field(False, description=RESULTS_PUBLIC)
    prefill_from: int | None = Field(None, description="Start each answer from the return to this earlier round.")
    requires_sign_off: bool = Field(True, description=REQUIRES_SIGN_OFF)
    allow_unconfirmed_prefill: bool = Field(False, description=ALLOW_UNCONFIRMED_PREFILL)


class DeadlineIn(Input):
    deadline: datetime.date


class ShareEarlyIn(Input):
    share_early: bool


class ReopenIn(Input):
    reason: str


class ReturnSummary(Schema):
    organisation: str
    organisation_name: str
    round_id: int
    round_name: str
    deadline: datetime.date
    status: str
    submitted_at: datetime.datetime | None
    submitted_by: str | None
    requires_sign_off: bool = Field(description="The round needs an approver to sign the return off, which submits it.")
    sent_for_sign_off_at: datetime.datetime | None
    sent_for_sign_off_by: str | None
    signed_off_at: datetime.datetime | None
    signed_off_by: str | None
    is_editable: bool


class RoundDetail(RoundOut):
    returns: list[ReturnSummary] = Field(
        description="One page of the returns, by organisation name: see `?limit=&offset=`."
    )
    returns_count: int = Field(description="Every return of the round.")

    @staticmethod
    def resolve_returns(round_: Round) -> list[dict[str, Any]]:
        return round_.page_of_returns  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_returns_count(round_: Round) -> int:
        return round_.invited  # type: ignore[attr-defined, no-any-return]


class EvidenceFileOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime.datetime


class AnswerOut(Schema):
    index: str
    title: str
    status: str
    current_level: int | None
    statement_levels: dict[str, int] = Field(description="Levels by statement code, for indices with several.")
    target_level: int | None
    target_date: datetime.date | None
    confidence: str
    not_applicable: bool
    not_applicable_reason: str
    evidence: str
    evidence_links: str = Field(description="One web address per line.")
    rationale: str
    assurance: str = Field(
        description="`self_assessed`, `peer_reviewed` (by another council's review) or `validated` (by the national "
        "team); never set by the council itself."
    )
    assurance_label: str = Field(description="In words: `Peer-reviewed by Wigan Council`.")
    assured_by: str | None = Field(description="GSS code of the council whose review agreed the answer.")
    needs_review: bool = Field(
        description="Prefilled from an earlier round and not yet saved or confirmed in this one (see `/confirm`)."
    )
    version: int
    updated_at: datetime.datetime | None
    updated_by: str | None
    files: list[EvidenceFileOut]

    @staticmethod
    def resolve_index(answer: Answer) -> str:
        return answer.index.code

    @staticmethod
    def resolve_title(answer: Answer) -> str:
        return answer.index.title

    @staticmethod
    def resolve_status(answer: Answer) -> str:
        return index_status(answer).value

    @staticmethod
    def resolve_statement_levels(answer: Answer) -> dict[str, int]:
        codes = {statement.pk: statement.code for statement in answer.index.statements.all()}
        return {codes[level.statement_id]: level.level for level in answer.statement_levels.all()}

    @staticmethod
    def resolve_updated_by(answer: Answer) -> str | None:
        return str(answer.updated_by) if answer.updated_by else None

    @staticmethod
    def resolve_assured_by(answer: Answer) -> str | None:
        return answer.assured_by.gss_code if answer.assured_by else None


class AnswerIn(Input):
    """An answer's fields; those left out keep their current values."""

    version: int = Field(description="The version you loaded: the save is refused (409) if someone saved since.")
    current_level: int | None = Field(
        None, description="1 to 5; refused (422) for an index with several statements, whose level follows from theirs."
    )
    statement_levels: dict[str, int] = Field({}, description="1 to 5 by statement code, for indices with several.")
    confidence: str = ""
    evidence: str = ""
    evidence_links: str = Field("", description="One web address per line.")
    not_applicable: bool = False
    not_applicable_reason: str = ""
    target_level: int | None = None
    target_date: datetime.date | None = None
    rationale: str = ""


class AnswerChangeOut(Schema):
    version: int
    field: str
    label: str
    old_value: str
    new_value: str
    changed_by: str | None
    changed_at: datetime.datetime

    @staticmethod
    def resolve_changed_by(change: AnswerChange) -> str | None:
        return str(change.changed_by) if change.changed_by else None


class HistoryEntryOut(Schema):
    """One line of an answer's readable history: a change to one of its fields, or a step in the return's life."""

    kind: str = Field(
        description="`change` for a change to a field; otherwise the step: `validated`, `queried`, `query_answered`, "
        "`sent_for_sign_off`, `signed_off`, `sent_back`, `submitted`, `reopened`, `confirmed`, `review_requested`, "
        "`review_completed`, `review_withdrawn`, `comment_resolved` or `assurance_dropped`."
    )
    version: int | None = Field(description="For a change: the answer's version it made; null for a step.")
    field: str = Field(description="For a change: the field (`confidence`, `statement:1.2`); empty for a step.")
    label: str = Field(description="The field's name (`current level`) or the step's (`Validated`).")
    old_value: str = Field(description="For a change, in the pages' words: `Low confidence`, `Mature`.")
    new_value: str
    description: str = Field(description="For a step, what happened: `Validated by the national team: ...`.")
    changed_by: str | None = Field(description="Who; null for a former colleague.")
    changed_at: datetime.datetime

    @staticmethod
    def resolve_changed_by(entry: HistoryEntry) -> str | None:
        return str(entry.by) if entry.by else None

    @staticmethod
    def resolve_changed_at(entry: HistoryEntry) -> datetime.datetime:
        return entry.at


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[AnswerChangeOut]


class MissingOut(Schema):
    index: str
    field: str = Field(
        description="The answer's field to put right: a field of `AnswerIn`, `statement_levels` for a statement's "
        "level, or `needs_review` for a prefilled answer to confirm or change."
    )
    statement: str | None = Field(description="The statement's code, for a statement's level.")
    kind: str = Field(
        description="`unanswered`, `unconfirmed` (a prefilled answer nobody has confirmed or changed in this round) "
        "or `missing_reason` (not applicable, or a target below the current level, without saying why)."
    )
    message: str

    @staticmethod
    def resolve_index(problem: Problem) -> str:
        return problem.index_code

    @staticmethod
    def resolve_field(problem: Problem) -> str:
        return "statement_levels" if problem.statement_code else problem.field

    @staticmethod
    def resolve_statement(problem: Problem) -> str | None:
        return problem.statement_code or None


class IncompleteOut(Schema):
    detail: str
    missing: list[MissingOut]


class Progress(Schema):
    done: int
    total: int


class ReturnOut(ReturnSummary):
    can_edit: bool = Field(description="Whether you may change the return now.")
    can_sign_off: bool = Field(description="Whether you may sign the return off, or send it back, now.")
    progress: Progress
    answers: list[AnswerOut]


class RespondentIn(Input):
    email: str
    indices: list[str] = Field(description="Codes of the indices the colleague is asked about.")


class RespondentOut(Schema):
    name: str
    email: str
    indices: list[str]
    invited_at: datetime.datetime

    @staticmethod
    def resolve_name(respondent: Respondent) -> str:
        return str(respondent)

    @staticmethod
    def resolve_indices(respondent: Respondent) -> list[str]:
        return [index.code for index in respondent.indices.all()]


class ViewOut(Schema):
    index: str
    title: str
    respondent: str
    current_level: int | None
    not_applicable: bool
    comment: str


class ViewIn(Input):
    current_level: int | None = None
    not_applicable: bool = False
    comment: str = ""


class SpreadOut(Schema):
    lowest: int | None
    highest: int | None
    median: int | None
    range: int
    outliers: list[str] = Field(description="Respondents two or more levels from the median of the others.")


class ComparisonRow(Schema):
    index: str
    title: str
    council_level: int | None
    views: list[ViewOut]
    spread: SpreadOut


class ComparisonOut(Schema):
    respondents: list[RespondentOut]
    rows: list[ComparisonRow]


class ActionIn(Input):
    title: str
    owner: str
    due_date: datetime.date
    aim_level: int = Field(description="The level (1 to 5) this action works toward.")


class ActionChanges(Input):
    """The fields to change; those left out keep their values."""

    title: str | None = None
    owner: str | None = None
    due_date: datetime.date | None = None
    status: str | None = None
    aim_level: int | None = None


class ActionOut(Schema):
    id: int
    index: str
    round_id: int
    title: str
    owner: str
    due_date: datetime.date
    status: str
    aim_level: int
    overdue: bool

    @staticmethod
    def resolve_index(action: Action) -> str:
        return action.answer.index.code

    @staticmethod
    def resolve_round_id(action: Action) -> int:
        return action.answer.council_return.round_id

    @staticmethod
    def resolve_overdue(action: Action) -> bool:
        return action.is_overdue()


def return_summary(council_return: Return) -> dict[str, Any]:
    return {
        "organisation": council_return.organisation.gss_code,
        "organisation_name": council_return.organisation.name,
        "round_id": council_return.round_id,
        "round_name": council_return.round.name,
        "deadline": council_return.round.deadline,
        "status": council_return.status,
        "submitted_at": council_return.submitted_at,
        "submitted_by": name_of(council_return.submitted_by),
        "requires_sign_off": council_return.round.requires_sign_off,
        "sent_for_sign_off_at": council_return.sent_for_sign_off_at,
        "sent_for_sign_off_by": name_of(council_return.sent_for_sign_off_by),
        "signed_off_at": council_return.signed_off_at,
        "signed_off_by": name_of(council_return.signed_off_by),
        "is_editable": council_return.is_editable,
    }


def name_of(user: User | None) -> str | None:
    return str(user) if user else None
