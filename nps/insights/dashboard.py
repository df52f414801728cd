"""A council's dashboard for one round: position against target, movement over rounds, actions and peers."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from nps.assessments.models import Action, ActionStatus, Answer, Return, ReturnStatus
from nps.assessments.queries import answers_with_indices
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.queries import forward_codes
from nps.insights.distributions import Distribution, Suppressed
from nps.insights.figures import NATIONAL, RoundFigures, kind_plural, round_figures
from nps.insights.reports import covered
from nps.insights.suppression import KIND, OVERALL, REGION, Withholding, withholding
from nps.organisations.models import Organisation, lineage


@dataclass(frozen=True)
class Earlier:
    round_name: str
    level: int | None
    not_applicable: bool
    year: int = 0  # the year the round opened, for the chart of progress over rounds


@dataclass
class IndexLine:
    answer: Answer
    earlier: list[Earlier]
    peers: list[tuple[str, Distribution | Suppressed]] = field(default_factory=list)
    # Each predecessor's own levels before a reorganisation, by name: shown as theirs, never combined into a figure.
    predecessors: list[tuple[str, list[Earlier]]] = field(default_factory=list)

    @property
    def movement(self) -> int | None:
        """Levels gained since the council's last submitted answer to this index (matched by code)."""
        previous = next((e.level for e in reversed(self.earlier) if e.level is not None), None)
        current = self.answer.current_level
        return None if previous is None or current is None or self.answer.not_applicable else current - previous


@dataclass(frozen=True)
class ActionSummary:
    planned: int
    in_progress: int
    done: int
    overdue: int


def earlier_levels(council_return: Return) -> dict[str, list[Earlier]]:
    """The council's submitted answers in earlier rounds, oldest first, by the index code they carry into in this
    round's version (the same code, or a one-to-one replacement)."""
    return levels_before(council_return, [council_return.organisation_id]).get(council_return.organisation_id, {})


def levels_before(council_return: Return, organisation_ids: list[int]) -> dict[int, dict[str, list[Earlier]]]:
    """Per organisation, as earlier_levels: the council's own, or its predecessors'."""
    rows = (
        Answer.objects.filter(
            council_return__organisation_id__in=organisation_ids,
            council_return__status=ReturnStatus.SUBMITTED,
            council_return__round__opens_on__lt=council_return.round.opens_on,
        )
        .order_by("council_return__round__opens_on")
        .values_list(
            "index__code",
            "council_return__round__name",
            "current_level",
            "not_applicable",
            "council_return__round__framework_version_id",
            "council_return__round__opens_on",
            "council_return__organisation_id",
        )
    )
    carried = carried_codes({row[4] for row in rows}, council_return.round.framework_version)
    earlier: dict[int, dict[str, list[Earlier]]] = defaultdict(lambda: defaultdict(list))
    for code, round_name, level, not_applicable, version_id, opens_on, organisation_id in rows:
        if code in carried[version_id]:
            entry = Earlier(round_name, level, not_applicable, opens_on.year)
            earlier[organisation_id][carried[version_id][code]].append(entry)
    return earlier


def predecessor_levels(council_return: Return) -> list[tuple[str, dict[str, list[Earlier]]]]:
    """The levels of the council's predecessors (and theirs), each under its own name, nearest first."""
    organisation_id = council_return.organisation_id
    ids = lineage([organisation_id], backwards=True)[organisation_id]
    if not ids:
        return []
    names = Organisation.objects.in_bulk(ids)
    levels = levels_before(council_return, ids)
    return [(names[pk].name, levels[pk]) for pk in ids if pk in levels]


def carried_codes(version_ids: set[int], current: FrameworkVersion) -> dict[int, dict[str, str]]:
    """For each earlier version, its index codes → the codes they carry into in the current version."""
    versions = FrameworkVersion.objects.filter(pk__in=version_ids - {current.pk})
    return {
        current.pk: {code: code for code in current.indices.values_list("code", flat=True)},
        **{version.pk: forward_codes(version, current) for version in versions},
    }


def action_summary(council_return: Return) -> ActionSummary:
    counts = Action.objects.filter(answer__council_return__organisation_id=council_return.organisation_id).aggregate(
        planned=Count("id", filter=Q(status=ActionStatus.PLANNED)),
        in_progress=Count("id", filter=Q(status=ActionStatus.IN_PROGRESS)),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("id", filter=~Q(status=ActionStatus.DONE) & Q(due_date__lt=timezone.localdate())),
    )
    return ActionSummary(**counts)


def peer_groups(
    figures: RoundFigures, withholding: Withholding, code: str, kind: str, region: str | None, everyone: str = ""
) -> list[tuple[str, Distribution | Suppressed]]:
    """The index's distribution among the same type, the same region and everyone in the round (every council, or a
    group's members), withheld exactly as in the published figures."""
    kinds = figures.by_kind.get(code, {})
    groups = [(kind_plural(kind), withholding.figure((KIND, kind), kinds.get(kind, Distribution())))]
    if region:
        regions = figures.by_region.get(code, {})
        groups.append((region, withholding.figure((REGION, region), regions.get(region, Distribution()))))
    overall = withholding.figure((OVERALL, NATIONAL), figures.overall.get(code, Distribution()))
    return [*groups, (everyone or figures.national_name, overall)]


def council_dashboard(council_return: Return, *, with_peers: bool) -> list[IndexLine]:
    """The council's own lines, with its peers' figures only where it may see them (see
    nps.insights.publication.peers_visible)."""
    answers = answers_with_indices(council_return)
    earlier = earlier_levels(council_return)
    predecessors = predecessor_levels(council_return)
    organisation = council_return.organisation
    region = organisation.region.name if organisation.region else None
    peers = {}
    if with_peers:
        figures, withheld = round_figures(council_return.round), withholding(council_return.round)
        everyone = covered(council_return.round)
        peers = {
            answer.index.code: peer_groups(figures, withheld, answer.index.code, organisation.kind, region, everyone)
            for answer in answers
        }
    return [
        IndexLine(
            answer,
            earlier.get(answer.index.code, []),
            peers.get(answer.index.code, []),
            [(name, levels[answer.index.code]) for name, levels in predecessors if answer.index.code in levels],
        )
        for answer in answers
    ]


@dataclass(frozen=True)
class Summary:
    """The dashboard's first lines: where the council stands against its targets, since last time, and its peers."""

    indices: int
    at_or_above_target: int
    with_gap: int
    largest_gap: tuple[str, int] | None  # the index title and its gap in levels
    not_applicable: int
    up: int
    same: int
    down: int
    assurance: dict[str, int]
    peer_group: str | None  # "Unitary authorities": the same type of council, when its figures are shown
    at_or_above_peers: int
    compared_with_peers: int


def summary(lines: list[IndexLine]) -> Summary:
    answers = [line.answer for line in lines]
    gaps = [(answer.index.title, answer.gap) for answer in answers if answer.gap is not None]
    largest = max(gaps, key=lambda item: item[1], default=None)
    movements = [line.movement for line in lines if line.movement is not None]
    assurance: dict[str, int] = defaultdict(int)
    for answer in answers:
        assurance[answer.assurance] += 1
    peer_group, at_or_above, compared = peers_summary(lines)
    return Summary(
        indices=len(answers),
        at_or_above_target=sum(gap <= 0 for _, gap in gaps),
        with_gap=sum(gap > 0 for _, gap in gaps),
        largest_gap=largest if largest and largest[1] > 0 else None,
        not_applicable=sum(answer.not_applicable for answer in answers),
        up=sum(movement > 0 for movement in movements),
        same=sum(movement == 0 for movement in movements),
        down=sum(movement < 0 for movement in movements),
        assurance=dict(assurance),
        peer_group=peer_group,
        at_or_above_peers=at_or_above,
        compared_with_peers=compared,
    )


def peers_summary(lines: list[IndexLine]) -> tuple[str | None, int, int]:
    """In how many of the indices compared the council is at or above the median of councils of its type (where
    their figures are shown)."""
    compared = [
        (line.peers[0][0], line.answer.current_level >= line.peers[0][1].median)
        for line in lines
        if line.peers
        and isinstance(line.peers[0][1], Distribution)
        and line.peers[0][1].median is not None
        and line.answer.current_level is not None
        and not line.answer.not_applicable
    ]
    if not compared:
        return None, 0, 0
    return compared[0][0], sum(at_or_above for _, at_or_above in compared), len(compared)
