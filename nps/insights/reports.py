"""What the national, regional and public reports show: the round's figures arranged per index."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from nps.assessments.models import Round
from nps.insights.distributions import Distribution, Movement, Suppressed, publishable_groups
from nps.insights.figures import NATIONAL, IndexHeading, RoundFigures, answer_rows, fold, kind_label


@dataclass(frozen=True)
class GroupLine:
    scope: str  # England, region or council type
    name: str
    figure: Distribution | Suppressed


@dataclass(frozen=True)
class IndexReport:
    index: IndexHeading
    lines: list[GroupLine]
    movement: Movement | None = None

    @property
    def overall(self) -> Distribution | Suppressed:
        return self.lines[0].figure


def shown(groups: dict[str, Distribution], suppress: bool) -> dict[str, Distribution | Suppressed]:
    """A breakdown's groups, with small ones (and whatever would give them away) hidden when asked."""
    if not suppress:
        return dict(groups)
    return publishable_groups(groups, settings.MINIMUM_GROUP_SIZE)


def index_reports(
    figures: RoundFigures,
    *,
    suppress: bool,
    movement: dict[str, Movement] | None = None,
    with_kinds: bool = True,
    overall: tuple[str, str] = ("England", NATIONAL),
) -> list[IndexReport]:
    """Per index: the whole (England, or a group's members), then each region, then each council type."""
    reports = []
    for index in figures.indices:
        whole = shown({overall[1]: figures.overall.get(index.code, Distribution())}, suppress)[overall[1]]
        lines = [GroupLine(overall[0], overall[1], whole)]
        regions = shown(figures.by_region.get(index.code, {}), suppress)
        lines += [GroupLine("Region", region, figure) for region, figure in sorted(regions.items())]
        if with_kinds:
            kinds = shown(figures.by_kind.get(index.code, {}), suppress)
            lines += [GroupLine("Council type", kind_label(kind), figure) for kind, figure in sorted(kinds.items())]
        reports.append(IndexReport(index, lines, (movement or {}).get(index.code)))
    return reports


def group_figures(round_: Round, group_gss_code: str) -> RoundFigures:
    """The round's figures over one group's member councils only."""
    rows = answer_rows(round_, Q(council_return__organisation__groups__gss_code=group_gss_code))
    indices = [IndexHeading(i.code, i.title, i.kind) for i in round_.framework_version.indices.all()]
    figures = RoundFigures(round_.pk, indices)
    figures.overall = {
        index: groups.get(NATIONAL, Distribution()) for index, groups in fold(rows, lambda row: NATIONAL).items()
    }
    figures.by_kind = fold(rows, lambda row: row[2])
    return figures
