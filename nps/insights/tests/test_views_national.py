import datetime
import subprocess

import pytest
from django.utils import timezone

from nps.assessments.models import Round
from nps.testing import make_open_round

pytestmark = pytest.mark.django_db
NOT_NATIONAL = ["editor", "viewer", "other_editor", "group_lead"]


@pytest.mark.parametrize("page", ["progress/", "report/", "report.pdf", "publish/", "publish/withdraw/"])
@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_the_national_pages_are_the_national_teams_only(request, client_for, closed_round, page, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/rounds/{closed_round.pk}/{page}").status_code == 404
    assert client.post(f"/rounds/{closed_round.pk}/publish/", {**EMBARGO_2030, "confirm": "1"}).status_code == 404
    assert Round.objects.get(pk=closed_round.pk).published_at is None


def test_progress_shows_response_by_region_and_type_and_who_has_not_submitted(
    client_for, national_admin, council_a, peers, closed_round
):
    open_round = make_open_round(council_a, *peers, name="2026 diagnostic")
    html = client_for(national_admin).get(f"/rounds/{open_round.pk}/progress/").content.decode()
    assert "0 of 7 submitted" in html
    assert "Not yet submitted (7)" in html and "Peer 3" in html
    assert "District council" in html and "South East" in html


def test_the_national_report_shows_distributions_medians_and_movement(
    client_for, national_admin, council_a, peers, closed_round
):
    from nps.insights.tests.conftest import submit_everything

    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    submit_everything(later, national_admin, {"Alderley": 4, "Peer 0": 1})
    html = client_for(national_admin).get(f"/rounds/{later.pk}/report/", {"compare": closed_round.pk}).content.decode()
    assert "7 councils submitted." in html
    assert "Since 2025 diagnostic: 1 councils moved up, 4 stayed and 2 moved down, of 7 that gave a level" in html
    assert "Median" in html and "(71.4%)" in html  # five of seven at Developing
    assert 'role="img"' in html


def test_the_national_report_takes_a_fixed_number_of_queries(
    client_for, national_admin, closed_round, council_a, django_assert_max_num_queries
):
    from nps.testing import make_organisation

    client = client_for(national_admin)
    client.get(f"/rounds/{closed_round.pk}/report/")
    with django_assert_max_num_queries(8) as captured:
        client.get(f"/rounds/{closed_round.pk}/report/")
    before = len(captured.captured_queries)
    from nps.insights.tests.conftest import submit_everything

    more = [make_organisation(f"More {n}", council_a.kind, council_a.region) for n in range(10)]
    bigger = make_open_round(council_a, *more, name="2026 diagnostic")
    submit_everything(bigger, national_admin, {})
    client.get(f"/rounds/{bigger.pk}/report/")
    with django_assert_max_num_queries(before):
        client.get(f"/rounds/{bigger.pk}/report/")


def test_the_national_report_as_pdf(client_for, national_admin, closed_round, tmp_path):
    response = client_for(national_admin).get(f"/rounds/{closed_round.pk}/report.pdf")
    pdf = tmp_path / "national.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "National report: 2025 diagnostic" in text and "Engaging councillors" in text


EMBARGO_2030 = {"embargo_date_0": "1", "embargo_date_1": "1", "embargo_date_2": "2030"}


def test_publishing_needs_a_closed_round(client_for, national_admin, council_a):
    round_ = make_open_round(council_a)
    client = client_for(national_admin)
    page = client.get(f"/rounds/{round_.pk}/publish/").content.decode()
    assert "Close the round before publishing its results. 2026 diagnostic is open." in page
    assert 'name="embargo_date_0"' not in page
    for data in [EMBARGO_2030, {**EMBARGO_2030, "confirm": "1"}]:
        html = client.post(f"/rounds/{round_.pk}/publish/", data).content.decode()
        assert "Close the round before publishing its results." in html and "Check before you publish" not in html
    assert Round.objects.get(pk=round_.pk).published_at is None


def test_publishing_asks_first_and_says_who_sees_what_from_when(client_for, national_admin, closed_round):
    client = client_for(national_admin)
    check = client.post(f"/rounds/{closed_round.pk}/publish/", EMBARGO_2030).content.decode()
    assert "Check before you publish the results" in check and "9:30am on 1 January 2030" in check
    assert "Anyone, without signing in, sees the figures" in check and "Nobody is emailed" in check
    assert Round.objects.get(pk=closed_round.pk).published_at is None
    client.post(f"/rounds/{closed_round.pk}/publish/", {**EMBARGO_2030, "confirm": "1"})
    round_ = Round.objects.get(pk=closed_round.pk)
    assert round_.published_at is not None
    assert round_.embargo_until == timezone.make_aware(datetime.datetime(2030, 1, 1, 9, 30))
    assert not round_.is_public()


def test_publishing_now_leaves_the_embargo_blank(client_for, national_admin, closed_round):
    client = client_for(national_admin)
    check = client.post(f"/rounds/{closed_round.pk}/publish/", {"embargo_date_0": ""}).content.decode()
    assert "Now, as soon as you publish (no embargo)" in check and not Round.objects.get(pk=closed_round.pk).is_public()
    response = client.post(f"/rounds/{closed_round.pk}/publish/", {"embargo_date_0": "", "confirm": "1"}, follow=True)
    assert "Published. The results are public now." in response.content.decode()
    assert Round.objects.get(pk=closed_round.pk).is_public()


def test_published_results_are_not_offered_for_publishing_again(client_for, national_admin, published_round):
    client = client_for(national_admin)
    page = client.get(f"/rounds/{published_round.pk}/publish/").content.decode()
    assert "Withdraw the published results" in page and 'name="embargo_date_0"' not in page
    client.post(f"/rounds/{published_round.pk}/publish/", {**EMBARGO_2030, "confirm": "1"})
    assert Round.objects.get(pk=published_round.pk).is_public()


def test_withdrawing_results_not_published_is_explained(client_for, national_admin, closed_round):
    page = client_for(national_admin).get(f"/rounds/{closed_round.pk}/publish/withdraw/").content.decode()
    assert "are not published, so there is nothing to withdraw" in page and "Withdraw the results</button>" not in page


def test_an_embargo_date_that_has_passed_is_refused_on_the_page(client_for, national_admin, closed_round):
    response = client_for(national_admin).post(
        f"/rounds/{closed_round.pk}/publish/", {"embargo_date_0": "1", "embargo_date_1": "1", "embargo_date_2": "2020"}
    )
    assert "The embargo must be in the future: 9:30am on 1 January 2020 has passed." in response.content.decode()
    assert Round.objects.get(pk=closed_round.pk).published_at is None


def test_withdrawing_asks_first_and_says_what_disappears(client_for, national_admin, published_round):
    client = client_for(national_admin)
    page = client.get(f"/rounds/{published_round.pk}/publish/withdraw/").content.decode()
    assert "the public results page and its open data" in page and Round.objects.get(pk=published_round.pk).is_public()
    client.post(f"/rounds/{published_round.pk}/publish/withdraw/")
    assert Round.objects.get(pk=published_round.pk).published_at is None


@pytest.mark.parametrize("persona", NOT_NATIONAL)
def test_only_the_national_team_withdraws(request, client_for, published_round, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/rounds/{published_round.pk}/publish/withdraw/").status_code == 404
    assert Round.objects.get(pk=published_round.pk).is_public()
