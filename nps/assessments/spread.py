"""How far colleagues' views of one index differ. Pure functions over plain levels; levels are ordinal."""

from dataclasses import dataclass

OUTLIER_DISTANCE = 2


def lower_median(levels: list[int]) -> int | None:
    """The median of ordinal levels; with an even count, the lower of the middle two (never a half level)."""
    if not levels:
        return None
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class Spread:
    lowest: int | None
    highest: int | None
    median: int | None
    outliers: tuple[str, ...]  # who differs from the others by two levels or more

    @property
    def range(self) -> int:
        return 0 if self.lowest is None or self.highest is None else self.highest - self.lowest


def is_outlier(name: str, levels: dict[str, int]) -> bool:
    """Two levels or more from every other colleague's view."""
    others = [level for other, level in levels.items() if other != name]
    return bool(others) and min(abs(levels[name] - level) for level in others) >= OUTLIER_DISTANCE


def spread(views: dict[str, int | None]) -> Spread:
    """The spread of colleagues' levels for one index; views without a level (none yet, not applicable) are left out.

    Someone is an outlier when their level is at least two away from every other view.
    """
    levels = {name: level for name, level in views.items() if level is not None}
    values = list(levels.values())
    outliers = tuple(name for name in levels if is_outlier(name, levels))
    return Spread(min(values, default=None), max(values, default=None), lower_median(values), outliers)
