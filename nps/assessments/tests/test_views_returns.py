import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Answer
from nps.testing import answer_everything

pytestmark = pytest.mark.django_db

READERS = [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)]
PAGES = ["", "indices/engaging-councillors/", "indices/engaging-councillors/history/", "respondents/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("persona", "status"), READERS)
def test_who_may_read_council_as_return(request, client_for, return_url, page, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(return_url + page).status_code == status


@pytest.mark.parametrize("submitted", [False, True])
def test_another_council_gets_404_for_draft_and_submitted_returns_alike(
    client_for, editor, other_editor, council_return, return_url, submitted
):
    if submitted:
        answer_everything(council_return, editor)
        submit_return(council_return, by=editor)
    client = client_for(other_editor)
    for page in [*PAGES, "submit/", "my-view/", "indices/engaging-councillors/actions/new/"]:
        assert client.get(return_url + page).status_code == 404, page
    assert (
        client.post(return_url + "indices/engaging-councillors/", {"version": 0, "current_level": 5}).status_code == 404
    )
    assert client.post(return_url + "submit/").status_code == 404


def test_the_overview_shows_each_index_status_and_progress(client_for, editor, council_return, return_url):
    answer_everything(council_return, editor)
    answer = council_return.answers.get(index__code="engaging-councillors")
    answer.current_level = None
    answer.save()
    html = client_for(editor).get(return_url).content.decode()
    assert "13 of 14 indices answered or marked not applicable" in html
    assert html.count(">Answered</strong>") == 13 and html.count(">In progress</strong>") == 1
    assert "31 January 2027" in html


def test_the_answer_page_shows_descriptors_help_guidance_and_the_next_level(
    client_for, editor, council_return, return_url
):
    client = client_for(editor)
    client.post(return_url + "indices/engaging-councillors/", {"version": 0, "current_level": 2})
    html = client.get(return_url + "indices/engaging-councillors/").content.decode()
    assert "Councillors regard procurement and commercial issues as purely operational matters." in html
    assert "What it is" in html and "Why it is important" in html
    assert "there are no national targets" in html and "'Mature' can be exactly the right ambition" in html
    assert "The next level up: Mature" in html
    assert "Councillor engagement is delivering better results on some projects." in html


def test_an_editor_saves_an_answer_and_continues_to_the_next_index(client_for, editor, council_return, return_url):
    response = client_for(editor).post(
        return_url + "indices/engaging-councillors/",
        {
            "version": 0,
            "current_level": 2,
            "confidence": "medium",
            "evidence": "Member training log",
            "evidence_links": "https://example.org/report",
            "target_level": 3,
            "target_date_0": "31",
            "target_date_1": "3",
            "target_date_2": "2028",
            "rationale": "Priority",
            "continue": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == return_url + "indices/engaging-senior-managers/"
    answer = Answer.objects.get(council_return=council_return, index__code="engaging-councillors")
    assert (answer.current_level, answer.target_level, str(answer.target_date)) == (2, 3, "2028-03-31")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"current_level": 9}, "Select a valid choice"),
        (
            {"target_date_0": "31", "target_date_1": "2", "target_date_2": "2028"},
            "Enter a real date, for example 31 3 2027",
        ),
        ({"not_applicable": "on"}, "Say why this index does not apply to your council"),
        ({"evidence_links": "https://example.org\nnot a link"}, "Line 2 is not a web address"),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(client_for, editor, return_url, data, error):
    response = client_for(editor).post(
        return_url + "indices/engaging-councillors/",
        {"version": 0, "evidence": "Kept text", **data},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html and error in html
    assert "Kept text" in html


def test_a_viewer_reads_but_cannot_change(client_for, viewer, return_url, council_return):
    client = client_for(viewer)
    html = client.get(return_url + "indices/engaging-councillors/").content.decode()
    assert "Save and continue" not in html and "Current level" in html
    response = client.post(return_url + "indices/engaging-councillors/", {"version": 0, "current_level": 4})
    assert response.status_code == 404
    assert Answer.objects.get(council_return=council_return, index__code="engaging-councillors").current_level is None


def test_a_second_save_from_a_stale_page_is_refused_and_shows_the_other_change(
    client_for, editor, viewer, council_return, return_url
):
    colleague = client_for(editor)
    url = return_url + "indices/engaging-councillors/"
    colleague.post(url, {"version": 0, "current_level": 3})
    from nps.accounts.models import Membership, Role

    Membership.objects.filter(user=viewer).update(role=Role.EDITOR)
    response = client_for(viewer).post(url, {"version": 0, "current_level": 1, "evidence": "My evidence"})
    html = response.content.decode()
    assert "Someone else saved this answer while you were editing it" in html
    assert "changed current level from “nothing” to “Mature”" in html
    assert "My evidence" in html and 'name="version" value="1"' in html
    assert Answer.objects.get(council_return=council_return, index__code="engaging-councillors").current_level == 3


def test_history_lists_every_change(client_for, editor, return_url):
    client = client_for(editor)
    client.post(return_url + "indices/engaging-councillors/", {"version": 0, "current_level": 2})
    client.post(return_url + "indices/engaging-councillors/", {"version": 1, "current_level": 3})
    html = client.get(return_url + "indices/engaging-councillors/history/").content.decode()
    assert "Developing" in html and "Mature" in html and "Alice" in html


def test_your_returns_lists_the_returns_of_your_organisations(client_for, editor, other_editor, council_return):
    assert "Alderley" in client_for(editor).get("/returns/").content.decode()
    assert "Alderley" not in client_for(other_editor).get("/returns/").content.decode()
