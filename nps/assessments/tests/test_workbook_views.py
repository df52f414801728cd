import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from nps.assessments.answers import submit_return
from nps.assessments.models import Answer, AnswerChange
from nps.testing import answer_everything

pytestmark = pytest.mark.django_db
DOWNLOADERS = [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)]
UPLOADERS = [("editor", 200), ("viewer", 404), ("national_admin", 404), ("other_editor", 404), ("group_lead", 404)]


def downloaded(client, return_url):
    return load_workbook(io.BytesIO(client.get(return_url + "workbook.xlsx").content))


def upload(client, return_url, book, name="alderley.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return client.post(return_url + "workbook/", {"workbook": SimpleUploadedFile(name, buffer.getvalue())})


def councillors(council_return):
    return Answer.objects.get(council_return=council_return, index__code="engaging-councillors")


@pytest.mark.parametrize(("persona", "status"), DOWNLOADERS)
def test_who_may_download_the_workbook(request, client_for, return_url, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(return_url + "workbook.xlsx")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == 'attachment; filename="alderley-2026-diagnostic-workbook.xlsx"'
        assert response["Cache-Control"] == "private, no-store"
        assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Instructions", "Answers", "Descriptors"]


@pytest.mark.parametrize(("persona", "status"), UPLOADERS)
def test_only_the_councils_editors_may_upload(request, client_for, editor, return_url, persona, status):
    book = downloaded(client_for(editor), return_url)
    book["Answers"]["C2"] = "4 Leader"
    client = client_for(request.getfixturevalue(persona))
    assert client.get(return_url + "workbook/").status_code == status
    upload(client, return_url, book)
    assert Answer.objects.filter(current_level=4).exists() == (persona == "editor")


def test_the_overview_links_to_the_workbook(client_for, editor, viewer, return_url):
    editors_page = client_for(editor).get(return_url).content.decode()
    assert f'href="{return_url}workbook.xlsx"' in editors_page and f'href="{return_url}workbook/"' in editors_page
    viewers_page = client_for(viewer).get(return_url).content.decode()
    assert f'href="{return_url}workbook.xlsx"' in viewers_page and f'href="{return_url}workbook/"' not in viewers_page


def test_an_editor_downloads_fills_in_and_uploads_the_workbook(client_for, editor, council_return, return_url):
    client = client_for(editor)
    book = downloaded(client, return_url)
    assert f"http://testserver{return_url}workbook/" in book["Instructions"]["B18"].value
    book["Answers"]["C2"] = "3 Mature"
    book["Answers"]["I2"] = "4 Leader"
    book["Answers"]["J2"] = "31/3/2028"

    response = upload(client, return_url, book)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Workbook uploaded" in html and "1 answer changed" in html
    assert "Current level" in html and "Mature" in html and "31 March 2028" in html
    answer = councillors(council_return)
    assert (answer.current_level, answer.target_level, answer.version, answer.updated_by) == (3, 4, 1, editor)
    assert set(AnswerChange.objects.filter(answer=answer, changed_by=editor).values_list("field", flat=True)) == {
        "current_level",
        "target_level",
        "target_date",
    }
    history = client.get(return_url + "indices/engaging-councillors/history/").content.decode()
    assert "Mature" in history


def test_problems_are_listed_in_the_error_summary_by_cell(client_for, editor, council_return, return_url):
    client = client_for(editor)
    book = downloaded(client, return_url)
    book["Answers"]["C2"] = "Quite good"
    book["Answers"]["J12"] = "31/2/2027"
    book["Answers"]["E3"] = "Saved, but not while J12 is wrong"

    response = upload(client, return_url, book)

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error: " in html
    assert '<a href="#id_workbook">Answers!C2: Choose a level from the list</a>' in html
    assert '<a href="#id_workbook">Answers!J12: Enter a real date, for example 31/3/2027</a>' in html
    assert not AnswerChange.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("answers.pdf", b"%PDF-1.4", "The selected file must be an Excel workbook (.xlsx)"),
        ("answers.xlsx", b"not a zip", "The selected file is not a real Excel workbook (.xlsx)"),
        ("answers.xlsm", b"PK\x03\x04", "The file is a macro-enabled workbook (.xlsm)"),
        ("answers.xlsx", b"", "The selected file is empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_error(client_for, editor, return_url, name, content, message):
    response = client_for(editor).post(return_url + "workbook/", {"workbook": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_no_file_gets_a_clear_error(client_for, editor, return_url):
    response = client_for(editor).post(return_url + "workbook/")
    assert '<a href="#id_workbook">Select the workbook to upload</a>' in response.content.decode()


def test_an_answer_changed_online_since_the_download_is_reported_and_nothing_is_saved(
    client_for, editor, council_return, return_url
):
    client = client_for(editor)
    book = downloaded(client, return_url)
    client.post(return_url + "indices/engaging-councillors/", {"version": 0, "current_level": 2})
    book["Answers"]["C2"] = "5 Innovator"
    book["Answers"]["C3"] = "5 Innovator"

    response = upload(client, return_url, book)

    assert response.status_code == 400
    assert "Answers!A2: Engaging councillors was changed online by Alice (current level)" in response.content.decode()
    assert councillors(council_return).current_level == 2
    assert not Answer.objects.filter(current_level=5).exists()


def test_a_submitted_return_refuses_uploads(client_for, editor, council_return, return_url):
    answer_everything(council_return, editor)
    client = client_for(editor)
    book = downloaded(client, return_url)
    submit_return(council_return, by=editor)
    book["Answers"]["C2"] = "5 Innovator"

    assert "This return can no longer change" in client.get(return_url + "workbook/").content.decode()
    response = upload(client, return_url, book)

    assert response.status_code == 400
    assert "This return can no longer change" in response.content.decode()
    assert councillors(council_return).current_level == 2
