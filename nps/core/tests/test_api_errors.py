"""The API answers every error as JSON {"detail": ...}, in production settings too; refuses a body of the wrong
shape as bad input, changing nothing; and documents in its OpenAPI document what each operation refuses."""

import datetime
import json
import logging
import typing

import pytest
from django.test import Client, RequestFactory
from pydantic import BaseModel

from nps.accounts.services import create_api_token
from nps.api import api
from nps.assessments.actions import plan_action
from nps.assessments.models import Action, Return, Round
from nps.assessments.rounds import close_round
from nps.core import views as core_views
from nps.frameworks.services import create_draft
from nps.lib.api import Input
from nps.lib.api_errors import SERVER_ERROR
from nps.testing import load_nps_2018, make_open_round

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["production", "development"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def editor_api(editor):
    return Client(headers={"Authorization": f"Bearer {create_api_token(editor, 'Tests')}"})


@pytest.fixture
def action(council_a, editor):
    council_return = Return.objects.get(round=make_open_round(council_a), organisation=council_a)
    answer = council_return.answers.get(index__code="engaging-councillors")
    return plan_action(
        answer, title="Train councillors", owner="Alice", due_date=datetime.date(2027, 6, 30), aim_level=3, by=editor
    )


def action_url(action):
    return f"/api/v1/organisations/{action.answer.council_return.organisation.gss_code}/actions/{action.pk}"


# Errors as JSON ------------------------------------------------------------------------------------------------------


def test_an_address_the_api_does_not_have_is_a_json_404_in_production(client):
    """In development Django shows its own page of the addresses it knows instead."""
    for path in ["/api/v1/nothing-here", "/api/v1/rounds/1/nothing", "/api/v2/"]:
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), path


def test_a_method_an_address_does_not_have_is_a_json_405_that_says_what_it_has(client, debug):
    response = client.get("/api/v1/frameworks/import")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json() == {"detail": "Method GET is not allowed here: use POST."}


def test_something_not_found_is_a_json_404_without_saying_more(editor_api, debug):
    response = editor_api.get("/api/v1/organisations/E99999999/actions")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_an_unexpected_error_in_an_operation_is_a_json_500_and_logged_with_its_traceback(caplog, debug):
    request = RequestFactory().get("/api/v1/rounds")
    error = RuntimeError("the disk is full")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        try:
            raise error
        except RuntimeError:
            response = api.on_exception(request, error)
    assert (response.status_code, json.loads(response.content)) == (500, {"detail": SERVER_ERROR})
    assert caplog.records[-1].getMessage() == "Internal Server Error: /api/v1/rounds"
    assert caplog.records[-1].exc_info[1] is error


def test_an_error_before_the_api_is_json_under_the_api_and_a_page_elsewhere():
    request = RequestFactory().get("/api/v1/rounds")
    assert core_views.server_error(request).status_code == 500
    assert core_views.server_error(request)["Content-Type"] == "application/json"
    page = core_views.server_error(RequestFactory().get("/rounds/"))
    assert b"Sorry, there is a problem with the service" in page.content


# Bodies of the wrong shape -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("[null, null]", "Input should be a valid dictionary or instance of ActionChanges"),
        ('"done"', "Input should be a valid dictionary or instance of ActionChanges"),
        ("null", "Input should be a valid dictionary or instance of ActionChanges"),
        ('{"stauts": "done"}', "Extra inputs are not permitted"),
        ('{"status": ["done"]}', "Input should be a valid string"),
    ],
)
def test_an_action_change_of_the_wrong_shape_is_422_and_changes_nothing(editor_api, action, body, problem):
    response = editor_api.patch(action_url(action), body, content_type="application/json")
    assert response.status_code == 422
    assert [found["msg"] for found in response.json()["detail"]] == [problem]
    assert Action.objects.get(pk=action.pk).status == action.status == "planned"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"status": "done"', "The body is not valid JSON: Expecting ',' delimiter: line 1 column 18 (char 17)"),
        ("  ", "The body is not valid JSON: Expecting value: line 1 column 3 (char 2)"),
        ('{"status": NaN}', "NaN is not a number JSON allows."),
        (
            '{"title": "Train\\u0000 councillors"}',
            "Text in the body contains a NUL character or half a surrogate pair.",
        ),
        (
            '{"title": "Train \\ud800 councillors"}',
            "Text in the body contains a NUL character or half a surrogate pair.",
        ),
        ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" * 100 + "]" * 4700, "The body is nested too deeply."),
    ],
)
def test_a_body_that_is_not_json_the_database_can_hold_is_400_and_changes_nothing(editor_api, action, body, detail):
    response = editor_api.patch(action_url(action), body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert Action.objects.get(pk=action.pk).title == "Train councillors"


def test_an_optional_body_of_the_wrong_shape_is_refused_too(national_admin):
    create_draft(load_nps_2018(), code="2026", title="NPS 2026", by=national_admin)
    client = Client(headers={"Authorization": f"Bearer {create_api_token(national_admin, 'Tests')}"})
    url = "/api/v1/frameworks/nps/versions/2026/indices/engaging-councillors"
    response = client.delete(url, "[null]", content_type="application/json")
    assert response.status_code == 422
    assert client.get(url).status_code == 200  # not retired


@pytest.mark.parametrize(
    ("embargo_until", "status", "saved"),
    [
        ("2030-01-01T09:30:00+22:18", 200, "2029-12-31 11:12:00+00:00"),  # an offset Python allows, PostgreSQL not
        ("2030-07-01T09:30:00", 200, "2030-07-01 08:30:00+00:00"),  # UK time
        ("0001-01-01T00:30:00+01:00", 422, "None"),  # before year 1 in UTC
        ("9999-12-31T23:59:00-05:00", 422, "None"),  # after 9999 in UTC
    ],
)
def test_a_time_is_saved_in_utc_or_refused_as_bad_input(national_admin, council_a, embargo_until, status, saved):
    round_ = make_open_round(council_a)
    close_round(round_, by=national_admin)
    client = Client(headers={"Authorization": f"Bearer {create_api_token(national_admin, 'Tests')}"})
    body = json.dumps({"embargo_until": embargo_until})
    response = client.post(f"/api/v1/rounds/{round_.pk}/publish", body, content_type="application/json")
    assert response.status_code == status
    assert str(Round.objects.get(pk=round_.pk).embargo_until) == saved


def body_models(annotation):
    """The pydantic models a body annotation names, nested ones included."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation] + [
            model for field in annotation.model_fields.values() for model in body_models(field.annotation)
        ]
    return [model for argument in typing.get_args(annotation) for model in body_models(argument)]


def test_every_request_body_is_an_input_that_refuses_what_it_does_not_describe():
    operations = [
        operation
        for _, router in api._routers
        for view in router.path_operations.values()
        for operation in view.operations
    ]
    bodies = {
        model
        for operation in operations
        for params in operation.models
        if params.__ninja_param_source__ == "body"
        for field in params.model_fields.values()
        for model in body_models(field.annotation)
    }
    assert len(bodies) >= 20
    assert sorted(model.__name__ for model in bodies if not issubclass(model, Input)) == []


# The OpenAPI document ------------------------------------------------------------------------------------------------


def documented(path, method):
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][path][method]
    return operation, {int(status) for status in operation["responses"]}


def test_each_operation_lists_the_refusals_it_can_answer():
    answer = "/api/v1/organisations/{gss_code}/rounds/{round_id}/answers/{index_code}"
    assert documented(answer, "put")[1] == {200, 400, 401, 403, 404, 409, 422}
    assert documented(answer, "get")[1] == {200, 400, 401, 404, 422}
    assert documented("/api/v1/me", "get")[1] == {200, 400, 401}
    assert documented("/api/v1/rounds", "post")[1] == {201, 400, 401, 403, 404, 422}
    assert documented("/api/v1/organisations/", "get")[1] == {200, 400, 422}


def test_an_operation_the_public_may_call_needs_no_credentials_and_never_answers_401():
    operation, statuses = documented("/api/v1/frameworks/", "get")
    assert {} in operation["security"] and 401 not in statuses


def test_every_refusal_is_documented_as_detail_or_as_the_routes_own_answer():
    document = api.get_openapi_schema(path_prefix="/api/v1")
    detail, invalid = {"$ref": "#/components/schemas/Detail"}, {"$ref": "#/components/schemas/Invalid"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if int(status) in {400, 401, 403, 404, 422}:
                    schema = response["content"]["application/json"]["schema"]
                    expected = invalid if int(status) == 422 else detail
                    assert schema == expected or expected in schema.get("anyOf", []), (method, path, status)
