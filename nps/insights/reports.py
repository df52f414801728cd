"""What the national, regional and public reports show: the round's figures arranged per index."""

from dataclasses import dataclass

from django.db.models import Q

from nps.assessments.models import Round
from nps.frameworks.levels import NPS_SCALE, Scale
from nps.insights.disclosure import Reason
from nps.insights.distributions import Distribution, Movement, Suppressed
from nps.insights.figures import NATIONAL, IndexHeading, RoundFigures, answer_rows, fold, kind_label, round_figures
from nps.insights.suppression import GROUP, KIND, NATION, OVERALL, REGION, Key, Withholding, group_kind, withholding
from nps.organisations.models import Organisation


@dataclass(frozen=True)
class GroupLine:
    scope: str  # National, nation, region or council type; Group, or council type, in a group's report
    name: str
    figure: Distribution | Suppressed


@dataclass(frozen=True)
class IndexReport:
    index: IndexHeading
    lines: list[GroupLine]
    movement: Movement | None = None
    scale: Scale = NPS_SCALE

    @property
    def overall(self) -> Distribution | Suppressed:
        return self.lines[0].figure

    @property
    def summary(self) -> str:
        """The index in one line, from its first group (every council, or a group's members)."""
        overall, name = self.overall, self.lines[0].name
        if isinstance(overall, Suppressed):
            return f"The figures for {name} are withheld."
        if not overall.median:
            return f"No council in {name} gave a level."
        middle = self.scale.levels[len(self.scale.levels) // 2]  # Mature on the NPS levels
        at_least = round(
            100 * sum(overall.count(level) for level in self.scale.numbers if level >= middle.number) / overall.n
        )
        median = self.scale.name(overall.median)
        line = f"{name}: median {median}, {at_least}% at {middle.name} or above (n={overall.n})"
        return line + (f"; {overall.not_applicable} not applicable." if overall.not_applicable else ".")


def line(scope: str, name: str, key: Key, distribution: Distribution, withholding: Withholding | None) -> GroupLine:
    """One group's line, withheld where the round's published figures withhold it (never in the national team's own
    report, which has no withholding)."""
    return GroupLine(scope, name, withholding.figure(key, distribution) if withholding else distribution)


def index_reports(
    figures: RoundFigures, *, withholding: Withholding | None, movement: dict[str, Movement] | None = None
) -> list[IndexReport]:
    """Per index: every council, then each nation (when there are several), each region and each council type."""
    reports = []
    for index in figures.indices:
        whole = figures.overall.get(index.code, Distribution())
        lines = [line(OVERALL, figures.national_name, (OVERALL, NATIONAL), whole, withholding)]
        if figures.by_nation_shown:
            nations = figures.by_nation.get(index.code, {})
            lines += [
                line(NATION, name, (NATION, name), nations.get(name, Distribution()), withholding)
                for name in figures.nations
            ]
        regions = figures.by_region.get(index.code, {})
        lines += [line(REGION, name, (REGION, name), regions[name], withholding) for name in sorted(regions)]
        kinds = figures.by_kind.get(index.code, {})
        lines += [line(KIND, kind_label(kind), (KIND, kind), kinds[kind], withholding) for kind in sorted(kinds)]
        reports.append(IndexReport(index, lines, (movement or {}).get(index.code), figures.scale))
    return reports


def group_reports(
    figures: RoundFigures,
    group: Organisation,
    withholding: Withholding | None,
    movement: dict[str, Movement] | None = None,
) -> list[IndexReport]:
    """Per index: the group's members, then each council type among them, withheld as everywhere else (but in the
    national team's own report)."""
    reports = []
    for index in figures.indices:
        whole = figures.overall.get(index.code, Distribution())
        lines = [line(GROUP, group.name, (GROUP, group.gss_code), whole, withholding)]
        kinds = figures.by_kind.get(index.code, {})
        lines += [
            line(KIND, kind_label(kind), group_kind(group.gss_code, kind), kinds[kind], withholding)
            for kind in sorted(kinds)
        ]
        reports.append(IndexReport(index, lines, (movement or {}).get(index.code), figures.scale))
    return reports


def group_figures(round_: Round, group_gss_code: str) -> RoundFigures:
    """The round's figures over one group's member councils only."""
    rows = answer_rows(round_, Q(council_return__organisation__groups__gss_code=group_gss_code))
    indices = [IndexHeading(i.code, i.title, i.kind) for i in round_.framework_version.indices.all()]
    figures = RoundFigures(round_.pk, indices, scale=round_.framework_version.scale)
    figures.overall = {
        index: groups.get(NATIONAL, Distribution()) for index, groups in fold(rows, lambda row: NATIONAL).items()
    }
    figures.by_kind = fold(rows, lambda row: row[2])
    return figures


def published_reports(round_: Round) -> list[IndexReport]:
    """The figures a round publishes, withheld where they must be: a national round's for England, each region and
    each council type; a group's round's over the group's members and each type among them."""
    if round_.run_by is None:
        return index_reports(round_figures(round_), withholding=withholding(round_))
    return group_reports(group_figures(round_, round_.run_by.gss_code), round_.run_by, withholding(round_))


def full_reports(round_: Round, movement: dict[str, Movement] | None = None) -> list[IndexReport]:
    """The national team's own report on a round, nothing withheld: on England, or on a group's members."""
    if round_.run_by is None:
        return index_reports(round_figures(round_), withholding=None, movement=movement)
    members = group_figures(round_, round_.run_by.gss_code)
    return group_reports(members, round_.run_by, withholding=None, movement=movement)


def covered(round_: Round) -> str:
    """Whom a round's figures describe, for headings: the nations that took part (England, Wales, or England and
    Wales), or a group's members."""
    return f"{round_.run_by.name}'s members" if round_.run_by else round_figures(round_).national_name


WITHHELD_BECAUSE = {
    Reason.TOO_FEW: "Fewer than {minimum} councils stand behind {these}, so {they} withheld",
    Reason.COMBINATION: (
        "{These} withheld too: added to or subtracted from other published figures, {they_would} reveal the answers "
        "of fewer than {minimum} councils"
    ),
}


def withheld_summary(reports: list[IndexReport]) -> list[tuple[str, list[str]]]:
    """What the reports withhold and why, in plain words: a sentence per reason and the groups it covers."""
    names: dict[Reason, dict[str, None]] = {reason: {} for reason in Reason}
    minimum = 0
    for report in reports:
        for line in report.lines:
            if isinstance(line.figure, Suppressed):
                names[line.figure.reason][
                    line.name if line.scope == OVERALL else f"{line.name} ({line.scope.lower()})"
                ] = None
                minimum = line.figure.minimum
    return [(because(reason, minimum, len(groups)), list(groups)) for reason, groups in names.items() if groups]


def because(reason: Reason, minimum: int, count: int) -> str:
    one = count == 1
    return WITHHELD_BECAUSE[reason].format(
        minimum=minimum,
        these="this group" if one else "these groups",
        These="This group is" if one else "These groups are",
        they="it is" if one else "they are",
        they_would="it would" if one else "they would",
    )
