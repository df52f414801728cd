"""The national team's round page in a real browser: finding returns by name and status without JavaScript, paging,
reopening one after reading what that does, at a desktop's width and at 320 CSS pixels; axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from nps.assessments.models import Return, ReturnStatus
from nps.organisations.models import Kind
from nps.testing import assert_accessible, make_open_round, make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_of_55(db):
    """An open round inviting 54 district councils and Bolton, whose return is submitted."""
    councils = [make_organisation(f"District {n:02}") for n in range(54)]
    bolton = make_organisation("Bolton", kind=Kind.UNITARY_AUTHORITY)
    round_ = make_open_round(*councils, bolton)
    Return.objects.filter(round=round_, organisation=bolton).update(status=ReturnStatus.SUBMITTED)
    return round_


def assert_in_landmarks_and_no_wider_than_the_window(page):
    """No content outside a landmark (axe's "region" rule), and no sideways scrolling (WCAG 2.2, 1.4.10 Reflow)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["region"]}})
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_national_team_finds_a_return_and_reopens_it(page, sign_in_as, national_admin, round_of_55, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(national_admin)
    page.goto(f"/rounds/{round_of_55.pk}/")
    expect(page.get_by_text("All 55 returns, by name.")).to_be_visible()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    assert_accessible(page)
    assert_in_landmarks_and_no_wider_than_the_window(page)

    page.get_by_label("Name or GSS code").fill("bol")
    page.get_by_label("Return status").select_option(label="Submitted")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 of 55 returns matches:")).to_be_visible()
    expect(page.get_by_text("Return status: Submitted")).to_be_visible()
    expect(page.get_by_label("Name or GSS code")).to_have_value("bol")
    assert "q=bol" in page.url and "status=submitted" in page.url
    assert_accessible(page)
    assert_in_landmarks_and_no_wider_than_the_window(page)

    page.get_by_role("link", name="Reopen Bolton's return").click()
    expect(page.get_by_text("its figures leave the round's results")).to_be_visible()
    assert_accessible(page)
    assert_in_landmarks_and_no_wider_than_the_window(page)
    page.get_by_role("button", name="Reopen the return").click()  # no reason given
    expect(page.get_by_role("link", name="Say why you are reopening this return")).to_be_visible()
    page.get_by_label("Why reopen this return").fill("The council asked to correct an answer")
    page.get_by_role("button", name="Reopen the return").click()
    expect(page.get_by_text("Bolton can change its return again.")).to_be_visible()
    assert Return.objects.get(round=round_of_55, organisation__name="Bolton").status == ReturnStatus.IN_PROGRESS

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="District 53")).to_be_visible()


def test_the_national_team_creates_a_round_for_three_councils_named(page, sign_in_as, national_admin, db):
    from nps.testing import load_nps_2018

    load_nps_2018()
    for name in ["Bolton", "Bolsover", "Wigan", "Camden"]:
        make_organisation(name)
    sign_in_as(national_admin)
    page.goto("/rounds/new/")
    page.get_by_label("Name", exact=True).fill("Three councils 2027")
    for box, value in [("opens_on", ["1", "4", "2027"]), ("deadline", ["30", "6", "2027"])]:
        for part, text in enumerate(value):
            page.locator(f"#id_{box}_{part}").fill(text)
    for box in page.get_by_role("group", name="Which types of organisation are invited").get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_label("And these councils by name").fill("Bolton\nBol\nwigan")
    page.get_by_role("button", name="Create the round").click()
    expect(
        page.get_by_role(
            "link", name="Line 2, “Bol”: no current council has this name or GSS code in full; did you mean"
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("And these councils by name").fill("Bolton\nBolsover\nwigan")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_text("3 councils by name: Bolsover, Bolton, Wigan")).to_be_visible()
    assert_accessible(page)
