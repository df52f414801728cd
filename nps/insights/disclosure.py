"""Disclosure control across every figure published for a round. Pure functions over sets of councils.

Figures are published for overlapping groups of councils: England, each region, each council type, each group and
each group's council types. Hiding the groups of fewer than the minimum is not enough, because published figures can
be added and subtracted: a region less a council type that lies wholly inside it leaves the councils of the other
types. Any sum or difference of published distributions, with any weights, is itself a figure about the councils it
involves, so the rule is: **no combination of published figures may involve fewer than the minimum number of
councils**.

Primary suppression withholds every group of fewer councils. Secondary suppression then looks for a combination of
what is left that involves fewer councils, withholds one of the groups it uses (the least useful: a group's council
type before a group, a group before a council type, a council type before a region, England last), and looks again,
until there is none.

How a combination is found: councils that belong to exactly the same published groups form an *atom*. Every
combination of published figures is constant on atoms, so it is a vector over atoms in the row space of the
group-by-atom membership matrix, and it involves fewer than the minimum exactly when it is non-zero only on atoms that
together hold fewer councils. Row reduction with the large atoms first leaves, as the rows whose pivots fall on small
atoms, a basis of every combination that involves small atoms only; a search over small sets of those rows finds one
of small total size (past SEARCH_LIMIT candidates, it assumes there is one). Arithmetic is exact modulo a large prime:
a dependency over the rationals holds modulo the prime too, so no disclosure is missed (a prime dividing a
determinant, like the search limit, could only withhold more than needed, never less).
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import TypeVar

PRIME = 2**61 - 1
SEARCH_LIMIT = 5000  # sets of rows tried before the search assumes the worst

Key = TypeVar("Key", bound=Hashable)
Row = dict[int, int]  # column → non-zero value modulo PRIME


class Reason(Enum):
    TOO_FEW = "too_few"
    COMBINATION = "combination"


@dataclass(frozen=True)
class Leak:
    """A combination of published groups that involves fewer councils than the minimum."""

    councils: frozenset[int]
    groups: frozenset[frozenset[int]]


def withheld_groups(
    groups: Mapping[Key, frozenset[int]], minimum: int, importance: Callable[[Key], int]
) -> dict[Key, Reason]:
    """The groups to withhold, and why, so that no combination of the rest involves fewer than `minimum` councils.

    `groups` maps each group that would be published to the councils behind its figures; `importance` ranks them
    (lower is withheld first). Groups published under several names with the same councils stand or fall together."""
    withheld = {key: Reason.TOO_FEW for key, councils in groups.items() if 0 < len(councils) < minimum}
    while leak := find_leak(
        {councils for key, councils in groups.items() if councils and key not in withheld}, minimum
    ):
        names = defaultdict(list)
        for key, councils in groups.items():
            if councils in leak.groups and key not in withheld:
                names[councils].append(key)
        least = min(names.values(), key=lambda keys: (max(map(importance, keys)), len(groups[keys[0]])))
        withheld.update(dict.fromkeys(least, Reason.COMBINATION))
    return withheld


def atoms_of(groups: set[frozenset[int]]) -> list[frozenset[int]]:
    """Councils that belong to exactly the same groups, largest first."""
    signatures: dict[int, list[int]] = defaultdict(list)
    for number, group in enumerate(groups):
        for council in group:
            signatures[council].append(number)
    atoms: dict[tuple[int, ...], set[int]] = defaultdict(set)
    for council, signature in signatures.items():
        atoms[tuple(signature)].add(council)
    return sorted((frozenset(atom) for atom in atoms.values()), key=len, reverse=True)


def find_leak(groups: set[frozenset[int]], minimum: int) -> Leak | None:
    """A combination of the groups that involves fewer than `minimum` councils, if there is one (fewest groups
    first)."""
    if not groups:
        return None
    ordered = list(groups)
    atoms = atoms_of(groups)
    small = {column for column, atom in enumerate(atoms) if len(atom) < minimum}
    if not small:
        return None
    rows = [
        ({column: 1 for column, atom in enumerate(atoms) if min(atom) in group}, {number: 1})
        for number, group in enumerate(ordered)
    ]
    pivots, _ = row_reduce(rows)
    basis = [(pivot, row, combination) for pivot, row, combination in pivots if pivot in small]
    weights = {column: len(atom) for column, atom in enumerate(atoms)}
    coefficients = small_combination([(pivot, row) for pivot, row, _ in basis], weights, minimum)
    if coefficients is None:
        return None
    vector: Row = {}
    combination: Row = {}
    for number, factor in coefficients.items():
        vector = added(vector, basis[number][1], factor)
        combination = added(combination, basis[number][2], factor)
    councils = frozenset().union(*(atoms[column] for column in vector))
    return Leak(councils, frozenset(ordered[number] for number in combination))


def small_combination(basis: list[tuple[int, Row]], weights: dict[int, int], minimum: int) -> dict[int, int] | None:
    """Coefficients of a non-zero combination of the rows whose columns weigh less than `minimum` in all.

    The rows are in reduced echelon form, so a combination's value on a row's pivot column is that row's
    coefficient: it uses at most minimum - 1 rows, whose pivots weigh less than `minimum` together, and must cancel
    every other column of theirs but a few light enough. Past SEARCH_LIMIT candidates, the lightest row is taken as
    if it were such a combination: the search then withholds more than it must, never less."""
    for tried, (chosen, left) in enumerate(candidates(basis, weights, minimum)):
        if tried == SEARCH_LIMIT:
            return {min(range(len(basis)), key=lambda number: weight(basis[number][1], weights)): 1}
        pivots = {basis[number][0] for number in chosen}
        rows = [
            ({column: value for column, value in basis[number][1].items() if column not in pivots | left}, {place: 1})
            for place, number in enumerate(chosen)
        ]
        dependency = next((found for found in row_reduce(rows)[1] if len(found) == len(chosen)), None)
        if dependency is not None:
            return {number: dependency[place] for place, number in enumerate(chosen)}
    return None


def candidates(
    basis: list[tuple[int, Row]], weights: dict[int, int], minimum: int
) -> Iterator[tuple[tuple[int, ...], set[int]]]:
    """Sets of rows, with the columns a combination of them may leave uncancelled, fewest rows first."""
    for size in range(1, minimum):
        for chosen in combinations(range(len(basis)), size):
            spare = minimum - 1 - sum(weights[basis[number][0]] for number in chosen)
            if spare < 0:
                continue
            pivots = {basis[number][0] for number in chosen}
            others = {column for number in chosen for column in basis[number][1]} - pivots
            if size == 1:
                left = [others] if weight(others, weights) <= spare else []
            elif size == 2:
                left = [set(others) - best_cancelled(basis[chosen[0]][1], basis[chosen[1]][1], others, weights)]
            else:
                left = [set(columns) for columns in light_sets(sorted(others), weights, spare)]
            yield from ((chosen, columns) for columns in left if weight(columns, weights) <= spare)


def best_cancelled(first: Row, second: Row, columns: set[int], weights: dict[int, int]) -> set[int]:
    """The heaviest set of columns that one combination first + factor × second, factor not zero, cancels: those
    where -first / second is the same."""
    by_factor: dict[int, set[int]] = defaultdict(set)
    for column in columns:
        if first.get(column) and second.get(column):
            by_factor[-first[column] * pow(second[column], PRIME - 2, PRIME) % PRIME].add(column)
    return max(by_factor.values(), key=lambda cancelled: weight(cancelled, weights), default=set())


def light_sets(columns: list[int], weights: dict[int, int], spare: int) -> Iterator[tuple[int, ...]]:
    """Sets of the columns weighing at most `spare` in all, the empty set first."""
    light = [column for column in columns if weights[column] <= spare]
    for size in range(0, spare + 1):
        for chosen in combinations(light, size):
            if sum(weights[column] for column in chosen) <= spare:
                yield chosen


def weight(columns: Iterable[int], weights: dict[int, int]) -> int:
    return sum(weights[column] for column in columns)


def row_reduce(rows: list[tuple[Row, Row]]) -> tuple[list[tuple[int, Row, Row]], list[Row]]:
    """Reduced row echelon form, pivots in column order, each row carrying its combination of the original rows:
    the pivot rows as (pivot column, row, combination), and the combinations that came to zero (the rows'
    dependencies)."""
    remaining = [(dict(row), dict(combination)) for row, combination in rows]
    pivots: list[tuple[int, Row, Row]] = []
    for column in sorted({column for row, _ in remaining for column in row}):
        pivot = next((entry for entry in remaining if column in entry[0]), None)
        if pivot is None:
            continue
        remaining.remove(pivot)
        inverse = pow(pivot[0][column], PRIME - 2, PRIME)
        pivot = (scaled(pivot[0], inverse), scaled(pivot[1], inverse))
        remaining = [eliminated(entry, pivot, column) for entry in remaining]
        pivots = [
            (pivot_column, *eliminated((row, combination), pivot, column)) for pivot_column, row, combination in pivots
        ]
        pivots.append((column, *pivot))
    return pivots, [combination for row, combination in remaining if not row]


def scaled(row: Row, factor: int) -> Row:
    return {column: value * factor % PRIME for column, value in row.items()}


def added(row: Row, other: Row, factor: int) -> Row:
    """row + factor × other, dropping zeros."""
    total = dict(row)
    for column, value in other.items():
        new = (total.get(column, 0) + factor * value) % PRIME
        if new:
            total[column] = new
        else:
            total.pop(column, None)
    return total


def eliminated(entry: tuple[Row, Row], pivot: tuple[Row, Row], column: int) -> tuple[Row, Row]:
    factor = entry[0].get(column, 0)
    if not factor:
        return entry
    return added(entry[0], pivot[0], PRIME - factor), added(entry[1], pivot[1], PRIME - factor)
