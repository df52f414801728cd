"""Looking up rounds and returns for a person: every view goes through these, and gets 404 where it may not look."""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nps.accounts.models import Membership, Role, User
from nps.accounts.permissions import can_sign_off, require_access, require_national_admin
from nps.assessments.models import Answer, Respondent, RespondentAnswer, Return, ReturnStatus, Round, RoundStatus
from nps.assessments.respondents import respondent_for
from nps.assessments.spread import spread
from nps.core.models import organisation_scope
from nps.frameworks.models import Index
from nps.lib.caching import Generation, row_state
from nps.organisations.models import Organisation


def get_return_for_user(user: User, gss_code: str, round_id: int, *, edit: bool = False) -> Return:
    """The organisation's return, if this person may see it (or, with edit=True, change it); otherwise 404."""
    found = Return.objects.select_related(
        "round__framework_version__framework__owner",
        "round__prefill_from",
        "round__run_by",
        "organisation",
        "submitted_by",
        "sent_for_sign_off_by",
        "signed_off_by",
    ).filter(round_id=round_id, organisation__gss_code=gss_code)[:1]
    if not found:
        raise Http404("No such return")
    council_return = found[0]
    require_access(user, council_return.organisation, edit=edit)
    return council_return


def get_return_to_sign_off(user: User, gss_code: str, round_id: int) -> Return:
    """The organisation's return, if this person is one of its approvers; otherwise 404, for the national team too."""
    council_return = get_return_for_user(user, gss_code, round_id, edit=True)
    if not can_sign_off(user, council_return.organisation):
        raise Http404("No such return")
    return council_return


def get_respondent_for_user(user: User, gss_code: str, round_id: int) -> Respondent:
    """The person's own respondent invitation for this return; 404 for anyone who was not asked."""
    council_return = (
        Return.objects.filter(round_id=round_id, organisation__gss_code=gss_code)
        .select_related("round", "organisation")
        .first()
    )
    respondent = respondent_for(user, council_return) if council_return and user.is_authenticated else None
    if respondent is None:
        raise Http404("No such return")
    return respondent


def get_round_for_admin(user: User, round_id: int) -> Round:
    require_national_admin(user)
    return get_object_or_404(Round.objects.select_related("framework_version", "prefill_from", "run_by"), pk=round_id)


def get_round_to_run(user: User, round_id: int) -> Round:
    """A round this person runs: any round for the national team, a group's own round for the group's lead."""
    if user.is_authenticated and user.is_national_admin:
        return get_round_for_admin(user, round_id)
    led = Membership.objects.filter(user_id=user.pk, role=Role.GROUP_LEAD).values("organisation")
    rounds = Round.objects.select_related("framework_version", "prefill_from", "run_by")
    return get_object_or_404(rounds, pk=round_id, run_by__in=led)


FILTER_LOOKUPS = {"status": "status", "region": "organisation__region__code", "kind": "organisation__kind"}


def returns_matching(round_: Round, filters: dict[str, str]) -> QuerySet[Return]:
    """The round's returns, by organisation name, narrowed by the round page's search (`q`: name or GSS code) and
    filters (status, region code, kind); a filter left out matches every return."""
    returns = round_.returns.select_related("organisation__region", "signed_off_by").order_by("organisation__name")
    if filters.get("q"):
        returns = returns.filter(organisation__in=Organisation.objects.search(filters["q"]))
    chosen = {lookup: filters[name] for name, lookup in FILTER_LOOKUPS.items() if filters.get(name)}
    return returns.filter(**chosen)


def answers_with_indices(council_return: Return) -> list[Answer]:
    """The return's answers in the framework's order, each with its index, statements and descriptors."""
    return list(
        council_return.answers.select_related("index__theme", "updated_by", "assured_by")
        .prefetch_related("index__statements__descriptors", "statement_levels", "actions")
        .order_by("index__position")
    )


def get_answer(council_return: Return, index_code: str) -> Answer:
    indices = Index.objects.select_related("theme").prefetch_related("statements__descriptors")
    return get_object_or_404(
        council_return.answers.select_related("updated_by", "assured_by").prefetch_related(
            Prefetch("index", queryset=indices), "statement_levels", "files", "actions"
        ),
        index__code=index_code,
    )


def returns_of(organisation: Organisation) -> QuerySet[Return]:
    return organisation.returns.select_related("round").order_by("-round__opens_on", "-round__pk")


def respondent_requests(user: User) -> QuerySet[Respondent]:
    """Returns where this person has been asked for their own view."""
    return Respondent.objects.filter(email__iexact=user.email, council_return__round__status="open").select_related(
        "council_return__round", "council_return__organisation"
    )


def comparison(council_return: Return) -> list[dict[str, object]]:
    """Per index: each respondent's level (or None), the spread, and the council's consolidated level."""
    respondents = list(council_return.respondents.select_related("user"))
    views = {
        (view.respondent_id, view.index_id): view
        for view in RespondentAnswer.objects.filter(respondent__in=respondents)
    }
    rows = []
    for answer in answers_with_indices(council_return):
        cells = [(respondent, views.get((respondent.pk, answer.index_id))) for respondent in respondents]
        levels = {str(respondent): view.current_level for respondent, view in cells if view is not None}
        rows.append({"answer": answer, "cells": cells, "spread": spread(levels)})
    return rows


RETURN_COUNTS = {status: Count("id", filter=Q(status=status)) for status in ReturnStatus.values}


def counts_by_round(rounds: list[Round]) -> dict[int, dict[str, int]]:
    """How many returns each round invited, and how many are at each status, in one query: a closed round's returns
    no longer change, so its counts are kept in the shared cache, by its status and results version."""
    closed = [r for r in rounds if r.status == RoundStatus.CLOSED]
    keys = {r.pk: f"return-counts:{r.pk}:{r.status}:{r.results_version}" for r in closed}
    kept = cache.get_many(list(keys.values()))
    counts = {pk: kept[key] for pk, key in keys.items() if key in kept}
    rows = (
        Return.objects.filter(round_id__in=[r.pk for r in rounds if r.pk not in counts])
        .values("round_id")
        .annotate(invited=Count("id"), **RETURN_COUNTS)
        .order_by()
    )
    counted: dict[int, dict[str, int]] = {
        row["round_id"]: {name: int(count) for name, count in row.items() if name != "round_id"}  # type: ignore[call-overload]
        for row in rows
    }
    cache.set_many({keys[pk]: row for pk, row in counted.items() if pk in keys}, timeout=None)
    empty = dict.fromkeys(["invited", *ReturnStatus.values], 0)
    return {r.pk: counts.get(r.pk) or counted.get(r.pk) or empty for r in rounds}


def counts_by_region_and_kind(round_: Round) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]]]:
    """How many returns the round invited and how many are at each status: in all, by region name and by council
    type, from one GROUP BY."""
    rows = list(
        round_.returns.values_list("organisation__region__name", "organisation__kind", "status")
        .annotate(count=Count("id"))
        .order_by()
    )
    total = (
        tallies(rows, lambda region, kind: None)[0] if rows else {"invited": 0, **dict.fromkeys(ReturnStatus.values, 0)}
    )
    return total, tallies(rows, lambda region, kind: region), tallies(rows, lambda region, kind: kind)


def tallies(rows: list[tuple[Any, ...]], group: Callable[[str | None, str], str | None]) -> list[dict[str, Any]]:
    """Counts per status of each group of rows (name, invited, and one count per status), by name, no name last."""
    counts: dict[str | None, dict[str, Any]] = {}
    for region, kind, status, count in rows:
        name = group(region, kind)
        line = counts.setdefault(name, {"name": name, "invited": 0, **dict.fromkeys(ReturnStatus.values, 0)})
        line["invited"] += count
        line[status] += count
    return sorted(counts.values(), key=lambda line: (line["name"] is None, line["name"] or ""))


def return_depends_on(council_return: Return, *scopes: str) -> list[object]:
    """What a page or file about a return shows, for its key in the shared cache (nps.lib.caching): the council's own
    records and any other scopes (their generations), the return, round and council rows, and the day."""
    round_ = council_return.round
    return [
        *(Generation(scope) for scope in [organisation_scope(council_return.organisation_id), *scopes]),
        row_state(council_return),
        row_state(round_),
        row_state(council_return.organisation),
        round_.framework_version_id,
        timezone.localdate(),
    ]


def rounds_state() -> list[tuple[Any, ...]]:
    """Every round's stored values (results versions, statuses, publication): a key for what is cached from them."""
    return list(Round.objects.order_by("pk").values_list(*[field.attname for field in Round._meta.concrete_fields]))
