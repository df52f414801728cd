"""The readable story of a return: each step in words, beside the changes to its answers' fields."""

from nps.accounts.models import User
from nps.assessments.models import Answer, EventKind, Return, ReturnEvent


def record_event(
    council_return: Return, kind: EventKind, description: str, *, by: User | None, answer: Answer | None = None
) -> ReturnEvent:
    """One step, for the return's timeline and, when it is about one answer, that answer's history. Call it inside
    the service's transaction, beside its audit record."""
    return ReturnEvent.objects.create(
        council_return=council_return, answer=answer, kind=kind, description=description, by=by
    )
