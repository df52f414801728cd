"""The offline workbook: a council's return as an .xlsx to fill in without a connection, and that workbook read back.

The workbook has three sheets: Instructions (what to do, and which return it belongs to), Answers (one row per index;
only the answer cells are unlocked, with dropdowns for levels, confidence and yes or no) and Descriptors (every level
descriptor, so that the workbook is usable offline).

An upload is checked whole before anything is saved. Values come from one read-only pass with data_only=True, so a
cell gives what is stored in it and nothing is ever evaluated; a second read-only pass looks only for formula cells, to
refuse them. Each row becomes what the answer page would post and goes through the same AnswerForm, so the rules for
an answer live in one place, and every problem is reported by its cell ("Answers!C7: Choose a level from the list").
Then every changed answer is saved through save_answer, in one transaction, with the version the row was downloaded
at: if a colleague changed one of those answers online since, nothing is saved.
"""

import datetime
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nps.assessments.models import ANSWER_FIELD_LABELS, ANSWER_FIELDS, Answer, Confidence, Return
from nps.assessments.queries import answers_with_indices
from nps.frameworks.levels import Scale
from nps.frameworks.models import Index

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # what the file may unzip to: a small upload cannot become gigabytes
MAX_ROWS = 1000  # rows of the Answers sheet read; anything written below them is refused
MAX_PROBLEMS_SHOWN = 50
INSTRUCTIONS, ANSWERS, DESCRIPTORS = "Instructions", "Answers", "Descriptors"
YES, NO = "Yes", "No"
CONFIDENCE_TEXTS = [label for _, label in Confidence.choices]
FORMULA_STARTS = ("=", "+", "-", "@")
EARLIEST_DATE, LATEST_DATE = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
NOT_A_WORKBOOK = "The selected file is not a real Excel workbook (.xlsx)"
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam"}


@dataclass(frozen=True)
class Column:
    field: str
    heading: str
    width: int
    editable: bool = True


WIDE_COLUMNS = {"evidence": 50, "evidence_links": 40, "not_applicable_reason": 36, "rationale": 40}  # others 16
HEADING_NOTES = {"evidence_links": " (one per line)"}
COLUMNS = [
    Column("index_code", "Index code", 30, editable=False),
    Column("index_title", "Index", 36, editable=False),
    *[
        Column(field, label.capitalize() + HEADING_NOTES.get(field, ""), WIDE_COLUMNS.get(field, 16))
        for field, label in ANSWER_FIELD_LABELS.items()
    ],
    Column("assurance", "Assurance (set by peer review or the national team; not changed here)", 30, editable=False),
    Column("version", "Version (do not change)", 12, editable=False),
    Column("row_check", "Row check (do not change)", 22, editable=False),
]
LETTERS = {column.field: get_column_letter(number) for number, column in enumerate(COLUMNS, start=1)}

# The Instructions sheet starts with these rows (label, value) from row 3; two of them say which return it is.
ABOUT_LABELS = [
    "Organisation",
    "GSS code",
    "Round",
    "Round number",
    "Strategy",
    "Downloaded",
    "Demonstration data",
    "Can be uploaded",
]
ABOUT_FIRST_ROW = 3
GSS_CELL = f"B{ABOUT_FIRST_ROW + ABOUT_LABELS.index('GSS code')}"
ROUND_CELL = f"B{ABOUT_FIRST_ROW + ABOUT_LABELS.index('Round number')}"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
HEADING_FILL = PatternFill("solid", fgColor="DDDDDD")
LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


# Writing ----------------------------------------------------------------------------------------------------------


def has_one_statement(index: Index) -> bool:
    return len(index.statements.all()) == 1


def answer_fields(index: Index) -> list[str]:
    """The answer fields a row may change: all of them, but not the current level of an index with several
    statements, which is the median of the statements' levels, set online."""
    return ANSWER_FIELDS if has_one_statement(index) else [f for f in ANSWER_FIELDS if f != "current_level"]


def comparable(field: str, value: Any) -> Any:
    """A value as a spreadsheet gives it back: line breaks as \\n, no control characters, no outer spaces."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if field == "evidence_links":
        value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
    return value


def row_check(values: dict[str, Any]) -> str:
    """A fingerprint of a row's answer values: an upload whose row still matches it was not changed offline."""
    text = json.dumps({field: comparable(field, value) for field, value in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def level_text(level: int | None, scale: Scale) -> str | None:
    """ "3 Mature", as in the dropdown."""
    return scale.levels[level - 1].label if level else None


def cell_value(answer: Answer, field: str, scale: Scale) -> Any:
    """An answer field as the workbook shows it: levels and confidence in words, Yes or No."""
    value = getattr(answer, field)
    if field in {"current_level", "target_level"}:
        return level_text(value, scale)
    if field == "confidence":
        return answer.get_confidence_display() if value else None
    return (YES if value else NO) if field == "not_applicable" else value


def answer_row(answer: Answer, scale: Scale) -> dict[str, Any]:
    return {
        "index_code": answer.index.code,
        "index_title": answer.index.title,
        **{field: cell_value(answer, field, scale) for field in ANSWER_FIELDS},
        "assurance": answer.assurance_label,
        "version": answer.version,
        "row_check": row_check({field: getattr(answer, field) for field in answer_fields(answer.index)}),
    }


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Text is always stored as text, never as a formula, whatever it starts with; Excel's quote prefix keeps it
    text if someone edits it. (Not exports.neutralise_formula: its apostrophe would come back in the upload.)"""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value or None
        if value:
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def write_heading(sheet: Worksheet, headings: list[tuple[str, int]]) -> None:
    for number, (heading, width) in enumerate(headings, start=1):
        cell = write_cell(sheet, 1, number, heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADING_FILL, WRAP
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "C2"


def protect(sheet: Worksheet) -> None:
    """Locked cells cannot change by accident; there is no password, and columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def instructions(council_return: Return, answers: list[Answer], upload_url: str) -> list[str]:
    demonstration = council_return.is_demo or council_return.round.is_demo
    scale = council_return.round.framework_version.scale
    lines = [
        "Fill in the Answers sheet, one row per index, then upload the workbook. Only the answer cells can change: the "
        "others are locked (without a password) so that nothing is changed by accident.",
        f"Maturity levels run {scale.describe()}. Choose the current "
        "level and the target level from the list in each cell. The Descriptors sheet says what each level looks like "
        "for each index.",
        "Your council chooses its own targets: there are no national targets. Choose what fits your local priorities "
        "and resources; 'Developing' or 'Mature' can be exactly the right ambition.",
        "Confidence is Low, Medium or High. If an index does not apply to your council, choose Yes under Not "
        "applicable and give the reason: the index is then left out of your scores.",
        "Give the target date as a date, for example 31/3/2027. Put each link to evidence on a line of its own "
        "(Alt+Enter in Excel), starting https://",
        f"Upload the workbook at {upload_url} (council editors only). Every cell is checked first: if any cell has a "
        "problem, nothing is saved, and each problem is listed by its cell, for example Answers!C7.",
        "Keep the index codes and the two hidden columns (version and row check) as they are: they say which answer "
        "each row is, and whether it has changed online since you downloaded this workbook. If a colleague changed "
        "an answer online that you also changed here, nothing is saved: download a fresh workbook and make your "
        "changes again.",
        "Evidence files and colleagues' own views are added online, not in the workbook. The Assurance column shows "
        "whether another council's peer review or the national team has confirmed an answer: only they can change it, "
        "and any change to an answer makes it self-assessed again.",
    ]
    if not all(has_one_statement(answer.index) for answer in answers):
        lines.append(
            "Some indices have several statements: their current level is the median of the statements' levels, set "
            "online. Its cell is locked here."
        )
    if not council_return.is_editable:
        lines.insert(0, "This return is submitted or its round has closed: read it here, but it cannot be uploaded.")
    if demonstration:
        lines.insert(0, "Demonstration data: this round is for trying the toolkit out, not a real diagnostic.")
    return lines


def write_instructions(sheet: Worksheet, council_return: Return, answers: list[Answer], upload_url: str) -> None:
    round_, organisation = council_return.round, council_return.organisation
    demonstration = council_return.is_demo or round_.is_demo
    sheet.title = INSTRUCTIONS
    write_cell(sheet, 1, 1, f"Self-assessment workbook: {organisation.name}, {round_.name}").font = TITLE
    values = [
        organisation.name,
        organisation.gss_code,
        round_.name,
        round_.pk,
        round_.framework_version.title,
        f"{timezone.localtime():%-d %B %Y at %H:%M}",
        f"{YES}: not a real diagnostic" if demonstration else NO,
        YES if council_return.is_editable else f"{NO}: the return is submitted or its round has closed",
    ]
    for row, (label, value) in enumerate(zip(ABOUT_LABELS, values, strict=True), start=ABOUT_FIRST_ROW):
        write_cell(sheet, row, 1, label).font = BOLD
        write_cell(sheet, row, 2, value).alignment = Alignment(horizontal="left")
    first = ABOUT_FIRST_ROW + len(ABOUT_LABELS) + 1
    write_cell(sheet, first, 1, "What to do").font = BOLD
    for row, line in enumerate(instructions(council_return, answers, upload_url), start=first + 1):
        write_cell(sheet, row, 1, row - first)
        write_cell(sheet, row, 2, line).alignment = WRAP
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100
    protect(sheet)


def add_validations(sheet: Worksheet, last_row: int, scale: Scale) -> None:
    """Dropdowns for the levels, confidence and not applicable; a date check for the target date."""

    def cells(*fields: str) -> str:
        return " ".join(f"{LETTERS[field]}2:{LETTERS[field]}{last_row}" for field in fields)

    checked = {"allow_blank": True, "showErrorMessage": True, "errorTitle": "Check this cell"}
    lists = [
        (
            [level.label for level in scale.levels],
            f"Choose a level from the list: {scale.levels[0].label} to {scale.highest.label}.",
            cells("current_level", "target_level"),
        ),
        (CONFIDENCE_TEXTS, "Choose Low, Medium or High.", cells("confidence")),
        ([YES, NO], "Choose Yes or No.", cells("not_applicable")),
    ]
    for options, message, where in lists:
        formula = '"' + ",".join(options) + '"'
        sheet.add_data_validation(DataValidation(type="list", formula1=formula, sqref=where, error=message, **checked))
    earliest, latest = (str(int(to_excel(date))) for date in (EARLIEST_DATE, LATEST_DATE))
    sheet.add_data_validation(
        DataValidation(
            type="date",
            operator="between",
            formula1=earliest,
            formula2=latest,
            sqref=cells("target_date"),
            error="Enter a real date, for example 31/3/2027.",
            **checked,
        )
    )


def write_answers(sheet: Worksheet, answers: list[Answer], scale: Scale) -> None:
    write_heading(sheet, [(column.heading, column.width) for column in COLUMNS])
    for row, answer in enumerate(answers, start=2):
        values = answer_row(answer, scale)
        editable = answer_fields(answer.index)
        for number, column in enumerate(COLUMNS, start=1):
            cell = write_cell(sheet, row, number, values[column.field])
            cell.alignment = WRAP
            if column.field in editable:
                cell.protection = UNLOCKED
            else:
                cell.fill = LOCKED_FILL
        sheet[f"{LETTERS['target_date']}{row}"].number_format = "dd/mm/yyyy"
    if answers:
        add_validations(sheet, len(answers) + 1, scale)
    sheet.column_dimensions[LETTERS["version"]].hidden = True
    sheet.column_dimensions[LETTERS["row_check"]].hidden = True
    protect(sheet)


def marked(text: str, reconstructed: bool) -> str:
    return f"{text} [reconstructed]" if reconstructed and text else text


def write_descriptors(sheet: Worksheet, answers: list[Answer], scale: Scale) -> None:
    labels = [level.label for level in scale.levels]
    widths = [30, 36, 30, *[40] * len(labels), 50]
    write_heading(sheet, list(zip(["Index code", "Index", "Statement", *labels, "Description"], widths, strict=True)))
    row = 2
    for answer in answers:
        index = answer.index
        description = marked(index.description, "description" in (index.reconstructed or []))
        for statement in index.statements.all():
            descriptors = {descriptor.level: descriptor for descriptor in statement.descriptors.all()}
            levels = [
                marked(descriptors[level].text, descriptors[level].reconstructed) if level in descriptors else ""
                for level in scale.numbers
            ]
            values = [index.code, index.title, marked(statement.text, statement.text_reconstructed), *levels]
            for number, value in enumerate([*values, description], start=1):
                write_cell(sheet, row, number, value).alignment = WRAP
            row += 1
    write_cell(sheet, row + 1, 1, "Text marked [reconstructed] was rebuilt from damaged cells of the source document.")
    protect(sheet)


def build_workbook(council_return: Return, *, upload_url: str) -> bytes:
    """The return as an .xlsx: instructions, the answers to fill in, and every level descriptor."""
    answers = answers_with_indices(council_return)
    workbook = Workbook()
    write_instructions(workbook.active, council_return, answers, upload_url)
    scale = council_return.round.framework_version.scale
    write_answers(workbook.create_sheet(ANSWERS), answers, scale)
    write_descriptors(workbook.create_sheet(DESCRIPTORS), answers, scale)
    workbook.properties.title = f"{council_return.organisation.name}: {council_return.round.name}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_filename(council_return: Return) -> str:
    demonstration = "demonstration " if council_return.is_demo or council_return.round.is_demo else ""
    name = f"{council_return.organisation.name} {council_return.round.name} {demonstration}workbook"
    return f"{slugify(name)}.xlsx"
