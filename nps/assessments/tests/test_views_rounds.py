import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Return, ReturnStatus, Round, RoundStatus
from nps.testing import answer_everything, load_nps_2018

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
    html = client.get(f"/rounds/{round_.pk}/").content.decode()
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


def test_reopening_a_councils_return_on_request(client_for, national_admin, editor, council_return):
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    url = f"/rounds/{council_return.round_id}/returns/{council_return.organisation.gss_code}/reopen/"
    client = client_for(national_admin)
    assert "Why reopen this return" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "Council asked to correct an answer"})
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.IN_PROGRESS


def test_the_round_list_counts_returns(client_for, national_admin, council_return):
    html = client_for(national_admin).get("/rounds/").content.decode()
    assert "2026 diagnostic" in html
