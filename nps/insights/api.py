"""The insights API: the JSON twin of the dashboards, reports, publication and published results.

Each endpoint shows what its web page shows, to the same people: it looks data up through the same permission helpers
(404 to anyone who may not see it) and takes its figures from the same functions. Peer, group and public figures are
distributions over at least MINIMUM_GROUP_SIZE councils, never one council's answer; the national team's own report is
unsuppressed, as on its page.
"""

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.api_schemas import ReturnCounts
from nps.assessments.models import Assurance, Return, ReturnStatus, Round
from nps.assessments.queries import counts_by_region_and_kind, get_return_for_user, get_round_for_admin
from nps.insights.dashboard import Earlier, IndexLine, action_summary, council_dashboard
from nps.insights.distributions import LEVELS, Distribution, Movement, Suppressed
from nps.insights.figures import (
    NO_REGION,
    excluded_by_reorganisation,
    kind_label,
    movement_between,
    reports_depend_on,
    round_figures,
)
from nps.insights.opendata import figure_rows
from nps.insights.publication import (
    PublicationError,
    members_note,
    peers_note,
    peers_visible,
    public_rounds,
    publish_results,
    withdraw_results,
)
from nps.insights.reports import IndexReport, covered, full_reports
from nps.insights.views.group import group_round, members_figures
from nps.lib.api import Detail, Id, Input, Pages, refused
from nps.lib.caching import cached

router = Router(tags=["Insights"])

RETURN = "/organisations/{gss_code}/rounds/{round_id}"
REGION = "organisation__region__name"


# Schemas -----------------------------------------------------------------------------------------------------------


class DistributionOut(Schema):
    """One group's levels for one index: the same shape wherever a distribution appears."""

    suppressed: bool = Field(description="Withheld so that no council can be identified: no figures.")
    suppression_reason: str | None = Field(
        description="`too_few`: fewer than the minimum councils stand behind it; `combination`: with other figures "
        "published for the round it would reveal fewer than the minimum; null when shown."
    )
    minimum_group_size: int | None = Field(
        description="Groups of fewer councils are suppressed; null where nothing is (the national team's report)."
    )
    n: int | None = Field(
        description="The base: councils that gave a level (not applicable counted apart); null when suppressed."
    )
    not_applicable: int | None = Field(description="Councils that answered not applicable; null when suppressed.")
    assurance: dict[str, int] | None = Field(
        description="Answers (not applicable included) by how they were assured: `self_assessed`, `peer_reviewed`, "
        "`validated`; null when suppressed."
    )
    counts: dict[str, int] | None = Field(description="Councils at each level, keyed `1` (Minimum) to `5` (Innovator).")
    percentages: dict[str, float | None] | None = Field(description="Each level's share of n, to one decimal place.")
    median: int | None = Field(description="The lower median level. Levels are ordered categories: no mean is given.")


class PositionOut(Schema):
    below: int
    at: int
    above: int


class PeerOut(DistributionOut):
    group: str = Field(description="Councils of the same type, the same region, or every council (England, Wales).")
    position: PositionOut | None = Field(
        description="How many of the group (you included) are below, at and above your level; null when suppressed, "
        "empty or you have no level."
    )


class EarlierOut(Schema):
    round: str
    level: int | None
    not_applicable: bool


class PredecessorOut(Schema):
    name: str
    earlier: list[EarlierOut]


class DashboardIndexOut(Schema):
    code: str
    title: str
    current_level: int | None
    target_level: int | None
    target_date: datetime.date | None
    gap: int | None = Field(description="Target minus current level; null when either is missing or not applicable.")
    not_applicable: bool
    assurance: str = Field(description="`self_assessed`, `peer_reviewed` or `validated`.")
    assurance_label: str = Field(description="In words: `Peer-reviewed by Wigan Council`.")
    earlier: list[EarlierOut] = Field(description="The council's submitted answers in earlier rounds, oldest first.")
    movement: int | None = Field(description="Levels gained since the council's last earlier level.")
    peers: list[PeerOut]
    predecessors: list[PredecessorOut] = Field(
        description="Each predecessor's own submitted answers before a reorganisation, never combined."
    )


class ActionSummaryOut(Schema):
    planned: int
    in_progress: int
    done: int
    overdue: int


class DashboardOut(Schema):
    organisation: str
    organisation_name: str
    round_id: int
    round_name: str
    status: str
    demonstration_data: bool
    peers_note: str | None = Field(description="Why peers' figures are not given yet; null when they are.")
    actions: ActionSummaryOut
    indices: list[DashboardIndexOut]


class ProgressRow(ReturnCounts):
    name: str


class OutstandingOut(Schema):
    gss_code: str
    name: str
    region: str | None
    status: str


class ProgressOut(Schema):
    round_id: int
    round_name: str
    deadline: datetime.date
    demonstration_data: bool
    totals: ReturnCounts = Field(description="Returns by state; `in_progress` are those started.")
    by_region: list[ProgressRow]
    by_kind: list[ProgressRow]
    not_submitted: list[OutstandingOut] = Field(description="A page of them, by region and name: `?limit=&offset=`.")
    not_submitted_count: int


class MovementOut(Schema):
    up: int
    same: int
    down: int
    n: int = Field(description="Councils with a level for the index in both rounds.")


class LineOut(DistributionOut):
    scope: str = Field(
        description="`National` (every council), `Nation`, `Region`, `Council type`, or `Group` in a group's report."
    )
    group: str


class IndexReportOut(Schema):
    code: str
    title: str
    movement: MovementOut | None = Field(description="Since the round compared with; null without one.")
    lines: list[LineOut]


class RoundRef(Schema):
    id: int
    name: str


class NationalReportOut(Schema):
    round_id: int
    round_name: str
    covers: str = Field(description="Whom the figures describe: `England`, or a group's members in a group's round.")
    demonstration_data: bool
    submitted: int = Field(description="Returns submitted: the figures count these only.")
    compare: RoundRef | None
    excluded_by_reorganisation: int = Field(
        description="With `compare`: councils that submitted to one round but did not exist for the other, left "
        "out of movement."
    )
    indices: list[IndexReportOut]


class MemberOut(Schema):
    gss_code: str
    name: str
    status: str
    submitted_at: datetime.datetime | None


class GroupReportOut(Schema):
    group: str
    group_name: str
    round_id: int
    round_name: str
    demonstration_data: bool
    members: list[MemberOut] = Field(description="Who has submitted: each member's return state, never its answers.")
    figures_note: str | None = Field(description="Why the members' figures are not given yet; null when they are.")
    indices: list[IndexReportOut]


class PublishIn(Input):
    embargo_until: datetime.datetime | None = Field(
        None,
        description="When the results become public, which must be in the future; a time without a UTC offset is UK "
        "time. Leave it out, or null, to publish now.",
    )


class PublicationOut(Schema):
    round_id: int
    round_name: str
    published_at: datetime.datetime | None
    embargo_until: datetime.datetime | None
    is_public: bool


class PublicRoundOut(Schema):
    id: int
    name: str
    framework_version: str
    published_at: datetime.datetime | None
    demonstration_data: bool


class FigureRow(Schema):
    """One row of the open data, exactly as in the CSV and JSON downloads; a suppressed group has no counts."""

    round: str
    index_code: str
    index_title: str
    scope: str
    group: str
    suppressed: bool
    suppression_reason: str | None = Field(description="`too_few` or `combination` when suppressed.")
    councils_with_a_level: int | None = Field(description="The base n.")
    not_applicable: int | None
    self_assessed_count: int | None
    peer_reviewed_count: int | None
    validated_count: int | None
    minimum_count: int | None
    developing_count: int | None
    mature_count: int | None
    leader_count: int | None
    innovator_count: int | None
    minimum_percent: float | None
    developing_percent: float | None
    mature_percent: float | None
    leader_percent: float | None
    innovator_percent: float | None
    median_level: str | None


class ResultsOut(Schema):
    round: str
    round_id: int
    framework_version: str
    published_at: datetime.datetime | None
    demonstration_data: bool
    licence: str
    minimum_group_size: int
    figures: list[FigureRow]


# Helpers -----------------------------------------------------------------------------------------------------------


def distribution_out(
    figure: Distribution | Suppressed, minimum: int | None, levels: tuple[int, ...] = LEVELS
) -> dict[str, Any]:
    """A distribution (counted at each of its framework's `levels`), or a suppressed group with no figures at all
    (not even its size)."""
    if isinstance(figure, Suppressed):
        hidden = dict.fromkeys(["n", "not_applicable", "assurance", "counts", "percentages", "median"])
        return {
            "suppressed": True,
            "suppression_reason": figure.reason.value,
            "minimum_group_size": figure.minimum,
            **hidden,
        }
    return {
        "suppressed": False,
        "suppression_reason": None,
        "minimum_group_size": minimum,
        "n": figure.n,
        "not_applicable": figure.not_applicable,
        "assurance": {assurance: figure.assured(assurance) for assurance in Assurance.values},
        "counts": {str(level): figure.count(level) for level in levels},
        "percentages": {str(level): figure.percentage(level) for level in levels},
        "median": figure.median,
    }


def peer_out(
    name: str, figure: Distribution | Suppressed, level: int | None, levels: tuple[int, ...]
) -> dict[str, Any]:
    position = None
    if isinstance(figure, Distribution) and figure.n and level is not None:
        below, at, above = figure.position(level)
        position = {"below": below, "at": at, "above": above}
    peers = distribution_out(figure, settings.MINIMUM_GROUP_SIZE, levels)
    return {"group": name, **peers, "position": position}


def earlier_out(earlier: Earlier) -> dict[str, Any]:
    return {"round": earlier.round_name, "level": earlier.level, "not_applicable": earlier.not_applicable}


def dashboard_index(line: IndexLine, levels: tuple[int, ...]) -> dict[str, Any]:
    answer = line.answer
    level = None if answer.not_applicable else answer.current_level
    return {
        "code": answer.index.code,
        "title": answer.index.title,
        "current_level": answer.current_level,
        "target_level": answer.target_level,
        "target_date": answer.target_date,
        "gap": answer.gap,
        "not_applicable": answer.not_applicable,
        "assurance": answer.assurance,
        "assurance_label": answer.assurance_label,
        "earlier": [earlier_out(earlier) for earlier in line.earlier],
        "movement": line.movement,
        "peers": [peer_out(name, figure, level, levels) for name, figure in line.peers],
        "predecessors": [
            {"name": name, "earlier": [earlier_out(earlier) for earlier in given]} for name, given in line.predecessors
        ],
    }


def movement_out(movement: Movement | None) -> dict[str, int] | None:
    if movement is None:
        return None
    return {"up": movement.up, "same": movement.same, "down": movement.down, "n": movement.n}


def report_out(report: IndexReport, minimum: int | None) -> dict[str, Any]:
    return {
        "code": report.index.code,
        "title": report.index.title,
        "movement": movement_out(report.movement),
        "lines": [
            {"scope": line.scope, "group": line.name, **distribution_out(line.figure, minimum, report.scale.numbers)}
            for line in report.lines
        ],
    }


def earlier_round(round_: Round, compare: int | None) -> Round | None:
    """The earlier national round to measure movement from, as the report page offers; 422 for any other."""
    if compare is None:
        return None
    earlier = Round.objects.filter(pk=compare, opens_on__lt=round_.opens_on, run_by=round_.run_by).first()
    if earlier is None:
        message = "Compare with an earlier round of the same kind: national, or the same group's"
        raise ValidationError([{"type": "value_error", "loc": ["query", "compare"], "msg": message}])
    return earlier


def publication_out(round_id: int) -> dict[str, Any]:
    round_ = Round.objects.get(pk=round_id)
    return {
        "round_id": round_.pk,
        "round_name": round_.name,
        "published_at": round_.published_at,
        "embargo_until": round_.embargo_until,
        "is_public": public_rounds().filter(pk=round_.pk).exists(),
    }


# A council's dashboard ---------------------------------------------------------------------------------------------


@router.get(RETURN + "/dashboard", response=DashboardOut, summary="A council's dashboard: targets, movement, peers")
def get_dashboard(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> dict[str, Any]:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    with_peers = peers_visible(council_return, request.user)
    return {
        "organisation": council_return.organisation.gss_code,
        "organisation_name": council_return.organisation.name,
        "round_id": council_return.round_id,
        "round_name": council_return.round.name,
        "status": council_return.status,
        "demonstration_data": council_return.is_demo or council_return.round.is_demo,
        "peers_note": None if with_peers else peers_note(council_return),
        "actions": action_summary(council_return),
        "indices": [
            dashboard_index(line, council_return.round.framework_version.scale.numbers)
            for line in council_dashboard(council_return, with_peers=with_peers)
        ],
    }


# The national team -------------------------------------------------------------------------------------------------


@router.get("/rounds/{round_id}/progress", response=ProgressOut, summary="Who has responded (national team)")
def get_progress(request: AuthenticatedRequest, round_id: Id, page: Query[Pages.Input]) -> dict[str, Any]:
    """Counts for the whole round; `not_submitted` holds `limit` returns (100 unless told) from `offset`."""
    round_ = get_round_for_admin(request.user, round_id)
    totals, by_region, by_kind = counts_by_region_and_kind(round_)
    outstanding = (
        Return.objects.filter(round=round_)
        .exclude(status=ReturnStatus.SUBMITTED)
        .select_related("organisation__region")
        .order_by(REGION, "organisation__name")
    )
    return {
        "round_id": round_.pk,
        "round_name": round_.name,
        "deadline": round_.deadline,
        "demonstration_data": round_.is_demo,
        "totals": totals,
        "by_region": [{**row, "name": row["name"] or NO_REGION} for row in by_region],
        "by_kind": [{**row, "name": kind_label(row["name"])} for row in by_kind],
        "not_submitted": [
            {
                "gss_code": council_return.organisation.gss_code,
                "name": council_return.organisation.name,
                "region": council_return.organisation.region.name if council_return.organisation.region else None,
                "status": council_return.status,
            }
            for council_return in outstanding[page.offset : page.offset + page.limit]
        ],
        "not_submitted_count": outstanding.count(),
    }


@router.get("/rounds/{round_id}/report", response=NationalReportOut, summary="A round's report (national team)")
def get_national_report(request: AuthenticatedRequest, round_id: Id, compare: Id | None = None) -> dict[str, Any]:
    """Every group's full distribution, unsuppressed as on the national team's own page, for every council or, in a
    group's round, its members; with `compare`, movement since that earlier round (national, or the same group's)."""
    round_ = get_round_for_admin(request.user, round_id)
    earlier = earlier_round(round_, compare)
    movement = movement_between(earlier, round_) if earlier else None
    return {
        "round_id": round_.pk,
        "round_name": round_.name,
        "covers": covered(round_),
        "demonstration_data": round_.is_demo,
        "submitted": round_figures(round_).submitted,
        "compare": earlier,
        "excluded_by_reorganisation": excluded_by_reorganisation(earlier, round_) if earlier else 0,
        "indices": [report_out(report, None) for report in full_reports(round_, movement)],
    }


@router.post(
    "/rounds/{round_id}/publish",
    response={200: PublicationOut, 400: Detail},
    summary="Publish a closed round's results from an embargo time (national team)",
)
def post_publish(request: AuthenticatedRequest, round_id: Id, payload: PublishIn) -> dict[str, Any]:
    round_ = get_round_for_admin(request.user, round_id)
    embargo_until = payload.embargo_until
    if embargo_until is not None and timezone.is_naive(embargo_until):
        embargo_until = timezone.make_aware(embargo_until)
    with refused(PublicationError):
        publish_results(round_, embargo_until=embargo_until, by=request.user)
    return publication_out(round_id)


@router.post(
    "/rounds/{round_id}/withdraw", response={200: PublicationOut, 400: Detail}, summary="Withdraw published results"
)
def post_withdraw(request: AuthenticatedRequest, round_id: Id) -> dict[str, Any]:
    round_ = get_round_for_admin(request.user, round_id)
    with refused(PublicationError):
        withdraw_results(round_, by=request.user)
    return publication_out(round_id)


# A group's lead ----------------------------------------------------------------------------------------------------


@router.get(
    "/groups/{gss_code}/rounds/{round_id}/report",
    response=GroupReportOut,
    summary="A group's report: who has submitted, and its members' levels as suppressed distributions",
)
def get_group_report(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> dict[str, Any]:
    group, round_ = group_round(request, gss_code, round_id)
    members = (
        Return.objects.filter(round=round_, organisation__groups=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    reports = members_figures(group, round_, request.user)
    return {
        "group": group.gss_code,
        "group_name": group.name,
        "round_id": round_.pk,
        "round_name": round_.name,
        "demonstration_data": round_.is_demo,
        "members": [
            {
                "gss_code": member.organisation.gss_code,
                "name": member.organisation.name,
                "status": member.status,
                "submitted_at": member.submitted_at,
            }
            for member in members
        ],
        "figures_note": None if reports else members_note(round_),
        "indices": [report_out(report, settings.MINIMUM_GROUP_SIZE) for report in reports],
    }


# Published results: anyone -----------------------------------------------------------------------------------------


@router.get("/results", response=list[PublicRoundOut], auth=None, summary="Rounds with published results")
def list_results(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": round_.pk,
            "name": round_.name,
            "framework_version": round_.framework_version.title,
            "published_at": round_.published_at,
            "demonstration_data": round_.is_demo,
        }
        for round_ in public_rounds().order_by("-opens_on")
    ]


@router.get("/results/{round_id}", response=ResultsOut, auth=None, summary="A round's published results")
def get_results(request: HttpRequest, round_id: Id) -> dict[str, Any]:
    """The open data's rows: every council, each nation, region and council type per index, small groups suppressed."""
    round_ = get_object_or_404(public_rounds(), pk=round_id)
    return cached("results-api", [*reports_depend_on(), round_.pk], lambda: published_results(round_))


def published_results(round_: Round) -> dict[str, Any]:
    return {
        "round": round_.name,
        "round_id": round_.pk,
        "framework_version": round_.framework_version.title,
        "published_at": round_.published_at,
        "demonstration_data": round_.is_demo,
        "licence": settings.OPEN_DATA_LICENCE,
        "minimum_group_size": settings.MINIMUM_GROUP_SIZE,
        "figures": list(figure_rows(round_)),
    }
