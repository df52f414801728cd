import pytest

from nps.frameworks.loader import load_framework_file
from nps.frameworks.services import make_current
from nps.testing import load_nps_2018, nps_2026_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    earlier = load_nps_2018()
    later = load_framework_file(nps_2026_text())
    make_current(later, by=None)
    return earlier, later


def test_the_public_sees_the_current_version_and_earlier_ones(client, versions):
    assert "NPS 2026 (test)" in client.get("/strategy/").content.decode()
    listing = client.get("/strategy/versions/").content.decode()
    assert (
        "NPS 2026 (test)" in listing and "National Procurement Strategy for Local Government in England 2018" in listing
    )
    assert client.get("/strategy/versions/nps/2018/engaging-smes/").status_code == 200


def test_the_diff_page_shows_each_kind_of_change_side_by_side(client, versions):
    html = client.get("/strategy/changes/", {"from": "nps/2018", "to": "nps/2026"}).content.decode()
    assert (
        "Replaced one-to-one" in html and "Merged into another index" in html and "Split into several indices" in html
    )
    assert "Growing talent" in html and "replaces developing-talent" in html
    assert "<del>" in html and "<ins>Working with partners, reworded for 2026.</ins>" in html


def test_the_default_comparison_is_the_current_version_against_the_one_it_follows(client, versions):
    html = client.get("/strategy/changes/").content.decode()
    assert "to NPS 2026 (test)" in html


def test_an_unknown_version_in_the_diff_is_404(client, versions):
    assert client.get("/strategy/changes/", {"from": "nps/1999"}).status_code == 404


def test_with_a_single_version_the_changes_page_says_so(client):
    from nps.testing import load_nps_2018 as load

    load()
    response = client.get("/strategy/changes/")
    assert response.status_code == 200
    assert "This is the first version of the strategy" in response.content.decode()
