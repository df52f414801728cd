"""What a return still needs before it can be submitted, and each index's status. Pure functions over answers."""

from dataclasses import dataclass

from django.db import models


class IndexStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ANSWERED = "answered", "Answered"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


@dataclass(frozen=True)
class MissingItem:
    index_code: str
    field: str  # the form field to link to
    message: str


def index_status(answer: object) -> IndexStatus:
    if getattr(answer, "not_applicable", False):
        return IndexStatus.NOT_APPLICABLE
    current, target = getattr(answer, "current_level", None), getattr(answer, "target_level", None)
    if current is not None and target is not None and not getattr(answer, "needs_review", False):
        return IndexStatus.ANSWERED
    touched = any(getattr(answer, field, None) for field in ("current_level", "target_level", "evidence", "rationale"))
    return IndexStatus.IN_PROGRESS if touched else IndexStatus.NOT_STARTED


def missing_for_answer(title: str, code: str, answer: object | None) -> list[MissingItem]:
    """The items one index still needs: a level or not applicable with a reason, and a target."""
    if answer is None:
        return [MissingItem(code, "current_level", f"Give the current level for {title}, or mark it not applicable")]
    if getattr(answer, "not_applicable", False):
        if not getattr(answer, "not_applicable_reason", "").strip():
            return [MissingItem(code, "not_applicable_reason", f"Say why {title} is not applicable")]
        return []
    missing = []
    if getattr(answer, "current_level", None) is None:
        missing.append(
            MissingItem(code, "current_level", f"Give the current level for {title}, or mark it not applicable")
        )
    if getattr(answer, "target_level", None) is None:
        missing.append(MissingItem(code, "target_level", f"Set the target level for {title}"))
    return missing
