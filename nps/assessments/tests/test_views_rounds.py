import datetime
import re

import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Return, ReturnStatus, Round, RoundStatus
from nps.assessments.rounds import close_round, create_round
from nps.organisations.models import Kind
from nps.testing import answer_everything, load_nps_2018, make_open_round, make_organisation, make_region

pytestmark = pytest.mark.django_db
NOT_NATIONAL = ["editor", "viewer", "other_editor", "group_lead"]


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_only_the_national_team_sees_and_runs_rounds(request, client_for, council_return, persona):
    client = client_for(request.getfixturevalue(persona))
    round_id = council_return.round_id
    for url in ["/rounds/", "/rounds/new/", f"/rounds/{round_id}/"]:
        assert client.get(url).status_code == 404, url
    for url in [
        f"/rounds/{round_id}/close/",
        f"/rounds/{round_id}/open/",
        f"/rounds/{round_id}/deadline/",
        f"/rounds/{round_id}/returns/{council_return.organisation.gss_code}/reopen/",
    ]:
        assert (
            client.post(url, {"deadline_0": "1", "deadline_1": "1", "deadline_2": "2030", "reason": "x"}).status_code
            == 404
        ), url
    assert Round.objects.get(pk=round_id).status == RoundStatus.OPEN


def test_the_national_admin_creates_and_opens_a_round(client_for, national_admin, council_a):
    version = load_nps_2018()
    client = client_for(national_admin)
    response = client.post(
        "/rounds/new/",
        {
            "name": "2027 diagnostic",
            "framework_version": version.pk,
            "opens_on_0": "1",
            "opens_on_1": "4",
            "opens_on_2": "2027",
            "deadline_0": "30",
            "deadline_1": "6",
            "deadline_2": "2027",
            "invited_kinds": ["district_council"],
            "prefill_from": "",
        },
    )
    round_ = Round.objects.get(name="2027 diagnostic")
    assert response.url == f"/rounds/{round_.pk}/"
    client.post(f"/rounds/{round_.pk}/open/")
    assert Return.objects.get(round=round_).organisation == council_a
    html = text_of(client.get(f"/rounds/{round_.pk}/").content.decode())
    assert "1 invited: 1 not started, 0 in progress, 0 waiting for sign-off, 0 submitted" in html


def test_a_round_with_its_deadline_before_its_opening_is_refused(client_for, national_admin):
    version = load_nps_2018()
    response = client_for(national_admin).post(
        "/rounds/new/",
        {
            "name": "Backwards",
            "framework_version": version.pk,
            "opens_on_0": "1",
            "opens_on_1": "4",
            "opens_on_2": "2027",
            "deadline_0": "1",
            "deadline_1": "3",
            "deadline_2": "2027",
            "invited_kinds": ["district_council"],
        },
    )
    assert "The deadline must be on or after the opening date" in response.content.decode()
    assert not Round.objects.exists()


def test_extending_and_closing(client_for, national_admin, council_return):
    client = client_for(national_admin)
    round_id = council_return.round_id
    client.post(f"/rounds/{round_id}/deadline/", {"deadline_0": "28", "deadline_1": "2", "deadline_2": "2027"})
    assert str(Round.objects.get(pk=round_id).deadline) == "2027-02-28"
    response = client.post(
        f"/rounds/{round_id}/deadline/", {"deadline_0": "1", "deadline_1": "1", "deadline_2": "2027"}, follow=True
    )
    assert "The new deadline must be after the current one" in response.content.decode()
    confirmation = client.get(f"/rounds/{round_id}/close/").content.decode()
    assert "2 returns not submitted" in confirmation and Round.objects.get(pk=round_id).status == RoundStatus.OPEN
    client.post(f"/rounds/{round_id}/close/", {"confirm": "True"})
    assert Round.objects.get(pk=round_id).status == RoundStatus.CLOSED


def reopen_url(council_return: Return) -> str:
    return f"/rounds/{council_return.round_id}/returns/{council_return.organisation.gss_code}/reopen/"


def test_reopening_a_councils_return_on_request(client_for, national_admin, editor, council_return):
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    client = client_for(national_admin)
    assert "Why reopen this return" in client.post(reopen_url(council_return), {"reason": ""}).content.decode()
    client.post(reopen_url(council_return), {"reason": "Council asked to correct an answer"})
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.IN_PROGRESS


def test_reopening_asks_first_and_says_what_happens_to_the_return(client_for, national_admin, submitted_return):
    page = text_of(client_for(national_admin).get(reopen_url(submitted_return)).content.decode())
    assert "it goes back to the council's editors, in progress" in page
    assert "its editors must submit it again" in page
    assert "its figures leave the round's results" in page and "until it is submitted again" in page
    assert "nobody is emailed" in page
    assert Return.objects.get(pk=submitted_return.pk).status == ReturnStatus.SUBMITTED


def test_a_return_that_is_not_submitted_is_not_offered_for_reopening(client_for, national_admin, council_return):
    client = client_for(national_admin)
    page = client.get(reopen_url(council_return)).content.decode()
    assert "Only a submitted return can be reopened. This return is not started" in page
    assert "Why reopen this return" not in page
    refused = client.post(reopen_url(council_return), {"reason": "Asked"})
    assert refused.status_code == 200 and "Only a submitted return can be reopened." in refused.content.decode()
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.NOT_STARTED


def test_a_return_in_a_closed_round_is_not_offered_for_reopening(client_for, national_admin, submitted_return):
    close_round(submitted_return.round, by=national_admin)
    page = client_for(national_admin).get(reopen_url(submitted_return)).content.decode()
    assert "The round is closed: reopen is possible only while it is open." in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_only_the_national_team_sees_the_reopen_page(request, client_for, submitted_return, persona):
    assert client_for(request.getfixturevalue(persona)).get(reopen_url(submitted_return)).status_code == 404


def test_reopening_a_council_not_in_the_round_is_not_found(client_for, national_admin, submitted_return):
    url = f"/rounds/{submitted_return.round_id}/returns/E99999999/reopen/"
    assert client_for(national_admin).get(url).status_code == 404


def test_the_round_list_counts_returns(client_for, national_admin, council_return):
    html = client_for(national_admin).get("/rounds/").content.decode()
    assert "2026 diagnostic" in html


# The list of returns on the round page: search, filters and pages ---------------------------------------------------


def text_of(html: str) -> str:
    """The page's words, without tags, spaces collapsed and none before punctuation."""
    return re.sub(r" ([,.:])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def listed(html: str) -> list[str]:
    """The organisations the page lists, in order."""
    return re.findall(r'<dt class="govuk-summary-list__key"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def many_councils(db):
    """A round inviting 60 district councils in two regions and 2 unitary authorities; Bolton has submitted."""
    north_west, london = make_region(), make_region("London", "E12000007")
    councils = [make_organisation(f"District {n:02}", region=london if n % 2 else north_west) for n in range(60)]
    bolton = make_organisation("Bolton", kind=Kind.UNITARY_AUTHORITY, region=north_west)
    councils += [bolton, make_organisation("Bury", kind=Kind.UNITARY_AUTHORITY, region=north_west)]
    round_ = make_open_round(*councils)
    Return.objects.filter(round=round_, organisation=bolton).update(status=ReturnStatus.SUBMITTED)
    return round_


def test_the_round_page_lists_fifty_returns_a_page_by_name(client_for, national_admin, many_councils):
    client = client_for(national_admin)
    first = client.get(f"/rounds/{many_councils.pk}/").content.decode()
    assert listed(first)[:3] == ["Bolton", "Bury", "District 00"] and len(listed(first)) == 50
    assert "All 62 returns, by name." in first and "Page 1 of 2" in first
    second = client.get(f"/rounds/{many_councils.pk}/?page=2").content.decode()
    assert listed(second)[-1] == "District 59" and len(listed(second)) == 12


def test_the_national_team_finds_returns_by_name_status_region_and_type(client_for, national_admin, many_councils):
    def find(query: str) -> list[str]:
        return listed(client_for(national_admin).get(f"/rounds/{many_councils.pk}/?{query}").content.decode())

    assert find("q=bol") == ["Bolton"]
    assert find("status=submitted") == ["Bolton"]
    assert find("region=E12000002&kind=unitary_authority") == ["Bolton", "Bury"]
    assert find("q=district+1&region=E12000007") == [f"District {n}" for n in (11, 13, 15, 17, 19)]
    assert find("q=Wigan") == []


def test_the_filters_applied_are_shown_and_kept_in_the_page_links(client_for, national_admin, many_councils):
    response = client_for(national_admin).get(f"/rounds/{many_councils.pk}/?region=E12000007&q=district")
    html = text_of(response.content.decode())
    assert "30 of 62 returns match: Name or GSS code: “district” Region: London" in html
    assert 'value="district"' in response.content.decode()
    assert "Clear filters" in html and "Page 1 of 1" not in html
    kept = client_for(national_admin).get(f"/rounds/{many_councils.pk}/?kind=district_council").content.decode()
    assert 'href="?kind=district_council&amp;page=2"' in kept


def test_filters_not_offered_are_refused_with_a_message_not_an_error_page(client_for, national_admin, many_councils):
    response = client_for(national_admin).get(
        f"/rounds/{many_councils.pk}/?region=nowhere&status=lost&kind=fire_authority&q={'x' * 101}&page=last"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: 2026 diagnostic" in html
    for message in [
        "Choose a region from the list",
        "Choose a return status from the list",
        "Choose a type of organisation from the list",
        "Enter at most 100 characters of the name",
    ]:
        assert message in html
    assert listed(html)[0] == "Bolton" and len(listed(html)) == 50  # no filter applies; a page that is not one: 1


def test_a_filter_refused_leaves_the_others_applied(client_for, national_admin, many_councils):
    html = client_for(national_admin).get(f"/rounds/{many_councils.pk}/?region=nowhere&kind=unitary_authority")
    assert listed(html.content.decode()) == ["Bolton", "Bury"]
    assert "Choose a region from the list" in html.content.decode()


def test_a_round_with_nobody_invited_says_so(client_for, national_admin):
    round_ = create_round(
        name="2027 diagnostic",
        framework_version=load_nps_2018(),
        opens_on=datetime.date(2027, 4, 1),
        deadline=datetime.date(2027, 6, 30),
        invited_kinds=["district_council"],
        prefill_from=None,
        requires_sign_off=True,
        allow_unconfirmed_prefill=False,
        by=None,
    )
    html = client_for(national_admin).get(f"/rounds/{round_.pk}/").content.decode()
    assert "No organisations are invited yet" in html and "Apply filters" not in html


def test_only_a_submitted_return_offers_validation_and_only_in_an_open_round_reopening(
    client_for, national_admin, many_councils
):
    client = client_for(national_admin)
    bolton = Return.objects.get(round=many_councils, organisation__name="Bolton").organisation.gss_code
    html = client.get(f"/rounds/{many_councils.pk}/").content.decode()
    assert html.count("/validation/") == 1 and html.count("/reopen/") == 1 and f"/returns/{bolton}/reopen/" in html
    close_round(many_councils, by=national_admin)
    html = client.get(f"/rounds/{many_councils.pk}/").content.decode()
    assert html.count("/validation/") == 1 and "/reopen/" not in html


def test_the_round_list_shows_the_newest_round_first(client_for, national_admin, council_a):
    for name in ["2021 diagnostic", "2025 diagnostic", "2018 diagnostic"]:
        make_open_round(council_a, name=name)
    html = client_for(national_admin).get("/rounds/").content.decode()
    assert html.index("2025 diagnostic") < html.index("2021 diagnostic") < html.index("2018 diagnostic")
