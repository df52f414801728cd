"""Maturity levels. Each framework version names its own scale, 3 to 7 ordered levels, each with a code (as in its
file) and a name; a file that names none uses the five NPS levels. Levels are stored as their numbers, 1 upwards."""

from dataclasses import dataclass

from django.db import models

MIN_LEVELS, MAX_LEVELS = 3, 7


class Level(models.IntegerChoices):
    """The five levels of the National Procurement Strategy: the scale of a file that names no levels."""

    MINIMUM = 1, "Minimum"
    DEVELOPING = 2, "Developing"
    MATURE = 3, "Mature"
    LEADER = 4, "Leader"
    INNOVATOR = 5, "Innovator"


@dataclass(frozen=True)
class ScaleLevel:
    number: int
    code: str  # "mature", as in files
    name: str  # "Mature", as people read it

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}"  # "3 Mature" in forms and the workbook's lists


@dataclass(frozen=True)
class Scale:
    """A framework version's ordered levels."""

    levels: tuple[ScaleLevel, ...]

    @classmethod
    def of(cls, stored: list[dict[str, str]]) -> "Scale":
        """From what a version stores: [{"code", "name"}, ...], lowest first."""
        return cls(tuple(ScaleLevel(n, level["code"], level["name"]) for n, level in enumerate(stored, start=1)))

    def stored(self) -> list[dict[str, str]]:
        return [{"code": level.code, "name": level.name} for level in self.levels]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(level.number for level in self.levels)

    @property
    def size_in_words(self) -> str:
        return ["three", "four", "five", "six", "seven"][len(self.levels) - MIN_LEVELS]

    @property
    def highest(self) -> ScaleLevel:
        return self.levels[-1]

    def name(self, number: int | None, missing: str = "") -> str:
        return self.levels[number - 1].name if number and 0 < number <= len(self.levels) else missing

    def code(self, number: int) -> str:
        return self.levels[number - 1].code

    def choices(self) -> list[tuple[int, str]]:
        return [(level.number, level.label) for level in self.levels]

    def describe(self) -> str:
        """ "from 1 Minimum, 2 Developing, 3 Mature and 4 Leader to 5 Innovator" """
        labels = [level.label for level in self.levels]
        return f"from {', '.join(labels[:-2])} and {labels[-2]} to {labels[-1]}"


NPS_SCALE = Scale(tuple(ScaleLevel(int(level), level.name.lower(), level.label) for level in Level))


def nps_levels() -> list[dict[str, str]]:
    """The stored form of the NPS scale: the default for a version whose file names no levels."""
    return NPS_SCALE.stored()


LEVEL_CHOICES = NPS_SCALE.choices()  # "3 Mature" in forms
