"""What a reorganisation means beyond the directory: once a predecessor has ended, its people move to its successors
(nps.accounts.services.carry_over_members) and its unsubmitted returns in open rounds close with a message. Its
submitted returns stay in the rounds they belong to, under its own code.

A reorganisation recorded ahead of its effective date waits: `nps reorganise --carry-over`, run daily, finishes the
ones whose date has come, and recording one whose date has passed finishes it at once.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from nps.accounts.models import Membership, User
from nps.accounts.services import carry_over_members
from nps.assessments.models import Return, ReturnStatus, RoundStatus
from nps.core.models import record
from nps.organisations.models import Organisation
from nps.organisations.reorganisation import Change, reorganise


def unsubmitted_open_returns() -> Q:
    return Q(round__status=RoundStatus.OPEN, closed_because="") & ~Q(status=ReturnStatus.SUBMITTED)


def closed_message(predecessor: Organisation, successors: list[Organisation]) -> str:
    names = " and ".join(successor.name for successor in successors) or "its successor"
    return (
        f"{predecessor.name} was abolished at the end of {predecessor.end_date:%-d %B %Y} and {names} took over its "
        "work, so this return can no longer be submitted. The successor takes part in later rounds."
    )


def due_predecessors() -> list[Organisation]:
    """Organisations that have ended but still have people, or unsubmitted returns in open rounds."""
    people = Membership.objects.filter(organisation=OuterRef("pk"))
    returns = Return.objects.filter(unsubmitted_open_returns(), organisation=OuterRef("pk"))
    due = Organisation.objects.former().filter(Exists(people) | Exists(returns))
    return list(due.prefetch_related("successors"))


@transaction.atomic
def carry_over_due(*, by: User | None) -> list[Organisation]:
    """Finish every reorganisation whose effective date has come; returns the predecessors finished."""
    predecessors = due_predecessors()
    for predecessor in predecessors:
        successors = list(predecessor.successors.all())
        if successors:  # with none recorded, people keep their access rather than lose it
            carry_over_members(predecessor, successors, by=by)
        returns = Return.objects.filter(unsubmitted_open_returns(), organisation=predecessor)
        closed = returns.update(closed_because=closed_message(predecessor, successors))
        if closed:
            record(
                "returns_closed",
                f"Closed {closed} open returns: {predecessor.name} was abolished",
                by=by,
                organisation=predecessor,
            )
    return predecessors


@transaction.atomic
def record_reorganisation(changes: list[Change], *, by: User | None) -> list[Organisation]:
    """Record the reorganisation and, where its effective date has passed, finish it. Returns the predecessors."""
    predecessors = reorganise(changes, by=by)
    carry_over_due(by=by)
    return predecessors
