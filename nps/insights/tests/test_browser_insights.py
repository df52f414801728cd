"""Charts and tables in a real browser: the council dashboard, the national report and the public results page."""

import pytest
from playwright.sync_api import expect

from nps.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def chart_name(page):
    return page.evaluate("""() => {
        const svg = document.querySelector('svg.app-chart');
        const ids = svg.getAttribute('aria-labelledby').split(' ');
        return ids.map(id => document.getElementById(id).textContent).join(' ');
    }""")


def test_the_council_dashboard_draws_its_chart_beside_its_table(page, sign_in_as, viewer, council_a, published_round):
    sign_in_as(viewer)
    page.goto(f"/organisations/{council_a.gss_code}/rounds/{published_round.pk}/dashboard/")
    chart = page.get_by_role("img", name="Alderley: current level and target")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert chart.locator("rect").count() >= 14
    progress = page.get_by_role("img", name="Alderley: level per index in each round, with the target")
    assert progress.is_visible() and progress.locator("circle").count() == 14  # one round so far, a level each
    assert page.evaluate("document.documentElement.scrollHeight") < 3 * 1080  # about three screens at 1280 wide
    page.get_by_text("Show the figures behind the charts").click()
    assert page.get_by_role("table", name="The figures behind the charts").locator("tbody tr").count() == 14
    page.get_by_text("Show where you sit among councils of the same type").click()
    expect(page.get_by_role("table", name="Where you sit among your peers")).to_be_visible()
    assert_accessible(page)


def test_the_national_report_shows_distributions(page, sign_in_as, national_admin, closed_round):
    sign_in_as(national_admin)
    page.goto(f"/rounds/{closed_round.pk}/report/")
    assert page.locator("svg.app-chart rect").count() >= 14
    assert "Share of councils at each level per index" in chart_name(page)
    page.get_by_role("link", name="Engaging councillors").click()  # the contents list
    expect(page.get_by_text("England: median")).to_have_count(14)
    page.get_by_text("Show the figures for Engaging councillors by region and council type").click()
    expect(page.get_by_role("table", name="Engaging councillors")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/rounds/{closed_round.pk}/progress/")
    expect(page.get_by_text("7 of 7 submitted")).to_be_visible()
    assert_accessible(page)


def test_the_public_results_page_needs_no_sign_in(page, published_round):
    page.goto("/results/")
    page.get_by_role("link", name="2025 diagnostic").click()
    expect(page.locator("h1")).to_have_text("2025 diagnostic")
    assert page.locator("svg.app-chart rect").count() >= 14
    page.get_by_text("Show the figures for Engaging councillors by region and council type").click()
    expect(page.get_by_text("Withheld: fewer than 5 councils").first).to_be_visible()
    expect(page.get_by_role("heading", name="What is withheld, and why")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == f"nps-results-{published_round.pk}.csv"
    page.goto("/results/schema/")
    assert_accessible(page)
