"""Real-browser journeys through the foundation: the strategy, the directory and sign-in, checked with axe-core."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from nps.accounts.models import Role
from nps.organisations.loader import load_organisations
from nps.testing import HOME_PAGE, assert_accessible, load_nps_2018, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_strategy_overview_and_an_index_page(page):
    load_nps_2018()
    page.goto("/strategy/")
    expect(page.locator("h2", has_text="Theme: Showing leadership")).to_be_visible()
    assert page.locator(".app-index-list .govuk-summary-list__row").count() == 14
    assert_accessible(page)

    page.get_by_role("link", name="Engaging senior managers").click()
    expect(page.locator("h1")).to_have_text("Engaging senior managers")
    assert page.locator("table tbody tr").count() == 5
    expect(page.get_by_text("Reconstructed", exact=True).first).to_be_visible()
    assert_accessible(page)


def test_directory_filter_by_type_and_region(page):
    load_organisations()
    page.goto("/organisations/")
    page.get_by_label("Type").select_option(label="London borough")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-heading")).to_have_text("32 organisations")
    page.get_by_label("Name or GSS code").fill("Camden")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Camden").click()
    expect(page.get_by_text("E09000007")).to_be_visible()
    assert_accessible(page)


def test_sign_in_and_out_with_the_keyboard_alone(page):
    council = make_organisation("Alderley")
    make_user("alice@alderley.example", organisation=council, role=Role.EDITOR)
    page.goto("/account/sign-in/")
    assert_accessible(page)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_label("Email address").focus()
    page.keyboard.type("alice@alderley.example")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(HOME_PAGE)
    expect(page.locator("h1")).to_have_text("Alderley")  # the council's section: no round has invited it yet
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == "/"
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def test_a_wrong_password_shows_the_error_summary_and_focuses_it(page):
    make_user("alice@alderley.example")
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill("alice@alderley.example")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page)
