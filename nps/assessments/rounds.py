"""Named changes to diagnostic rounds; each runs in a transaction and writes the audit trail."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from nps.accounts.models import User
from nps.assessments.models import ANSWER_FIELDS, Answer, Return, ReturnStatus, Round, RoundStatus
from nps.core.models import record
from nps.frameworks.diff import descriptors_changed
from nps.frameworks.models import FrameworkVersion, Index
from nps.frameworks.queries import forward_codes
from nps.frameworks.snapshots import version_indices
from nps.lib.bulk import insert_rows, new
from nps.organisations.models import Organisation

ORGANISATIONS_AT_A_TIME = 500
CHANGED_NOTE = "The level descriptors of this index changed since your earlier answer: check the level still fits."


class RoundError(Exception):
    """A change to a round that is not possible in its current state."""


@transaction.atomic
def create_round(
    *,
    name: str,
    framework_version: FrameworkVersion,
    opens_on: datetime.date,
    deadline: datetime.date,
    invited_kinds: list[str],
    prefill_from: Round | None = None,
    run_by: Organisation | None = None,
    requires_sign_off: bool = True,
    allow_unconfirmed_prefill: bool = False,
    by: User | None,
) -> Round:
    if deadline < opens_on:
        raise RoundError("The deadline must be on or after the opening date.")
    if not framework_version.is_published:
        raise RoundError("A round must use a published framework version.")
    round_ = Round.objects.create(
        name=name,
        framework_version=framework_version,
        opens_on=opens_on,
        deadline=deadline,
        invited_kinds=invited_kinds,
        prefill_from=prefill_from,
        run_by=run_by,
        requires_sign_off=requires_sign_off,
        allow_unconfirmed_prefill=allow_unconfirmed_prefill,
        created_by=by,
    )
    rules = [
        "returns need an approver's sign-off" if requires_sign_off else "editors submit returns without sign-off",
        *(["prefilled answers may be submitted unconfirmed"] if allow_unconfirmed_prefill else []),
    ]
    record("round_created", f"Created round {name}: {'; '.join(rules)}", by=by, organisation=run_by)
    return round_


def invited_organisations(round_: Round) -> list[int]:
    organisations = Organisation.objects.current().filter(kind__in=round_.invited_kinds)
    if round_.run_by is not None:
        organisations = organisations.filter(groups=round_.run_by)
    return list(organisations.values_list("pk", flat=True))


@transaction.atomic
def open_round(round_: Round, *, by: User | None) -> int:
    """Invite every current organisation of the invited types: each gets a return with an answer per index,
    prefilled from its return in the earlier round where the index carries over (the same code, or a one-to-one
    replacement in a later version of the strategy). Returns how many were invited."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise RoundError("Only a round that has not opened yet can be opened.")
    organisations = invited_organisations(round_)
    indices = list(round_.framework_version.indices.all())
    prefill = prefill_for(round_)
    for start in range(0, len(organisations), ORGANISATIONS_AT_A_TIME):  # memory holds one chunk's answers
        invite(round_, organisations[start : start + ORGANISATIONS_AT_A_TIME], indices, prefill)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    record(
        "round_opened",
        f"Opened {round_.name}: {len(organisations)} organisations invited",
        by=by,
        organisation=round_.run_by,
    )
    return len(organisations)


@dataclass(frozen=True)
class Prefill:
    """Where a round's answers start from: the earlier round, the index codes that carry over (each earlier code to
    its code in this round), and those whose level descriptors changed (codes in this round)."""

    earlier_round: Round
    carried: dict[str, str]
    changed: set[str]


def prefill_for(round_: Round) -> Prefill | None:
    earlier = round_.prefill_from
    if earlier is None:
        return None
    carried = forward_codes(earlier.framework_version, round_.framework_version)
    before = version_indices(earlier.framework_version)
    after = version_indices(round_.framework_version)
    changed = {new for old, new in carried.items() if descriptors_changed(before[old], after[new])}
    return Prefill(earlier, carried, changed)


def invite(round_: Round, organisations: list[int], indices: list[Index], prefill: Prefill | None) -> None:
    """Returns and answers for some of the invited organisations, prefilled from the earlier round."""
    earlier = earlier_answers(prefill, organisations) if prefill else {}
    changed = prefill.changed if prefill else set()
    prefilled = {organisation for organisation, _ in earlier}
    returns = Return.objects.bulk_create(
        Return(
            round=round_,
            organisation_id=organisation,
            is_demo=round_.is_demo,
            status=ReturnStatus.IN_PROGRESS if organisation in prefilled else ReturnStatus.NOT_STARTED,
        )
        for organisation in organisations
    )
    insert_rows(
        [
            prefilled_answer(
                council_return, index, earlier.get((council_return.organisation_id, index.code)), index.code in changed
            )
            for council_return in returns
            for index in indices
        ]
    )


def earlier_answers(prefill: Prefill, organisations: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """The organisations' answers in their submitted returns to the earlier round (ANSWER_FIELDS only), by
    (organisation, the index code they carry into)."""
    answers = Answer.objects.filter(
        council_return__round=prefill.earlier_round,
        council_return__status=ReturnStatus.SUBMITTED,
        council_return__organisation__in=organisations,
        index__code__in=prefill.carried,
    ).values_list("council_return__organisation", "index__code", *ANSWER_FIELDS)
    return {
        (organisation, prefill.carried[code]): dict(zip(ANSWER_FIELDS, values, strict=True))
        for organisation, code, *values in answers.iterator()
    }


def prefilled_answer(council_return: Return, index: Index, earlier: dict[str, Any] | None, changed: bool) -> Answer:
    """An empty answer, or the council's own earlier answer to check again: its assurance starts afresh."""
    prefilled = {**earlier, "needs_review": True, "review_note": CHANGED_NOTE if changed else ""} if earlier else {}
    return new(Answer, council_return_id=council_return.pk, index_id=index.pk, **prefilled)


@transaction.atomic
def extend_deadline(round_: Round, deadline: datetime.date, *, by: User) -> None:
    if deadline <= round_.deadline:
        raise RoundError(f"The new deadline must be after the current one, {round_.deadline:%-d %B %Y}.")
    if round_.status == RoundStatus.CLOSED:
        raise RoundError("A closed round's deadline cannot change.")
    record(
        "deadline_extended",
        f"{round_.name}: deadline moved from {round_.deadline} to {deadline}",
        by=by,
        organisation=round_.run_by,
    )
    Round.objects.filter(pk=round_.pk).update(deadline=deadline)


@transaction.atomic
def close_round(round_: Round, *, share_early: bool = False, by: User) -> None:
    """Close the round to further changes. With `share_early`, councils that submitted may compare themselves with
    their peers before the results are published; otherwise nobody but those running the round sees peer figures
    until then."""
    if round_.status != RoundStatus.OPEN:
        raise RoundError("Only an open round can be closed.")
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED, share_early=share_early)
    shared = "; peer figures shared early with councils that submitted" if share_early else ""
    record("round_closed", f"Closed {round_.name}{shared}", by=by, organisation=round_.run_by)


@transaction.atomic
def share_early(round_: Round, share: bool, *, by: User) -> None:
    """Share a closed round's peer figures with the councils that submitted before publication, or stop sharing."""
    if round_.status != RoundStatus.CLOSED:
        raise RoundError("Peer figures can be shared early only once the round is closed.")
    Round.objects.filter(pk=round_.pk).update(share_early=share)
    change = "Shared peer figures early with councils that submitted" if share else "Stopped sharing peer figures early"
    record("round_sharing_changed", f"{round_.name}: {change}", by=by, organisation=round_.run_by)
