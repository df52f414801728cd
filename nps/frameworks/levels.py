from django.db import models


class Level(models.IntegerChoices):
    """The ordinal maturity scale every index is assessed on."""

    MINIMUM = 1, "Minimum"
    DEVELOPING = 2, "Developing"
    MATURE = 3, "Mature"
    LEADER = 4, "Leader"
    INNOVATOR = 5, "Innovator"


LEVEL_KEYS: dict[int, str] = {int(level): level.name.lower() for level in Level}  # 1 -> "minimum", as in files
LEVEL_CHOICES = [(level.value, f"{level.value} {level.label}") for level in Level]  # "3 Mature" in forms
