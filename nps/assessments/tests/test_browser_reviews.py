"""Peer review in a real browser: an editor asks Wigan for a review by its name, the reviewer records findings and
completes, and the editor resolves the suggestion; axe-core checks every page of the journey."""

import re

import pytest
from playwright.sync_api import expect

from nps.accounts.models import Role
from nps.assessments.models import Answer, Assurance, Return
from nps.organisations.models import Kind
from nps.testing import answer_everything, assert_accessible, make_open_round, make_organisation, make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ERROR_TITLE = re.compile(r"^Error: ")


def test_a_council_is_peer_reviewed_and_resolves_the_suggestion(page, live_server):
    council = make_organisation("Alderley", kind=Kind.DISTRICT_COUNCIL)
    wigan = make_organisation("Wigan", kind=Kind.METROPOLITAN_DISTRICT)
    make_organisation("Dunham", kind=Kind.DISTRICT_COUNCIL)  # a council like Alderley, which the page suggests
    editor = make_user("alice@alderley.example", organisation=council, role=Role.EDITOR, first_name="Alice")
    make_user("rhea@wigan.example", organisation=wigan, role=Role.EDITOR, first_name="Rhea")
    council_return = Return.objects.get(round=make_open_round(council), organisation=council)
    answer_everything(council_return, editor)
    return_url = f"/organisations/{council.gss_code}/rounds/{council_return.round_id}/"

    sign_in(page, "alice@alderley.example")
    page.goto(return_url)
    page.get_by_role("link", name="Ask another council to review your answers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for a peer review").click()
    page.get_by_role("button", name="Ask for the review").click()  # nothing chosen
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page the button led to
    assert_accessible(page)
    page.get_by_label("Another council").check()
    page.get_by_label("The council's name or GSS code").fill("wigan")
    page.get_by_label("Reviewer's email address").fill("rhea@wigan.example")
    indices = page.get_by_role("group", name="Which indices should they review")
    for checkbox in indices.get_by_role("checkbox").all()[2:]:
        checkbox.uncheck()
    page.get_by_role("button", name="Ask for the review").click()
    page.wait_for_url(f"**{return_url}reviews/")
    assert_accessible(page)

    sign_in(page, "rhea@wigan.example")
    page.goto("/returns/")
    page.get_by_role("link", name="Review Alderley's return to 2026 diagnostic").click()
    assert_accessible(page)
    page.get_by_role("link", name="Engaging councillors").click()
    assert_accessible(page)
    page.get_by_role("group", name="Do you agree with the council's current level?").get_by_label("Agree").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Suggest a different level").check()
    page.get_by_role("group", name="The level you suggest").get_by_label("4 Leader").check()
    page.get_by_role("button", name="Save and continue").click()  # no comment
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page the button led to
    assert_accessible(page)
    page.get_by_label("Comment").fill("Senior managers ask for advice on every major project.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check and complete the review").click()
    assert_accessible(page)
    page.get_by_role("button", name="Complete the review").click()
    page.wait_for_url("**/reviews/")
    assert "Review completed" in page.content()
    assert_accessible(page)
    agreed = Answer.objects.get(council_return=council_return, index__code="engaging-councillors")
    assert (agreed.assurance, agreed.assured_by) == (Assurance.PEER_REVIEWED, wigan)

    sign_in(page, "alice@alderley.example")
    page.goto(return_url + "indices/engaging-senior-managers/")
    assert_accessible(page)
    page.get_by_role("link", name="Resolve this suggestion").click()
    assert_accessible(page)
    page.get_by_label("What did the council do about this suggestion?").fill("Changed the level to Leader.")
    page.get_by_role("button", name="Mark as resolved").click()
    page.wait_for_url(f"**{return_url}reviews/")
    assert "Changed the level to Leader." in page.content()
    assert_accessible(page)
