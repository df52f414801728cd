"""Server-drawn charts (SVG, no JavaScript): geometry computed here, drawn by templates, always with a table beside."""

from dataclasses import dataclass

from nps.frameworks.levels import NPS_SCALE, Level, Scale
from nps.insights.distributions import LEVELS, Distribution

# Seven blues, lightest first; a scale of n levels takes n of them evenly spread (the NPS five: the 1st, 3rd, 4th, 5th
# and 7th). Text on the darkest three is white.
PALETTE = ("#d2e2f1", "#b4d0ea", "#9fc3e4", "#5694ca", "#1d70b8", "#144e8c", "#003078")
LABEL_WIDTH = 260
PLOT_WIDTH = 400
ROW_HEIGHT = 30
TOP = 40


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    text_colour: str
    label: str


@dataclass(frozen=True)
class ChartRow:
    y: int
    label: str
    segments: tuple[Segment, ...] = ()
    current_width: float | None = None
    target_x: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    rows: tuple[ChartRow, ...]
    ticks: tuple[tuple[float, str], ...] = ()
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    demonstration: bool = False
    scale: Scale = NPS_SCALE

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.rows) + 40

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 40

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(level_colours(self.scale, level.number)[0], level.name) for level in self.scale.levels]


PERCENT_TICKS = tuple((LABEL_WIDTH + PLOT_WIDTH * share / 100, f"{share}%") for share in (0, 25, 50, 75, 100))


def level_colours(scale: Scale, level: int) -> tuple[str, str]:
    """The fill and the text colour of a level on its scale."""
    shade = round((level - 1) * (len(PALETTE) - 1) / (len(scale.levels) - 1))
    return PALETTE[shade], "#ffffff" if shade >= 4 else "#0b0c0c"


def level_ticks(scale: Scale) -> tuple[tuple[float, str], ...]:
    return tuple((level_x(level.number, scale), level.name) for level in scale.levels)


def level_x(level: int, scale: Scale) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * level / len(scale.levels)


def current_and_target(
    title: str,
    lines: list[tuple[str, int | None, int | None, bool]],
    demonstration: bool = False,
    scale: Scale = NPS_SCALE,
) -> Chart:
    """A bar to the current level and a marker at the target, per index: (title, current, target, not applicable)."""
    rows = tuple(
        ChartRow(
            y=TOP + number * ROW_HEIGHT,
            label=label,
            current_width=PLOT_WIDTH * current / len(scale.levels) if current and not na else None,
            target_x=level_x(target, scale) if target and not na else None,
            note="Not applicable" if na else ("" if current else "Not answered"),
        )
        for number, (label, current, target, na) in enumerate(lines)
    )
    described = "; ".join(describe_line(*line, scale) for line in lines)
    return Chart(
        title,
        f"Current level and target per index. {described}.",
        rows,
        level_ticks(scale),
        demonstration=demonstration,
        scale=scale,
    )


def level_name(level: int | None, missing: str, scale: Scale = NPS_SCALE) -> str:
    return scale.name(level, missing)


def describe_line(label: str, current: int | None, target: int | None, not_applicable: bool, scale: Scale) -> str:
    if not_applicable:
        return f"{label}: not applicable"
    now, target_name = level_name(current, "not answered", scale), level_name(target, "not set", scale)
    return f"{label}: now {now}, target {target_name}"


def stacked(distribution: Distribution, scale: Scale) -> tuple[Segment, ...]:
    segments, x = [], float(LABEL_WIDTH)
    for level in scale.numbers:
        share = distribution.count(level) / distribution.n if distribution.n else 0
        if share:
            width = PLOT_WIDTH * share
            label = f"{round(100 * share)}%" if width >= 28 else ""
            segments.append(Segment(x, width, *level_colours(scale, level), label))
            x += width
    return tuple(segments)


def distributions(
    title: str, lines: list[tuple[str, object]], demonstration: bool = False, scale: Scale = NPS_SCALE
) -> Chart:
    """A 100% stacked bar of levels per index; a suppressed group gets no bar."""
    shown_lines = [(label, figure if isinstance(figure, Distribution) else None) for label, figure in lines]
    rows = tuple(
        ChartRow(
            y=TOP + number * ROW_HEIGHT,
            label=label,
            segments=stacked(distribution, scale) if distribution else (),
            note="" if distribution and distribution.n else "Too few councils to show",
        )
        for number, (label, distribution) in enumerate(shown_lines)
    )
    described = "; ".join(
        f"{label}: {describe_distribution(distribution, scale)}" for label, distribution in shown_lines
    )
    return Chart(
        title,
        f"Share of councils at each level per index. {described}.",
        rows,
        PERCENT_TICKS,
        demonstration=demonstration,
        scale=scale,
    )


def describe_distribution(distribution: Distribution | None, scale: Scale) -> str:
    if not distribution or not distribution.n:
        return "too few councils to show"
    shares = ", ".join(f"{level.name} {distribution.percentage(level.number)}%" for level in scale.levels)
    return f"{shares} (n={distribution.n})"


# Progress over rounds: one small chart per index -------------------------------------------------------------------

PANEL_WIDTH, PANEL_HEIGHT, PANELS_PER_ROW = 230, 118, 4
PANEL_LEFT, PANEL_TOP, PANEL_PLOT_WIDTH, PANEL_PLOT_HEIGHT = 26, 34, 180, 60


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "2021: Mature"


@dataclass(frozen=True)
class Panel:
    x: int
    y: int
    title: str
    points: tuple[Point, ...]
    path: str  # the line through the points, broken where a round has no level
    target_y: float | None
    years: tuple[tuple[float, str], ...]
    note: str = ""


@dataclass(frozen=True)
class SmallMultiples:
    title: str
    description: str
    panels: tuple[Panel, ...]
    demonstration: bool = False
    width: int = PANEL_WIDTH * PANELS_PER_ROW
    level_ticks: tuple[tuple[float, str], ...] = tuple(
        (PANEL_TOP + PANEL_PLOT_HEIGHT * (5 - level) / 4, str(level)) for level in LEVELS
    )

    @property
    def height(self) -> int:
        rows = (len(self.panels) + PANELS_PER_ROW - 1) // PANELS_PER_ROW
        return PANEL_HEIGHT * rows + 20

    left: int = PANEL_LEFT  # the plot's edges within a panel
    right: int = PANEL_LEFT + PANEL_PLOT_WIDTH
    bottom: int = PANEL_TOP + PANEL_PLOT_HEIGHT


Round = tuple[tuple[int, str], int | None, bool]  # (year, round name), level, not applicable


def level_y(level: int) -> float:
    return PANEL_TOP + PANEL_PLOT_HEIGHT * (5 - level) / 4


def progress(
    title: str, lines: list[tuple[str, list[Round], int | None]], demonstration: bool = False
) -> SmallMultiples:
    """The council's level in each index over every round it took part in, one small chart per index, with the
    current target as a dashed line: (title, [((year, round), level, not applicable)] oldest first, target)."""
    years = sorted({year for _, rounds, _ in lines for year, _, _ in rounds})  # rounds in order, named by year
    panels = tuple(
        panel(number, title_, rounds, target, years) for number, (title_, rounds, target) in enumerate(lines)
    )
    described = "; ".join(describe_progress(title_, rounds, target) for title_, rounds, target in lines)
    return SmallMultiples(title, f"Level per index in each round, and the target. {described}.", panels, demonstration)


def panel(number: int, title: str, rounds: list[Round], target: int | None, years: list[tuple[int, str]]) -> Panel:
    def x(year: tuple[int, str]) -> float:
        return PANEL_LEFT + (PANEL_PLOT_WIDTH * years.index(year) / (len(years) - 1) if len(years) > 1 else 0)

    points = tuple(
        Point(x(year), level_y(level), f"{year[0]}: {Level(level).label}")
        for year, level, na in rounds
        if level and not na
    )
    path, pen = "", "M"
    for year, level, na in rounds:
        if level and not na:
            path += f"{pen} {x(year):.1f} {level_y(level):.1f} "
            pen = "L"
        else:
            pen = "M"
    return Panel(
        x=PANEL_WIDTH * (number % PANELS_PER_ROW),
        y=PANEL_HEIGHT * (number // PANELS_PER_ROW),
        title=title,
        points=points,
        path=path.strip(),
        target_y=level_y(target) if target else None,
        years=tuple((x(year), f"’{year[0] % 100:02d}") for year in years),
        note="" if points else "No level yet",
    )


def describe_progress(title: str, rounds: list[Round], target: int | None) -> str:
    steps = ", ".join(
        f"{year[0]} {'not applicable' if na else level_name(level, 'not answered')}" for year, level, na in rounds
    )
    return f"{title}: {steps or 'no rounds'}; target {level_name(target, 'not set')}"
