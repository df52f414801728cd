"""What a return still needs before it can be submitted, and each index's status. Pure functions over answers.

This is the one definition of "ready": the check page lists these problems, the API returns them, and submitting,
sending for sign-off and signing off are refused while there are any.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models


class IndexStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ANSWERED = "answered", "Answered"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ProblemKind(models.TextChoices):
    UNANSWERED = "unanswered", "Not answered"
    UNCONFIRMED = "unconfirmed", "Prefilled answer not confirmed"
    MISSING_REASON = "missing_reason", "Reason not given"


@dataclass(frozen=True)
class Problem:
    """One thing to put right before submission, and the answer page's field where it is put right."""

    index_code: str
    field: str  # the answer form's field; "needs_review" for the confirm button
    message: str
    kind: ProblemKind
    statement_code: str = ""  # for a statement's level, where an index has several


@dataclass(frozen=True)
class StatementAnswer:
    """A statement's level, where an index has several statements."""

    field: str
    code: str
    text: str
    level: int | None


def index_status(answer: object) -> IndexStatus:
    if getattr(answer, "not_applicable", False):
        return IndexStatus.NOT_APPLICABLE
    current, target = getattr(answer, "current_level", None), getattr(answer, "target_level", None)
    if current is not None and target is not None and not getattr(answer, "needs_review", False):
        return IndexStatus.ANSWERED
    touched = any(getattr(answer, field, None) for field in ("current_level", "target_level", "evidence", "rationale"))
    return IndexStatus.IN_PROGRESS if touched else IndexStatus.NOT_STARTED


def answer_problems(
    code: str,
    title: str,
    answer: object | None,
    statements: Sequence[StatementAnswer] = (),
    *,
    allow_unconfirmed_prefill: bool = False,
) -> list[Problem]:
    """What one index still needs, in the order the answer page asks: confirming a prefilled answer, a level (for each
    statement, where there are several) or not applicable with a reason, a target, and a reason for a target below
    the current level."""
    if answer is None:
        return [unanswered_level(code, title)]
    problems = []
    if getattr(answer, "needs_review", False) and not allow_unconfirmed_prefill:
        message = f"Confirm the prefilled answer for {title} is still right, or change it"
        problems.append(Problem(code, "needs_review", message, ProblemKind.UNCONFIRMED))
    if getattr(answer, "not_applicable", False):
        if not getattr(answer, "not_applicable_reason", "").strip():
            message = f"Say why {title} is not applicable"
            problems.append(Problem(code, "not_applicable_reason", message, ProblemKind.MISSING_REASON))
        return problems
    return problems + level_problems(code, title, answer, statements) + target_problems(code, title, answer)


def unanswered_level(code: str, title: str) -> Problem:
    message = f"Give the current level for {title}, or mark it not applicable"
    return Problem(code, "current_level", message, ProblemKind.UNANSWERED)


def level_problems(code: str, title: str, answer: object, statements: Sequence[StatementAnswer]) -> list[Problem]:
    if statements:
        return [
            Problem(
                code,
                statement.field,
                f"Give the level for “{statement.text}” in {title}",
                ProblemKind.UNANSWERED,
                statement.code,
            )
            for statement in statements
            if statement.level is None
        ]
    return [unanswered_level(code, title)] if getattr(answer, "current_level", None) is None else []


def target_problems(code: str, title: str, answer: object) -> list[Problem]:
    current, target = getattr(answer, "current_level", None), getattr(answer, "target_level", None)
    if target is None:
        return [Problem(code, "target_level", f"Set the target level for {title}", ProblemKind.UNANSWERED)]
    if current is not None and target < current and not getattr(answer, "rationale", "").strip():
        message = f"Say why the target for {title} is below its current level"
        return [Problem(code, "rationale", message, ProblemKind.MISSING_REASON)]
    return []
