import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nps.insights.disclosure import Reason, find_leak, withheld_groups
from nps.insights.tests.audit import problems

TOO_FEW, COMBINATION = Reason.TOO_FEW, Reason.COMBINATION
IMPORTANCE = {"group": 0, "type": 1, "region": 2, "total": 3}


def importance(name: str) -> int:
    return IMPORTANCE[name.split(":")[0]]


def councils(start: int, count: int) -> frozenset[int]:
    return frozenset(range(start, start + count))


def breakdown(sizes: dict[str, int]) -> dict[str, frozenset[int]]:
    """Disjoint groups of the given sizes, and their total."""
    groups, start = {}, 0
    for name, size in sizes.items():
        groups[f"type:{name}"] = councils(start, size)
        start += size
    return {**groups, "total:England": councils(0, start)}


ONE_BREAKDOWN_CASES = [
    ("nobody small", {"A": 9, "B": 7}, {}),
    ("one small group takes the next smallest with it", {"A": 20, "B": 7, "C": 3}, {"C": TOO_FEW, "B": COMBINATION}),
    (
        "two small groups that together reach the minimum hide nothing else",
        {"A": 20, "B": 3, "C": 2},
        {"B": TOO_FEW, "C": TOO_FEW},
    ),
    (
        "two tiny groups still under the minimum take another",
        {"A": 20, "B": 6, "C": 1, "D": 1},
        {"C": TOO_FEW, "D": TOO_FEW, "B": COMBINATION},
    ),
    ("exactly at the minimum is shown", {"A": 20, "B": 5}, {}),
]


@pytest.mark.parametrize(("case", "sizes", "withheld"), ONE_BREAKDOWN_CASES, ids=[c[0] for c in ONE_BREAKDOWN_CASES])
def test_a_small_group_cannot_be_worked_out_from_the_total(case, sizes, withheld):
    result = withheld_groups(breakdown(sizes), 5, importance)
    assert result == {f"type:{name}": reason for name, reason in withheld.items()}


def test_everything_small_withholds_the_total_too():
    assert withheld_groups(breakdown({"A": 2, "B": 1}), 5, importance) == {
        "type:A": TOO_FEW,
        "type:B": TOO_FEW,
        "total:England": TOO_FEW,
    }


def test_a_region_less_a_type_wholly_inside_it_cannot_reveal_the_rest():
    """London is 32 London boroughs and the City of London; London boroughs are all in London."""
    groups = {
        "total:England": councils(0, 73),
        "region:London": councils(0, 33),
        "region:South East": councils(33, 40),
        "type:London borough": councils(0, 32),
        "type:City of London": councils(32, 1),
        "type:District council": councils(33, 40),
    }
    assert find_leak(set(groups.values()) - {councils(32, 1)}, 5).councils == {32}
    withheld = withheld_groups(groups, 5, importance)
    assert withheld == {"type:City of London": TOO_FEW, "type:London borough": COMBINATION}
    assert problems({name: members for name, members in groups.items() if name not in withheld}, 5) == []


def test_two_groups_that_differ_by_a_council_each_are_not_both_published():
    """Their difference is one council's answers less another's: both levels, whenever they differ."""
    groups = {"group:A": councils(0, 6) | {10}, "group:B": councils(0, 6) | {11}, "total:England": councils(0, 12)}
    withheld = withheld_groups(groups, 5, importance)
    assert withheld.keys() & {"group:A", "group:B"}
    assert "total:England" not in withheld


def test_a_chain_of_types_inside_a_region_cannot_leave_a_few_councils():
    groups = {
        "total:England": councils(0, 40),
        "region:North": councils(0, 13),
        "region:South": councils(13, 27),
        "type:A": councils(0, 6),
        "type:B": councils(6, 5),
        "type:D": councils(11, 2),
        "type:C": councils(13, 27),
    }
    withheld = withheld_groups(groups, 5, importance)
    assert withheld == {"type:D": TOO_FEW, "type:B": COMBINATION}  # North less A less B would leave D's two councils
    assert problems({name: members for name, members in groups.items() if name not in withheld}, 5) == []


def test_a_group_published_under_two_names_is_withheld_under_both():
    same = councils(0, 6)
    groups = {"group:Combined authority": same, "group:Fire authority": same, "total:England": councils(0, 8)}
    assert withheld_groups(groups, 5, importance) == {
        "group:Combined authority": COMBINATION,
        "group:Fire authority": COMBINATION,
    }


def test_the_least_important_group_goes_first():
    """A region less a type inside it leaves one council: the type goes, the region stays."""
    groups = {"total:England": councils(0, 30), "region:R": councils(0, 10), "type:T": councils(0, 9)}
    assert withheld_groups(groups, 5, importance) == {"type:T": COMBINATION}


def test_a_larger_minimum_withholds_more():
    groups = breakdown({"A": 20, "B": 7})
    assert withheld_groups(groups, 5, importance) == {}
    assert withheld_groups(groups, 10, importance) == {"type:B": TOO_FEW, "type:A": COMBINATION}


def test_no_leak_without_small_sets():
    assert find_leak({councils(0, 10), councils(0, 5)}, 5) is None
    assert find_leak(set(), 5) is None


family = st.lists(st.frozensets(st.integers(0, 11), min_size=1), min_size=1, max_size=7)


@settings(max_examples=200, deadline=None)
@given(family, st.integers(2, 5))
def test_what_is_left_never_reveals_fewer_than_the_minimum(sets, minimum):
    """Any family of overlapping groups: after withholding, the independent audit finds nothing."""
    groups = {f"{random.Random(number).choice(list(IMPORTANCE))}:{number}": s for number, s in enumerate(sets)}
    withheld = withheld_groups(groups, minimum, importance)
    assert problems({name: members for name, members in groups.items() if name not in withheld}, minimum) == []


@settings(max_examples=200, deadline=None)
@given(family, st.integers(2, 5))
def test_the_search_and_the_independent_audit_agree_on_every_family(sets, minimum):
    """Both find a combination involving fewer than the minimum, or neither does."""
    groups = {f"group:{number}": s for number, s in enumerate(sets)}
    leak = find_leak(set(sets), minimum)
    assert (leak is not None) == bool(problems(groups, minimum))
    if leak is not None:
        assert 0 < len(leak.councils) < minimum
