"""Distributions of maturity levels. Pure functions over plain counts; levels are ordinal, so a distribution and its
median are reported, never a mean. Every figure carries its base (n); not-applicable answers are counted apart."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nps.insights.disclosure import Reason

LEVELS = (1, 2, 3, 4, 5)  # the NPS levels; a distribution itself holds whatever levels its framework has


@dataclass(frozen=True)
class Distribution:
    """How many councils gave each level for one index; n counts councils with a level (not applicable apart)."""

    counts: Mapping[int, int] = field(default_factory=dict)
    not_applicable: int = 0
    assurance: Mapping[str, int] = field(default_factory=dict)  # answers by how they were assured, N/A included

    @property
    def n(self) -> int:
        return sum(self.counts.values())

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
        for level in sorted(self.counts):
            seen += self.count(level)
            if seen >= middle:
                return level
        return None

    def assured(self, assurance: str) -> int:
        """How many of the answers are self-assessed, peer-reviewed or validated (by the assurance's code)."""
        return self.assurance.get(assurance, 0)

    def position(self, level: int) -> tuple[int, int, int]:
        """How many councils are below, at and above the given level."""
        below = sum(count for other, count in self.counts.items() if other < level)
        return below, self.count(level), self.n - below - self.count(level)

    def __add__(self, other: "Distribution") -> "Distribution":
        return Distribution(
            {level: self.count(level) + other.count(level) for level in {*LEVELS, *self.counts, *other.counts}},
            self.not_applicable + other.not_applicable,
            {kind: self.assured(kind) + other.assured(kind) for kind in {*self.assurance, *other.assurance}},
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
    """A group whose figures are withheld, so that no council can be identified (see nps.insights.disclosure)."""

    reason: Reason
    minimum: int

    @property
    def too_few(self) -> bool:
        """Withheld because fewer than the minimum councils stand behind it, not because of a combination."""
        return self.reason == Reason.TOO_FEW


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
    return round(sum(level * count for level, count in distribution.counts.items()) / distribution.n, 2)
