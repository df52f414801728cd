"""National validation and queries in a real browser, without JavaScript-only steps: the national team asks about one
index and validates two, the council answers the question, and the history tells it all; axe-core checks each page."""

import pytest

from nps.assessments.models import Answer, Assurance, Query
from nps.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_team_queries_and_validates_and_the_council_answers(
    page, sign_in_as, submitted_return, editor, national_admin
):
    council_return = submitted_return
    gss_code = council_return.organisation.gss_code
    sign_in_as(national_admin)
    page.goto(f"/rounds/{council_return.round_id}/")
    page.get_by_role("link", name="Validate Alderley's return").click()
    assert_accessible(page)

    page.get_by_text("Ask the council about Engaging councillors").click()
    page.get_by_role("button", name="Send the question").first.click()  # nothing written yet
    page.get_by_role("link", name="Write your question to the council").wait_for()
    assert_accessible(page)
    page.get_by_label("Your question to the council about Engaging councillors").fill("Which report shows this?")
    page.get_by_role("button", name="Send the question").first.click()
    page.get_by_text("Sent your question about Engaging councillors").wait_for()

    page.get_by_role("checkbox", name="Engaging local SMEs and micro-businesses").check()
    page.get_by_role("checkbox", name="Obtaining social value").check()
    page.get_by_label("Note (optional)").fill("Evidence read")
    page.get_by_role("button", name="Validate the chosen indices").click()
    page.get_by_role("heading", name="Validate these 2 indices?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Validate", exact=True).click()
    page.get_by_text("Validated 2 indices of Alderley's return.").wait_for()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in_as(editor)
    page.goto(f"/organisations/{gss_code}/rounds/{council_return.round_id}/")
    page.get_by_role("heading", name="The national team has a question").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Engaging councillors").first.click()
    assert_accessible(page)
    page.get_by_label("Your answer to the national team").fill("The annual report, page 4.")
    page.get_by_role("button", name="Send your answer").click()
    page.get_by_text("Sent your answer about Engaging councillors to the national team.").wait_for()
    assert Query.objects.get().response == "The annual report, page 4."

    page.get_by_role("link", name="History of this answer").click()
    page.get_by_role("cell", name="Query answered").wait_for()
    assert_accessible(page)
    validated = Answer.objects.filter(council_return=council_return, assurance=Assurance.VALIDATED)
    assert sorted(validated.values_list("index__code", flat=True)) == ["engaging-smes", "obtaining-social-value"]
