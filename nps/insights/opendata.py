"""Published figures as open data: one row generator, written as CSV or JSON. Suppressed groups keep their row,
with no counts, so users see that the group exists but is too small to publish."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings

from nps.assessments.models import Assurance, Round
from nps.frameworks.levels import NPS_SCALE, Scale, ScaleLevel
from nps.insights.distributions import Distribution, Suppressed
from nps.insights.exports import Export, Table
from nps.insights.reports import published_reports

FIELDS = [
    "round",
    "index_code",
    "index_title",
    "scope",
    "group",
    "suppressed",
    "suppression_reason",
    "councils_with_a_level",
    "not_applicable",
    *[f"{assurance}_count" for assurance in Assurance.values],
    *[f"{level.code}_count" for level in NPS_SCALE.levels],
    *[f"{level.code}_percent" for level in NPS_SCALE.levels],
    "median_level",
]  # for the NPS levels; a framework with levels of its own has a count and a percentage for each of them


def column(level: ScaleLevel, measure: str) -> str:
    return f"{level.code.replace('-', '_')}_{measure}"


def fields(scale: Scale) -> list[str]:
    """The columns of a round's figures, with its framework's levels."""
    first_level = FIELDS.index("minimum_count")
    per_level = [column(level, measure) for measure in ("count", "percent") for level in scale.levels]
    return [*FIELDS[:first_level], *per_level, "median_level"]


def figure_rows(round_: Round) -> Iterator[dict[str, Any]]:
    scale = round_.framework_version.scale
    for report in published_reports(round_):
        for line in report.lines:
            row: dict[str, Any] = dict.fromkeys(fields(scale))
            row.update(
                round=round_.name,
                index_code=report.index.code,
                index_title=report.index.title,
                scope=line.scope,
                group=line.name,
                suppressed=isinstance(line.figure, Suppressed),
                suppression_reason=line.figure.reason.value if isinstance(line.figure, Suppressed) else None,
            )
            if isinstance(line.figure, Distribution):
                row.update(counts(line.figure, scale))
            yield row


def counts(distribution: Distribution, scale: Scale) -> dict[str, Any]:
    values: dict[str, Any] = {"councils_with_a_level": distribution.n, "not_applicable": distribution.not_applicable}
    values.update({f"{assurance}_count": distribution.assured(assurance) for assurance in Assurance.values})
    for level in scale.levels:
        values[column(level, "count")] = distribution.count(level.number)
        values[column(level, "percent")] = distribution.percentage(level.number)
    values["median_level"] = scale.name(distribution.median) or None
    return values


def figures_export(round_: Round, schema_url: str) -> Export:
    """Every published figure of a round as one table, for the CSV and JSON writers shared with the exports."""
    return Export(
        filename=f"nps-results-{round_.pk}",
        summary={
            "round": round_.name,
            "framework_version": round_.framework_version.title,
            "published_at": round_.published_at,
            "licence": settings.OPEN_DATA_LICENCE,
            "minimum_group_size": settings.MINIMUM_GROUP_SIZE,
            "schema": schema_url,
        },
        demonstration=round_.is_demo,
        notes=(
            "Levels are ordinal: distributions and medians, no averages. A group is suppressed when fewer than the "
            "minimum group size of councils stand behind it (too_few), or when its figures could be added to or "
            "subtracted from other published figures to reveal fewer councils than that (combination)."
        ),
        tables=[Table("figures", fields(round_.framework_version.scale), lambda: figure_rows(round_))],
    )
