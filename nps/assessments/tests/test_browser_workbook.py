"""The offline workbook in a real browser: download it, upload it with a mistake, fix it, upload it again."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from nps.assessments.models import Answer, Return
from nps.testing import assert_accessible, make_open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_uploads_a_workbook_with_a_mistake_then_without(page, sign_in_as, editor, council_a, tmp_path):
    round_ = make_open_round(council_a)
    return_url = f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/"
    page.expected_errors = ["/workbook/"]  # the upload with a mistake answers 400
    sign_in_as(editor)
    page.goto(return_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return as a workbook to fill in offline (.xlsx)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    page.get_by_role("link", name="Upload a filled-in workbook").click()
    assert_accessible(page)

    book["Answers"]["C2"] = "Pretty mature"
    book.save(tmp_path / "with-a-mistake.xlsx")
    page.get_by_label("Upload the filled-in workbook").set_input_files(tmp_path / "with-a-mistake.xlsx")
    page.get_by_role("button", name="Upload and save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Answers!C2: Choose a level from the list")
    expect(summary).to_be_focused()
    assert_accessible(page)

    book["Answers"]["C2"] = "3 Mature"
    book.save(tmp_path / "fixed.xlsx")
    page.get_by_label("Upload the filled-in workbook").set_input_files(tmp_path / "fixed.xlsx")
    page.get_by_role("button", name="Upload and save").click()
    expect(page.get_by_role("heading", name="Workbook uploaded")).to_be_visible()
    assert_accessible(page)
    council_return = Return.objects.get(round=round_, organisation=council_a)
    assert Answer.objects.get(council_return=council_return, index__code="engaging-councillors").current_level == 3
