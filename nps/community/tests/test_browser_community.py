"""Exemplars and case studies in a real browser: a council opts in, another finds it and asks to be connected, the
national team connects them and publishes a case study, and the public finds it; axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from nps.accounts.preferences import preferences_token, wants_connection_emails
from nps.community.models import CaseStudy, ConnectionRequest
from nps.testing import answer_everything, assert_accessible, make_open_round

from .conftest import INDEX, return_of, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, sign_in_as, user):
    page.context.clear_cookies()
    sign_in_as(user)


def opt_in_as_an_exemplar(page, council):
    page.goto("/community/")
    assert_accessible(page)
    page.get_by_role("link", name=f"{council.name}: exemplar offers and connection requests").click()
    assert_accessible(page)
    page.get_by_role("button", name="Offer help as an exemplar").click()
    assert_accessible(page)
    expect(page.get_by_label("Obtaining social value")).to_have_count(0)  # only where the council leads
    page.get_by_label("Contact's name").fill("Alice Alderley")
    page.get_by_label("What you can share").fill("Our member training programme.")
    page.get_by_role("button", name="Offer help").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("link", name="Choose at least one index")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Engaging councillors").check()
    page.get_by_role("button", name="Offer help").click()
    expect(page.get_by_text("Alderley now offers help in Engaging councillors.")).to_be_visible()
    assert_accessible(page)


def ask_to_be_connected(page, council_return):
    page.goto(f"/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/dashboard/")
    biggest_gaps = page.get_by_role("table", name="Exemplars for your biggest gaps")
    expect(biggest_gaps.get_by_role("cell", name="Alderley", exact=True)).to_be_visible()
    page.get_by_role("link", name="See all 1 suggestion for every gap, with what each can share").click()
    table = page.get_by_role("table", name="Exemplars in Engaging councillors")
    expect(table.get_by_text("Same region (North West)")).to_be_visible()
    assert_accessible(page)
    table.get_by_role("link", name="Ask to be connected").click()
    expect(page.get_by_text("Our member training programme.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Message (optional)").fill("How do you train new members?")
    page.get_by_role("button", name="Ask to be connected").click()
    expect(page.get_by_text("You asked to be connected with Alderley.")).to_be_visible()
    assert (
        page.get_by_role("table", name="Requests you made to be connected with an exemplar")
        .get_by_text("Requested")
        .is_visible()
    )
    assert_accessible(page)


def connect_them(page):
    page.goto("/community/")
    assert_accessible(page)
    page.get_by_role("link", name="Connection requests").click()
    assert_accessible(page)
    page.get_by_role("link", name="Brackenshire and Alderley").click()
    expect(page.get_by_text("How do you train new members?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the decision").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Connect them").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The request is now connected.")).to_be_visible()
    assert_accessible(page)
    for path in ["/community/support/", "/community/exemplary/"]:
        page.goto(path)
        assert_accessible(page)


def publish_a_case_study(page):
    page.goto("/community/case-studies/")
    assert_accessible(page)
    page.get_by_role("button", name="Write a case study").click()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Title").fill("Members as procurement champions")
    page.get_by_label("Summary").fill("How Alderley trained its councillors.")
    page.get_by_label("The case study").fill("It started with one workshop.\n\nNow every member takes the course.")
    page.get_by_label("Engaging councillors").check()
    page.get_by_label("4 Leader").check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Saved “Members as procurement champions” as a draft.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is published: everyone can read it")).to_be_visible()


def find_it_as_the_public(page):
    page.goto("/")
    page.get_by_role("link", name="Case studies", exact=True).click()  # the menu, not the home page's link
    assert_accessible(page)
    page.get_by_label("Index").select_option(label="Engaging councillors")
    page.get_by_label("Level reached").select_option(label="4 Leader")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 case study")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Members as procurement champions").click()
    expect(page.get_by_text("Now every member takes the course.")).to_be_visible()
    assert_accessible(page)


def test_an_exemplar_is_found_connected_and_a_case_study_published(
    page, sign_in_as, council_a, council_b, editor, other_editor, national_admin
):
    round_ = make_open_round(council_a, council_b)
    submit(return_of(round_, council_a), editor, levels={INDEX: (4, 4)})
    council_b_return = return_of(round_, council_b)
    answer_everything(council_b_return, other_editor, level=2, target=3)

    sign_in_as(editor)
    opt_in_as_an_exemplar(page, council_a)
    switch_to(page, sign_in_as, other_editor)
    ask_to_be_connected(page, council_b_return)
    switch_to(page, sign_in_as, national_admin)
    connect_them(page)
    assert ConnectionRequest.objects.get().status == "connected"
    publish_a_case_study(page)
    assert CaseStudy.objects.get().is_published
    page.context.clear_cookies()
    find_it_as_the_public(page)
    page.goto(f"/email-preferences/{preferences_token('alice@alderley.example')}/")
    assert_accessible(page)
    page.get_by_label("News about exemplar connection requests").uncheck()
    page.get_by_role("button", name="Save your choices").click()
    assert_accessible(page)
    assert not wants_connection_emails("alice@alderley.example")
