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
