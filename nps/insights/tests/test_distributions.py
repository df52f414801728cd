import pytest

from nps.insights.distributions import (
    Distribution,
    Movement,
    distribution_of,
    maturity_index,
    movement_of,
)

DISTRIBUTION_CASES = [
    ("nobody", [], {}, 0, 0, None),
    ("one council", [3], {3: 1}, 1, 0, 3),
    ("not applicable is counted apart, never as zero", [None, None, 2], {2: 1}, 1, 2, 2),
    ("even count takes the lower middle level", [1, 2, 4, 5], {1: 1, 2: 1, 4: 1, 5: 1}, 4, 0, 2),
    ("mostly developing", [2, 2, 2, 3, 5], {2: 3, 3: 1, 5: 1}, 5, 0, 2),
]


@pytest.mark.parametrize(
    ("case", "levels", "counts", "n", "not_applicable", "median"),
    DISTRIBUTION_CASES,
    ids=[c[0] for c in DISTRIBUTION_CASES],
)
def test_distributions_keep_their_base_and_a_real_median(case, levels, counts, n, not_applicable, median):
    distribution = distribution_of(levels)
    assert dict(distribution.counts) == counts
    assert (distribution.n, distribution.not_applicable, distribution.median) == (n, not_applicable, median)


def test_percentages_are_of_councils_with_a_level():
    distribution = distribution_of([1, 2, 2, None])
    assert [distribution.percentage(level) for level in range(1, 6)] == [33.3, 66.7, 0.0, 0.0, 0.0]
    assert Distribution().percentage(1) is None


def test_position_counts_councils_below_at_and_above_a_level():
    assert distribution_of([1, 2, 2, 3, 5]).position(2) == (1, 2, 2)


def test_distributions_add_up_across_groups():
    total = distribution_of([1, 2, None]) + distribution_of([2, 5])
    assert (dict(total.counts), total.not_applicable) == ({1: 1, 2: 2, 3: 0, 4: 0, 5: 1}, 1)


MOVEMENT_CASES = [
    ("nobody", [], Movement(0, 0, 0)),
    ("all kinds", [(2, 3, 4), (3, 3, 10), (4, 2, 1)], Movement(4, 10, 1)),
    ("a jump of two is one council moving up", [(1, 3, 1)], Movement(1, 0, 0)),
]


@pytest.mark.parametrize(("case", "rows", "movement"), MOVEMENT_CASES, ids=[c[0] for c in MOVEMENT_CASES])
def test_movement_between_rounds(case, rows, movement):
    assert movement_of(rows) == movement


def test_the_maturity_index_is_a_mean_only_where_labelled_as_an_index():
    assert maturity_index(distribution_of([1, 2, 3, None])) == 2.0
    assert maturity_index(Distribution()) is None
