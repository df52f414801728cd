import csv
import io

import pytest

from nps.accounts.models import Role
from nps.assessments.answers import submit_return
from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round
from nps.insights.figures import round_figures
from nps.insights.publication import publish_results
from nps.insights.reports import index_reports
from nps.insights.suppression import withholding
from nps.insights.tests.conftest import submit_everything
from nps.organisations.models import Kind, Nation
from nps.testing import answer_everything, make_open_round, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db
INDEX = "engaging-councillors"


def welsh_councils(count: int) -> list:
    wales = make_region("Wales", "W92000004")
    return [
        make_organisation(f"Cyngor {n}", Kind.WELSH_UNITARY, wales, nation=Nation.WALES, gss_code=f"W0600{n:04d}")
        for n in range(count)
    ]


def figures_rows(client, round_) -> list[dict[str, str]]:
    response = client.get(f"/results/{round_.pk}/figures.csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def round_of_both_nations(council_a, peers, national_admin):
    """Seven English councils and five Welsh ones submitted."""
    round_ = make_open_round(council_a, *peers, *welsh_councils(5), name="2025 diagnostic")
    submit_everything(round_, national_admin, {"Alderley": 3, "Cyngor 0": 4})
    close_round(round_, by=national_admin)
    round_ = Round.objects.get(pk=round_.pk)
    publish_results(round_, embargo_until=None, by=national_admin)
    return round_


def test_figures_are_broken_down_by_nation_with_england_only_figures_beside_the_total(client, round_of_both_nations):
    rows = {(row["scope"], row["group"]): row for row in figures_rows(client, round_of_both_nations)}
    assert rows[("National", "England and Wales")]["councils_with_a_level"] == "12"
    assert rows[("Nation", "England")]["councils_with_a_level"] == "7"
    assert rows[("Nation", "Wales")]["councils_with_a_level"] == "5"
    assert rows[("Council type", "Welsh unitary authority")]["councils_with_a_level"] == "5"
    html = client.get(f"/results/{round_of_both_nations.pk}/").content.decode()
    assert "England and Wales" in html and "Welsh unitary authority" in html


def test_a_nation_with_too_few_councils_is_withheld_and_so_is_england_less_it(council_a, peers, national_admin):
    round_ = make_open_round(council_a, *peers, *welsh_councils(1), name="2025 diagnostic")
    submit_everything(round_, national_admin, {})
    close_round(round_, by=national_admin)
    round_ = Round.objects.get(pk=round_.pk)
    [report, *_] = index_reports(round_figures(round_), withholding=withholding(round_))
    figures = {(line.scope, line.name): line.figure for line in report.lines}
    assert figures[("Nation", "Wales")].reason.value == "too_few"
    assert figures[("Nation", "England")].reason.value == "combination"  # all councils less England is one council


def test_a_round_of_english_councils_only_is_named_england_with_no_nation_lines(closed_round):
    [report, *_] = index_reports(round_figures(closed_round), withholding=None)
    assert report.lines[0].name == "England"
    assert not [line for line in report.lines if line.scope == "Nation"]


def test_a_welsh_council_takes_part_end_to_end(client_for, council_a, peers, national_admin, settings):
    settings.MINIMUM_GROUP_SIZE = 2
    councils = welsh_councils(3)
    editor = make_user("eleri@cyngor.example", organisation=councils[0], role=Role.EDITOR)
    round_ = make_open_round(council_a, *peers, *councils, name="2025 diagnostic")
    own = Return.objects.get(round=round_, organisation=councils[0])
    answer_everything(own, editor, level=3)
    response = client_for(editor).post(f"/organisations/{councils[0].gss_code}/rounds/{round_.pk}/submit/")
    assert response.status_code == 302
    for council_return in Return.objects.filter(round=round_).exclude(pk=own.pk):
        answer_everything(council_return, national_admin)
        submit_return(council_return, by=national_admin)
    close_round(Round.objects.get(pk=round_.pk), by=national_admin)
    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=national_admin)
    assert Return.objects.get(pk=own.pk).submitted_by == editor
    page = client_for(editor).get(f"/organisations/{councils[0].gss_code}/rounds/{round_.pk}/dashboard/")
    html = page.content.decode()
    assert "Welsh unitary authorities" in html and "England and Wales" in html
