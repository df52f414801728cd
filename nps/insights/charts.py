"""Server-drawn charts (SVG, no JavaScript): geometry computed here, drawn by templates, always with a table beside."""

from dataclasses import dataclass

from nps.frameworks.levels import Level
from nps.insights.distributions import LEVELS, Distribution

LEVEL_COLOURS = {1: "#d2e2f1", 2: "#9fc3e4", 3: "#5694ca", 4: "#1d70b8", 5: "#003078"}
LEVEL_TEXT = {1: "#0b0c0c", 2: "#0b0c0c", 3: "#0b0c0c", 4: "#ffffff", 5: "#ffffff"}
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

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.rows) + 40

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 40

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(LEVEL_COLOURS[level], Level(level).label) for level in LEVELS]


LEVEL_TICKS = tuple((LABEL_WIDTH + PLOT_WIDTH * level / 5, Level(level).label) for level in LEVELS)
PERCENT_TICKS = tuple((LABEL_WIDTH + PLOT_WIDTH * share / 100, f"{share}%") for share in (0, 25, 50, 75, 100))


def level_x(level: int) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * level / 5


def current_and_target(
    title: str, lines: list[tuple[str, int | None, int | None, bool]], demonstration: bool = False
) -> Chart:
    """A bar to the current level and a marker at the target, per index: (title, current, target, not applicable)."""
    rows = tuple(
        ChartRow(
            y=TOP + number * ROW_HEIGHT,
            label=label,
            current_width=PLOT_WIDTH * current / 5 if current and not na else None,
            target_x=level_x(target) if target and not na else None,
            note="Not applicable" if na else ("" if current else "Not answered"),
        )
        for number, (label, current, target, na) in enumerate(lines)
    )
    described = "; ".join(describe_line(*line) for line in lines)
    return Chart(
        title, f"Current level and target per index. {described}.", rows, LEVEL_TICKS, demonstration=demonstration
    )


def level_name(level: int | None, missing: str) -> str:
    return Level(level).label if level else missing


def describe_line(label: str, current: int | None, target: int | None, not_applicable: bool) -> str:
    if not_applicable:
        return f"{label}: not applicable"
    return f"{label}: now {level_name(current, 'not answered')}, target {level_name(target, 'not set')}"


def stacked(distribution: Distribution) -> tuple[Segment, ...]:
    segments, x = [], float(LABEL_WIDTH)
    for level in LEVELS:
        share = distribution.count(level) / distribution.n if distribution.n else 0
        if share:
            width = PLOT_WIDTH * share
            label = f"{round(100 * share)}%" if width >= 28 else ""
            segments.append(Segment(x, width, LEVEL_COLOURS[level], LEVEL_TEXT[level], label))
            x += width
    return tuple(segments)


def distributions(title: str, lines: list[tuple[str, object]], demonstration: bool = False) -> Chart:
    """A 100% stacked bar of levels per index; a suppressed group gets no bar."""
    shown_lines = [(label, figure if isinstance(figure, Distribution) else None) for label, figure in lines]
    rows = tuple(
        ChartRow(
            y=TOP + number * ROW_HEIGHT,
            label=label,
            segments=stacked(distribution) if distribution else (),
            note="" if distribution and distribution.n else "Too few councils to show",
        )
        for number, (label, distribution) in enumerate(shown_lines)
    )
    described = "; ".join(f"{label}: {describe_distribution(distribution)}" for label, distribution in shown_lines)
    return Chart(
        title,
        f"Share of councils at each level per index. {described}.",
        rows,
        PERCENT_TICKS,
        demonstration=demonstration,
    )


def describe_distribution(distribution: Distribution | None) -> str:
    if not distribution or not distribution.n:
        return "too few councils to show"
    shares = ", ".join(f"{Level(level).label} {distribution.percentage(level)}%" for level in LEVELS)
    return f"{shares} (n={distribution.n})"
