import pytest

from nps.organisations.loader import load_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loaded() -> None:
    load_organisations()


def test_the_api_searches_and_pages_the_directory(client):
    body = client.get("/api/v1/organisations/", {"kind": "london_borough", "limit": 10}).json()
    assert body["count"] == 32
    assert len(body["items"]) == 10
    assert body["items"][0]["region"] == "London"


def test_the_api_shows_one_organisation_with_groups(client):
    body = client.get("/api/v1/organisations/E08000001").json()
    assert body["name"] == "Bolton"
    assert {group["kind"] for group in body["groups"]} == {"combined_authority", "fire_authority"}


def test_an_unknown_organisation_is_404(client):
    assert client.get("/api/v1/organisations/E99999999").status_code == 404


def test_the_api_filters_by_nation_and_gives_welsh_names(client):
    body = client.get("/api/v1/organisations/", {"nation": "wales", "kind": "welsh_unitary", "limit": 50}).json()
    assert body["count"] == 22
    anglesey = next(item for item in body["items"] if item["gss_code"] == "W06000001")
    assert (anglesey["welsh_name"], anglesey["nation"], anglesey["region"]) == ("Ynys Môn", "wales", "Wales")


def test_the_api_gives_an_organisations_successors_and_predecessors(client):
    cumbria = client.get("/api/v1/organisations/E10000006").json()
    assert {successor["gss_code"] for successor in cumbria["successors"]} == {"E06000063", "E06000064"}
    assert cumbria["end_date"] == "2023-03-31" and not cumbria["is_current"]
    somerset = client.get("/api/v1/organisations/E06000066").json()
    assert len(somerset["predecessors"]) == 5
