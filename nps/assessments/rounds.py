"""Named changes to diagnostic rounds; each runs in a transaction and writes the audit trail."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from nps.accounts.models import User
from nps.assessments.carry import carried_across
from nps.assessments.models import ANSWER_FIELDS, Answer, Return, ReturnStatus, Round, RoundStatus
from nps.core.models import record
from nps.frameworks.diff import descriptors_changed
from nps.frameworks.models import FrameworkVersion, Index, VersionStatus
from nps.frameworks.queries import forward_codes
from nps.frameworks.snapshots import version_indices
from nps.lib.bulk import insert_rows, new
from nps.organisations.models import KIND_PLURALS, Kind, Nation, Organisation, Region

ORGANISATIONS_AT_A_TIME = 500
NAMES_SHOWN = 10
PROPER_NAMES = {Kind.CITY_OF_LONDON, Kind.ISLES_OF_SCILLY}
NOBODY_INVITED = "Choose at least one type of organisation, or name the councils to invite."
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
    invited_nations: Iterable[str] = (),
    invited_regions: Iterable[Region] = (),
    invited_groups: Iterable[Organisation] = (),
    invited_councils: Iterable[Organisation] = (),
    prefill_from: Round | None = None,
    run_by: Organisation | None = None,
    requires_sign_off: bool = True,
    allow_unconfirmed_prefill: bool = False,
    results_public: bool = False,
    by: User | None,
) -> Round:
    """A draft round. It invites the organisations of `invited_kinds` (only those in `invited_nations`, in
    `invited_regions` and members of `invited_groups`, where given) and every one of `invited_councils`; a group's
    round, only its members."""
    if deadline < opens_on:
        raise RoundError("The deadline must be on or after the opening date.")
    if not framework_version.is_published:
        raise RoundError("A round must use a published framework version.")
    if not invited_kinds and not invited_councils:
        raise RoundError(NOBODY_INVITED)
    round_ = Round.objects.create(
        name=name,
        framework_version=framework_version,
        opens_on=opens_on,
        deadline=deadline,
        invited_kinds=invited_kinds,
        invited_nations=list(invited_nations),
        prefill_from=prefill_from,
        run_by=run_by,
        requires_sign_off=requires_sign_off,
        allow_unconfirmed_prefill=allow_unconfirmed_prefill,
        results_public=results_public and run_by is not None,
        created_by=by,
    )
    round_.invited_regions.set(invited_regions)
    round_.invited_groups.set(invited_groups)
    round_.invited_councils.set(invited_councils)
    rules = [
        "returns need an approver's sign-off" if requires_sign_off else "editors submit returns without sign-off",
        *(["prefilled answers may be submitted unconfirmed"] if allow_unconfirmed_prefill else []),
        *(["results public once published"] if round_.results_public else []),
    ]
    record(
        "round_created",
        f"Created round {name}, inviting {who_is_invited(round_)}: {'; '.join(rules)}",
        by=by,
        organisation=run_by,
    )
    return round_


def round_versions(group: Organisation | None) -> QuerySet[FrameworkVersion]:
    """The framework versions a round can use: the published national ones, or the group's own published strategy."""
    return FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED, framework__owner=group)


def invited_organisations(round_: Round) -> list[int]:
    """The organisations the round invites, among those that exist for its whole open period: of its types (in its
    regions and groups, where it has any), and those it names; for a group's round, only the group's members."""
    chosen = Q(pk__in=round_.invited_councils.all())
    if round_.invited_kinds:
        chosen |= of_kinds(round_)
    organisations = Organisation.objects.existing_between(round_.opens_on, round_.deadline).filter(chosen)
    if round_.run_by is not None:
        organisations = organisations.filter(groups=round_.run_by)
    return list(organisations.values_list("pk", flat=True).distinct().order_by("pk"))


def of_kinds(round_: Round) -> Q:
    kinds = Q(kind__in=round_.invited_kinds)
    if round_.invited_nations:
        kinds &= Q(nation__in=round_.invited_nations)
    if round_.invited_regions.exists():
        kinds &= Q(region__in=round_.invited_regions.all())
    if round_.invited_groups.exists():
        kinds &= Q(pk__in=Organisation.objects.filter(groups__in=round_.invited_groups.all()).values("pk"))
    return kinds


def who_is_invited(round_: Round) -> str:
    """The round's invitation in words, for example “district councils in North West, and 2 councils by name: Bolton,
    Wigan”."""
    parts = []
    if round_.invited_kinds:
        places = [*(Nation(nation).label for nation in round_.invited_nations), *round_.invited_regions.all()]
        regions = listed(str(place) for place in places)
        groups = listed(group.name for group in round_.invited_groups.all())
        parts.append(
            listed((kind_in_words(kind) for kind in round_.invited_kinds), "and")
            + (f" in {regions}" if regions else "")
            + (f" that are members of {groups}" if groups else "")
        )
    named = sorted(council.name for council in round_.invited_councils.all())  # .all(): prefetched in lists
    if named:
        more = f" and {len(named) - NAMES_SHOWN} more" if named[NAMES_SHOWN:] else ""
        shown = ", ".join(named[:NAMES_SHOWN]) + more
        parts.append(f"{len(named)} {'council' if len(named) == 1 else 'councils'} by name: {shown}")
    members = f"{round_.run_by.name}'s members: " if round_.run_by else ""
    return members + ", and ".join(parts)


def kind_in_words(kind: str) -> str:
    plural = KIND_PLURALS[Kind(kind)]
    return plural if kind in PROPER_NAMES else plural.lower()


def listed(names: Iterable[str], conjunction: str = "or") -> str:
    """“A”, “A or B”, “A, B or C”."""
    *others, last = list(names) or [""]
    return f"{', '.join(others)} {conjunction} {last}" if others else last


@transaction.atomic
def open_round(round_: Round, *, by: User | None) -> int:
    """Invite every current organisation the round invites (`invited_organisations`): each gets a return with an
    answer per index, prefilled from its return in the earlier round where the index carries over (the same code, or a
    one-to-one replacement in a later version of the strategy). Returns how many were invited."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise RoundError("Only a round that has not opened yet can be opened.")
    organisations = invited_organisations(round_)
    if not organisations:
        raise RoundError(f"No current organisation matches the round's invitation: {who_is_invited(round_)}.")
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
    """Returns and answers for some of the invited organisations, prefilled from the earlier round, or else carried
    across from a recent return on another framework mapped to this one (nps.assessments.carry)."""
    earlier = earlier_answers(prefill, organisations) if prefill else {}
    changed = prefill.changed if prefill else set()
    starts = {key: {**values, "note": CHANGED_NOTE if key[1] in changed else ""} for key, values in earlier.items()}
    starts = {**carried_across(round_, organisations), **starts}
    prefilled = {organisation for organisation, _ in starts}
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
            prefilled_answer(council_return, index, starts.get((council_return.organisation_id, index.code)))
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


def prefilled_answer(council_return: Return, index: Index, start: dict[str, Any] | None) -> Answer:
    """An empty answer, or the council's own earlier answer to check again, with a note saying why where there is one:
    its assurance starts afresh."""
    if start is None:
        return new(Answer, council_return_id=council_return.pk, index_id=index.pk)
    values = {field: start[field] for field in ANSWER_FIELDS}
    return new(
        Answer,
        council_return_id=council_return.pk,
        index_id=index.pk,
        **values,
        needs_review=True,
        review_note=start["note"],
    )


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
