import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from nps.accounts.models import Membership, User
from nps.core.demo import DEMO_ACCOUNTS, create_demo_accounts
from nps.core.models import AuditEvent
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Kind, Organisation
from nps.testing import database_refuses, database_rows, make_organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def test_setup_loads_everything_and_a_second_run_changes_nothing():
    first = run("setup")
    assert "Framework nps 2018: loaded" in first
    counts = (Organisation.objects.count(), FrameworkVersion.objects.count())
    second = run("setup")
    assert "Framework nps 2018: already loaded." in second
    assert (Organisation.objects.count(), FrameworkVersion.objects.count()) == counts


def test_demo_creates_one_labelled_account_per_role_and_can_run_again():
    run("setup")
    output = run("demo")
    run("demo")
    assert "password for all: demo-password-2018" in output
    users = User.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS])
    assert users.count() == 6
    assert all(user.is_demo and "(demonstration account)" in user.last_name for user in users)
    assert users.filter(is_national_admin=True).count() == 1
    roles = set(Membership.objects.filter(user__in=users).values_list("role", "organisation__name"))
    assert roles == {
        ("group_lead", "Greater Manchester"),
        ("editor", "Bolton"),
        ("viewer", "Bolton"),
        ("approver", "Bury"),
        ("editor", "Cornwall"),
    }
    assert User.objects.get(email="editor@demo.example").check_password("demo-password-2018")


def test_demo_asks_for_setup_first():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nps setup"):
        run("demo")


@pytest.fixture
def demonstration_councils():
    make_organisation("Greater Manchester", kind=Kind.COMBINED_AUTHORITY, gss_code="E47000001")
    make_organisation("Bolton", kind=Kind.METROPOLITAN_DISTRICT, gss_code="E08000001")
    make_organisation("Bury", kind=Kind.METROPOLITAN_DISTRICT, gss_code="E08000002")
    make_organisation("Cornwall", kind=Kind.UNITARY_AUTHORITY, gss_code="E06000052")


def test_setting_up_the_demonstration_accounts_is_in_the_audit_trail(demonstration_councils):
    create_demo_accounts()
    event = AuditEvent.objects.get(action="demo_accounts_set")
    assert "shared password" in event.description and "editor@demo.example" in event.description


def test_setting_up_the_demonstration_accounts_is_all_or_nothing(demonstration_councils):
    before = database_rows()
    with database_refuses("INSERT", Membership), pytest.raises(IntegrityError):
        create_demo_accounts()
    assert database_rows() == before
