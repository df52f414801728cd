"""Named changes to a council's return: saving an answer without losing anyone's update, submitting, reopening."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nps.accounts.models import User
from nps.assessments.checks import IndexStatus, MissingItem, index_status, missing_for_answer
from nps.assessments.models import (
    Answer,
    AnswerChange,
    Assurance,
    Confidence,
    Return,
    ReturnStatus,
    Round,
    StatementLevel,
)
from nps.assessments.spread import lower_median
from nps.core.models import record
from nps.frameworks.levels import Level

LOCKED = "This return can no longer change: it is submitted or its round has closed."


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
    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        super().__init__(f"{len(missing)} items are missing.")


def display_value(field: str, value: Any) -> str:
    """How a stored value reads in the history, in the pages' words: level names, "Medium confidence", dates, yes
    and no."""
    if value is None or value == "":
        return ""
    if field in {"current_level", "target_level"} or field.startswith("statement:"):
        return Level(value).label
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
        .select_related("council_return__round", "assured_by")
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
    version = current.version + 1
    history = [
        AnswerChange(
            answer=current,
            version=version,
            field=field,
            changed_by=by,
            old_value=display_value(field, getattr(current, field)),
            new_value=display_value(field, value),
        )
        for field, value in changes.items()
    ]
    history += statement_history(current, old_statements, new_statements, version, by)
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
    Return.objects.filter(pk=current.council_return_id, status=ReturnStatus.NOT_STARTED).update(
        status=ReturnStatus.IN_PROGRESS
    )
    return Answer.objects.get(pk=current.pk)


def statement_history(
    answer: Answer, old: dict[int, int], new: dict[int, int], version: int, by: User
) -> list[AnswerChange]:
    codes = dict(answer.index.statements.values_list("pk", "code"))
    return [
        AnswerChange(
            answer=answer,
            version=version,
            field=f"statement:{codes[pk]}",
            changed_by=by,
            old_value=display_value("statement:", old.get(pk)),
            new_value=display_value("statement:", level),
        )
        for pk, level in new.items()
    ]


def save_statement_levels(answer: Answer, levels: dict[int, int]) -> None:
    for statement_id, level in levels.items():
        StatementLevel.objects.update_or_create(answer=answer, statement_id=statement_id, defaults={"level": level})


def missing_items(council_return: Return) -> list[MissingItem]:
    """Every item the return still needs, in the framework's order."""
    answers = {answer.index_id: answer for answer in council_return.answers.all()}
    return [
        item
        for index in council_return.round.framework_version.indices.all()
        for item in missing_for_answer(index.title, index.code, answers.get(index.pk))
    ]


@transaction.atomic
def submit_return(council_return: Return, *, by: User) -> None:
    """Submit the consolidated answers; afterwards the return is read-only until the national team reopens it."""
    council_return = Return.objects.select_for_update().select_related("round").get(pk=council_return.pk)
    if not council_return.is_editable:
        raise ReturnLocked("This return is already submitted or its round is not open.")
    missing = missing_items(council_return)
    if missing:
        raise IncompleteReturn(missing)
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=by
    )
    Round.objects.filter(pk=council_return.round_id).update(results_version=F("results_version") + 1)
    record(
        "return_submitted",
        f"Submitted the return to {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )


@transaction.atomic
def reopen_return(council_return: Return, *, reason: str, by: User) -> None:
    """Let the council change a submitted return again, at its request."""
    if not council_return.is_submitted:
        raise ReturnLocked("Only a submitted return can be reopened.")
    if not council_return.round.is_open:
        raise ReturnLocked("The round is closed: reopen is possible only while it is open.")
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.IN_PROGRESS, submitted_at=None, submitted_by=None
    )
    Round.objects.filter(pk=council_return.round_id).update(results_version=F("results_version") + 1)
    record(
        "return_reopened",
        f"Reopened the return to {council_return.round.name}: {reason}",
        by=by,
        organisation=council_return.organisation,
    )


@dataclass(frozen=True)
class ReturnProgress:
    done: int
    total: int


def progress(answers: list[Answer]) -> ReturnProgress:
    done = sum(index_status(answer) in {IndexStatus.ANSWERED, IndexStatus.NOT_APPLICABLE} for answer in answers)
    return ReturnProgress(done, len(answers))
