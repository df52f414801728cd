"""The progress page at national scale: figures for the whole round, the returns not yet submitted a page at a time."""

import re

import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Return
from nps.organisations.models import Kind
from nps.testing import answer_everything, make_open_round, make_organisation, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_round(council_a, editor):
    """Alderley, which submitted, and 54 district councils that have not: 27 in the North West, 27 in the South
    East."""
    south_east = make_region("South East", "E12000008")
    districts = [
        make_organisation(f"District {number:02}", Kind.DISTRICT_COUNCIL, south_east if number % 2 else None)
        for number in range(54)
    ]
    round_ = make_open_round(council_a, *districts)
    alderley = Return.objects.get(round=round_, organisation=council_a)
    answer_everything(alderley, editor)
    submit_return(alderley, by=editor)
    return round_


def listed(html):
    """The organisations the table of returns not yet submitted lists, in order."""
    table = html[html.index('id="not-submitted"') :]
    return re.findall(r'<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]+)</td>', table)


def test_the_figures_are_for_the_whole_round_and_the_returns_come_fifty_to_a_page(
    client_for, national_admin, big_round
):
    client = client_for(national_admin)
    first = client.get(f"/rounds/{big_round.pk}/progress/").content.decode()
    second = client.get(f"/rounds/{big_round.pk}/progress/", {"page": 2}).content.decode()
    for html in [first, second]:
        assert "1 of 55 submitted; 0 started; 54 not started." in html and "Not yet submitted (54)" in html
    north_west = [f"District {number:02}" for number in range(0, 54, 2)]
    south_east = [f"District {number:02}" for number in range(1, 54, 2)]
    assert listed(first) == north_west + south_east[:23] and listed(second) == south_east[23:]
    assert "All 54, by region and name." in first and "Page 2 of 2" in second


def test_searching_by_name_or_gss_code_and_filtering_leave_the_figures_alone(client_for, national_admin, big_round):
    client = client_for(national_admin)
    url = f"/rounds/{big_round.pk}/progress/"
    by_name = client.get(url, {"q": "district 07"}).content.decode()
    assert listed(by_name) == ["District 07"] and "1 of 54 matches:" in by_name
    assert "1 of 55 submitted" in by_name and "Not yet submitted (54)" in by_name
    code = Return.objects.get(round=big_round, organisation__name="District 10").organisation.gss_code
    assert listed(client.get(url, {"q": code}).content.decode()) == ["District 10"]
    assert listed(client.get(url, {"q": "Alderley"}).content.decode()) == []  # it submitted
    south_east = client.get(url, {"region": "E12000008", "q": "District 1"}).content.decode()
    assert listed(south_east) == ["District 11", "District 13", "District 15", "District 17", "District 19"]
    assert len(listed(client.get(url, {"status": "not_started"}).content.decode())) == 50


def test_submitted_is_not_a_status_to_filter_by(client_for, national_admin, big_round):
    response = client_for(national_admin).get(f"/rounds/{big_round.pk}/progress/", {"status": "submitted"})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Choose a return status from the list" in html and len(listed(html)) == 50
