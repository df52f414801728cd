import pytest

from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, load_nps_2018

pytestmark = pytest.mark.django_db


def test_anyone_can_list_frameworks_and_published_versions(client):
    load_nps_2018()
    body = client.get("/api/v1/frameworks/").json()
    assert body == [
        {
            "code": "nps",
            "title": "National Procurement Strategy for Local Government in England",
            "owner_gss_code": None,
            "versions": [
                {
                    "code": "2018",
                    "title": body[0]["versions"][0]["title"],
                    "status": "published",
                    "published_on": "2018-06-01",
                    "parent": None,
                    "is_current": True,
                }
            ],
        }
    ]


def test_a_version_in_full_has_fourteen_indices_with_five_levels(client):
    load_nps_2018()
    body = client.get("/api/v1/frameworks/nps/versions/2018").json()
    assert len(body["indices"]) == 14
    assert [theme["code"] for theme in body["themes"]] == [
        "showing-leadership",
        "behaving-commercially",
        "achieving-community-benefits",
    ]
    assert all(len(index["statements"][0]["levels"]) == 5 for index in body["indices"])


def test_one_index_shows_which_text_is_reconstructed(client):
    load_nps_2018()
    body = client.get("/api/v1/frameworks/nps/versions/2018/indices/engaging-senior-managers").json()
    assert "description" in body["reconstructed"]
    assert [level["reconstructed"] for level in body["statements"][0]["levels"]] == [False, True, True, True, True]


def test_draft_versions_are_hidden_except_from_national_admins(client, client_for, national_admin, editor):
    load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text().replace("status: published", "status: draft"))
    url = "/api/v1/frameworks/sample/versions/1"
    assert client.get(url).status_code == 404
    assert client_for(editor).get(url).status_code == 404
    assert client_for(national_admin).get(url).status_code == 200


def test_the_openapi_document_lists_the_read_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/frameworks/" in paths
    assert "/api/v1/organisations/{gss_code}" in paths
