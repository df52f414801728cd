import pytest

from nps.assessments.spread import Spread, lower_median, spread


@pytest.mark.parametrize(
    ("levels", "median"),
    [
        ([], None),
        ([3], 3),
        ([2, 4], 2),
        ([1, 2, 5], 2),
        ([1, 3, 3, 5], 3),
        ([5, 1, 4, 2], 2),
    ],
)
def test_the_median_of_levels_is_always_a_level(levels, median):
    assert lower_median(levels) == median


CASES = [
    ("nobody", {}, Spread(None, None, None, ())),
    ("one view", {"Ann": 3}, Spread(3, 3, 3, ())),
    ("agreement", {"Ann": 3, "Bob": 3, "Cat": 3}, Spread(3, 3, 3, ())),
    ("one level apart is not an outlier", {"Ann": 2, "Bob": 3, "Cat": 3}, Spread(2, 3, 3, ())),
    ("two levels from the others", {"Ann": 1, "Bob": 3, "Cat": 3}, Spread(1, 3, 3, ("Ann",))),
    ("four points apart, as the LGA saw", {"Ann": 1, "Bob": 5}, Spread(1, 5, 1, ("Ann", "Bob"))),
    ("no view and not applicable are left out", {"Ann": None, "Bob": 4, "Cat": 4}, Spread(4, 4, 4, ())),
    ("the highest can be the outlier", {"Ann": 2, "Bob": 2, "Cat": 2, "Dee": 5}, Spread(2, 5, 2, ("Dee",))),
]


@pytest.mark.parametrize(("case", "views", "expected"), CASES, ids=[case[0] for case in CASES])
def test_the_spread_of_colleagues_views(case, views, expected):
    assert spread(views) == expected
