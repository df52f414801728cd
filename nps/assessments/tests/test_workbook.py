import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from nps.accounts.models import Role
from nps.assessments.answers import ReturnLocked, save_answer, submit_return
from nps.assessments.models import Answer, AnswerChange, Assurance, Return
from nps.assessments.workbook import build_workbook
from nps.assessments.workbook_upload import WorkbookConflict, WorkbookInvalid, check_upload, upload_workbook
from nps.core.models import AuditEvent
from nps.frameworks.loader import load_framework_file
from nps.testing import SAMPLE_FRAMEWORK_FILE, answer_everything, make_open_round, make_user

pytestmark = pytest.mark.django_db
UPLOAD_URL = "https://nps.example/organisations/E99/rounds/1/workbook/"


def download(council_return):
    return load_workbook(io.BytesIO(build_workbook(council_return, upload_url=UPLOAD_URL)))


def content_of(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(book, code):
    sheet = book["Answers"]
    return next(row for row in range(2, sheet.max_row + 1) if sheet[f"A{row}"].value == code)


def fill(book, code, **cells):
    """Type values into the row of an index, by column letter: fill(book, "engaging-smes", C="3 Mature")."""
    row = row_of(book, code)
    for letter, value in cells.items():
        book["Answers"][f"{letter}{row}"] = value
    return row


def answer_for(council_return, code="engaging-councillors"):
    return Answer.objects.get(council_return=council_return, index__code=code)


def problems_of(council_return, book, editor):
    with pytest.raises(WorkbookInvalid) as error:
        upload_workbook(council_return, content_of(book), by=editor)
    return error.value.problems


@pytest.fixture
def colleague(council_a):
    """Bob also edits for council A, online."""
    return make_user("bob@alderley.example", organisation=council_a, role=Role.EDITOR, first_name="Bob")


# The downloaded workbook -----------------------------------------------------------------------------------------


def test_the_workbook_has_instructions_answers_and_descriptors(council_return):
    book = download(council_return)
    assert book.sheetnames == ["Instructions", "Answers", "Descriptors"]
    instructions = "\n".join(str(cell.value) for row in book["Instructions"].iter_rows() for cell in row if cell.value)
    assert "1 Minimum, 2 Developing, 3 Mature and 4 Leader to 5 Innovator" in instructions
    assert "there are no national targets" in instructions
    assert UPLOAD_URL in instructions
    assert (book["Instructions"]["B4"].value, book["Instructions"]["B6"].value) == (
        council_return.organisation.gss_code,
        council_return.round_id,
    )
    assert book["Instructions"]["B9"].value == "No"
    descriptors = book["Descriptors"]
    assert descriptors["A2"].value == "engaging-councillors"
    assert [cell.value for cell in descriptors[1]][3:8] == [
        "1 Minimum",
        "2 Developing",
        "3 Mature",
        "4 Leader",
        "5 Innovator",
    ]
    assert all(descriptors.cell(row, column).value for row in range(2, 16) for column in range(4, 9))


def test_a_demonstration_round_is_labelled(council_return):
    council_return.round.is_demo = True
    council_return.round.save()
    book = download(council_return)
    assert book["Instructions"]["B9"].value == "Yes: not a real diagnostic"
    assert "Demonstration data: this round is for trying the toolkit out" in book["Instructions"]["B13"].value


def test_the_answers_sheet_has_one_row_per_index_with_dropdowns_and_only_answer_cells_unlocked(council_return, editor):
    save_answer(
        answer_for(council_return),
        {"current_level": 2, "confidence": "high", "target_date": datetime.date(2028, 3, 31)},
        expected_version=0,
        by=editor,
    )
    sheet = download(council_return)["Answers"]
    assert [cell.value for cell in sheet[1]] == [
        "Index code",
        "Index",
        "Current level",
        "Confidence",
        "Evidence",
        "Links to evidence (one per line)",
        "Not applicable",
        "Reason it does not apply",
        "Target level",
        "Target date",
        "Why this target",
        "Assurance (set by peer review or the national team; not changed here)",
        "Version (do not change)",
        "Row check (do not change)",
    ]
    assert sheet.max_row == 15
    assert [sheet[f"{letter}2"].value for letter in "ACDGJLM"] == [
        "engaging-councillors",
        "2 Developing",
        "High",
        "No",
        datetime.datetime(2028, 3, 31),
        "Self-assessed",
        1,
    ]
    assert sheet["J2"].number_format == "dd/mm/yyyy"
    validations = {str(validation.sqref): validation for validation in sheet.data_validations.dataValidation}
    assert validations["C2:C15 I2:I15"].formula1 == '"1 Minimum,2 Developing,3 Mature,4 Leader,5 Innovator"'
    assert validations["D2:D15"].formula1 == '"Low,Medium,High"'
    assert validations["G2:G15"].formula1 == '"Yes,No"'
    assert validations["J2:J15"].type == "date"
    assert sheet.column_dimensions["M"].hidden and sheet.column_dimensions["N"].hidden
    assert sheet.protection.sheet
    assert [sheet[f"{letter}2"].protection.locked for letter in "ABCDEFGHIJKLMN"] == [
        True,
        True,
        *[False] * 9,
        True,
        True,
        True,
    ]


def test_text_that_looks_like_a_formula_is_written_as_text_and_comes_back_unchanged(council_return, editor):
    evidence = '=HYPERLINK("https://example.org","click")'
    save_answer(
        answer_for(council_return), {"evidence": evidence, "rationale": "-5% costs"}, expected_version=0, by=editor
    )
    book = download(council_return)
    assert (book["Answers"]["E2"].value, book["Answers"]["E2"].data_type) == (evidence, "s")
    assert book["Answers"]["E2"].quotePrefix
    fill(book, "engaging-councillors", C="3 Mature")
    upload_workbook(council_return, content_of(book), by=editor)
    answer = answer_for(council_return)
    assert (answer.current_level, answer.evidence, answer.rationale) == (3, evidence, "-5% costs")


# Round trip --------------------------------------------------------------------------------------------------------


def test_a_filled_in_workbook_saves_every_changed_answer_with_its_history(council_return, editor):
    book = download(council_return)
    fill(
        book,
        "engaging-councillors",
        C="2 Developing",
        D="Medium",
        E="Member training log\nCabinet paper, May",
        F="https://example.org/log\nhttps://example.org/paper",
        I="4 Leader",
        J=datetime.datetime(2028, 3, 31),
        K="A local priority",
    )
    fill(book, "engaging-smes", G="Yes", H="Shared service buys for us")
    fill(book, "developing-talent", C=3, J="31/3/2027")  # a number and a date typed as text are fine too

    updates = upload_workbook(council_return, content_of(book), by=editor)

    assert [update.index.code for update in updates] == ["engaging-councillors", "engaging-smes", "developing-talent"]
    councillors = answer_for(council_return)
    assert (
        councillors.current_level,
        councillors.confidence,
        councillors.evidence,
        councillors.evidence_links,
        councillors.target_level,
        councillors.target_date,
        councillors.rationale,
        councillors.version,
        councillors.updated_by,
    ) == (
        2,
        "medium",
        "Member training log\nCabinet paper, May",
        "https://example.org/log\nhttps://example.org/paper",
        4,
        datetime.date(2028, 3, 31),
        "A local priority",
        1,
        editor,
    )
    smes = answer_for(council_return, "engaging-smes")
    assert (smes.not_applicable, smes.not_applicable_reason) == (True, "Shared service buys for us")
    talent = answer_for(council_return, "developing-talent")
    assert (talent.current_level, talent.target_date) == (3, datetime.date(2027, 3, 31))
    history = {(change.field, change.old_value, change.new_value, change.changed_by) for change in updates[0].changes}
    assert ("current_level", "", "Developing", editor) in history
    assert ("target_date", "", "31 March 2028", editor) in history
    assert len(history) == 7
    assert AnswerChange.objects.filter(answer=councillors).count() == 7
    assert AuditEvent.objects.filter(action="workbook_uploaded", actor=editor).count() == 1
    assert Return.objects.get(pk=council_return.pk).status == "in_progress"


def test_an_unchanged_workbook_changes_nothing(council_return, editor):
    answer_everything(council_return, editor)
    book = download(council_return)
    assert upload_workbook(council_return, content_of(book), by=editor) == []
    assert set(Answer.objects.filter(council_return=council_return).values_list("version", flat=True)) == {1}
    assert not AuditEvent.objects.filter(action="workbook_uploaded").exists()


def test_clearing_a_cell_clears_the_answer(council_return, editor):
    save_answer(answer_for(council_return), {"current_level": 2, "confidence": "low"}, expected_version=0, by=editor)
    book = download(council_return)
    fill(book, "engaging-councillors", C=None, D=None)
    upload_workbook(council_return, content_of(book), by=editor)
    answer = answer_for(council_return)
    assert (answer.current_level, answer.confidence, answer.version) == (None, "", 2)


# Problems, by cell -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"C": "6 Wizard"}, "Answers!C{row}: Choose a level from the list"),
        ({"I": 0}, "Answers!I{row}: Choose a level from the list"),
        ({"D": "Very"}, "Answers!D{row}: Choose a confidence from the list: Low, Medium or High"),
        ({"G": "Maybe"}, "Answers!G{row}: Choose Yes or No"),
        ({"G": "Yes"}, "Answers!H{row}: Say why this index does not apply to your council"),
        ({"J": "31/13/2027"}, "Answers!J{row}: Enter a real date, for example 31/3/2027"),
        ({"J": "next spring"}, "Answers!J{row}: Enter a real date, for example 31/3/2027"),
        ({"J": 3}, "Answers!J{row}: Enter a real date, for example 31/3/2027"),
        ({"F": "our intranet"}, "Answers!F{row}: Line 1 is not a web address: “our intranet”"),
        ({"A": "no-such-index"}, "Answers!A{row}: Unknown index code “no-such-index”: keep the codes as downloaded"),
        ({"A": None}, "Answers!A{row}: Enter the index code: keep the codes as downloaded"),
        (
            {"A": "engaging-councillors"},
            "Answers!A{row}: Index code “engaging-councillors” is also in row 2: give each index one row",
        ),
        ({"M": "three"}, "Answers!M{row}: Keep the version as downloaded: download a fresh workbook if it was changed"),
        ({"E": "=1+1"}, "Answers!E{row}: Formulas are not accepted: type the value itself"),
        ({"C": '="3 Mature"'}, "Answers!C{row}: Formulas are not accepted: type the value itself"),
    ],
)
def test_each_problem_is_reported_by_its_cell(council_return, editor, cells, problem):
    book = download(council_return)
    row = fill(book, "managing-strategic-risk", **cells)
    assert problems_of(council_return, book, editor) == [problem.format(row=row)]


def test_every_problem_is_reported_at_once(council_return, editor):
    book = download(council_return)
    fill(book, "engaging-councillors", C="Great", J="soon")
    fill(book, "embedding-change", D="Very")
    assert problems_of(council_return, book, editor) == [
        "Answers!C2: Choose a level from the list",
        "Answers!J2: Enter a real date, for example 31/3/2027",
        "Answers!D15: Choose a confidence from the list: Low, Medium or High",
    ]


def test_one_bad_cell_saves_nothing(council_return, editor):
    book = download(council_return)
    fill(book, "engaging-councillors", C="3 Mature", E="Good evidence")
    fill(book, "embedding-change", J="31/2/2027")
    problems_of(council_return, book, editor)
    assert answer_for(council_return).version == 0
    assert not AnswerChange.objects.exists()


def test_problems_after_the_first_fifty_are_counted(council_return, editor):
    book = download(council_return)
    for row in range(2, 16):
        for letter in "CDGI":
            book["Answers"][f"{letter}{row}"] = "Nonsense"
    with pytest.raises(WorkbookInvalid) as error:
        upload_workbook(council_return, content_of(book), by=editor)
    assert len(error.value.problems) == 56
    assert error.value.shown()[-1] == "And 6 more problems: fix these, then upload again"


def test_a_workbook_with_a_renamed_heading_is_refused(council_return, editor):
    book = download(council_return)
    book["Answers"]["C1"] = "Level now"
    assert problems_of(council_return, book, editor) == [
        "Answers!C1: The heading must be “Current level”: upload the workbook as downloaded, without moving, adding "
        "or renaming columns"
    ]


def test_a_workbook_without_its_sheets_is_refused(council_return, editor):
    book = download(council_return)
    book["Answers"].title = "My answers"
    assert problems_of(council_return, book, editor) == [
        "The workbook has no Answers sheet: upload the workbook downloaded from here"
    ]
    assert problems_of(council_return, Workbook(), editor) == [
        "The workbook has no Instructions sheet: upload the workbook downloaded from here",
        "The workbook has no Answers sheet: upload the workbook downloaded from here",
    ]


def test_another_councils_workbook_is_refused(council_return, council_b, editor):
    their_return = Return.objects.get(round=council_return.round, organisation=council_b)
    book = download(their_return)
    fill(book, "engaging-councillors", C="5 Innovator")
    assert problems_of(council_return, book, editor) == [
        f"Instructions!B4: This workbook is for another return: download the workbook for Alderley, "
        f"{council_return.round.name} from here"
    ]
    assert answer_for(council_return).current_level is None


def test_something_written_far_below_the_answers_is_refused(council_return, editor):
    book = download(council_return)
    book["Answers"]["E1500"] = "stray"
    assert problems_of(council_return, book, editor) == [
        "Answers: Something is written below row 1000: keep one row per index"
    ]


def test_the_level_of_an_index_with_several_statements_is_set_online(council_a, editor):
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    council_return = Return.objects.get(round=make_open_round(council_a, version=version))
    book = download(council_return)
    row = row_of(book, "pipeline")
    assert book["Answers"][f"C{row}"].protection.locked
    assert [book["Descriptors"][f"C{row}"].value for row in (2, 3)] == [
        "The pipeline is published",
        "The pipeline drives planning",
    ]
    assert book["Descriptors"]["H5"].value == "Shared. [reconstructed]"
    fill(book, "pipeline", C="3 Mature", I="4 Leader")
    assert problems_of(council_return, book, editor) == [
        f"Answers!C{row}: This index has several statements: set their levels online"
    ]
    fill(book, "pipeline", C=None)
    upload_workbook(council_return, content_of(book), by=editor)
    assert answer_for(council_return, "pipeline").target_level == 4


# Conflicts and locks -----------------------------------------------------------------------------------------------


def test_a_row_changed_online_since_the_download_is_a_conflict_and_nothing_is_saved(council_return, editor, colleague):
    book = download(council_return)
    save_answer(answer_for(council_return), {"current_level": 3}, expected_version=0, by=colleague)
    fill(book, "engaging-councillors", C="1 Minimum")
    fill(book, "working-with-partners", C="4 Leader")
    with pytest.raises(WorkbookConflict) as error:
        upload_workbook(council_return, content_of(book), by=editor)
    assert error.value.problems == [
        "Answers!A2: Engaging councillors was changed online by Bob (current level) since this workbook was "
        "downloaded. Nothing was saved: download a fresh workbook and make your changes again"
    ]
    assert answer_for(council_return).current_level == 3
    assert answer_for(council_return, "working-with-partners").version == 0


def test_a_row_changed_online_but_not_in_the_workbook_is_left_as_it_is(council_return, editor, colleague):
    book = download(council_return)
    save_answer(answer_for(council_return), {"current_level": 3}, expected_version=0, by=colleague)
    fill(book, "working-with-partners", C="4 Leader")
    updates = upload_workbook(council_return, content_of(book), by=editor)
    assert [update.index.code for update in updates] == ["working-with-partners"]
    assert answer_for(council_return).current_level == 3


def test_a_submitted_return_refuses_a_workbook(council_return, editor):
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    council_return.refresh_from_db()
    book = download(council_return)
    assert "it cannot be uploaded" in book["Instructions"]["B13"].value
    fill(book, "engaging-councillors", C="5 Innovator")
    with pytest.raises(ReturnLocked):
        upload_workbook(council_return, content_of(book), by=editor)
    assert answer_for(council_return).current_level == 2


# The file itself ---------------------------------------------------------------------------------------------------


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return buffer.getvalue()


def with_macros(content):
    files = {}
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        files = {name: package.read(name) for name in package.namelist()}
    return zipped({**files, "xl/vbaProject.bin": b"macro"})


WORKBOOK_PARTS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("answers.csv", lambda book: b"a,b\n", "The selected file must be an Excel workbook (.xlsx)"),
        ("answers.xls", lambda book: b"\xd0\xcf\x11\xe0", "The selected file must be an Excel workbook (.xlsx)"),
        ("answers.xlsm", content_of, "The file is a macro-enabled workbook (.xlsm): save it as an Excel Workbook"),
        ("answers.xlsx", lambda book: b"<html>not a workbook</html>", "The selected file is not a real Excel workbook"),
        ("answers.xlsx", lambda book: zipped({"notes.txt": "hello"}), "The selected file is not a real Excel workbook"),
        ("answers.xlsx", lambda book: with_macros(content_of(book)), "The workbook contains macros"),
        ("answers.xlsx", lambda book: b"0" * (2 * 1024 * 1024 + 1), "The file must be smaller than 2 MB"),
        (
            "answers.xlsx",
            lambda book: zipped({**WORKBOOK_PARTS, "xl/huge.xml": "0" * (26 * 1024 * 1024)}),
            "The workbook holds too much to read",
        ),
    ],
)
def test_files_that_are_not_a_plain_workbook_are_refused(council_return, name, content, message):
    upload = SimpleUploadedFile(name, content(download(council_return)))
    with pytest.raises(ValidationError) as error:
        check_upload(upload)
    assert message in error.value.messages[0]


def test_a_damaged_workbook_is_a_clear_problem(council_return, editor):
    content = zipped(WORKBOOK_PARTS)
    assert check_upload(SimpleUploadedFile("answers.xlsx", content)) == content
    with pytest.raises(WorkbookInvalid) as error:
        upload_workbook(council_return, content, by=editor)
    assert error.value.problems == ["The selected file is not a real Excel workbook (.xlsx)"]


def test_the_assurance_column_is_shown_locked(council_return):
    Answer.objects.filter(pk=answer_for(council_return).pk).update(assurance=Assurance.VALIDATED)
    book = download(council_return)
    cell = book["Answers"][f"L{row_of(book, 'engaging-councillors')}"]
    assert cell.value == "Validated by the national team" and cell.protection.locked


def test_a_council_cannot_validate_itself_through_the_workbook(council_return, editor):
    book = download(council_return)
    fill(book, "engaging-councillors", L="Validated by the national team", C="3 Mature")
    upload_workbook(council_return, content_of(book), by=editor)
    answer = answer_for(council_return)
    assert (answer.current_level, answer.assurance) == (3, Assurance.SELF_ASSESSED)
