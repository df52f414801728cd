"""Figures for a round: one SQL aggregate each, folded into distributions by pure functions, cached per results version.

Only submitted returns count. Every distribution keeps not-applicable answers apart from the levels.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q

from nps.assessments.models import Answer, Return, ReturnStatus, Round
from nps.assessments.queries import rounds_state
from nps.frameworks.levels import NPS_SCALE, Scale
from nps.frameworks.queries import forward_codes
from nps.insights.distributions import Distribution, Movement, movement_of
from nps.lib.caching import Generation, generations
from nps.organisations.models import DIRECTORY, KIND_PLURALS, Kind, Nation

NATIONAL = "All councils"  # the key of the figures over every council that submitted; named by national_name
NO_REGION = "No region"
FIGURES_TIMEOUT = 60 * 60 * 24 * 7  # a week; a new results version makes new keys anyway


@dataclass(frozen=True)
class IndexHeading:
    code: str
    title: str
    kind: str


@dataclass
class RoundFigures:
    """Every shared figure of one round: per index, overall and by nation, by region and by council type."""

    round_id: int
    indices: list[IndexHeading]
    overall: dict[str, Distribution] = field(default_factory=dict)
    by_nation: dict[str, dict[str, Distribution]] = field(default_factory=dict)
    by_region: dict[str, dict[str, Distribution]] = field(default_factory=dict)
    by_kind: dict[str, dict[str, Distribution]] = field(default_factory=dict)
    submitted: int = 0
    submitted_by_nation: dict[str, int] = field(default_factory=dict)
    submitted_by_region: dict[str, int] = field(default_factory=dict)
    submitted_by_kind: dict[str, int] = field(default_factory=dict)
    scale: Scale = NPS_SCALE  # the round's maturity levels

    @property
    def nations(self) -> list[str]:
        """The nations of the councils that submitted, England first."""
        return [nation.label for nation in Nation if nation.label in self.submitted_by_nation]

    @property
    def national_name(self) -> str:
        """What the figures over every council are called: England, Wales, or England and Wales."""
        return " and ".join(self.nations) or Nation.ENGLAND.label

    @property
    def by_nation_shown(self) -> bool:
        """Figures per nation are shown beside the overall ones when they differ from them."""
        return len(self.nations) > 1

    @property
    def regions(self) -> list[str]:
        return sorted({region for groups in self.by_region.values() for region in groups})

    @property
    def kinds(self) -> list[str]:
        return sorted({kind for groups in self.by_kind.values() for kind in groups})


# index, region, kind, nation, level, N/A, assurance, count
Row = tuple[str, str | None, str, str, int | None, bool, str, int]
NATION_LABELS = dict(Nation.choices)


def answer_rows(round_: Round, organisations: Q | None = None) -> list[Row]:
    """One GROUP BY over the round's submitted answers."""
    answers = Answer.objects.filter(council_return__round=round_, council_return__status=ReturnStatus.SUBMITTED)
    if organisations is not None:
        answers = answers.filter(organisations)
    return list(
        answers.values_list(
            "index__code",
            "council_return__organisation__region__name",
            "council_return__organisation__kind",
            "council_return__organisation__nation",
            "current_level",
            "not_applicable",
            "assurance",
        )
        .annotate(count=Count("id"))
        .order_by()
    )


@dataclass
class Tally:
    """One group's counts for one index while the rows are folded."""

    levels: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    not_applicable: int = 0
    assurance: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, level: int | None, is_not_applicable: bool, assurance: str, count: int) -> None:
        if is_not_applicable:
            self.not_applicable += count
        elif level is not None:
            self.levels[level] += count
        self.assurance[assurance] += count

    def distribution(self) -> Distribution:
        return Distribution(dict(self.levels), self.not_applicable, dict(self.assurance))


def fold(rows: Iterable[Row], key: object) -> dict[str, dict[str, Distribution]]:
    """Distributions per index and per group, where key(row) names the group."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for row in rows:
        index, (level, is_not_applicable, assurance, count) = row[0], row[-4:]
        groups = tallies[index]  # every index of the round has its entry, answered or not
        if level is not None or is_not_applicable:  # an unanswered row counts in no group
            groups[key(row)].add(level, is_not_applicable, assurance, count)  # type: ignore[operator]
    return {
        index: {group: tally.distribution() for group, tally in groups.items()} for index, groups in tallies.items()
    }


def submitted_counts(figures: RoundFigures, round_: Round) -> None:
    returns = round_.returns.filter(status=ReturnStatus.SUBMITTED)
    by_nation = dict(returns.values_list("organisation__nation").annotate(n=Count("id")).order_by())
    by_region = dict(returns.values_list("organisation__region__name").annotate(n=Count("id")).order_by())
    by_kind = dict(returns.values_list("organisation__kind").annotate(n=Count("id")).order_by())
    figures.submitted = sum(by_kind.values())
    figures.submitted_by_nation = {str(NATION_LABELS.get(k, k)): v for k, v in by_nation.items()}
    figures.submitted_by_region = {k or NO_REGION: v for k, v in by_region.items()}
    figures.submitted_by_kind = by_kind


def compute_round_figures(round_: Round) -> RoundFigures:
    rows = answer_rows(round_)
    indices = [IndexHeading(i.code, i.title, i.kind) for i in round_.framework_version.indices.all()]
    figures = RoundFigures(round_.pk, indices, scale=round_.framework_version.scale)
    figures.overall = {
        index: groups.get(NATIONAL, Distribution()) for index, groups in fold(rows, lambda row: NATIONAL).items()
    }
    figures.by_nation = fold(rows, lambda row: NATION_LABELS.get(row[3], row[3]))
    figures.by_region = fold(rows, lambda row: row[1] or NO_REGION)
    figures.by_kind = fold(rows, lambda row: row[2])
    submitted_counts(figures, round_)
    return figures


def round_figures(round_: Round) -> RoundFigures:
    """The round's shared figures, from the shared cache until the next submission or reopening, or a change to the
    councils' types, nations or regions."""
    [directory] = generations(DIRECTORY)
    key = f"round-figures:2:{round_.pk}:{round_.results_version}:{directory}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_round_figures(round_)
        cache.set(key, figures, timeout=FIGURES_TIMEOUT)
    return figures  # type: ignore[no-any-return]


def reports_depend_on() -> list[object]:
    """What any report's figures depend on, beyond the person reading: every round's row (its results version, status
    and publication; the rounds a report may be compared with), the directory and the minimum size of a group."""
    return [Generation(DIRECTORY), rounds_state(), settings.MINIMUM_GROUP_SIZE]


def kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind.values else kind


def kind_plural(kind: str) -> str:
    return KIND_PLURALS.get(kind, kind_label(kind))  # type: ignore[call-overload]


MOVEMENT_SQL = """
SELECT second_index.code, first_answer.current_level, second_answer.current_level, COUNT(*)
FROM assessments_answer first_answer
JOIN assessments_return first_return ON first_return.id = first_answer.council_return_id
JOIN frameworks_index first_index ON first_index.id = first_answer.index_id
JOIN assessments_return second_return
  ON second_return.organisation_id = first_return.organisation_id AND second_return.round_id = %s
JOIN assessments_answer second_answer ON second_answer.council_return_id = second_return.id
JOIN frameworks_index second_index ON second_index.id = second_answer.index_id AND second_index.code = {carried_code}
WHERE first_return.round_id = %s AND first_return.status = %s AND second_return.status = %s
  AND first_answer.current_level IS NOT NULL AND second_answer.current_level IS NOT NULL
  AND first_answer.not_applicable = %s AND second_answer.not_applicable = %s
GROUP BY second_index.code, first_answer.current_level, second_answer.current_level
"""


def carried_code_sql(renamed: dict[str, str]) -> tuple[str, list[str]]:
    """SQL for the code an earlier index carries into: its own, or its one-to-one successor's."""
    if not renamed:
        return "first_index.code", []
    cases = " ".join("WHEN %s THEN %s" for _ in renamed)
    return f"CASE first_index.code {cases} ELSE first_index.code END", [c for pair in renamed.items() for c in pair]


def movement_between(earlier: Round, later: Round) -> dict[str, Movement]:
    """Per index code of the later round: councils that submitted both rounds with a level both times, moved up, same
    or down. Across versions of the strategy, an index carries into its one-to-one replacement; merged, split and
    new indices have no movement. Cached like the round's figures, until either round's returns change."""
    key = f"movement:{earlier.pk}:{earlier.results_version}:{later.pk}:{later.results_version}"
    movement = cache.get(key)
    if movement is None:
        movement = compute_movement(earlier, later)
        cache.set(key, movement, timeout=FIGURES_TIMEOUT)
    return movement  # type: ignore[no-any-return]


def compute_movement(earlier: Round, later: Round) -> dict[str, Movement]:
    submitted = ReturnStatus.SUBMITTED
    carried = forward_codes(earlier.framework_version, later.framework_version)
    code_sql, code_parameters = carried_code_sql({old: new for old, new in carried.items() if old != new})
    with connection.cursor() as cursor:
        cursor.execute(
            MOVEMENT_SQL.format(carried_code=code_sql),
            [later.pk, *code_parameters, earlier.pk, submitted, submitted, False, False],
        )
        rows = cursor.fetchall()
    rows_by_index: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for code, before, after, count in rows:
        rows_by_index[code].append((before, after, count))
    return {code: movement_of(index_rows) for code, index_rows in rows_by_index.items()}


def excluded_by_reorganisation(earlier: Round, later: Round) -> int:
    """Councils that submitted to one of the rounds but did not exist for the other, abolished or created between
    them: movement cannot compare them with themselves, so it leaves them out."""
    submitted = Return.objects.filter(status=ReturnStatus.SUBMITTED)
    gone = submitted.filter(round=earlier, organisation__end_date__lt=later.opens_on).count()
    new = submitted.filter(round=later, organisation__start_date__gt=earlier.deadline).count()
    return gone + new
