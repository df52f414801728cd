import pytest

from nps.frameworks.lineage import ReplacementKind, classify, one_to_one

CASES = [
    ("one-to-one", [("talent", "growing-talent")], {"talent": ReplacementKind.REPLACED}),
    ("retired outright", [("old", "")], {"old": ReplacementKind.RETIRED}),
    (
        "two merged into one",
        [("smes", "local"), ("vcse", "local")],
        {"smes": ReplacementKind.MERGED, "vcse": ReplacementKind.MERGED},
    ),
    ("one split into two", [("risk", "supplier-risk"), ("risk", "market-risk")], {"risk": ReplacementKind.SPLIT}),
    (
        "all at once",
        [("a", "b"), ("c", ""), ("d", "e"), ("f", "e"), ("g", "h"), ("g", "i")],
        {
            "a": ReplacementKind.REPLACED,
            "c": ReplacementKind.RETIRED,
            "d": ReplacementKind.MERGED,
            "f": ReplacementKind.MERGED,
            "g": ReplacementKind.SPLIT,
        },
    ),
]


@pytest.mark.parametrize(("case", "pairs", "kinds"), CASES, ids=[c[0] for c in CASES])
def test_the_kind_of_replacement_follows_from_the_pairs(case, pairs, kinds):
    assert classify(pairs) == kinds


def test_only_one_to_one_replacements_carry_answers():
    pairs = [("a", "b"), ("c", ""), ("d", "e"), ("f", "e"), ("g", "h"), ("g", "i")]
    assert one_to_one(pairs) == {"b": "a"}
