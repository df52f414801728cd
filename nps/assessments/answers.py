"""Named changes to a council's return: saving or confirming an answer without losing anyone's update, submitting,
reopening. Sending for sign-off and signing off are in nps.assessments.signoff."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nps.accounts.models import User
from nps.assessments.checks import IndexStatus, Problem, StatementAnswer, answer_problems, index_status
from nps.assessments.forms import statement_field
from nps.assessments.models import (
    Answer,
    AnswerChange,
    Assurance,
    Confidence,
    EventKind,
    Return,
    ReturnStatus,
    Round,
    StatementLevel,
)
from nps.assessments.spread import lower_median
from nps.assessments.timeline import record_event
from nps.core.models import organisation_changed, record
from nps.frameworks.levels import Scale
from nps.frameworks.models import Index

LOCKED = "This return can no longer change: it is submitted or its round has closed."
SIGN_OFF_NEEDED = (
    "This round needs a council approver to sign the return off, which submits it: send it for sign-off instead."
)


class ReturnLocked(Exception):
    """The return is submitted or its round is not open: nothing in it can change."""

    def __init__(self, message: str = LOCKED) -> None:
        super().__init__(message)


def require_editable(council_return: Return) -> None:
    if not council_return.is_editable:
        raise ReturnLocked()


class AnswerConflict(Exception):
    """Someone else saved the answer since this person loaded it; their changes are attached."""

    def __init__(self, answer: Answer, changes: list[AnswerChange]) -> None:
        self.answer = answer
        self.changes = changes
        super().__init__(f"{answer} was changed by someone else.")


class IncompleteReturn(Exception):
    """Something is unanswered, unconfirmed or without its reason: the return is not ready."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"The return is not ready yet: {len(problems)} {plural(len(problems))} to put right.")


class StepRefused(Exception):
    """A step in the return's life that does not apply to it now, such as submitting a return that needs sign-off or
    signing off one that was sent back."""


def plural(count: int) -> str:
    return "thing" if count == 1 else "things"


def display_value(field: str, value: Any, scale: Scale) -> str:
    """How a stored value reads in the history, in the pages' words: level names, "Medium confidence", dates, yes
    and no."""
    if value is None or value == "":
        return ""
    if field in {"current_level", "target_level"} or field.startswith("statement:"):
        return scale.name(value, str(value))
    if field == "confidence":
        return f"{Confidence(value).label} confidence"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def dropped_assurance(answer: Answer, version: int, by: User) -> tuple[dict[str, Any], list[AnswerChange]]:
    """A change to a peer-reviewed or validated answer makes it the council's own view again: the fields that say so,
    and the history row."""
    if answer.assurance == Assurance.SELF_ASSESSED:
        return {}, []
    change = AnswerChange(
        answer=answer,
        version=version,
        field="assurance",
        changed_by=by,
        old_value=answer.assurance_label,
        new_value=f"{Assurance.SELF_ASSESSED.label} (the answer changed after it was assured)",
    )
    return {"assurance": Assurance.SELF_ASSESSED, "assured_by": None, "assured_at": None}, [change]


@transaction.atomic
def save_answer(
    answer: Answer,
    values: dict[str, Any],
    *,
    expected_version: int,
    by: User,
    statement_levels: dict[int, int] | None = None,
) -> Answer:
    """Save changed fields and record each change; refuse if someone else saved since `expected_version`."""
    current = (  # locks the answer's row only: PostgreSQL cannot lock the empty side of assured_by's outer join
        Answer.objects.select_for_update(of=("self",))
        .select_related("council_return__round__framework_version", "assured_by")
        .get(pk=answer.pk)
    )
    require_editable(current.council_return)
    if current.version != expected_version:
        raise AnswerConflict(
            current,
            list(
                current.changes.filter(version__gt=expected_version)
                .select_related("changed_by")
                .order_by("changed_at", "pk")
            ),
        )
    changes = {field: value for field, value in values.items() if getattr(current, field) != value}
    old_statements = {s.statement_id: s.level for s in current.statement_levels.all()}
    new_statements = {k: v for k, v in (statement_levels or {}).items() if old_statements.get(k) != v}
    if new_statements:
        changes["current_level"] = lower_median(list({**old_statements, **new_statements}.values()))
    if not changes and not new_statements and not current.needs_review:
        return current
    version, scale = current.version + 1, current.council_return.round.framework_version.scale
    history = [
        AnswerChange(
            answer=current,
            version=version,
            field=field,
            changed_by=by,
            old_value=display_value(field, getattr(current, field), scale),
            new_value=display_value(field, value, scale),
        )
        for field, value in changes.items()
    ]
    history += statement_history(current, old_statements, new_statements, version, by, scale)
    assurance, dropped = dropped_assurance(current, version, by) if changes else ({}, [])
    AnswerChange.objects.bulk_create(history + dropped)
    save_statement_levels(current, new_statements)
    updated = Answer.objects.filter(pk=current.pk, version=expected_version).update(
        **changes,
        **assurance,
        version=version,
        updated_at=timezone.now(),
        updated_by=by,
        needs_review=False,
        review_note="",
    )
    assert updated == 1, "the row lock guarantees the version did not move"
    organisation_changed(current.council_return.organisation_id)
    Return.objects.filter(pk=current.council_return_id, status=ReturnStatus.NOT_STARTED).update(
        status=ReturnStatus.IN_PROGRESS
    )
    return Answer.objects.get(pk=current.pk)


def statement_history(
    answer: Answer, old: dict[int, int], new: dict[int, int], version: int, by: User, scale: Scale
) -> list[AnswerChange]:
    codes = dict(answer.index.statements.values_list("pk", "code"))
    return [
        AnswerChange(
            answer=answer,
            version=version,
            field=f"statement:{codes[pk]}",
            changed_by=by,
            old_value=display_value("statement:", old.get(pk), scale),
            new_value=display_value("statement:", level, scale),
        )
        for pk, level in new.items()
    ]


def save_statement_levels(answer: Answer, levels: dict[int, int]) -> None:
    for statement_id, level in levels.items():
        StatementLevel.objects.update_or_create(answer=answer, statement_id=statement_id, defaults={"level": level})


def statement_answers(index: Index, answer: Answer | None) -> list[StatementAnswer]:
    """The levels of an index's statements, where it has several (uses prefetched statements and levels)."""
    statements = list(index.statements.all())
    if len(statements) < 2:
        return []
    levels = {level.statement_id: level.level for level in answer.statement_levels.all()} if answer else {}
    return [
        StatementAnswer(statement_field(statement), statement.code, statement.text, levels.get(statement.pk))
        for statement in statements
    ]


def return_problems(council_return: Return) -> list[Problem]:
    """Everything the return still needs before it can be submitted, in the framework's order."""
    answers = {answer.index_id: answer for answer in council_return.answers.prefetch_related("statement_levels")}
    allow_unconfirmed = council_return.round.allow_unconfirmed_prefill
    return [
        problem
        for index in council_return.round.framework_version.indices.prefetch_related("statements")
        for problem in answer_problems(
            index.code,
            index.title,
            answers.get(index.pk),
            statement_answers(index, answers.get(index.pk)),
            allow_unconfirmed_prefill=allow_unconfirmed,
        )
    ]


def require_ready(council_return: Return) -> None:
    problems = return_problems(council_return)
    if problems:
        raise IncompleteReturn(problems)


@transaction.atomic
def confirm_answer(answer: Answer, *, by: User) -> Answer:
    """Keep a prefilled answer as it is: it counts as reviewed this round, and nothing in it changes."""
    current = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("council_return__round", "council_return__organisation", "index")
        .get(pk=answer.pk)
    )
    require_editable(current.council_return)
    if not current.needs_review:
        raise StepRefused(f"The answer for {current.index.title} is already confirmed or changed in this round.")
    Answer.objects.filter(pk=current.pk).update(needs_review=False, review_note="")
    council_return = current.council_return
    record(
        "answer_confirmed",
        f"Confirmed the prefilled answer for {current.index.title} in {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )
    record_event(
        council_return, EventKind.CONFIRMED, "Confirmed the prefilled answer is still right", by=by, answer=current
    )
    return Answer.objects.get(pk=current.pk)


def lock_return(council_return: Return) -> Return:
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("round__framework_version", "organisation")
        .get(pk=council_return.pk)
    )


@transaction.atomic
def submit_return(council_return: Return, *, by: User) -> None:
    """Submit the consolidated answers; afterwards the return is read-only until the national team reopens it. Where
    the round needs sign-off, only an approver's sign-off submits (nps.assessments.signoff)."""
    council_return = lock_return(council_return)
    if not council_return.is_editable:
        raise ReturnLocked("This return is already submitted or its round is not open.")
    if council_return.round.requires_sign_off:
        raise StepRefused(SIGN_OFF_NEEDED)
    require_ready(council_return)
    mark_submitted(council_return, by=by)
    record(
        "return_submitted",
        f"Submitted the return to {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )
    record_event(council_return, EventKind.SUBMITTED, "Submitted the return", by=by)


def mark_submitted(council_return: Return, *, by: User, signed_off: bool = False) -> None:
    """The return becomes submitted (and signed off, by the same person), and the round's cached figures follow. Call
    inside the step's transaction."""
    now = timezone.now()
    sign_off = {"signed_off_at": now, "signed_off_by": by} if signed_off else {}
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.SUBMITTED, submitted_at=now, submitted_by=by, **sign_off
    )
    Round.objects.filter(pk=council_return.round_id).update(results_version=F("results_version") + 1)


def reopen_refusal(council_return: Return) -> str | None:
    """Why the national team cannot reopen this return now, or None if it can."""
    if not council_return.is_submitted:
        return "Only a submitted return can be reopened."
    if not council_return.round.is_open:
        return "The round is closed: reopen is possible only while it is open."
    return None


@transaction.atomic
def reopen_return(council_return: Return, *, reason: str, by: User) -> None:
    """Let the council change a submitted return again, at its request; it needs sending for sign-off again."""
    council_return = lock_return(council_return)
    if refusal := reopen_refusal(council_return):
        raise ReturnLocked(refusal)
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.IN_PROGRESS,
        submitted_at=None,
        submitted_by=None,
        sent_for_sign_off_at=None,
        sent_for_sign_off_by=None,
        signed_off_at=None,
        signed_off_by=None,
    )
    Round.objects.filter(pk=council_return.round_id).update(results_version=F("results_version") + 1)
    record(
        "return_reopened",
        f"Reopened the return to {council_return.round.name}: {reason}",
        by=by,
        organisation=council_return.organisation,
    )
    record_event(council_return, EventKind.REOPENED, f"The national team reopened the return: {reason}", by=by)


@dataclass(frozen=True)
class ReturnProgress:
    done: int
    total: int


def progress(answers: list[Answer]) -> ReturnProgress:
    done = sum(index_status(answer) in {IndexStatus.ANSWERED, IndexStatus.NOT_APPLICABLE} for answer in answers)
    return ReturnProgress(done, len(answers))
