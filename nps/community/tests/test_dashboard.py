"""Exemplars suggested for each index where the target is above the current level: only councils that opted in, most
similar first, with the reason, and never anyone's level. The dashboard shows the few most useful; a page of their
own lists every suggestion."""

import re

import pytest

from nps.community.connections import request_connection
from nps.community.exemplars import mark_exemplary, opt_in
from nps.community.models import ExemplarOffer
from nps.community.queries import exemplars_for_return
from nps.organisations.models import Kind
from nps.testing import make_organisation, make_region

from .conftest import INDEX, OTHER_INDEX, return_of, submit

pytestmark = pytest.mark.django_db


def exemplars_section(client, council_return):
    """Every suggestion, on the page that lists them all."""
    url = f"/community/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/exemplars/"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split("<h1")[1].split("</main>")[0]


def dashboard_section(client, council_return):
    url = f"/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/dashboard/"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split('id="exemplars"')[1].split("</main>")[0]


def offer_help(organisation, national_admin, code=INDEX):
    mark_exemplary(organisation, code, by=national_admin)
    opt_in(
        organisation,
        [code],
        contact_name=f"Contact at {organisation.name}",
        contact_email="someone@example.com",
        note=f"What {organisation.name} shares.",
        by=None,
    )


def test_exemplars_come_in_order_of_similarity_with_their_reasons(client_for, other_editor, gap_b, national_admin):
    """Council B is a unitary authority in the North West."""
    south_east = make_region("South East", "E12000008")
    candidates = {
        "Neither": make_organisation("Neither", Kind.COUNTY_COUNCIL, south_east),
        "Same region": make_organisation("Same region", Kind.DISTRICT_COUNCIL),
        "Same type": make_organisation("Same type", Kind.UNITARY_AUTHORITY, south_east),
        "Same both": make_organisation("Same both", Kind.UNITARY_AUTHORITY),
    }
    for organisation in candidates.values():
        offer_help(organisation, national_admin)
    section = exemplars_section(client_for(other_editor), gap_b)
    positions = [section.index(f"What {name} shares.") for name in ["Same both", "Same type", "Same region", "Neither"]]
    assert positions == sorted(positions)
    assert "Same type (unitary authority) and same region (North West)" in section
    assert "Opted in for this index (county council, South East)" in section


def test_a_council_that_has_not_opted_in_is_never_suggested(
    client_for, other_editor, diagnostic, council_a, editor, gap_b, national_admin
):
    submit(return_of(diagnostic, council_a), editor, levels={INDEX: (5, 5)})  # eligible, but not opted in
    mark_exemplary(make_organisation("Marked only"), INDEX, by=national_admin)
    section = exemplars_section(client_for(other_editor), gap_b)
    assert "Alderley" not in section and "Marked only" not in section
    assert section.count("No council offers help in this index yet") == 14


def test_a_withdrawn_offer_is_not_suggested(client_for, other_editor, exemplar_a, gap_b):
    ExemplarOffer.objects.update(active=False)
    assert "Alderley" not in exemplars_section(client_for(other_editor), gap_b)


def test_suggestions_show_only_what_the_exemplar_shared(client_for, other_editor, exemplar_a, gap_b):
    section = exemplars_section(client_for(other_editor), gap_b)
    assert "Alderley" in section and "Alice Alderley" in section and "Our member training programme." in section
    assert "Same region (North West)" in section
    assert "alice@alderley.example" not in section  # the address is shared once connected
    suggestions = section.split("Engaging councillors</h2>")[1].split("<h2")[0]
    for level in ["Leader", "Innovator", "Mature", "Developing", "Minimum"]:
        assert level not in suggestions
    assert section.count("No council offers help in this index yet") == 13  # every other index of the gap


def test_only_indices_with_a_gap_get_suggestions(client_for, other_editor, exemplar_a, diagnostic, council_b):
    council_return = return_of(diagnostic, council_b)
    submit(council_return, other_editor, level=3, target=3, levels={OTHER_INDEX: (2, 4)})
    section = exemplars_section(client_for(other_editor), council_return)
    assert "Obtaining social value" in section and "Engaging councillors" not in section
    assert "Alderley" not in section


def test_no_gap_at_all_says_so(client_for, editor, exemplar_a, diagnostic):
    section = exemplars_section(client_for(editor), return_of(diagnostic, exemplar_a))  # Developing, aiming for Mature
    assert "Alderley" not in section  # never suggested to itself
    council_return = return_of(diagnostic, exemplar_a)
    council_return.answers.update(target_level=2)
    council_return.answers.filter(index__code=INDEX).update(target_level=4)
    assert "nothing to suggest" in exemplars_section(client_for(editor), council_return)


def test_editors_ask_to_be_connected_from_the_dashboard_and_see_the_state(
    client_for, other_editor, national_admin, exemplar_a, gap_b, council_b
):
    link = f"/community/organisations/{council_b.gss_code}/connect/{exemplar_a.gss_code}/{INDEX}/"
    assert link in dashboard_section(client_for(other_editor), gap_b)
    assert link in exemplars_section(client_for(other_editor), gap_b)
    assert link not in exemplars_section(client_for(national_admin), gap_b)  # the national team reads only
    request_connection(council_b, ExemplarOffer.objects.get(), message="", by=other_editor)
    section = exemplars_section(client_for(other_editor), gap_b)
    assert link not in section and "Requested" in section


def test_suggestions_take_the_same_queries_however_many_exemplars(
    other_editor, national_admin, gap_b, django_assert_max_num_queries
):
    answers = list(gap_b.answers.select_related("index").order_by("index__position"))
    offer_help(make_organisation("First"), national_admin)
    with django_assert_max_num_queries(2) as one:  # the offers with the council's requests, and its role
        exemplars_for_return(gap_b, other_editor, answers)
    for number in range(5):
        offer_help(make_organisation(f"More {number}"), national_admin, OTHER_INDEX)
    with django_assert_max_num_queries(len(one.captured_queries)):
        section = exemplars_for_return(gap_b, other_editor, answers)
    assert sum(len(item.rows) for item in section.indices) == 6


def test_the_dashboard_shows_one_exemplar_for_each_of_the_three_biggest_gaps(
    client_for, other_editor, national_admin, diagnostic, council_b
):
    council_return = return_of(diagnostic, council_b)
    gaps = {"engaging-councillors": (1, 2), "obtaining-social-value": (1, 4), "developing-talent": (2, 5)}
    gaps |= {"working-with-partners": (3, 5), "enabling-innovation": (2, 3)}
    submit(council_return, other_editor, level=3, target=3, levels=gaps)
    for code in gaps:
        for number in range(2):
            offer_help(make_organisation(f"Helper {number} {code}"), national_admin, code)
    section = " ".join(re.sub(r"<[^>]+>", " ", dashboard_section(client_for(other_editor), council_return)).split())
    assert section.count("Ask to be connected") == 3
    for title in ["Obtaining social value (3 levels to go)", "Developing talent (3 levels to go)"]:
        assert title in section
    assert "Working with partners (2 levels to go)" in section and "Engaging councillors" not in section
    assert "See all 10 suggestions for every gap" in section


def test_another_council_gets_404_for_the_suggestions_page(client_for, other_editor, editor, diagnostic, council_a):
    url = f"/community/organisations/{council_a.gss_code}/rounds/{diagnostic.pk}/exemplars/"
    assert client_for(other_editor).get(url).status_code == 404
    assert client_for(editor).get(url).status_code == 200
