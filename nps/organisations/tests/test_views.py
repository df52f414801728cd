import pytest

from nps.organisations.loader import load_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loaded() -> None:
    load_organisations()


def test_the_directory_lists_current_organisations_fifty_to_a_page(client):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 339 + 16 + 47


def test_the_directory_searches_by_name(client):
    response = client.get("/organisations/", {"q": "manchester"})
    names = [organisation.name for organisation in response.context["page"].object_list]
    assert "Manchester" in names and "Greater Manchester" in names


def test_the_directory_filters_by_type_and_region(client):
    response = client.get("/organisations/", {"kind": "district_council", "region": "E12000002"})
    assert response.context["page"].paginator.count == 12


def test_former_organisations_are_shown_on_request(client):
    response = client.get("/organisations/", {"status": "former", "q": "Cumbria"})
    assert [o.name for o in response.context["page"].object_list] == ["Cumbria"]


def test_a_bad_filter_value_shows_the_current_list_not_an_error(client):
    response = client.get("/organisations/", {"kind": "parish", "page": "999"})
    assert response.status_code == 200
    assert response.context["page"].number == 9


def test_an_organisation_page_shows_its_codes_and_groups(client):
    html = client.get("/organisations/E07000008/").content.decode()  # Cambridge
    assert "E07000008" in html
    assert "District council" in html
    assert "Cambridgeshire" in html  # parent county and fire authority
    assert "Cambridgeshire and Peterborough Combined Authority" in html


def test_a_group_page_lists_its_members(client):
    html = client.get("/organisations/E47000001/").content.decode()
    assert "Members (10)" in html and "Bolton" in html


def test_an_unknown_organisation_is_404(client):
    assert client.get("/organisations/E99999999/").status_code == 404


def test_about_the_data_shows_the_sources_and_licences(client):
    html = client.get("/organisations/about-the-data/").content.decode()
    assert "mySociety" in html and "CC-BY-4.0" in html and "Open Government Licence" in html
    assert '<table class="govuk-table">' in html


def test_welsh_councils_are_found_by_their_welsh_name_and_show_it(client):
    response = client.get("/organisations/", {"q": "Abertawe"})
    assert [organisation.name for organisation in response.context["page"].object_list] == ["Swansea"]
    assert '<span lang="cy">(Abertawe)</span>' in response.content.decode()
    html = client.get("/organisations/W06000011/").content.decode()
    assert "Wales" in html and "Welsh unitary authority" in html and "Abertawe" in html


def test_the_directory_filters_by_nation(client):
    response = client.get("/organisations/", {"nation": "wales"})
    assert response.context["page"].paginator.count == 22 + 3  # councils and fire and rescue authorities
    html = response.content.decode()
    assert (
        'North Wales Fire and Rescue Authority</a> <strong class="govuk-tag govuk-tag--orange">Provisional code' in html
    )


def test_former_and_current_councils_link_their_successors_and_predecessors(client):
    cumbria = client.get("/organisations/E10000006/").content.decode()
    assert "abolished on 31 March 2023" in cumbria
    assert 'href="/organisations/E06000063/">Cumberland</a>' in cumbria
    assert 'href="/organisations/E06000064/">Westmorland and Furness</a>' in cumbria
    cumberland = client.get("/organisations/E06000063/").content.decode()
    assert "Predecessors" in cumberland and 'href="/organisations/E07000026/">Allerdale</a>' in cumberland
