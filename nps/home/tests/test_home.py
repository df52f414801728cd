import html as entities
import re

import pytest

from nps.accounts.models import Role
from nps.assessments.answers import submit_return
from nps.assessments.models import Return
from nps.assessments.respondents import invite_respondent
from nps.assessments.reviews import request_review
from nps.assessments.rounds import close_round
from nps.assessments.signoff import send_for_sign_off
from nps.assessments.validation import ask_query
from nps.community.models import ConnectionRequest, ConnectionStatus
from nps.frameworks.models import Index
from nps.testing import answer_everything, make_open_round, make_user

pytestmark = pytest.mark.django_db


def first_heading_and_button(html: str) -> tuple[str, str, str]:
    heading = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S)
    button = re.search(r'<a href="([^"]+)" role="button"[^>]*>\s*(.*?)\s*</a>', html, re.S)
    assert heading and button, html
    return heading.group(1), button.group(2), button.group(1)


def home(client_for, user) -> str:
    """The person's home page, once its first button is known to lead to a page they can open."""
    client = client_for(user)
    response = client.get("/")
    assert response.status_code == 200
    html = entities.unescape(response.content.decode())
    if 'role="button"' in html:
        assert client.get(first_heading_and_button(html)[2]).status_code == 200
    return html


def test_the_public_see_what_they_can_do_without_signing_in(client):
    html = client.get("/").content.decode()
    assert "Sign in" in html and "Without signing in" in html


def test_an_editor_lands_on_their_return_with_how_far_it_is(client_for, editor, council_a):
    round_ = make_open_round(council_a)
    html = home(client_for, editor)
    heading, button, href = first_heading_and_button(html)
    assert heading == f"Alderley: {round_.name}"
    assert button == "Continue your return" and href == f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/"
    assert "Due 31 January 2027. 0 of 14 indices answered." in html
    assert "Without signing in" not in html


def test_a_complete_return_offers_the_check_and_then_says_it_is_submitted(client_for, editor, council_a):
    round_ = make_open_round(council_a)
    council_return = Return.objects.get(round=round_)
    assert "Check your answers and submit</div>" in home(client_for, editor)  # not a link while answers are missing
    answer_everything(council_return, editor)
    check = f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/submit/"
    assert f'href="{check}"' in home(client_for, editor)
    client_for(editor).post(check)
    assert "Nothing more is needed unless the national team asks about an answer." in home(client_for, editor)


def test_an_approver_lands_on_the_return_waiting_for_sign_off(client_for, editor, approver, council_a):
    round_ = make_open_round(council_a, requires_sign_off=True)
    council_return = Return.objects.get(round=round_)
    answer_everything(council_return, editor)
    send_for_sign_off(council_return, by=editor)
    heading, button, href = first_heading_and_button(home(client_for, approver))
    assert heading == f"Sign off Alderley: {round_.name}" and button == "Check and sign off"
    assert href == f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/submit/"
    assert "Waiting" in home(client_for, editor)  # the editor sees it is with the approver


def test_a_colleague_asked_for_a_view_lands_on_giving_it(client_for, editor, council_a):
    round_ = make_open_round(council_a)
    colleague = make_user("colin@alderley.example", organisation=council_a, role=Role.RESPONDENT)
    indices = list(Index.objects.all()[:2])
    invite_respondent(Return.objects.get(round=round_), colleague.email, indices, by=editor)
    heading, button, href = first_heading_and_button(home(client_for, colleague))
    assert heading == "Give your view on Alderley's return" and button == "Give your view"
    assert href == f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/my-view/"


def test_a_reviewer_lands_on_the_review_asked_of_them(client_for, editor, council_a, council_b, other_editor):
    round_ = make_open_round(council_a)
    council_return = Return.objects.get(round=round_)
    answer_everything(council_return, editor)
    review = request_review(council_return, council_b, other_editor.email, list(Index.objects.all()[:3]), by=editor)
    heading, button, href = first_heading_and_button(home(client_for, other_editor))
    assert heading == "Review Alderley's return" and button == "Start the review" and href == f"/reviews/{review.pk}/"
    assert "asked Brackenshire to review 3 indices" in home(client_for, other_editor)


def test_nobody_sees_another_councils_return_on_their_home_page(client_for, editor, other_editor, council_a):
    make_open_round(council_a)
    html = home(client_for, other_editor)
    assert "Alderley" not in html
    heading, button, href = first_heading_and_button(html)
    assert (
        heading == "Brackenshire"
        and href == "/organisations/" + other_editor.memberships.get().organisation.gss_code + "/"
    )


def test_a_person_with_no_role_is_told_who_can_give_them_one(client_for):
    html = home(client_for, make_user("new@example.org"))
    assert "Nothing is waiting for you" in html and "Ask your council's procurement lead to invite you" in html


def test_a_group_lead_lands_on_their_members_progress(client_for, group_lead, group, council_a):
    round_ = make_open_round(council_a)
    html = home(client_for, group_lead)
    heading, button, href = first_heading_and_button(html)
    assert heading == f"{group.name}: your members" and button == "See your members' results"
    assert href == f"/groups/{group.gss_code}/rounds/"
    assert f"{round_.name}: members' returns" in html and "0 of 1 submitted" in html


def test_the_national_team_lands_on_the_open_round_and_what_waits_for_them(
    client_for, national_admin, council_a, council_b
):
    round_ = make_open_round(council_a, council_b)
    html = home(client_for, national_admin)
    heading, button, href = first_heading_and_button(html)
    assert heading == f"{round_.name}: 0 of 2 returns submitted" and button == "Follow the round"
    assert href == f"/rounds/{round_.pk}/"
    assert "Returns by region" in html and "Returns by council type" in html and "Requests and drafts" in html


def test_after_a_round_closes_the_national_team_is_asked_to_publish_and_councils_find_their_dashboard(
    client_for, national_admin, editor, council_a
):
    round_ = make_open_round(council_a)
    close_round(round_, by=national_admin)
    heading, button, _ = first_heading_and_button(home(client_for, national_admin))
    assert heading == f"Publish the results of {round_.name}" and button == "Publish the results"
    assert f'href="/rounds/{round_.pk}/publish/"' in home(client_for, national_admin)
    html = home(client_for, editor)
    assert "Past rounds" in html and f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/dashboard/" in html


def test_signing_in_lands_on_the_home_page(client, editor):
    response = client.post("/account/sign-in/", {"username": editor.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == "/"


def test_an_exemplar_council_is_asked_to_get_in_touch_with_councils_connected_to_it(
    client_for, editor, council_a, council_b
):
    ConnectionRequest.objects.create(
        requester=council_b, exemplar=council_a, index_code="commercial-strategy", status=ConnectionStatus.CONNECTED
    )
    html = home(client_for, editor)
    heading, button, href = first_heading_and_button(html)
    assert heading == "Alderley: exemplar connections" and button == "See your connections"
    assert href == f"/community/organisations/{council_a.gss_code}/" and "1 connected" in html


def test_a_submitted_return_comes_first_while_a_question_about_it_waits(client_for, editor, national_admin, council_a):
    round_ = make_open_round(council_a)
    council_return = Return.objects.get(round=round_)
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    ask_query(council_return.answers.first(), question="What is your evidence?", by=national_admin)
    heading, button, _ = first_heading_and_button(home(client_for, editor))
    assert heading == f"Alderley: {round_.name}" and button == "Answer the questions"
    assert "The national team has asked 1 question about it" in home(client_for, editor)
