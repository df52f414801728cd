import csv
import datetime
import io
import json

import jsonschema
import pytest
from django.utils import timezone

from nps.insights.publication import publish_results
from nps.insights.views.public import RESULTS_SCHEMA

pytestmark = pytest.mark.django_db


def test_nothing_is_public_before_publication(client, closed_round):
    assert client.get(f"/results/{closed_round.pk}/").status_code == 404
    assert client.get(f"/results/{closed_round.pk}/figures.csv").status_code == 404
    assert "No results have been published yet." in client.get("/results/").content.decode()


def test_nothing_is_public_during_the_embargo(client, closed_round, national_admin):
    publish_results(closed_round, embargo_until=timezone.now() + datetime.timedelta(days=1), by=national_admin)
    for page in ["", "figures.csv", "figures.json"]:
        assert client.get(f"/results/{closed_round.pk}/{page}").status_code == 404


def test_after_the_embargo_anyone_sees_national_and_regional_figures(client, published_round):
    html = client.get(f"/results/{published_round.pk}/").content.decode()
    assert "2025 diagnostic" in html and 'role="img"' in html
    assert "Withheld: fewer than 5 councils" in html  # South East has two
    assert "Withheld: with other published figures it would reveal fewer than 5 councils" in html  # England less it
    assert "South East (region)" in html and "North West (region)" in html  # what is withheld, and why
    assert "Alderley" not in html and "Peer 0" not in html


def test_the_csv_open_data_parses_and_suppresses_small_groups(client, published_round):
    response = client.get(f"/results/{published_round.pk}/figures.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    england = next(row for row in rows if row["index_code"] == "engaging-councillors" and row["scope"] == "National")
    assert (england["councils_with_a_level"], england["developing_count"], england["median_level"]) == (
        "7",
        "3",
        "Developing",
    )
    south = next(row for row in rows if row["group"] == "South East")
    assert south["suppressed"] == "true" and south["councils_with_a_level"] == ""
    assert len(rows) == 14 * 4  # England, two regions, one council type


def test_the_json_open_data_validates_against_its_published_schema(client, published_round):
    document = json.loads(b"".join(client.get(f"/results/{published_round.pk}/figures.json").streaming_content))
    schema = client.get("/results/schema.json").json()
    assert schema == json.loads(RESULTS_SCHEMA.read_text())
    jsonschema.validate(document, schema)
    assert document["licence"] == "Open Government Licence v3.0"
    assert document["minimum_group_size"] == 5


def test_the_open_data_page_documents_every_field(client):
    html = client.get("/results/schema/").content.decode()
    for field in ["councils_with_a_level", "not_applicable", "suppressed", "median_level"]:
        assert f"<code>{field}</code>" in html
