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
