import pytest

from nps.assessments.models import Return, Round
from nps.frameworks.models import FrameworkVersion
from nps.testing import load_nps_2018

pytestmark = pytest.mark.django_db
LEVELS = {f"level_{n}": f"Level {n}." for n in range(1, 6)}


@pytest.fixture
def national():
    return load_nps_2018()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("group_lead", 200), ("national_admin", 200), ("editor", 404), ("other_editor", 404), ("viewer", 404)],
)
def test_only_the_group_lead_and_the_national_team_manage_the_regional_strategy(
    request, client_for, group, national, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/strategy/regional/{group.gss_code}/").status_code == status
    if status == 404:
        assert client.post(f"/strategy/regional/{group.gss_code}/derive/").status_code == 404
        assert not FrameworkVersion.objects.filter(framework__owner=group).exists()


def test_a_group_lead_derives_adds_an_index_publishes_and_runs_a_round(
    client_for, group_lead, group, council_a, council_b, national
):
    client = client_for(group_lead)
    response = client.post(f"/strategy/regional/{group.gss_code}/derive/", {"title": "Our strategy"})
    draft = FrameworkVersion.objects.get(framework__owner=group)
    edit = f"/strategy/manage/{draft.framework.code}/{draft.code}/"
    assert response.url == edit
    client.post(edit + "themes/new/", {"code": "ethical-procurement", "title": "Ethical procurement"})
    client.post(
        edit + "indices/new/",
        {
            "code": "modern-slavery",
            "title": "Tackling modern slavery",
            "place": "ethical-procurement",
            "description": "D.",
            "what_it_is": "W.",
            "why_it_is_important": "Y.",
            "priority": "on",
            **LEVELS,
        },
    )
    confirmation = client.get(edit + "indices/engaging-strategic-suppliers/retire/").content.decode()
    assert "strategy no longer includes it" in confirmation and "What replaces it" not in confirmation
    client.post(edit + "indices/engaging-strategic-suppliers/retire/", {"confirm": "1"})
    assert client.post(edit + "publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    own = draft.indices.get(code="modern-slavery")
    assert own.is_own and own.is_priority
    assert not draft.indices.filter(code="engaging-strategic-suppliers").exists()
    assert not draft.replacements.exists()  # a group retires national indices for itself without a mapping
    client.post(
        f"/groups/{group.gss_code}/rounds/new/",
        {
            "name": "Regional 2027",
            "framework_version": draft.pk,
            "opens_on_0": "1",
            "opens_on_1": "4",
            "opens_on_2": "2027",
            "deadline_0": "30",
            "deadline_1": "6",
            "deadline_2": "2027",
            "invited_kinds": [council_a.kind, council_b.kind],
        },
    )
    round_ = Round.objects.get(name="Regional 2027")
    assert round_.run_by == group
    assert list(Return.objects.filter(round=round_).values_list("organisation__name", flat=True)) == ["Alderley"]
    assert Return.objects.get(round=round_).answers.filter(index__code="modern-slavery").exists()


def test_another_groups_lead_cannot_edit_this_groups_strategy(client_for, group, group_lead, national, council_b):
    from nps.accounts.models import Role
    from nps.organisations.models import Kind
    from nps.testing import make_organisation, make_user

    client_for(group_lead).post(f"/strategy/regional/{group.gss_code}/derive/", {"title": "Ours"})
    draft = FrameworkVersion.objects.get(framework__owner=group)
    other = make_organisation("Other Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    other_lead = make_user("lead@other.example", organisation=other, role=Role.GROUP_LEAD)
    client = client_for(other_lead)
    assert client.get(f"/strategy/manage/{draft.framework.code}/{draft.code}/").status_code == 404
    assert client.post(f"/strategy/manage/{draft.framework.code}/{draft.code}/publish/").status_code == 404
    assert client.get(f"/strategy/regional/{group.gss_code}/").status_code == 404
