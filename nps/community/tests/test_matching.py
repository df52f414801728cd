"""The matching is a pure function over plain data: table-tested, with no database."""

import pytest

from nps.community.matching import Council, Offer, suggest

HOME = Council(1, "E1", "Alderley", "district_council", "District council", "North West")
SAME_BOTH = Council(2, "E2", "Bowland", "district_council", "District council", "North West")
SAME_TYPE = Council(3, "E3", "Cotswold", "district_council", "District council", "South West")
SAME_REGION = Council(4, "E4", "Dalton", "unitary_authority", "Unitary authority", "North West")
NEITHER = Council(5, "E5", "Ealing", "london_borough", "London borough", "London")
ANOTHER_SAME_TYPE = Council(6, "E6", "Aardvark", "district_council", "District council", "London")
NO_REGION = Council(7, "E7", "Fylde", "unitary_authority", "Unitary authority", None)


def offer(council, index="engaging-councillors", number=0):
    return Offer(council.id * 100 + number, council, index, f"Contact at {council.name}", "A note.")


def names(result, index="engaging-councillors"):
    return [s.offer.council.name for item in result if item.index_code == index for s in item.suggestions]


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        ([NEITHER, SAME_REGION, SAME_TYPE, SAME_BOTH], ["Bowland", "Cotswold", "Dalton", "Ealing"]),
        ([SAME_REGION, NEITHER], ["Dalton", "Ealing"]),
        ([SAME_TYPE, ANOTHER_SAME_TYPE], ["Aardvark", "Cotswold"]),  # equally similar: by name
        ([NO_REGION, SAME_REGION], ["Dalton", "Fylde"]),  # no region is never "the same region"
        ([HOME, SAME_TYPE], ["Cotswold"]),  # a council is never suggested to itself
        ([], []),
    ],
)
def test_exemplars_come_most_similar_first(offered, expected):
    result = suggest(HOME, ["engaging-councillors"], [offer(council) for council in offered])
    assert names(result) == expected


@pytest.mark.parametrize(
    ("exemplar", "reason"),
    [
        (SAME_BOTH, "Same type (district council) and same region (North West)"),
        (SAME_TYPE, "Same type (district council)"),
        (SAME_REGION, "Same region (North West)"),
        (NEITHER, "Opted in for this index (London borough, London)"),
        (NO_REGION, "Opted in for this index (unitary authority)"),
    ],
)
def test_each_suggestion_says_why(exemplar, reason):
    [item] = suggest(HOME, ["engaging-councillors"], [offer(exemplar)])
    assert item.suggestions[0].reason == reason


def test_only_councils_that_opted_in_for_the_index_are_suggested():
    offers = [offer(SAME_BOTH, "obtaining-social-value"), offer(SAME_TYPE, "engaging-councillors")]
    result = suggest(HOME, ["engaging-councillors"], offers)
    assert names(result) == ["Cotswold"]
    assert [item.index_code for item in result] == ["engaging-councillors"]


def test_an_index_with_no_exemplar_is_still_listed_in_the_order_of_the_gaps():
    offers = [offer(SAME_TYPE, "obtaining-social-value")]
    result = suggest(HOME, ["embedding-change", "obtaining-social-value", "embedding-change"], offers)
    assert [(item.index_code, len(item.suggestions)) for item in result] == [
        ("embedding-change", 0),
        ("obtaining-social-value", 1),
    ]


def test_no_gaps_means_no_suggestions():
    assert suggest(HOME, [], [offer(SAME_BOTH)]) == []


def test_suggestions_carry_only_what_the_exemplar_shared():
    [item] = suggest(HOME, ["engaging-councillors"], [offer(SAME_BOTH)])
    shared = item.suggestions[0].offer
    assert set(vars(shared)) == {"id", "council", "index_code", "contact_name", "note", "is_demo"}
    assert set(vars(shared.council)) == {"id", "gss_code", "name", "kind", "kind_label", "region"}
