"""Whole numbers in addresses beyond what the database holds (64 bits) are bad input on every page and API operation:
404 or 422, never a server error (SQLite raises OverflowError for such a number, PostgreSQL a DataError)."""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from nps.accounts.services import create_api_token
from nps.api import api
from nps.lib.bounds import LARGEST_INTEGER, IdConverter
from nps.testing import make_open_round

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999999"


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the project, with its full route."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        found += patterns(pattern, route) if isinstance(pattern, URLResolver) else [(route, pattern)]
    return found


def with_huge_ids(route: str) -> str:
    """The route as an address: every whole number HUGE, every other part a plausible word."""
    return "/" + re.sub(r"<[^>]+>", "x", re.sub(r"<(id|int):[^>]+>", HUGE, route))


DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")


def openapi_operations() -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, methods in DOCUMENT["paths"].items()
        for method, operation in methods.items()
    ]


def integer_schemas(schema: dict) -> list[dict]:
    """The whole-number schemas a parameter's schema allows, through references and alternatives."""
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rpartition("/")[2]]
    if schema.get("type") == "integer":
        return [schema]
    return [found for option in schema.get("anyOf", []) for found in integer_schemas(option)]


def bounded(schema: dict) -> bool:
    return "enum" in schema or schema.get("maximum", float("inf")) <= LARGEST_INTEGER


def test_no_address_takes_a_whole_number_the_database_cannot_hold():
    converters = [
        (route, type(converter))
        for route, pattern in patterns()
        for converter in getattr(pattern.pattern, "converters", {}).values()
    ]
    assert not [route for route, kind in converters if kind is IntConverter], "use <id:...>, not <int:...>"
    assert sum(kind is IdConverter for _, kind in converters) >= 25


def test_every_page_with_an_id_answers_404_for_a_number_past_64_bits(client_for, national_admin, editor):
    routes = [route for route, pattern in patterns() if "<id:" in route or "<int:" in route]
    assert len(routes) >= 25
    for client in (client_for(national_admin), client_for(editor)):
        statuses = {
            route: (client.get(with_huge_ids(route)).status_code, client.post(with_huge_ids(route)).status_code)
            for route in routes
        }
        assert statuses == dict.fromkeys(routes, (404, 404))


def test_an_id_one_past_the_largest_is_404_and_the_largest_is_looked_up(client_for, editor, council_a):
    round_ = make_open_round(council_a)
    client = client_for(editor)
    council_return = f"/organisations/{council_a.gss_code}/rounds/"
    assert client.get(f"{council_return}{LARGEST_INTEGER + 1}/").status_code == 404
    assert client.get(f"{council_return}{LARGEST_INTEGER}/").status_code == 404
    assert client.get(f"{council_return}{round_.pk}/").status_code == 200


def test_every_whole_number_the_api_takes_in_an_address_is_bounded():
    numbers = [
        (path, parameter["name"], schema)
        for path, _, operation in openapi_operations()
        for parameter in operation.get("parameters", [])
        for schema in integer_schemas(parameter["schema"])
    ]
    assert len(numbers) >= 40
    assert [(path, name) for path, name, schema in numbers if not bounded(schema)] == []


def test_every_api_operation_with_an_id_answers_422_for_a_number_past_64_bits(national_admin, editor):
    operations = [(path, method) for path, method, operation in openapi_operations() if "_id}" in path]
    for user in (national_admin, editor):
        client = Client(headers={"Authorization": f"Bearer {create_api_token(user, 'Tests')}"})
        for path, method in operations:
            address = re.sub(r"{\w+_id}", HUGE, path).replace("{", "").replace("}", "")
            response = client.generic(method.upper(), address, "{}", content_type="application/json")
            assert response.status_code == 422, (method, address, response.content)
            problems = [problem for problem in response.json()["detail"] if problem["loc"][0] == "path"]
            assert problems and all(problem["type"] == "less_than_equal" for problem in problems)


@pytest.mark.parametrize(
    "query", [f"offset={HUGE}", f"limit={HUGE}", f"offset={LARGEST_INTEGER}", "offset=-1", "limit=0", "offset=1e30"]
)
def test_paging_the_directory_past_what_the_database_can_count_is_422(client, query):
    response = client.get(f"/api/v1/organisations/?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["query", query.split("=")[0]]


def test_the_largest_page_offset_allowed_answers_an_empty_page(client, council_a):
    response = client.get(f"/api/v1/organisations/?offset={LARGEST_INTEGER // 2}&limit={LARGEST_INTEGER // 2}")
    assert response.status_code == 200 and response.json() == {"items": [], "count": 1}


def test_a_round_to_compare_with_past_64_bits_is_422(national_admin, council_a):
    round_ = make_open_round(council_a)
    client = Client(headers={"Authorization": f"Bearer {create_api_token(national_admin, 'Tests')}"})
    response = client.get(f"/api/v1/rounds/{round_.pk}/report?compare={HUGE}")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "compare"]


@pytest.mark.parametrize("number", [HUGE, f"-{HUGE}", "1e30", "-1e30"])
def test_a_number_past_64_bits_in_a_json_body_is_400_and_changes_nothing(national_admin, council_a, number):
    round_ = make_open_round(council_a)
    client = Client(headers={"Authorization": f"Bearer {create_api_token(national_admin, 'Tests')}"})
    body = json.dumps({"deadline": "2027-03-31", "extra": 1}).replace("1}", f"{number}}}")
    response = client.post(f"/api/v1/rounds/{round_.pk}/deadline", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The number {number} is out of range: numbers go from {-LARGEST_INTEGER - 1} to {LARGEST_INTEGER}."
    }
    assert str(type(round_).objects.get(pk=round_.pk).deadline) == "2027-01-31"


def test_a_page_number_or_a_round_to_compare_past_64_bits_shows_a_page(client_for, national_admin, council_a):
    round_ = make_open_round(council_a)
    client = client_for(national_admin)
    for address in [
        f"/organisations/?page={HUGE}",
        f"/case-studies/?page={HUGE}",
        f"/rounds/{round_.pk}/report/?compare={HUGE}",
    ]:
        assert client.get(address).status_code == 200, address
