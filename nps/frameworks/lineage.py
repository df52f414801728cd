"""How indices carry across versions: what replaced what, and which kind of replacement it was.

Pure functions over (retired code, successor code) pairs; an empty successor means retired with no replacement.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import models


class ReplacementKind(models.TextChoices):
    REPLACED = "replaced", "Replaced one-to-one"
    MERGED = "merged", "Merged into another index"
    SPLIT = "split", "Split into several indices"
    RETIRED = "retired", "Retired with no replacement"


Pair = tuple[str, str]


def successors_of(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    successors: dict[str, list[str]] = defaultdict(list)
    for retired, successor in pairs:
        successors[retired] += [successor] if successor else []
    return dict(successors)


def classify(pairs: Iterable[Pair]) -> dict[str, ReplacementKind]:
    """The kind of each retirement: several successors is a split; a successor shared by several is a merge."""
    pairs = list(pairs)
    successors = successors_of(pairs)
    predecessors: dict[str, int] = defaultdict(int)
    for _, successor in pairs:
        if successor:
            predecessors[successor] += 1
    kinds = {}
    for retired, following in successors.items():
        if not following:
            kinds[retired] = ReplacementKind.RETIRED
        elif len(following) > 1:
            kinds[retired] = ReplacementKind.SPLIT
        elif predecessors[following[0]] > 1:
            kinds[retired] = ReplacementKind.MERGED
        else:
            kinds[retired] = ReplacementKind.REPLACED
    return kinds


def one_to_one(pairs: Iterable[Pair]) -> dict[str, str]:
    """Successor code → the code it replaced, for one-to-one replacements only (merges and splits do not carry)."""
    pairs = list(pairs)
    kinds = classify(pairs)
    return {successor: retired for retired, successor in pairs if kinds[retired] == ReplacementKind.REPLACED}
