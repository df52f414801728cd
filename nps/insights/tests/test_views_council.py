import pytest

from nps.assessments.actions import plan_action
from nps.assessments.models import Return
from nps.testing import make_open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(published_round, council_a):
    return f"/organisations/{council_a.gss_code}/rounds/{published_round.pk}/"


@pytest.mark.parametrize("page", ["dashboard/", "report/", "report.pdf"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)],
)
def test_only_the_council_and_the_national_team_see_its_dashboard_and_report(
    request, client_for, url, page, persona, status
):
    assert client_for(request.getfixturevalue(persona)).get(url + page).status_code == status


def test_the_dashboard_shows_position_target_gap_and_peers_without_anyone_elses_answer(
    client_for, viewer, url, settings
):
    settings.MINIMUM_GROUP_SIZE = 2  # show the two regions of this small test
    html = client_for(viewer).get(url + "dashboard/").content.decode()
    assert 'role="img"' in html and "current level and target" in html
    assert "The figures behind the chart" in html
    assert "1 level to go" in html
    assert "District councils" in html and "North West" in html and "England" in html
    assert "Median Developing" in html  # seven district councils: 1, 2, 2, 2, 3, 4, 4
    assert "3 below you, 1 at your level, 1 above" in html  # North West: 1, 2, 2, 3, 4 with council A at 3
    assert "Peer 0" not in html and "Southern" not in html


def test_a_small_peer_group_is_suppressed(client_for, viewer, url, settings):
    settings.MINIMUM_GROUP_SIZE = 6  # North West has five councils
    html = client_for(viewer).get(url + "dashboard/").content.decode()
    assert "Withheld: fewer than 6 councils" in html


def test_before_publication_the_dashboard_says_when_peers_appear(client_for, viewer, council_a, closed_round):
    html = client_for(viewer).get(f"/organisations/{council_a.gss_code}/rounds/{closed_round.pk}/dashboard/")
    assert (
        "Comparisons with other councils appear when the results of 2025 diagnostic are published."
        in html.content.decode()
    )
    assert "below you" not in html.content.decode()


def test_the_dashboard_shows_movement_since_earlier_rounds(
    client_for, editor, closed_round, council_a, peers, national_admin
):
    from nps.insights.tests.conftest import submit_everything

    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    submit_everything(later, national_admin, {"Alderley": 4})
    html = client_for(editor).get(f"/organisations/{council_a.gss_code}/rounds/{later.pk}/dashboard/").content.decode()
    assert "2025 diagnostic: Mature" in html and "Up 1" in html


def test_the_dashboard_takes_a_fixed_number_of_queries(
    client_for, viewer, published_round, council_a, peers, national_admin, django_assert_max_num_queries
):
    from nps.insights.tests.conftest import submit_everything

    client = client_for(viewer)
    url = f"/organisations/{council_a.gss_code}/rounds/{published_round.pk}/dashboard/"
    client.get(url)  # fills the shared figures cache
    with django_assert_max_num_queries(24) as captured:
        client.get(url)
    few_rounds = len(captured.captured_queries)
    for year in (2026, 2027):
        submit_everything(make_open_round(council_a, *peers, name=f"{year} diagnostic"), national_admin, {})
    answer = Return.objects.get(round=published_round, organisation=council_a).answers.first()
    for number in range(5):
        plan_action(
            answer,
            title=f"Step {number}",
            owner="A",
            due_date=answer.council_return.round.deadline,
            aim_level=4,
            by=national_admin,
        )
    later = f"/organisations/{council_a.gss_code}/rounds/{published_round.pk + 2}/dashboard/"
    client.get(later)
    with django_assert_max_num_queries(few_rounds):
        client.get(later)


def test_the_pdf_report_reads_as_the_html_one(client_for, viewer, url, tmp_path):
    import subprocess

    response = client_for(viewer).get(url + "report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="alderley-2025-diagnostic-report.pdf"'
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Alderley: 2025 diagnostic" in text
    assert "Position and targets" in text and "Compared with similar councils" in text
    assert "Engaging councillors Mature Leader" in text
