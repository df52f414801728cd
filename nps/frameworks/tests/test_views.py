import pytest

from nps.testing import load_nps_2018

pytestmark = pytest.mark.django_db


def test_the_overview_lists_the_three_themes_and_fourteen_indices(client):
    version = load_nps_2018()
    response = client.get("/strategy/")
    assert response.status_code == 200
    html = response.content.decode()
    for theme in ["Showing leadership", "Behaving commercially", "Achieving community benefits"]:
        assert f"Theme: {theme}" in html
    for index in version.indices.all():
        assert f'href="/strategy/{index.code}/"' in html
    assert "There are no national targets" in html


def test_an_index_page_shows_its_help_and_five_descriptors_with_reconstructed_text_marked(client):
    load_nps_2018()
    response = client.get("/strategy/obtaining-social-value/")
    html = response.content.decode()
    assert "What it is" in html and "Why it is important" in html
    for level in ["1 Minimum", "2 Developing", "3 Mature", "4 Leader", "5 Innovator"]:
        assert level in html
    assert "Social value is a core operational metric" in html
    assert html.count("app-reconstructed__tag") == 5  # why it is important, and four of the five levels


def test_an_index_without_reconstructed_text_has_no_marker(client):
    load_nps_2018()
    html = client.get("/strategy/engaging-councillors/").content.decode()
    assert "Reconstructed" not in html


def test_unknown_indices_and_an_empty_database_give_404(client):
    assert client.get("/strategy/").status_code == 404
    load_nps_2018()
    assert client.get("/strategy/no-such-index/").status_code == 404
