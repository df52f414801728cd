import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_url(group, published_round):
    return f"/groups/{group.gss_code}/rounds/{published_round.pk}/"


@pytest.fixture
def members(group, peers):
    group.members.add(*peers[:4])  # council A and four peers: five members


@pytest.mark.parametrize("page", ["", "report.pdf"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("group_lead", 200), ("national_admin", 200), ("editor", 404), ("viewer", 404), ("other_editor", 404)],
)
def test_only_the_group_lead_and_the_national_team_see_the_regional_report(
    request, client_for, members, group_url, page, persona, status
):
    assert client_for(request.getfixturevalue(persona)).get(group_url + page).status_code == status


def test_the_regional_report_shows_who_submitted_and_aggregates_only(
    client_for, group_lead, members, group_url, settings
):
    settings.MINIMUM_GROUP_SIZE = 2  # at five, England less the group would give South East's two away
    html = client_for(group_lead).get(group_url).content.decode()
    assert "Who has submitted" in html and "Peer 3" in html and "Southern" not in html
    assert "(40.0%)" in html  # two of the five members at Developing
    assert "Levels per index among" in html


def test_a_group_too_small_to_keep_members_anonymous_is_suppressed(client_for, group_lead, group_url):
    html = client_for(group_lead).get(group_url).content.decode()  # council A alone
    assert "Withheld: fewer than 5 councils" in html
    assert "so they are withheld: Alderley and Ribble Combined Authority (group), District council" in html
    assert "%)" not in html.split("Who has submitted")[1]  # not one share of a level is shown


def test_another_groups_lead_gets_404(client_for, members, group_url, council_b):
    from nps.accounts.models import Role
    from nps.organisations.models import Kind
    from nps.testing import make_organisation, make_user

    other_group = make_organisation("Other Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    other_group.members.add(council_b)
    lead = make_user("lead@other.example", organisation=other_group, role=Role.GROUP_LEAD)
    assert client_for(lead).get(group_url).status_code == 404
    assert client_for(lead).get(f"/groups/{other_group.gss_code}/rounds/{group_url.split('/')[-2]}/").status_code == 404


def test_while_the_round_is_open_the_group_sees_who_submitted_but_no_levels(
    client_for, group_lead, group, peers, council_a, national_admin
):
    from nps.insights.tests.conftest import submit_everything
    from nps.testing import make_open_round

    group.members.add(*peers[:4])
    open_round = make_open_round(council_a, *peers, name="2026 diagnostic")
    submit_everything(open_round, national_admin, {})
    html = client_for(group_lead).get(f"/groups/{group.gss_code}/rounds/{open_round.pk}/").content.decode()
    assert "Who has submitted" in html and "The members&#x27; levels appear once the round has closed" in html
    assert "(100.0%)" not in html


def test_a_group_that_england_less_would_give_other_councils_away_is_withheld(
    client_for, group_lead, members, group_url
):
    html = client_for(group_lead).get(group_url).content.decode()  # five members; England less them is two councils
    assert "Withheld: with other published figures it would reveal fewer than 5 councils" in html
    assert "added to or subtracted from other published figures" in html


def test_before_publication_the_group_sees_who_submitted_but_no_levels(
    client_for, group_lead, members, group, closed_round
):
    html = client_for(group_lead).get(f"/groups/{group.gss_code}/rounds/{closed_round.pk}/").content.decode()
    assert (
        "Peer 3" in html
        and "The members&#x27; levels appear when the results of 2025 diagnostic are published." in html
    )
    assert "%)" not in html.split("Who has submitted")[1]
