"""Distributions of maturity levels. Pure functions over plain counts; levels are ordinal, so a distribution and its
median are reported, never a mean. Every figure carries its base (n); not-applicable answers are counted apart."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Distribution:
    """How many councils gave each level for one index; n counts councils with a level (not applicable apart)."""

    counts: Mapping[int, int] = field(default_factory=dict)
    not_applicable: int = 0

    @property
    def n(self) -> int:
        return sum(self.counts.get(level, 0) for level in LEVELS)

    def count(self, level: int) -> int:
        return self.counts.get(level, 0)

    def percentage(self, level: int) -> float | None:
        return round(100 * self.count(level) / self.n, 1) if self.n else None

    @property
    def median(self) -> int | None:
        """The lower median level: always a real level, never a half-way value."""
        if not self.n:
            return None
        middle, seen = (self.n + 1) // 2, 0
        for level in LEVELS:
            seen += self.count(level)
            if seen >= middle:
                return level
        return None

    def position(self, level: int) -> tuple[int, int, int]:
        """How many councils are below, at and above the given level."""
        below = sum(self.count(other) for other in LEVELS if other < level)
        return below, self.count(level), self.n - below - self.count(level)

    def __add__(self, other: "Distribution") -> "Distribution":
        return Distribution(
            {level: self.count(level) + other.count(level) for level in LEVELS},
            self.not_applicable + other.not_applicable,
        )


def distribution_of(levels: Iterable[int | None]) -> Distribution:
    """From individual answers: a level, or None for not applicable."""
    counts: dict[int, int] = {}
    not_applicable = 0
    for level in levels:
        if level is None:
            not_applicable += 1
        else:
            counts[level] = counts.get(level, 0) + 1
    return Distribution(counts, not_applicable)


@dataclass(frozen=True)
class Suppressed:
    """A group too small to publish without risking identifying a council."""

    n: int
    minimum: int


def publishable(distribution: Distribution, minimum: int) -> Distribution | Suppressed:
    """The distribution, or Suppressed when fewer than `minimum` councils stand behind it (not applicable included,
    since an answer of any kind identifies who answered)."""
    councils = distribution.n + distribution.not_applicable
    return distribution if councils >= minimum else Suppressed(councils, minimum)


@dataclass(frozen=True)
class Movement:
    """Councils that answered an index in both rounds: how many moved up, stayed and moved down."""

    up: int = 0
    same: int = 0
    down: int = 0

    @property
    def n(self) -> int:
        return self.up + self.same + self.down


def movement_of(rows: Iterable[tuple[int, int, int]]) -> Movement:
    """From (level before, level after, number of councils) rows."""
    up = same = down = 0
    for before, after, count in rows:
        if after > before:
            up += count
        elif after < before:
            down += count
        else:
            same += count
    return Movement(up, same, down)


def maturity_index(distribution: Distribution) -> float | None:
    """The mean level, labelled wherever shown as an index (not a measurement): levels are ordinal."""
    if not distribution.n:
        return None
    return round(sum(level * distribution.count(level) for level in LEVELS) / distribution.n, 2)


def councils(distribution: Distribution) -> int:
    return distribution.n + distribution.not_applicable


def suppressed_groups(groups: dict[str, Distribution], minimum: int) -> set[str]:
    """Which groups of one breakdown (the regions, say) to hide so that no council can be identified.

    Primary: every group of fewer than `minimum` councils. Secondary: while the hidden groups together hold fewer
    than `minimum` councils, also hide the smallest shown group, or the total less the shown groups would give the
    hidden ones away."""
    hidden = {name for name, distribution in groups.items() if councils(distribution) < minimum}
    shown = sorted((councils(groups[name]), name) for name in groups if name not in hidden)
    while shown and 0 < sum(councils(groups[name]) for name in hidden) < minimum:
        hidden.add(shown.pop(0)[1])
    return hidden


def publishable_groups(groups: dict[str, Distribution], minimum: int) -> dict[str, Distribution | Suppressed]:
    hidden = suppressed_groups(groups, minimum)
    return {name: Suppressed(councils(d), minimum) if name in hidden else d for name, d in groups.items()}
