"""An audit of published figures that shares no code with nps.insights.disclosure: exact rational arithmetic, every
pair of groups, every chain of groups nested in another, and every combination of them.

A published group is the set of councils behind its figures. Adding and subtracting published figures gives figures
about other sets: `problems` lists each way to reach fewer than the minimum, in words.
"""

from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from itertools import combinations

Groups = dict[str, frozenset[int]]


def problems(groups: Groups, minimum: int) -> list[str]:
    groups = {name: members for name, members in groups.items() if members}
    found = small_groups(groups, minimum) + pairs(groups, minimum) + chains(groups, minimum)
    combination = exact_combination(groups, minimum)
    if combination is not None:
        found.append(f"a combination of published figures involves only councils {sorted(combination)}")
    return found


def small_groups(groups: Groups, minimum: int) -> list[str]:
    return [f"{name} has {len(members)} councils" for name, members in groups.items() if len(members) < minimum]


def pairs(groups: Groups, minimum: int) -> list[str]:
    """One group less another involves the councils in either but not both: nested, overlapping or apart."""
    return [
        f"{first} less {second} involves {len(first_members ^ second_members)} councils"
        for (first, first_members), (second, second_members) in combinations(groups.items(), 2)
        if 0 < len(first_members ^ second_members) < minimum
    ]


def chains(groups: Groups, minimum: int, longest: int = 3) -> list[str]:
    """A group less up to `longest` disjoint groups nested inside it leaves the councils in none of them."""
    found = []
    for outer, outer_members in groups.items():
        inside = [(name, members) for name, members in groups.items() if members < outer_members]
        for size in range(2, longest + 1):
            for family in combinations(inside, size):
                union = frozenset().union(*(members for _, members in family))
                if sum(len(members) for _, members in family) == len(union):
                    left = outer_members - union
                    if 0 < len(left) < minimum:
                        found.append(f"{outer} less {', '.join(name for name, _ in family)} leaves {len(left)}")
    return found


def exact_combination(groups: Groups, minimum: int) -> frozenset[int] | None:
    """The councils of a combination of the groups (any rational weights) involving fewer than `minimum`, if any.

    Councils in exactly the same groups are indistinguishable, so the columns are those classes, large ones first. The
    rows of the reduced matrix whose pivots are small classes span every combination that involves small classes
    only; every set of those classes of small total size is tried: a combination lies within a set when its pivot
    rows there, cut down to the columns outside it, are dependent."""
    classes = sorted(same_groups(groups), key=len, reverse=True)
    matrix = [[Fraction(int(next(iter(members)) in group)) for members in classes] for group in groups.values()]
    small = {column for column, members in enumerate(classes) if len(members) < minimum}
    rows = {pivot(row): row for row in reduced(matrix) if pivot(row) in small}
    involved = sorted({column for row in rows.values() for column, value in enumerate(row) if value != 0})
    for chosen in small_sets(involved, classes, minimum):
        chosen_rows = [rows[column] for column in chosen if column in rows]
        outside = [[value for column, value in enumerate(row) if column not in chosen] for row in chosen_rows]
        if chosen_rows and rank(outside) < len(chosen_rows):
            return frozenset().union(*(classes[column] for column in chosen))
    return None


def same_groups(groups: Groups) -> list[frozenset[int]]:
    memberships: dict[int, set[str]] = defaultdict(set)
    for name, members in groups.items():
        for council in members:
            memberships[council].add(name)
    classes: dict[frozenset[str], set[int]] = defaultdict(set)
    for council, names in memberships.items():
        classes[frozenset(names)].add(council)
    return [frozenset(members) for members in classes.values()]


def reduced(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form, without zero rows."""
    rows = [list(row) for row in matrix]
    result: list[list[Fraction]] = []
    for column in range(len(rows[0]) if rows else 0):
        chosen = next((row for row in rows if row[column] != 0), None)
        if chosen is None:
            continue
        rows.remove(chosen)
        chosen = [value / chosen[column] for value in chosen]
        rows = [
            [value - row[column] * pivot_value for value, pivot_value in zip(row, chosen, strict=True)] for row in rows
        ]
        result = [
            [value - row[column] * pivot_value for value, pivot_value in zip(row, chosen, strict=True)]
            for row in result
        ]
        result.append(chosen)
    return result


def eliminated(row: list[Fraction], pivot_row: list[Fraction], column: int) -> list[Fraction]:
    return [value - row[column] * pivot_value for value, pivot_value in zip(row, pivot_row, strict=True)]


def rank(matrix: list[list[Fraction]]) -> int:
    return len(reduced(matrix)) if matrix and matrix[0] else 0


def pivot(row: list[Fraction]) -> int:
    return next(column for column, value in enumerate(row) if value != 0)


def small_sets(columns: list[int], classes: list[frozenset[int]], minimum: int) -> Iterator[set[int]]:
    for size in range(1, minimum):
        for chosen in combinations(columns, size):
            if sum(len(classes[column]) for column in chosen) < minimum:
                yield set(chosen)
