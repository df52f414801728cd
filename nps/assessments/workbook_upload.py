"""Reading a filled-in offline workbook back: checked whole, cell by cell, then saved all or nothing."""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from openpyxl import load_workbook

from nps.accounts.models import User
from nps.assessments.answers import AnswerConflict, require_editable, save_answer
from nps.assessments.forms import AnswerForm
from nps.assessments.models import ANSWER_FIELDS, Answer, AnswerChange, Confidence, Return
from nps.assessments.queries import answers_with_indices
from nps.assessments.workbook import (
    ABOUT_FIRST_ROW,
    ABOUT_LABELS,
    ANSWERS,
    COLUMNS,
    EARLIEST_DATE,
    GSS_CELL,
    INSTRUCTIONS,
    LATEST_DATE,
    LETTERS,
    MACRO_EXTENSIONS,
    MAX_BYTES,
    MAX_PROBLEMS_SHOWN,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    NO,
    NOT_A_WORKBOOK,
    ROUND_CELL,
    YES,
    answer_fields,
    comparable,
    has_one_statement,
    row_check,
)
from nps.core.models import record
from nps.frameworks.levels import Scale
from nps.frameworks.models import Index

# Reading ----------------------------------------------------------------------------------------------------------


class WorkbookInvalid(Exception):
    """The upload cannot be saved; `problems` says why, each with its sheet and cell where it has one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems with the workbook")

    def shown(self) -> list[str]:
        """The problems to list: at most MAX_PROBLEMS_SHOWN, and how many more there are."""
        if len(self.problems) <= MAX_PROBLEMS_SHOWN:
            return self.problems
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        return [*self.problems[:MAX_PROBLEMS_SHOWN], f"And {more} more problems: fix these, then upload again"]


class WorkbookConflict(WorkbookInvalid):
    """Colleagues changed online answers that the workbook also changes."""


class CellProblem(Exception):
    """A cell's value is not one the workbook accepts; the message says what to put instead."""


def check_upload(upload: UploadedFile) -> bytes:
    """The uploaded file's content, if it can be an .xlsx workbook without macros; otherwise a ValidationError."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension in MACRO_EXTENSIONS:
        raise ValidationError(
            f"The file is a macro-enabled workbook ({extension}): save it as an Excel Workbook (.xlsx) and upload that"
        )
    if extension != ".xlsx":
        raise ValidationError("The selected file must be an Excel workbook (.xlsx)")
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    content = upload.read()
    check_package(content)
    return content


def check_package(content: bytes) -> None:
    """An .xlsx is a zip package: it must have a workbook, no macros, and unzip to a sensible size."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
            names = {member.filename.lower() for member in members}
            if not {"[content_types].xml", "xl/workbook.xml"} <= names:
                raise ValidationError(NOT_A_WORKBOOK)
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise ValidationError("The workbook holds too much to read: upload the workbook downloaded from here")
            content_types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError) as error:
        raise ValidationError(NOT_A_WORKBOOK) from error
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise ValidationError("The workbook contains macros: save it as an Excel Workbook (.xlsx) and upload that")


@dataclass(frozen=True)
class UploadedCells:
    identity: dict[str, Any]  # the Instructions cells that say which return the workbook is for
    rows: list[tuple[Any, ...]]  # the Answers sheet from row 1, as stored
    formulas: set[tuple[int, int]]  # (row, column) of the Answers cells that hold a formula
    written_below: bool  # something is written below row MAX_ROWS


def is_blank(values: tuple[Any, ...]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def read_cells(content: bytes) -> UploadedCells:
    """Every value an upload needs, read without evaluating anything; WorkbookInvalid if the file cannot be read."""
    try:
        return read_values_and_formulas(content)
    except WorkbookInvalid:
        raise
    except Exception as error:  # a damaged file is a clear problem for its uploader, never a server error
        raise WorkbookInvalid([NOT_A_WORKBOOK]) from error


def read_values_and_formulas(content: bytes) -> UploadedCells:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    try:
        missing = [name for name in (INSTRUCTIONS, ANSWERS) if name not in book.sheetnames]
        if missing:
            raise WorkbookInvalid(
                [f"The workbook has no {name} sheet: upload the workbook downloaded from here" for name in missing]
            )
        for name in (INSTRUCTIONS, ANSWERS):
            book[name].reset_dimensions()  # read every row there is, whatever the file says its size is
        about = book[INSTRUCTIONS].iter_rows(max_row=ABOUT_FIRST_ROW + len(ABOUT_LABELS), max_col=2, values_only=True)
        identity = {f"B{number}": row[1] if len(row) > 1 else None for number, row in enumerate(about, start=1)}
        rows: list[tuple[Any, ...]] = []
        written_below = False
        for number, row in enumerate(book[ANSWERS].iter_rows(max_col=len(COLUMNS), values_only=True), start=1):
            if number <= MAX_ROWS:
                rows.append(tuple(row) + (None,) * (len(COLUMNS) - len(row)))
            elif not is_blank(row):
                written_below = True
                break
    finally:
        book.close()
    # Only to find formulas and refuse them: with data_only=False openpyxl gives a formula's text; it evaluates nothing.
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    try:
        formulas = {
            (row, column)
            for row, cells in enumerate(book[ANSWERS].iter_rows(max_row=MAX_ROWS, max_col=len(COLUMNS)), start=1)
            for column, cell in enumerate(cells, start=1)
            if cell.data_type == "f"
        }
    finally:
        book.close()
    return UploadedCells(identity, rows, formulas, written_below)


# Cell values ------------------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell's value as text: whole numbers without '.0', dates as day/month/year."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value).strip()


def key(value: Any) -> str:
    return " ".join(text(value).split()).casefold()


CONFIDENCES = {"": "", **{key(name): value for value, label in Confidence.choices for name in (value, label)}}
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False, "": False}
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})")
YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def choice(choices: dict[str, Any], message: str) -> Callable[[Any], Any]:
    """A parser for a cell with a dropdown: its value must be one of the choices (in any case), or blank."""

    def parse(value: Any) -> Any:
        if key(value) not in choices:
            raise CellProblem(message)
        return choices[key(value)]

    return parse


def parse_date(value: Any) -> datetime.date | None:
    """A date from a date cell or from text (31/3/2027 or 2027-03-31), in the years the workbook's own validation
    allows: a small number typed into a date cell would otherwise be a day in 1900."""
    date = None
    if isinstance(value, datetime.datetime | datetime.date):
        date = value.date() if isinstance(value, datetime.datetime) else value
    elif key(value) == "":
        return None
    elif isinstance(value, str) and (match := DAY_MONTH_YEAR.fullmatch(value.strip())):
        day, month, year = (int(part) for part in match.groups())
        date = real_date(year, month, day)
    elif isinstance(value, str) and (match := YEAR_MONTH_DAY.fullmatch(value.strip())):
        date = real_date(*(int(part) for part in match.groups()))
    if date is None or not EARLIEST_DATE <= date <= LATEST_DATE:
        raise CellProblem("Enter a real date, for example 31/3/2027")
    return date


def real_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_version(value: Any) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", text(value)):
        raise CellProblem("Keep the version as downloaded: download a fresh workbook if it was changed")
    return int(text(value))


def parsers(scale: Scale) -> dict[str, Callable[[Any], Any]]:
    """How each cell of a row is read: the levels by number, name or as in the dropdown ("3 Mature")."""
    levels = {"": None, **{key(written): n for n, name, label in scale_names(scale) for written in (n, name, label)}}
    special: dict[str, Callable[[Any], Any]] = {
        "current_level": choice(levels, "Choose a level from the list"),
        "confidence": choice(CONFIDENCES, "Choose a confidence from the list: Low, Medium or High"),
        "not_applicable": choice(YES_NO, "Choose Yes or No"),
        "target_level": choice(levels, "Choose a level from the list"),
        "target_date": parse_date,
    }  # every other answer field is text
    return {**{field: special.get(field, text) for field in ANSWER_FIELDS}, "version": parse_version}


def scale_names(scale: Scale) -> list[tuple[int, str, str]]:
    return [(level.number, level.name, level.label) for level in scale.levels]


def posted(values: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """What the answer page would post for these values, so that AnswerForm checks a row exactly as it checks a page."""
    data: dict[str, Any] = {"version": answer.version}
    for field, value in values.items():
        if field == "target_date" and value:
            data.update(target_date_0=value.day, target_date_1=value.month, target_date_2=value.year)
        elif field == "not_applicable":
            data.update({"not_applicable": "on"} if value else {})
        elif value is not None and field != "target_date":
            data[field] = str(value)
    return data


# Rows -------------------------------------------------------------------------------------------------------------


@dataclass
class RowReading:
    """One row of an uploaded Answers sheet, checked: the answer it is for and the values it gives."""

    answer: Answer
    row: int
    version: int
    values: dict[str, Any]
    as_downloaded: bool  # its row check matches: nobody changed the row offline

    @property
    def changes(self) -> dict[str, Any]:
        """The values that differ from the answer as it was read from the database."""
        return {
            field: value
            for field, value in self.values.items()
            if comparable(field, value) != comparable(field, getattr(self.answer, field))
        }


class RowProblems:
    def __init__(self, row: int) -> None:
        self.row = row
        self.by_field: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, f"{ANSWERS}!{LETTERS[field]}{self.row}: {message}")


def read_row(
    number: int,
    row: tuple[Any, ...],
    answers: dict[str, Answer],
    seen: dict[str, int],
    formulas: set[tuple[int, int]],
    parsers: dict[str, Callable[[Any], Any]],
) -> tuple[RowReading | None, list[str]]:
    """A row of the Answers sheet checked cell by cell, then as a whole by AnswerForm; or its problems."""
    cells = {column.field: value for column, value in zip(COLUMNS, row, strict=True)}
    problems = RowProblems(number)
    for column, field in enumerate(cells, start=1):
        if (number, column) in formulas:
            problems.add(field, "Formulas are not accepted: type the value itself")
    answer = index_answer(text(cells["index_code"]), number, answers, seen, problems)
    if answer is None:
        return None, list(problems.by_field.values())
    values: dict[str, Any] = {}
    for field, parse in parsers.items():
        if field not in problems.by_field:
            try:
                values[field] = parse(cells[field])
            except CellProblem as problem:
                problems.add(field, str(problem))
    form = AnswerForm(posted(values, answer), index=answer.index)
    form.is_valid()
    for field, errors in form.errors.items():
        problems.add(field if field in LETTERS else "index_code", str(errors[0]))
    level = values.get("current_level")
    if not has_one_statement(answer.index) and level is not None and level != answer.current_level:
        problems.add("current_level", "This index has several statements: set their levels online")
    if problems.by_field:
        return None, list(problems.by_field.values())
    fields = answer_fields(answer.index)
    cleaned = {field: form.cleaned_data[field] for field in fields}
    matches = text(cells["row_check"]) == row_check(cleaned)
    return RowReading(answer, number, values["version"], cleaned, as_downloaded=matches), []


def index_answer(
    code: str, number: int, answers: dict[str, Answer], seen: dict[str, int], problems: RowProblems
) -> Answer | None:
    """The answer a row is for, from its index code; None, with the problem noted, if there is none or it repeats."""
    if "index_code" in problems.by_field:
        return None
    if not code:
        problems.add("index_code", "Enter the index code: keep the codes as downloaded")
    elif code not in answers:
        problems.add("index_code", f"Unknown index code “{code[:60]}”: keep the codes as downloaded")
    elif code in seen:
        problems.add("index_code", f"Index code “{code}” is also in row {seen[code]}: give each index one row")
    else:
        seen[code] = number
        return answers[code]
    return None


def identity_problems(cells: UploadedCells, council_return: Return) -> list[str]:
    gss_code, round_id = text(cells.identity.get(GSS_CELL)), text(cells.identity.get(ROUND_CELL))
    if (gss_code, round_id) == (council_return.organisation.gss_code, str(council_return.round_id)):
        return []
    return [
        f"{INSTRUCTIONS}!{GSS_CELL}: This workbook is for another return: download the workbook for "
        f"{council_return.organisation.name}, {council_return.round.name} from here"
    ]


def heading_problems(cells: UploadedCells) -> list[str]:
    headings = cells.rows[0] if cells.rows else (None,) * len(COLUMNS)
    for column, found in zip(COLUMNS, headings, strict=True):
        if key(found) != key(column.heading):
            return [
                f"{ANSWERS}!{LETTERS[column.field]}1: The heading must be “{column.heading}”: upload the workbook "
                "as downloaded, without moving, adding or renaming columns"
            ]
    return []


def read_workbook(content: bytes, council_return: Return) -> list[RowReading]:
    """Every row of the upload, checked; WorkbookInvalid with every problem if any row has one."""
    cells = read_cells(content)
    problems = identity_problems(cells, council_return) or heading_problems(cells)
    if problems:
        raise WorkbookInvalid(problems)
    if cells.written_below:
        problems.append(f"{ANSWERS}: Something is written below row {MAX_ROWS}: keep one row per index")
    answers = {answer.index.code: answer for answer in answers_with_indices(council_return)}
    readings: list[RowReading] = []
    seen: dict[str, int] = {}
    row_parsers = parsers(council_return.round.framework_version.scale)
    for number, row in enumerate(cells.rows[1:], start=2):
        if is_blank(row) and not any((number, column) in cells.formulas for column in range(1, len(COLUMNS) + 1)):
            continue
        reading, row_problems = read_row(number, row, answers, seen, cells.formulas, row_parsers)
        problems += row_problems
        if reading is not None:
            readings.append(reading)
    if problems:
        raise WorkbookInvalid(problems)
    return readings


# Saving -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerUpdate:
    index: Index
    changes: list[AnswerChange]


def conflict_problem(reading: RowReading, conflict: AnswerConflict) -> str:
    people = sorted({str(change.changed_by or "someone") for change in conflict.changes}) or ["someone"]
    fields = list(dict.fromkeys(change.label for change in conflict.changes))
    what = f" ({', '.join(fields)})" if fields else ""
    return (
        f"{ANSWERS}!{LETTERS['index_code']}{reading.row}: {reading.answer.index.title} was changed online by "
        f"{' and '.join(people)}{what} since this workbook was downloaded. Nothing was saved: download a fresh "
        "workbook and make your changes again"
    )


@transaction.atomic
def apply_workbook(council_return: Return, readings: list[RowReading], *, by: User) -> list[AnswerUpdate]:
    """Save every answer the workbook changes, each at the version its row was downloaded at; all or nothing."""
    require_editable(council_return)
    updates: list[AnswerUpdate] = []
    conflicts: list[str] = []
    for reading in readings:
        changes = reading.changes
        if reading.as_downloaded or not changes:
            continue
        try:
            saved = save_answer(reading.answer, changes, expected_version=reading.version, by=by)
        except AnswerConflict as conflict:
            conflicts.append(conflict_problem(reading, conflict))
        else:
            history = saved.changes.filter(version=saved.version).select_related("changed_by").order_by("pk")
            updates.append(AnswerUpdate(reading.answer.index, list(history)))
    if conflicts:
        raise WorkbookConflict(conflicts)  # and the transaction takes back whatever was saved above
    if updates:
        record(
            "workbook_uploaded",
            f"Uploaded a workbook to {council_return.round.name}: {len(updates)} answers changed",
            by=by,
            organisation=council_return.organisation,
        )
    return updates


def upload_workbook(council_return: Return, content: bytes, *, by: User) -> list[AnswerUpdate]:
    """Check the whole workbook, then save every answer it changes, or nothing."""
    return apply_workbook(council_return, read_workbook(content, council_return), by=by)
