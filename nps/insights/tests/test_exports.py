import csv
import datetime
import io
import json
import tracemalloc

import jsonschema
import openpyxl
import pytest
from django.utils import timezone

from nps.assessments.actions import plan_action
from nps.assessments.models import Answer, Return, ReturnStatus, Round
from nps.insights.exports import neutralise_formula
from nps.organisations.models import Kind
from nps.settings import PACKAGE_DIR
from nps.testing import make_open_round, make_organisation

pytestmark = pytest.mark.django_db

EXPORTS_SCHEMA = json.loads((PACKAGE_DIR / "insights" / "schemas" / "exports.schema.json").read_text())
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDICES = 14  # in NPS 2018


def return_url(round_: Round, council, extension: str) -> str:
    return f"/organisations/{council.gss_code}/rounds/{round_.pk}/{extension}"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def status_of(client, url: str) -> int:
    """Reading a download to the end closes its temporary file, as a web server would. (Calling close() directly
    would also close the test's database connection on PostgreSQL.)"""
    response = client.get(url)
    if response.streaming:
        content(response)
    return response.status_code


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(response).decode())))


def workbook_rows(response) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content(response)), read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    workbook.close()
    return sheets


def records(sheet: list[tuple]) -> list[dict[str, object]]:
    header, *rows = sheet
    return [dict(zip(header, row, strict=True)) for row in rows]


def answers_of(round_: Round, council) -> object:
    return Answer.objects.filter(council_return__round=round_, council_return__organisation=council)


@pytest.fixture
def action(closed_round, council_a, editor):
    answer = answers_of(closed_round, council_a).select_related("index", "council_return__organisation").first()
    due = datetime.date(2026, 3, 31)
    return plan_action(
        answer, title="Train the buyers", owner="Head of procurement", due_date=due, aim_level=4, by=editor
    )


def test_a_councils_return_downloads_as_csv_with_one_row_per_index(client_for, editor, closed_round, council_a):
    response = client_for(editor).get(return_url(closed_round, council_a, "export.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="alderley-2025-diagnostic-return.csv"'
    rows = csv_rows(response)
    assert len(rows) == INDICES
    first = rows[0]
    assert (first["gss_code"], first["organisation_name"], first["organisation_type"]) == (
        council_a.gss_code,
        "Alderley",
        "District council",
    )
    assert (first["region"], first["round"], first["index_code"]) == (
        "North West",
        "2025 diagnostic",
        "engaging-councillors",
    )
    assert (first["current_level"], first["current_level_name"], first["target_level"]) == ("3", "Mature", "4")
    assert (first["not_applicable"], first["assurance"], first["demonstration_data"]) == (
        "false",
        "Self-assessed",
        "false",
    )
    submitted_at = Return.objects.get(round=closed_round, organisation=council_a).submitted_at
    assert first["submitted_at"] == timezone.localtime(submitted_at).isoformat()


def test_the_action_plan_downloads_as_its_own_csv(client_for, editor, closed_round, council_a, action):
    response = client_for(editor).get(return_url(closed_round, council_a, "export-actions.csv"))
    assert response["Content-Disposition"] == 'attachment; filename="alderley-2025-diagnostic-return-actions.csv"'
    [row] = csv_rows(response)
    assert (row["title"], row["owner"], row["due_date"], row["status"]) == (
        "Train the buyers",
        "Head of procurement",
        "2026-03-31",
        "Planned",
    )
    assert (row["aim_level"], row["aim_level_name"], row["index_code"]) == ("4", "Leader", action.answer.index.code)


def test_the_workbook_has_an_about_sheet_then_answers_and_actions(client_for, editor, closed_round, council_a, action):
    response = client_for(editor).get(return_url(closed_round, council_a, "export.xlsx"))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="alderley-2025-diagnostic-return.xlsx"'
    sheets = workbook_rows(response)
    assert list(sheets) == ["About", "Answers", "Actions"]
    about = dict(sheets["About"])
    assert (about["Round"], about["Organisation"], about["Demonstration data"]) == ("2025 diagnostic", "Alderley", "no")
    assert isinstance(about["Exported at"], datetime.datetime) and "not published" in about["Notes"]
    answers = records(sheets["Answers"])
    assert len(answers) == INDICES
    assert (answers[0]["current_level"], answers[0]["current_level_name"], answers[0]["not_applicable"]) == (
        3,
        "Mature",
        False,
    )
    assert [row["title"] for row in records(sheets["Actions"])] == ["Train the buyers"]


def test_the_json_is_one_document_that_validates_against_its_schema(
    client_for, editor, closed_round, council_a, action
):
    response = client_for(editor).get(return_url(closed_round, council_a, "export.json"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="alderley-2025-diagnostic-return.json"'
    document = json.loads(content(response))
    jsonschema.validate(document, EXPORTS_SCHEMA)
    assert (document["export"], document["gss_code"], document["status"]) == ("return", council_a.gss_code, "Submitted")
    assert document["demonstration_data"] is False
    assert len(document["answers"]) == INDICES and document["answers"][0]["current_level"] == 3
    assert [row["title"] for row in document["actions"]] == ["Train the buyers"]


@pytest.mark.parametrize("extension", ["export.csv", "export-actions.csv", "export.xlsx", "export.json"])
def test_a_viewer_downloads_their_own_councils_return(client_for, viewer, closed_round, council_a, extension):
    assert status_of(client_for(viewer), return_url(closed_round, council_a, extension)) == 200


@pytest.mark.parametrize("extension", ["export.csv", "export-actions.csv", "export.xlsx", "export.json"])
def test_other_councils_and_group_leads_get_404_for_a_return(
    client_for, other_editor, group_lead, closed_round, council_a, extension
):
    for person in [other_editor, group_lead]:
        assert status_of(client_for(person), return_url(closed_round, council_a, extension)) == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, closed_round, council_a):
    assert client.get(return_url(closed_round, council_a, "export.csv")).status_code == 302
    assert client.get(f"/rounds/{closed_round.pk}/returns.csv").status_code == 302


@pytest.mark.parametrize("extension", ["csv", "xlsx", "json"])
def test_only_the_national_team_downloads_a_rounds_returns(
    client_for, editor, viewer, other_editor, group_lead, national_admin, closed_round, extension
):
    url = f"/rounds/{closed_round.pk}/returns.{extension}"
    for person in [editor, viewer, other_editor, group_lead]:
        assert status_of(client_for(person), url) == 404
    assert status_of(client_for(national_admin), url) == 200


def test_a_rounds_export_has_a_row_per_submitted_council_and_index(client_for, national_admin, closed_round):
    Return.objects.filter(round=closed_round, organisation__name="Peer 3").update(status=ReturnStatus.IN_PROGRESS)
    response = client_for(national_admin).get(f"/rounds/{closed_round.pk}/returns.csv")
    assert response["Content-Disposition"] == 'attachment; filename="2025-diagnostic-submitted-returns.csv"'
    rows = csv_rows(response)
    names = ["Alderley", "Peer 0", "Peer 1", "Peer 2", "Southern 0", "Southern 1"]
    assert sorted({row["organisation_name"] for row in rows}) == names
    assert len(rows) == len(names) * INDICES
    levels = {row["organisation_name"]: row["current_level_name"] for row in rows}
    assert (levels["Peer 0"], levels["Peer 2"]) == ("Minimum", "Leader")
    assert {row["region"] for row in rows} == {"North West", "South East"}


def test_a_rounds_workbook_and_json_hold_the_same_rows(client_for, national_admin, closed_round):
    client = client_for(national_admin)
    sheets = workbook_rows(client.get(f"/rounds/{closed_round.pk}/returns.xlsx"))
    document = json.loads(content(client.get(f"/rounds/{closed_round.pk}/returns.json")))
    jsonschema.validate(document, EXPORTS_SCHEMA)
    assert list(sheets) == ["About", "Answers"]
    assert dict(sheets["About"])["Returns"] == document["returns"] == 7
    answers = records(sheets["Answers"])
    assert len(answers) == len(document["answers"]) == 7 * INDICES
    assert [row["gss_code"] for row in answers] == [row["gss_code"] for row in document["answers"]]
    assert "not open data" in document["notes"] and "Open Government Licence v3.0" in document["notes"]


@pytest.mark.parametrize(
    ("text", "neutralised"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+44 1234", "'+44 1234"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Contract register = complete", "Contract register = complete"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text, neutralised):
    assert neutralise_formula(text) == neutralised


def test_formulas_in_evidence_are_neutralised_in_csv_and_xlsx_but_kept_in_json(
    client_for, editor, closed_round, council_a
):
    formula = '=HYPERLINK("http://evil.example","Click")'
    answers_of(closed_round, council_a).update(evidence=formula, rationale="@SUM(1)", evidence_links="-2+3")
    client = client_for(editor)
    row = csv_rows(client.get(return_url(closed_round, council_a, "export.csv")))[0]
    assert (row["evidence"], row["rationale"], row["evidence_links"]) == ("'" + formula, "'@SUM(1)", "'-2+3")
    workbook = openpyxl.load_workbook(
        io.BytesIO(content(client.get(return_url(closed_round, council_a, "export.xlsx"))))
    )
    sheet = workbook["Answers"]
    evidence = sheet.cell(row=2, column=[cell.value for cell in sheet[1]].index("evidence") + 1)
    assert (evidence.value, evidence.data_type) == ("'" + formula, "s")
    document = json.loads(content(client.get(return_url(closed_round, council_a, "export.json"))))
    assert document["answers"][0]["evidence"] == formula


def test_control_characters_that_excel_refuses_are_dropped_from_the_workbook(
    client_for, editor, closed_round, council_a
):
    answers_of(closed_round, council_a).update(evidence="Pasted\x01 from\x0b a PDF")  # forms refuse \x00 itself
    response = client_for(editor).get(return_url(closed_round, council_a, "export.xlsx"))
    assert records(workbook_rows(response)["Answers"])[0]["evidence"] == "Pasted from a PDF"


def test_demonstration_data_is_labelled_in_every_format(client_for, national_admin, closed_round, council_a):
    Round.objects.filter(pk=closed_round.pk).update(is_demo=True)
    client = client_for(national_admin)
    for url in [return_url(closed_round, council_a, "export"), f"/rounds/{closed_round.pk}/returns"]:
        assert {row["demonstration_data"] for row in csv_rows(client.get(url + ".csv"))} == {"true"}
        assert dict(workbook_rows(client.get(url + ".xlsx"))["About"])["Demonstration data"] == "yes"
        assert json.loads(content(client.get(url + ".json")))["demonstration_data"] is True


def test_one_demonstration_return_labels_the_whole_rounds_export(client_for, national_admin, closed_round):
    Return.objects.filter(round=closed_round, organisation__name="Peer 1").update(is_demo=True)
    client = client_for(national_admin)
    rows = csv_rows(client.get(f"/rounds/{closed_round.pk}/returns.csv"))
    assert {row["organisation_name"] for row in rows if row["demonstration_data"] == "true"} == {"Peer 1"}
    assert json.loads(content(client.get(f"/rounds/{closed_round.pk}/returns.json")))["demonstration_data"] is True


def test_the_dashboard_and_the_round_page_link_to_the_exports(client_for, national_admin, closed_round, council_a):
    client = client_for(national_admin)
    dashboard = client.get(return_url(closed_round, council_a, "dashboard/")).content.decode()
    for extension in ["export.csv", "export-actions.csv", "export.xlsx", "export.json"]:
        assert f'href="{return_url(closed_round, council_a, extension)}"' in dashboard
    round_page = client.get(f"/rounds/{closed_round.pk}/").content.decode()
    for extension in ["csv", "xlsx", "json"]:
        assert f'href="/rounds/{closed_round.pk}/returns.{extension}"' in round_page


def submitted_round(councils: int, kind: str, name: str) -> Round:
    """A round in which every council submitted, each answer with about 1,500 characters of evidence."""
    round_ = make_open_round(
        *[make_organisation(f"{name} council {number:02d}", kind) for number in range(councils)], name=name
    )
    evidence = "Contract register, spend analysis, category strategies and the social value policy. " * 18
    Answer.objects.filter(council_return__round=round_).update(
        current_level=2, target_level=3, confidence="medium", evidence=evidence, rationale="Close the gap."
    )
    round_.returns.update(status=ReturnStatus.SUBMITTED, submitted_at=timezone.now())
    return round_


def streamed_peak(client, url: str) -> tuple[int, int]:
    """The traced peak of memory from the request until its response is consumed block by block, and its size.
    A first request, untraced, leaves out what happens once per process (imports, URL patterns, templates)."""
    status_of(client, url)
    tracemalloc.start()
    try:
        response = client.get(url)
        total = sum(len(block) for block in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, total


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_streaming_a_sixty_council_round_holds_a_chunk_of_rows_not_the_whole_output(
    client_for, national_admin, monkeypatch, extension
):
    """Not a timing test. Memory is bounded by one fetched chunk of rows plus one block of output. Production fetches
    2,000 rows at a time; here 25, so that 60 councils (840 rows) make many chunks and the bound is visible."""
    monkeypatch.setattr("nps.insights.exports.CHUNK_SIZE", 25)
    round_ = submitted_round(60, Kind.UNITARY_AUTHORITY, "2027 diagnostic")
    peak, total = streamed_peak(client_for(national_admin), f"/rounds/{round_.pk}/returns.{extension}")
    assert total > 1_000_000
    assert peak < total / 3, f"peak {peak:,} bytes for {total:,} bytes of output"


@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_export_memory_does_not_grow_with_the_number_of_councils(client_for, national_admin, monkeypatch, extension):
    """Not a timing test: three times the councils, three times the rows, about the same peak (fetching 25 rows at a
    time, as above). The workbook is written to a temporary file first; its memory is measured too."""
    monkeypatch.setattr("nps.insights.exports.CHUNK_SIZE", 25)
    client = client_for(national_admin)
    small = submitted_round(20, Kind.UNITARY_AUTHORITY, "2027 diagnostic")
    large = submitted_round(60, Kind.LONDON_BOROUGH, "2028 diagnostic")
    small_peak, small_total = streamed_peak(client, f"/rounds/{small.pk}/returns.{extension}")
    large_peak, large_total = streamed_peak(client, f"/rounds/{large.pk}/returns.{extension}")
    assert large_total > 2.5 * small_total
    assert large_peak < 1.25 * small_peak, f"{small_peak:,} bytes for 20 councils, {large_peak:,} for 60"
