"""The living strategy in a real browser: the national team edits a draft and publishes it; anyone reads the diff."""

import re

import pytest
from playwright.sync_api import expect

from nps.frameworks.models import FrameworkVersion
from nps.testing import assert_accessible, load_nps_2018

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editing_a_draft_version_and_publishing_it(page, sign_in_as, national_admin):
    load_nps_2018()
    sign_in_as(national_admin)
    page.goto("/strategy/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a new version from National Procurement Strategy").click()
    page.get_by_label("Version code").fill("2026")
    page.get_by_label("Title").fill("National Procurement Strategy 2026")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.locator("h1")).to_have_text("National Procurement Strategy 2026")
    assert_accessible(page)

    page.get_by_role("link", name="Add an index").click()
    page.get_by_label("Code").fill("growing-talent")
    page.get_by_label("Title").fill("Growing talent")
    page.get_by_label("Where it belongs").select_option(label="Enablers")
    page.get_by_label("Description").fill("Growing the procurement profession in councils.")
    page.get_by_label("What it is").fill("Planned development of procurement staff.")
    page.get_by_label("Why it is important").fill("Skills decide what procurement can achieve.")
    for number, name in enumerate(["Minimum", "Developing", "Mature", "Leader", "Innovator"], start=1):
        page.get_by_label(f"{number} {name}").fill(f"{name}: growing talent.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the index").click()

    page.get_by_role("link", name="Retire or replace Developing talent").click()
    page.get_by_label("Growing talent").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Growing talent replaces it one-to-one")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retire Developing talent").click()

    page.get_by_role("link", name="Working with partners (edit)").click()
    page.get_by_label("Description").fill("Working with partners, reworded by the national team.")
    page.get_by_role("button", name="Save the index").click()

    page.get_by_role("link", name="Preview it as councils will see it").click()
    expect(page.get_by_text("Preview of a draft")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Published National Procurement Strategy 2026. It can no longer change.")).to_be_visible()
    assert FrameworkVersion.objects.get(code="2026").is_published

    page.goto("/strategy/versions/")
    page.get_by_role("button", name="Make current").click()
    expect(page.get_by_text("National Procurement Strategy 2026 is now the current version")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("National Procurement Strategy 2026.*Current"))).to_be_visible()
    assert_accessible(page)

    page.goto("/strategy/changes/")
    assert page.locator("h1").inner_text().endswith("to National Procurement Strategy 2026")
    expect(page.get_by_role("cell", name="Replaced one-to-one")).to_be_visible()
    expect(page.get_by_text("Working with partners, reworded by the national team.")).to_be_visible()
    assert_accessible(page)


def test_the_public_diff_page_needs_no_sign_in(page):
    from nps.frameworks.loader import load_framework_file
    from nps.testing import nps_2026_text

    load_nps_2018()
    load_framework_file(nps_2026_text())
    page.goto("/strategy/versions/")
    page.get_by_role(
        "link", name="Compared with National Procurement Strategy for Local Government in England 2018"
    ).click()
    expect(page.get_by_text("Split into several indices")).to_be_visible()
    assert_accessible(page)
