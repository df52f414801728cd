"""Real-browser journeys of two-factor authentication, as the national team meets it in production settings: setting
it up before anything else, signing in with a code from the app, and with a recovery code when the phone is lost;
and the page of where they are signed in. Every page is checked with axe-core; none needs JavaScript."""

import base64
import re

import pytest
from playwright.sync_api import expect

from nps.testing import HOME_PAGE, assert_accessible, authenticator_code, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def sign_in_with_password(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_national_team_sets_up_two_factor_then_signs_in_with_a_code_and_with_a_recovery_code(page, settings):
    settings.TWO_FACTOR_REQUIRED = True
    nadia = make_user("nadia@national.example", is_national_admin=True, is_staff=True, first_name="Nadia")

    sign_in_with_password(page, nadia.email)
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    expect(page.get_by_text("Your role needs two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for adding the NPS toolkit")).to_be_visible()
    assert_accessible(page)
    page.goto("/rounds/")  # nothing else opens until it is set up
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")

    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    secret = page.locator("#two-factor-secret").text_content().replace(" ", "")  # typed into the app by hand
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(base64.b32decode(secret).hex()))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator("h1")).to_have_text("Two-factor authentication is on")
    codes = page.locator(".app-recovery-codes code").all_text_contents()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url(HOME_PAGE)

    sign_in_with_password(page, nadia.email)
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(nadia, seconds_later=30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(HOME_PAGE)

    sign_in_with_password(page, nadia.email)
    page.get_by_role("link", name="use a recovery code").click()
    expect(page.locator("h1")).to_have_text("Enter a recovery code")
    assert_accessible(page)
    page.get_by_label("Recovery code").fill(codes[0].upper())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(HOME_PAGE)
    page.goto("/account/two-factor/")
    expect(page.get_by_text("You have 9 recovery codes left.")).to_be_visible()
    assert_accessible(page)


def test_someone_sees_where_they_are_signed_in_and_signs_another_browser_out(page, browser, live_server, editor):
    other = browser.new_context(base_url=live_server.url, user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/140.0")
    other_page = other.new_page()
    sign_in_with_password(other_page, editor.email)
    other_page.wait_for_url(HOME_PAGE)
    sign_in_with_password(page, editor.email)
    page.wait_for_url(HOME_PAGE)

    page.goto("/account/")
    page.get_by_role("link", name="Where you are signed in").click()
    expect(page.get_by_role("row", name=re.compile("This browser"))).to_have_count(1)
    expect(page.get_by_role("row", name=re.compile("Firefox on Windows 127.0.0.1"))).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Sign out Firefox on Windows")).click()
    expect(page.get_by_text("Signed out of Firefox on Windows.")).to_be_visible()
    expect(page.get_by_text("You are not signed in anywhere else.")).to_be_visible()

    other_page.goto("/account/")
    expect(other_page.locator("h1")).to_have_text("Sign in")
    other.close()
