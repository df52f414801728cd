"""Property-based testing of the API against its own OpenAPI document, with schemathesis: well over a thousand
generated requests, valid and invalid, as a council editor and as the national team, over the demonstration data that
`nps setup` and `nps demo` make. Any server error fails the test, and so does any answer the document does not
describe: its status code, content type, headers or body, and a 405 without its `Allow` header.

Generation is deterministic, so a run repeats the last one. Each request runs in a savepoint that is rolled back, so
every request meets the same data, and the application runs in this process (WSGI), sharing the test's transaction.
"""

import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from schemathesis.core.result import Err
from schemathesis.pytest.lazy import get_all_tests  # the plugin's own runner, without its pytest collection

from nps.accounts.models import User
from nps.accounts.services import create_api_token
from nps.assessments.models import Round, RoundStatus

pytestmark = [pytest.mark.property, pytest.mark.django_db]

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
BOLTON = "E08000001"  # the demonstration editor's council
PERSONAS = {"council editor": "editor@demo.example", "national team": "national.admin@demo.example"}
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
]
EXAMPLES_PER_OPERATION = 6
MINIMUM_CASES_PER_PERSONA = 600


@pytest.fixture(scope="module")
def tokens(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The demonstration data, made once for the module and rolled back afterwards, and a token per persona."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("setup", stdout=io.StringIO())
        call_command("demo", stdout=io.StringIO())
        yield {persona: create_api_token(User.objects.get(email=email), "Tests") for persona, email in PERSONAS.items()}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    """Evidence files uploaded during the run go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def in_process() -> Iterator[WSGIHandler]:
    """The application, answering in this thread's database transaction: Django's test client keeps requests from
    closing the connection in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def api_schema(app: WSGIHandler) -> schemathesis.BaseSchema:
    """The OpenAPI document as the API serves it, with real values for the codes and ids that name what a persona
    works on, so requests reach past the lookups; everything else is generated."""
    open_round = Round.objects.get(status=RoundStatus.OPEN, is_demo=True)
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
                "no-shrink": True,
            },
            "checks": {"enabled": False, **{check: {"enabled": True} for check in CHECKS}},
            "parameters": {
                "gss_code": BOLTON,
                "round_id": open_round.pk,
                "index_code": "engaging-councillors",
                "framework": "nps",
                "version": "2018",
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def run(schema: schemathesis.BaseSchema, token: str) -> tuple[int, list[str]]:
    """Every operation's generated cases, each in a savepoint rolled back; the count, and each operation's failure."""
    cases = 0

    def call(case: schemathesis.Case) -> None:
        nonlocal cases
        cases += 1
        with transaction.atomic():
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
            transaction.set_rollback(True)

    failures = []
    for result in get_all_tests(schema=schema, test_func=call, settings=None, given_kwargs={}):
        if isinstance(result, Err):  # an operation the document describes in a way schemathesis cannot read
            failures.append(str(result.err()))
            continue
        operation, test = result.ok()
        try:
            test()
        except (Exception, BaseExceptionGroup) as error:  # schemathesis reports its findings as a group
            failures.append(f"{operation.label}: {error}")
    return cases, failures


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_every_generated_request_as_its_document_says(tokens, in_process, persona):
    cases, failures = run(api_schema(in_process), tokens[persona])
    print(f"\n{persona}: {cases} cases, {len(failures)} operations failing")
    assert failures == []
    assert cases >= MINIMUM_CASES_PER_PERSONA
