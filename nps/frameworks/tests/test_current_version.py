"""Which version of a framework is current: never a side effect of loading a file, always a choice of the national
team (or a group's lead for its regional strategy), recorded in the audit trail."""

import pytest

from nps.accounts.models import Role
from nps.core.models import AuditEvent
from nps.frameworks.exporter import export_framework
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import Framework, FrameworkVersion
from nps.frameworks.queries import current_national_version
from nps.frameworks.schema import FrameworkFileError
from nps.frameworks.services import create_draft, derive_strategy, make_current, publish_version
from nps.organisations.models import Kind
from nps.testing import load_nps_2018, make_organisation, make_user, nps_2026_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    return load_nps_2018()


def round_trip_under_a_new_code(version: FrameworkVersion, code: str) -> str:
    return export_framework(version).replace("code: '2018'", f"code: '{code}'", 1)


def test_a_new_version_that_does_not_say_what_it_follows_is_refused_and_nothing_changes(national):
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(round_trip_under_a_new_code(national, "2018-copy"))
    assert [problem.place for problem in error.value.problems] == ["version.follows"]
    assert str(error.value.problems[0]).startswith(
        "version.follows: is missing: 'nps' already has versions ('2018'), so say which one this version follows "
        '(follows: {framework: nps, version: "2018"}), or start afresh with fresh_start: true'
    )
    assert FrameworkVersion.objects.count() == 1 and current_national_version() == national


def test_a_fresh_start_is_loaded_but_the_current_version_stays(client, national):
    text = round_trip_under_a_new_code(national, "2018-copy").replace("version:\n", "version:\n  fresh_start: true\n")
    fresh = load_framework_file(text)
    assert fresh.is_published and fresh.parent is None
    assert current_national_version() == national
    assert (
        "National Procurement Strategy for Local Government in England 2018"
        in client.get("/strategy/").content.decode()
    )
    assert "fresh_start: true" in export_framework(fresh)


def test_a_fresh_start_cannot_also_follow_a_version(national):
    with pytest.raises(FrameworkFileError, match="version.fresh_start: a fresh start follows no version"):
        load_framework_file(nps_2026_text().replace("version:\n", "version:\n  fresh_start: true\n"))


def test_a_following_version_becomes_current_only_when_made_so(client, national, national_admin):
    later = load_framework_file(nps_2026_text())
    assert later.is_published and current_national_version() == national
    make_current(later, by=national_admin)
    assert current_national_version() == later
    assert "NPS 2026 (test)" in client.get("/strategy/").content.decode()
    event = AuditEvent.objects.get(action="framework_made_current")
    assert event.actor == national_admin and "instead of National Procurement Strategy" in event.description


def test_publishing_a_draft_does_not_make_it_current(national):
    draft = create_draft(national, code="2026", title="NPS 2026", by=None)
    publish_version(draft, by=None)
    assert current_national_version() == national


def test_a_draft_cannot_be_made_current(national, national_admin):
    draft = create_draft(national, code="2026", title="NPS 2026", by=None)
    with pytest.raises(FrameworkFileError, match="publish it before making it current"):
        make_current(draft, by=national_admin)
    assert current_national_version() == national
    assert not AuditEvent.objects.filter(action="framework_made_current").exists()


def test_the_national_team_makes_a_version_current_on_the_versions_page(client_for, national, national_admin):
    load_framework_file(nps_2026_text())
    client = client_for(national_admin)
    assert "Make current" in client.get("/strategy/versions/").content.decode()
    response = client.post("/strategy/manage/nps/2026/make-current/", follow=True)
    assert "NPS 2026 (test) is now the current version" in response.content.decode()
    assert current_national_version().code == "2026"


@pytest.mark.parametrize("persona", ["editor", "viewer", "group_lead"])
def test_nobody_else_makes_a_national_version_current(request, client_for, national, persona):
    load_framework_file(nps_2026_text())
    client = client_for(request.getfixturevalue(persona))
    assert "Make current" not in client.get("/strategy/versions/").content.decode()
    assert client.post("/strategy/manage/nps/2026/make-current/").status_code == 404
    assert client.post("/api/v1/frameworks/nps/versions/2026/make-current").status_code == 404
    assert current_national_version() == national


def test_a_group_lead_chooses_the_current_version_of_the_groups_strategy(client_for, group, group_lead, national):
    first = derive_strategy(group, national, title="Our strategy", by=group_lead)
    publish_version(first, by=group_lead)
    first.refresh_from_db()
    second = create_draft(first, code="2018-2", title="Our strategy, revised", by=group_lead)
    publish_version(second, by=group_lead)
    assert Framework.objects.get(owner=group).current_version == first
    other_lead = make_user(
        "lead@other.example",
        organisation=make_organisation("Other group", kind=Kind.COMBINED_AUTHORITY),
        role=Role.GROUP_LEAD,
    )
    url = f"/strategy/manage/{first.framework.code}/2018-2/make-current/"
    assert client_for(other_lead).post(url).status_code == 404
    assert client_for(group_lead).post(url).status_code == 302
    assert Framework.objects.get(owner=group).current_version == second
    assert current_national_version() == national


def test_the_api_makes_a_version_current_and_says_which_is(client_for, national, national_admin):
    load_framework_file(nps_2026_text())
    client = client_for(national_admin)
    response = client.post("/api/v1/frameworks/nps/versions/2026/make-current")
    assert response.status_code == 200 and response.json()["is_current"] is True
    versions = {v["code"]: v["is_current"] for v in client.get("/api/v1/frameworks/").json()[0]["versions"]}
    assert versions == {"2026": True, "2018": False}
