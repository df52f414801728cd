import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nps.accounts.models import Role
from nps.assessments.answers import save_answer
from nps.assessments.evidence import attach_evidence
from nps.assessments.models import Answer, EventKind, Return, ReturnStatus
from nps.assessments.signoff import send_for_sign_off, sign_off
from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, answer_everything, make_open_round, make_user

pytestmark = pytest.mark.django_db

INDEX = "engaging-councillors"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url_of(council_return):
    return f"/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/"


def answer_of(council_return, code=INDEX):
    return Answer.objects.get(council_return=council_return, index__code=code)


def save(council_return, user, values, code=INDEX):
    answer = answer_of(council_return, code)
    return save_answer(answer, values, expected_version=answer.version, by=user)


def hidden_text(html):
    """The page's text with tags removed and spaces collapsed, as a screen reader would read it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The check page ----------------------------------------------------------------------------------------------------


def test_the_check_page_shows_every_index_under_its_theme_with_a_change_link_to_each_field(
    client_for, editor, council_return, return_url
):
    answer_everything(council_return, editor)
    save(
        council_return,
        editor,
        {
            "confidence": "medium",
            "evidence": "Cabinet minutes",
            "evidence_links": "https://a.example\nhttps://b.example",
        },
    )
    attach_evidence(answer_of(council_return), SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n"), by=editor)
    html = client_for(editor).get(return_url + "submit/").content.decode()
    text = hidden_text(html)
    assert "Check your answers before submitting" in text and "<title>Error" not in html
    assert html.count('class="govuk-summary-card"') == 14
    assert "Showing leadership" in text and "Enablers" in text
    answer_page = f"{return_url}indices/{INDEX}/"
    for anchor, name in [
        ("id_current_level_0", "current level"),
        ("id_confidence_0", "confidence"),
        ("id_evidence", "evidence"),
        ("id_target_level_0", "target level"),
        ("id_target_date_0", "target date"),
        ("id_rationale", "why this target"),
    ]:
        assert f'href="{answer_page}#{anchor}">Change<span class="govuk-visually-hidden"> {name} for Engaging' in html
    assert "Medium confidence" in text and "Written evidence, 2 links and 1 file" in text
    assert text.count("Self-assessed") == 14
    assert "Submit the return" in text


def test_problems_are_listed_at_the_top_with_links_to_their_fields(client_for, editor, council_return, return_url):
    save(council_return, editor, {"current_level": 4, "target_level": 2})
    html = client_for(editor).get(return_url + "submit/").content.decode()
    assert "<title>Error: " in html
    assert "27 things to put right before the return can be submitted" in html
    assert (
        f'href="{return_url}indices/{INDEX}/#id_rationale">Say why the target for Engaging councillors is below' in html
    )
    assert f'href="{return_url}indices/embedding-change/#id_current_level_0"' in html
    assert f'href="{return_url}indices/embedding-change/#id_target_level_0"' in html
    assert "Submit the return" not in html and "Put right the 27 things listed at the top of this page" in html


def test_submitting_with_problems_lists_them_and_changes_nothing(client_for, editor, council_return, return_url):
    response = client_for(editor).post(return_url + "submit/")
    assert response.status_code == 200 and "28 things to put right" in response.content.decode()
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.NOT_STARTED


def test_submitting_a_complete_return_makes_it_read_only(client_for, editor, council_return, return_url):
    answer_everything(council_return, editor)
    client = client_for(editor)
    assert client.post(return_url + "submit/").status_code == 302
    assert Return.objects.get(pk=council_return.pk).status == ReturnStatus.SUBMITTED
    html = client.get(return_url).content.decode()
    assert "Submitted" in html and "by Alice" in html and "Check and submit" not in html
    answer_page = client.get(return_url + f"indices/{INDEX}/").content.decode()
    assert "Save and continue" not in answer_page
    response = client.post(return_url + f"indices/{INDEX}/", {"version": 1, "current_level": 5})
    assert response.status_code == 302
    assert answer_of(council_return).current_level == 2
    check_page = client.get(return_url + "submit/").content.decode()
    assert "This return was submitted on" in check_page and "Change<span" not in check_page


def test_each_statement_of_an_index_is_shown_and_linked_where_it_has_no_level(council_a, editor, client_for):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    council_return = Return.objects.get(round=make_open_round(council_a, version=version))
    statements = list(answer_of(council_return, "pipeline").index.statements.all())
    answer = answer_of(council_return, "pipeline")
    save_answer(answer, {}, expected_version=0, by=editor, statement_levels={statements[0].pk: 3})
    html = client_for(editor).get(url_of(council_return) + "submit/").content.decode()
    assert "The pipeline is published" in html and "The pipeline drives planning" in html
    link = f'href="{url_of(council_return)}indices/pipeline/#id_statement_{statements[1].pk}_0"'
    assert f"{link}>Give the level for “The pipeline drives planning” in Contracts pipeline</a>" in html
    assert "Planning" in html and "Delivery" in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("approver", 200), ("viewer", 404), ("other_editor", 404), ("group_lead", 404)]
    + [("national_admin", 404)],
)
def test_who_sees_the_check_page(request, client_for, council_return, return_url, persona, status):
    assert client_for(request.getfixturevalue(persona)).get(return_url + "submit/").status_code == status


# Prefilled answers -------------------------------------------------------------------------------------------------


def test_an_unconfirmed_prefilled_answer_stops_submission_until_confirmed(client_for, editor, prefilled_return):
    client, url = client_for(editor), url_of(prefilled_return)
    check_page = client.get(url + "submit/").content.decode()
    link = f'href="{url}indices/{INDEX}/#confirm-answer">Confirm the prefilled answer for Engaging councillors'
    assert link in check_page and "14 things to put right" in check_page
    assert client.post(url + "submit/").status_code == 200
    assert Return.objects.get(pk=prefilled_return.pk).status == ReturnStatus.IN_PROGRESS

    answer_page = client.get(url + f"indices/{INDEX}/").content.decode()
    assert 'id="confirm-answer"' in answer_page and "Confirm this answer is still right" in answer_page
    before = answer_of(prefilled_return)
    response = client.post(url + f"indices/{INDEX}/confirm/", {"confirm": "1"})
    assert response.status_code == 302 and response.url == url + f"indices/{INDEX}/"
    confirmed = answer_of(prefilled_return)
    assert not confirmed.needs_review
    assert (confirmed.current_level, confirmed.target_level, confirmed.version) == (2, 3, before.version)
    assert "Confirmed your answer for Engaging councillors" in client.get(response.url).content.decode()
    assert "13 things to put right" in client.get(url + "submit/").content.decode()


def test_confirming_twice_says_it_is_already_confirmed(client_for, editor, prefilled_return):
    client, url = client_for(editor), url_of(prefilled_return)
    client.post(url + f"indices/{INDEX}/confirm/", {"confirm": "1"})
    again = client.post(url + f"indices/{INDEX}/confirm/", {"confirm": "1"}, follow=True)
    assert "already confirmed or changed in this round" in again.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "group_lead", "national_admin"])
def test_only_the_councils_editors_and_approvers_confirm_a_prefilled_answer(
    request, client_for, prefilled_return, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url_of(prefilled_return) + f"indices/{INDEX}/confirm/", {"confirm": "1"}).status_code == 404
    assert answer_of(prefilled_return).needs_review


def test_confirming_is_a_post(client_for, editor, prefilled_return):
    assert client_for(editor).get(url_of(prefilled_return) + f"indices/{INDEX}/confirm/").status_code == 405


# Sign-off ----------------------------------------------------------------------------------------------------------


def test_an_editor_sends_for_sign_off_and_an_approver_signs_off(client_for, editor, approver, sign_off_return):
    answer_everything(sign_off_return, editor)
    url = url_of(sign_off_return)
    alice, abe = client_for(editor), client_for(approver)
    assert "Check and send for sign-off" in alice.get(url).content.decode()
    check_page = hidden_text(alice.get(url + "submit/").content.decode())
    assert "Now send your return for sign-off" in check_page and "(Abe)" in check_page
    assert "Submit the return" not in check_page

    assert alice.post(url + "send-for-sign-off/").status_code == 302
    waiting = Return.objects.get(pk=sign_off_return.pk)
    assert (waiting.status, waiting.sent_for_sign_off_by) == (ReturnStatus.AWAITING_SIGN_OFF, editor)
    overview = hidden_text(alice.get(url).content.decode())
    assert "Waiting for sign-off" in overview and "Sent for sign-off by Alice on" in overview
    assert "Change" not in alice.get(url + "submit/").content.decode()
    assert "Check and sign off" in abe.get(url).content.decode()
    assert "Sign off and submit" in abe.get(url + "submit/").content.decode()

    assert abe.post(url + "sign-off/").status_code == 302
    signed = Return.objects.get(pk=sign_off_return.pk)
    assert (signed.status, signed.submitted_by, signed.signed_off_by) == (ReturnStatus.SUBMITTED, approver, approver)
    overview = hidden_text(alice.get(url).content.decode())
    assert "Signed off by Abe on" in overview
    report = hidden_text(alice.get(f"{url}report/").content.decode())
    assert "Signed off by Abe on" in report


def test_an_editor_cannot_submit_a_return_that_needs_sign_off(client_for, editor, sign_off_return):
    answer_everything(sign_off_return, editor)
    response = client_for(editor).post(url_of(sign_off_return) + "submit/")
    html = hidden_text(response.content.decode())
    assert response.status_code == 200 and "send it for sign-off instead" in html
    assert Return.objects.get(pk=sign_off_return.pk).status == ReturnStatus.IN_PROGRESS


def test_without_an_approver_the_check_page_says_to_invite_one(client_for, editor, sign_off_return):
    answer_everything(sign_off_return, editor)
    html = hidden_text(client_for(editor).get(url_of(sign_off_return) + "submit/").content.decode())
    assert "Nobody at Alderley can sign the return off yet" in html and "Invite an approver" in html
    assert "Send for sign-off</button>" not in html


def test_an_approver_sends_the_return_back_with_a_comment(client_for, editor, approver, sign_off_return):
    answer_everything(sign_off_return, editor)
    send_for_sign_off(sign_off_return, by=editor)
    url, abe = url_of(sign_off_return), client_for(approver)
    form = abe.get(url + "send-back/").content.decode()
    assert "Send the return back to the editors" in form and "What needs changing" in form
    empty = abe.post(url + "send-back/", {"comment": " "}).content.decode()
    assert "<title>Error: " in empty and "Say what needs changing before the return can be signed off" in empty
    assert Return.objects.get(pk=sign_off_return.pk).is_awaiting_sign_off
    assert abe.post(url + "send-back/", {"comment": "Evidence for talent is out of date"}).status_code == 302
    back = Return.objects.get(pk=sign_off_return.pk)
    assert (back.status, back.sent_for_sign_off_by) == (ReturnStatus.IN_PROGRESS, None)
    assert back.events.get(kind=EventKind.SENT_BACK).description.endswith("Evidence for talent is out of date")
    assert client_for(editor).post(url + f"indices/{INDEX}/", {"version": 1, "current_level": 3}).status_code == 302
    assert answer_of(sign_off_return).current_level == 3


def test_signing_off_a_return_that_was_sent_back_is_refused_with_the_reason(
    client_for, editor, approver, sign_off_return
):
    answer_everything(sign_off_return, editor)
    send_for_sign_off(sign_off_return, by=editor)
    abe = client_for(approver)
    abe.post(url_of(sign_off_return) + "send-back/", {"comment": "Not yet"})
    response = abe.post(url_of(sign_off_return) + "sign-off/")
    html = hidden_text(response.content.decode())
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert "no longer waiting for sign-off: it was sent back or reopened" in html
    assert Return.objects.get(pk=sign_off_return.pk).status == ReturnStatus.IN_PROGRESS


@pytest.fixture
def waiting(sign_off_return, editor, approver):
    answer_everything(sign_off_return, editor)
    send_for_sign_off(sign_off_return, by=editor)
    return sign_off_return


@pytest.fixture
def other_approver(council_b):
    return make_user("bea@brackenshire.example", organisation=council_b, role=Role.APPROVER, first_name="Bea")


@pytest.mark.parametrize(
    "persona", ["editor", "viewer", "other_editor", "other_approver", "group_lead", "national_admin"]
)
def test_only_the_councils_approvers_sign_off_or_send_back(request, client_for, waiting, persona):
    client, url = client_for(request.getfixturevalue(persona)), url_of(waiting)
    assert client.post(url + "sign-off/").status_code == 404
    assert client.get(url + "send-back/").status_code == 404
    assert client.post(url + "send-back/", {"comment": "No"}).status_code == 404
    assert Return.objects.get(pk=waiting.pk).is_awaiting_sign_off


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "other_approver", "group_lead", "national_admin"])
def test_only_the_councils_editors_and_approvers_send_for_sign_off(
    request, client_for, sign_off_return, approver, persona
):
    answer_everything(sign_off_return, approver)
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url_of(sign_off_return) + "send-for-sign-off/").status_code == 404
    assert Return.objects.get(pk=sign_off_return.pk).status == ReturnStatus.IN_PROGRESS


def test_an_approver_may_edit_send_and_sign_off(client_for, approver, sign_off_return):
    url, abe = url_of(sign_off_return), client_for(approver)
    assert abe.post(url + f"indices/{INDEX}/", {"version": 0, "current_level": 3}).status_code == 302
    answer_everything(sign_off_return, approver)
    assert abe.post(url + "send-for-sign-off/").status_code == 302
    assert abe.post(url + "sign-off/").status_code == 302
    assert Return.objects.get(pk=sign_off_return.pk).signed_off_by == approver


def test_the_approver_invited_on_the_team_page_signs_off(client_for, editor, waiting):
    from nps.accounts.models import Invitation
    from nps.accounts.services import accept_invitation

    team = f"/organisations/{waiting.organisation.gss_code}/team/"
    assert "Signs returns off, which submits them" in client_for(editor).get(team).content.decode()
    client_for(editor).post(team, {"email": "dee@alderley.example", "role": Role.APPROVER})
    invitation = Invitation.objects.get(email="dee@alderley.example")
    dee = make_user("dee@alderley.example", first_name="Dee")
    assert accept_invitation(invitation, by=dee).role == Role.APPROVER
    assert client_for(dee).post(url_of(waiting) + "sign-off/").status_code == 302
    assert Return.objects.get(pk=waiting.pk).signed_off_by == dee


# The national team's round pages -----------------------------------------------------------------------------------


def test_the_round_page_shows_who_waits_for_sign_off_and_who_signed_off(
    client_for, national_admin, approver, waiting, council_b
):
    url = f"/rounds/{waiting.round_id}/"
    html = hidden_text(client_for(national_admin).get(url).content.decode())
    assert "Each return needs a council approver's sign-off" in html
    assert "1 waiting for sign-off" in html and "Waiting for sign-off" in html
    sign_off(waiting, by=approver)
    html = hidden_text(client_for(national_admin).get(url).content.decode())
    assert "Signed off by Abe" in html and "1 submitted" in html


def test_the_national_team_chooses_sign_off_and_unconfirmed_prefill_when_creating_a_round(
    client_for, national_admin, council_a
):
    from nps.assessments.models import Round
    from nps.testing import load_nps_2018

    version = load_nps_2018()
    client = client_for(national_admin)
    form = client.get("/rounds/new/").content.decode()
    assert 'name="requires_sign_off" type="checkbox" value="on" checked' in form
    assert 'name="allow_unconfirmed_prefill" type="checkbox" value="on" aria' in form
    fields = {
        "name": "2027 diagnostic",
        "framework_version": version.pk,
        **{f"opens_on_{part}": value for part, value in enumerate(["1", "11", "2027"])},
        **{f"deadline_{part}": value for part, value in enumerate(["31", "1", "2028"])},
        "invited_kinds": ["district_council"],
        "prefill_from": "",
    }
    client.post("/rounds/new/", {**fields, "allow_unconfirmed_prefill": "on"})
    round_ = Round.objects.get(name="2027 diagnostic")
    assert (round_.requires_sign_off, round_.allow_unconfirmed_prefill) == (False, True)
    html = hidden_text(client.get(f"/rounds/{round_.pk}/").content.decode())
    assert "Not needed: editors submit their returns" in html


def test_closing_a_round_counts_the_returns_waiting_for_sign_off(client_for, national_admin, waiting):
    html = client_for(national_admin).get(f"/rounds/{waiting.round_id}/close/").content.decode()
    assert "2 returns not submitted, 1 of them waiting for sign-off" in hidden_text(html)


def test_a_return_waiting_when_the_round_closes_stays_unsubmitted(client_for, national_admin, approver, waiting):
    from nps.assessments.rounds import close_round

    close_round(waiting.round, by=national_admin)
    response = client_for(approver).post(url_of(waiting) + "sign-off/")
    assert "2026 diagnostic is closed" in hidden_text(response.content.decode())
    assert Return.objects.get(pk=waiting.pk).status == ReturnStatus.AWAITING_SIGN_OFF
