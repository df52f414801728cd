"""Pages served from the shared cache (nps.lib.caching) never show anything stale, nor one person's page to another.

Each test reads a page once, so that it is cached, makes one change through the service a person would use, and reads
the page again: the change shows. The per-person parts (name, CSRF token, script nonce) are each request's own."""

import datetime
import re
import subprocess

import pytest
import time_machine
from django.test import Client

from nps.assessments.actions import plan_action, update_action
from nps.assessments.answers import reopen_return, save_answer, submit_return
from nps.assessments.models import Answer, Return, Round
from nps.assessments.reviews import complete_review, request_review, save_finding
from nps.assessments.rounds import close_round
from nps.assessments.validation import validate_return
from nps.community.exemplars import opt_in
from nps.insights.publication import publish_results, withdraw_results
from nps.insights.tests.conftest import submit_everything
from nps.organisations.models import Kind
from nps.testing import answer_everything, make_open_round, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(published_round, council_a):
    return f"/organisations/{council_a.gss_code}/rounds/{published_round.pk}/dashboard/"


@pytest.fixture
def open_return(council_a, peers, editor):
    """Council A's return to an open round, every index answered at Developing."""
    round_ = make_open_round(council_a, *peers, name="2026 diagnostic")
    council_return = Return.objects.get(round=round_, organisation=council_a)
    answer_everything(council_return, editor, level=2, target=3)
    return council_return


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def first_answer(council_return: Return) -> Answer:
    return council_return.answers.select_related("index").order_by("index__position")[0]


def return_url(council_return: Return, page_name: str = "dashboard/") -> str:
    return f"/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/{page_name}"


def test_a_saved_answer_shows_at_once(client_for, editor, open_return):
    client = client_for(editor)
    assert "0 of 14 indices at or above target" in page(client, return_url(open_return))
    answer = first_answer(open_return)
    save_answer(answer, {"current_level": 5, "target_level": 5}, expected_version=answer.version, by=editor)
    assert "1 of 14 indices at or above target" in page(client, return_url(open_return))


@pytest.mark.parametrize("page_name", ["dashboard/", "report/"])
def test_submitting_and_reopening_show_at_once(client_for, editor, national_admin, open_return, page_name):
    client, url = client_for(editor), return_url(open_return, page_name)
    assert "submitted on" not in page(client, url).lower()
    submit_return(open_return, by=editor)
    assert "submitted on" in page(client, url).lower()
    reopen_return(Return.objects.get(pk=open_return.pk), reason="A correction", by=national_admin)
    assert "submitted on" not in page(client, url).lower()


def test_validation_shows_at_once(client_for, viewer, national_admin, council_a, dashboard, published_round):
    client = client_for(viewer)
    assert "0 validated by the national team" in page(client, dashboard)
    validate_return(Return.objects.get(round=published_round, organisation=council_a), by=national_admin)
    assert "14 validated by the national team" in page(client, dashboard)


def test_a_completed_peer_review_shows_at_once(client_for, editor, council_b, open_return):
    client = client_for(editor)
    assert "0 peer-reviewed" in page(client, return_url(open_return))
    reviewer = make_user("rae@brackenshire.example", organisation=council_b)
    answer = first_answer(open_return)
    review = request_review(open_return, council_b, reviewer.email, [answer.index], by=editor)
    save_finding(
        review,
        answer.index,
        verdict="agree",
        suggested_level=None,
        comment="",
        answer_version=answer.version,
        by=reviewer,
    )
    complete_review(review, by=reviewer)
    assert "1 peer-reviewed" in page(client, return_url(open_return))


def test_actions_show_at_once_and_become_overdue_the_next_day(client_for, editor, open_return):
    url = return_url(open_return)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        client = client_for(editor)
        assert "0 planned" in page(client, url)
        due = datetime.date(2026, 12, 1)
        action = plan_action(first_answer(open_return), title="Train", owner="Al", due_date=due, aim_level=3, by=editor)
        html = page(client, url)
        assert "1 planned" in html and "overdue" not in html
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC)):
        client = client_for(editor)
        assert "1 overdue" in page(client, url)
        update_action(action, status="done", by=editor)
        assert "1 done" in page(client, url)


def test_the_pdf_report_follows_validation(client_for, viewer, national_admin, council_a, published_round, tmp_path):
    client, url = client_for(viewer), f"/organisations/{council_a.gss_code}/rounds/{published_round.pk}/report.pdf"

    def text() -> str:
        (tmp_path / "report.pdf").write_bytes(client.get(url).content)
        run = subprocess.run(
            ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
        )
        return " ".join(run.stdout.split())

    assert "Validated by the" not in text()  # the table's cells wrap
    validate_return(Return.objects.get(round=published_round, organisation=council_a), by=national_admin)
    assert "Validated by the" in text()


def test_peers_appear_when_the_results_are_published(client_for, viewer, council_a, closed_round, settings):
    settings.MINIMUM_GROUP_SIZE = 2
    url = f"/organisations/{council_a.gss_code}/rounds/{closed_round.pk}/dashboard/"
    client = client_for(viewer)
    assert "below you" not in page(client, url)
    publish_results(closed_round, embargo_until=None, by=make_user("n@national.example", is_national_admin=True))
    assert "below you" in page(client, url)


def test_a_renamed_council_and_a_new_exemplar_show_at_once(client_for, editor, council_a, peers, open_return):
    client = client_for(editor)
    assert "Alderley" in page(client, return_url(open_return))
    council_a.name = "Alderley and District"
    council_a.save()
    assert "Alderley and District" in page(client, return_url(open_return))
    exemplar, code = peers[0], first_answer(open_return).index.code
    exemplar.exemplary_marks.create(index_code=code)
    assert exemplar.name not in page(client, return_url(open_return))
    opt_in(exemplar, [code], contact_name="Pat", contact_email="pat@peer.example", note="", by=None)
    assert exemplar.name in page(client, return_url(open_return))


def test_a_new_minimum_group_size_changes_what_is_withheld(client_for, viewer, dashboard, settings):
    settings.MINIMUM_GROUP_SIZE = 5
    client = client_for(viewer)
    assert "Withheld: fewer than" not in page(client, dashboard)
    settings.MINIMUM_GROUP_SIZE = 6  # North West has five councils
    assert "Withheld: fewer than 6 councils" in page(client, dashboard)


def test_a_groups_new_member_changes_what_is_withheld(client_for, group_lead, group, peers, national_admin):
    round_ = make_open_round(*group.members.all(), *peers, name="2025 diagnostic")
    submit_everything(round_, national_admin, {})
    close_round(round_, by=national_admin)
    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=national_admin)
    url = f"/groups/{group.gss_code}/rounds/{round_.pk}/"
    client = client_for(group_lead)
    assert "Withheld" in page(client, url)  # one member
    group.members.add(*peers)
    assert "Withheld" not in page(client, url)


def test_each_person_gets_their_own_header_token_and_nonce(client_for, editor, national_admin, dashboard, other_editor):
    editor_client = client_for(editor)
    first, national = editor_client.get(dashboard), client_for(national_admin).get(dashboard)
    assert 'href="/returns/"' in first.content.decode() and 'href="/returns/"' not in national.content.decode()
    again = editor_client.get(dashboard)
    nonces = [re.search(r'nonce="([^"]+)"', r.content.decode()).group(1) for r in (first, again)]
    assert nonces[0] != nonces[1] and f"'nonce-{nonces[1]}'" in again["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode()).group(1)
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = editor_client.cookies
    assert checked.post("/account/sign-out/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client_for(other_editor).get(dashboard).status_code == 404


def test_a_page_with_a_message_is_made_afresh(client_for, national_admin, closed_round):
    client = client_for(national_admin)
    report = f"/rounds/{closed_round.pk}/report/"
    page(client, report)
    client.post(f"/rounds/{closed_round.pk}/publish/", {"confirm": "yes"})
    assert "Published." in page(client, report)
    assert "Published." not in page(client, report)


def test_the_national_report_follows_submissions_and_the_round_compared(
    client_for, national_admin, council_a, peers, closed_round
):
    later = make_open_round(council_a, *peers, name="2026 diagnostic")
    client = client_for(national_admin)
    url = f"/rounds/{later.pk}/report/?compare={closed_round.pk}"
    assert "(n=7)" not in page(client, url)
    submit_everything(later, national_admin, {"Alderley": 4})
    html = page(client, url)
    assert "(n=7)" in html and "Since 2025 diagnostic: 2 councils moved up" in html  # Alderley 3 → 4, Peer 0 1 → 2


def test_published_results_disappear_when_withdrawn(client, national_admin, published_round):
    page(client, f"/results/{published_round.pk}/")
    withdraw_results(Round.objects.get(pk=published_round.pk), by=national_admin)
    assert client.get(f"/results/{published_round.pk}/").status_code == 404


def test_a_councils_new_type_changes_the_figures_at_once(client_for, national_admin, published_round, council_a):
    client, url = client_for(national_admin), f"/rounds/{published_round.pk}/report/"
    assert "Unitary authorit" not in page(client, url)
    council_a.kind = Kind.UNITARY_AUTHORITY
    council_a.save()
    assert "Unitary authorit" in page(client, url)
