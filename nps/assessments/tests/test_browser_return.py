"""The heart of the product in a real browser: an editor sets targets, answers, asks a colleague, consolidates,
checks and sends the return for sign-off, and an approver signs it off; an editor confirms a prefilled answer.
axe-core checks every page of the journeys."""

import re

import pytest
from playwright.sync_api import expect

from nps.accounts.models import Role
from nps.assessments.answers import submit_return
from nps.assessments.models import Answer, Return, ReturnStatus
from nps.organisations.models import Kind
from nps.testing import answer_everything, assert_accessible, make_open_round, make_organisation, make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def answer_with_the_mouse(page, current, target):
    page.locator("#id_current_level_0").wait_for()
    page.get_by_role("group", name="Current level").get_by_label(current).check()
    page.get_by_role("group", name="Target level").get_by_label(target).check()
    page.get_by_role("button", name="Save and continue").click()


def answer_with_the_keyboard(page):
    tab_to(page, "#id_current_level_0")
    page.keyboard.press("ArrowDown")  # 2 Developing
    tab_to(page, "input[name=target_level]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # 3 Mature
    tab_to(page, "button[name=continue]")
    page.keyboard.press("Enter")


def test_an_editor_answers_consolidates_and_an_approver_signs_off(page, browser, live_server):
    council = make_organisation("Alderley", kind=Kind.DISTRICT_COUNCIL)
    make_user("alice@alderley.example", organisation=council, role=Role.EDITOR, first_name="Alice")
    make_user("abe@alderley.example", organisation=council, role=Role.APPROVER, first_name="Abe")
    make_user("victor@alderley.example", organisation=council, role=Role.VIEWER, first_name="Victor")
    round_ = make_open_round(council, requires_sign_off=True)
    return_url = f"/organisations/{council.gss_code}/rounds/{round_.pk}/"

    sign_in(page, "alice@alderley.example")
    page.goto(return_url)
    assert "0 of 14" in page.locator(".govuk-summary-list").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Engaging councillors").click()
    assert_accessible(page)
    for number in range(12):
        if number == 5:
            answer_with_the_keyboard(page)
        else:
            answer_with_the_mouse(page, "2 Developing", "3 Mature")
    page.wait_for_url("**/indices/enabling-innovation/")
    answer_with_the_mouse(page, "2 Developing", "3 Mature")
    page.wait_for_url("**/indices/embedding-change/")
    page.get_by_role("group", name="Current level").get_by_label("3 Mature").check()
    page.get_by_role("button", name="Save", exact=True).click()  # no target yet
    keyboard_answer = Answer.objects.get(council_return__round=round_, index__code="creating-commercial-opportunities")
    assert (keyboard_answer.current_level, keyboard_answer.target_level) == (2, 3)

    page.goto(return_url + "respondents/")
    page.get_by_label("Colleague's email address").fill("victor@alderley.example")
    page.get_by_role("button", name="Ask for their view").click()
    expect(page.get_by_text("Asked victor@alderley.example for their view.")).to_be_visible()
    assert_accessible(page)

    colleague = browser.new_context(base_url=live_server.url).new_page()
    sign_in(colleague, "victor@alderley.example")
    colleague.goto(return_url + "my-view/")
    assert_accessible(colleague)
    colleague.get_by_role("link", name="Engaging councillors").click()
    assert_accessible(colleague)
    colleague.get_by_label("4 Leader").check()
    colleague.get_by_label("Comment").fill("Cabinet reviews every major contract")
    colleague.get_by_role("button", name="Save your view").click()
    colleague.context.close()

    page.goto(return_url + "indices/engaging-councillors/")
    expect(page.get_by_text("Cabinet reviews every major contract")).to_be_visible()
    expect(page.locator(".app-aside").get_by_text("Leader")).to_be_visible()
    page.get_by_role("group", name="Current level").get_by_label("3 Mature").check()
    page.get_by_role("button", name="Save", exact=True).click()

    page.goto(return_url + "submit/")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("heading", name="Check your answers before submitting")).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link", name="Set the target level for Embedding change").click()
    page.wait_for_url("**/indices/embedding-change/#id_target_level_0")
    page.get_by_role("group", name="Target level").get_by_label("4 Leader").check()
    page.get_by_role("button", name="Save", exact=True).click()

    page.goto(return_url + "submit/")
    assert page.locator(".govuk-error-summary").count() == 0
    expect(page.get_by_role("link", name="Change current level for Engaging councillors")).to_be_visible()
    assert page.get_by_role("button", name="Submit the return").count() == 0
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.get_by_text("is waiting for sign-off").first).to_be_visible()
    expect(page.get_by_text("by Alice")).to_be_visible()
    assert_accessible(page)

    approver = browser.new_context(base_url=live_server.url).new_page()
    sign_in(approver, "abe@alderley.example")
    approver.goto(return_url)
    approver.get_by_role("link", name="Check and sign off").click()
    expect(approver.get_by_text("Alice sent this return for sign-off")).to_be_visible()
    assert_accessible(approver)
    approver.get_by_role("button", name="Sign off and submit").click()
    expect(approver.get_by_text("it is submitted").first).to_be_visible()
    approver.context.close()

    page.goto(return_url)
    expect(page.get_by_text("Signed off", exact=True)).to_be_visible()
    assert page.get_by_role("link", name=re.compile("^Check and")).count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Engaging councillors").click()
    assert page.get_by_role("button", name="Save").count() == 0
    assert_accessible(page)

    council_return = Return.objects.get(round=round_)
    assert council_return.status == ReturnStatus.SUBMITTED
    assert council_return.signed_off_by.email == "abe@alderley.example"
    assert council_return.answers.get(index__code="engaging-councillors").current_level == 3


def test_an_editor_confirms_a_prefilled_answer_from_the_check_page(page):
    council = make_organisation("Alderley", kind=Kind.DISTRICT_COUNCIL)
    alice = make_user("alice@alderley.example", organisation=council, role=Role.EDITOR, first_name="Alice")
    earlier = Return.objects.get(round=make_open_round(council, name="2025 diagnostic"))
    answer_everything(earlier, alice)
    submit_return(earlier, by=alice)
    round_ = make_open_round(council, name="2026 diagnostic", prefill_from=earlier.round)
    return_url = f"/organisations/{council.gss_code}/rounds/{round_.pk}/"

    sign_in(page, "alice@alderley.example")
    page.goto(return_url + "submit/")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("14 things to put right")
    summary.get_by_role("link", name=re.compile("^Confirm the prefilled answer for Engaging councillors")).click()
    page.wait_for_url("**/indices/engaging-councillors/#confirm-answer")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm this answer is still right").click()
    expect(page.get_by_text("Confirmed your answer for Engaging councillors")).to_be_visible()
    assert page.get_by_role("button", name="Confirm this answer is still right").count() == 0
    page.goto(return_url + "submit/")
    expect(page.locator(".govuk-error-summary")).to_contain_text("13 things to put right")
    assert not Answer.objects.get(council_return__round=round_, index__code="engaging-councillors").needs_review
