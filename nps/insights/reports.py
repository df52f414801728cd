"""What the national, regional and public reports show: the round's figures arranged per index."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from nps.assessments.models import Round
from nps.insights.distributions import Distribution, Movement, Suppressed, publishable
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


def shown(distribution: Distribution, suppress: bool) -> Distribution | Suppressed:
    return publishable(distribution, settings.MINIMUM_GROUP_SIZE) if suppress else distribution


def index_reports(
    figures: RoundFigures, *, suppress: bool, movement: dict[str, Movement] | None = None, with_kinds: bool = True
) -> list[IndexReport]:
    """Per index: England, then each region, then each council type; small groups suppressed when asked."""
    reports = []
    for index in figures.indices:
        lines = [GroupLine("England", NATIONAL, shown(figures.overall.get(index.code, Distribution()), suppress))]
        lines += [
            GroupLine("Region", region, shown(distribution, suppress))
            for region, distribution in sorted(figures.by_region.get(index.code, {}).items())
        ]
        if with_kinds:
            lines += [
                GroupLine("Council type", kind_label(kind), shown(distribution, suppress))
                for kind, distribution in sorted(figures.by_kind.get(index.code, {}).items())
            ]
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
