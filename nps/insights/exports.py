"""Data exports of returns: one row generator per table, rendered as CSV, XLSX or JSON by shared writers.

Rows come from the database in chunks (`.values()` with `.iterator()`), and every writer consumes them one at a
time, so memory stays flat however many councils a round holds. Text that a spreadsheet would run as a formula is
neutralised in CSV and XLSX.
"""

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nps.assessments.models import (
    ANSWER_FIELDS,
    Action,
    ActionStatus,
    Answer,
    Confidence,
    Return,
    ReturnStatus,
    Round,
    assurance_label,
)
from nps.frameworks.levels import Scale
from nps.frameworks.models import IndexKind
from nps.organisations.models import Kind, Nation, current_successor_codes

CHUNK_SIZE = 500  # rows fetched from the database at a time: memory holds about this many
BLOCK_SIZE = 16 * 1024  # characters sent to the client at a time
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Row = dict[str, Any]

ANSWER_COLUMNS = [
    "gss_code",
    "current_gss_code",
    "organisation_name",
    "organisation_type",
    "nation",
    "region",
    "round",
    "index_code",
    "index_title",
    "index_kind",
    "current_level",
    "current_level_name",
    "not_applicable",
    "not_applicable_reason",
    "confidence",
    "assurance",
    "evidence",
    "evidence_links",
    "target_level",
    "target_level_name",
    "target_date",
    "rationale",
    "submitted_at",
    "demonstration_data",
]
ACTION_FIELDS = [
    "gss_code",
    "round",
    "index_code",
    "index_title",
    "title",
    "owner",
    "due_date",
    "status",
    "aim_level",
    "aim_level_name",
    "demonstration_data",
]
ANSWER_LOOKUPS = {
    "gss_code": F("council_return__organisation__gss_code"),
    "organisation_name": F("council_return__organisation__name"),
    "organisation_type": F("council_return__organisation__kind"),
    "nation": F("council_return__organisation__nation"),
    "region": F("council_return__organisation__region__name"),
    "round": F("council_return__round__name"),
    "index_code": F("index__code"),
    "index_title": F("index__title"),
    "index_kind": F("index__kind"),
    "submitted_at": F("council_return__submitted_at"),
    "return_is_demo": F("council_return__is_demo"),
    "assured_by_name": F("assured_by__official_name"),
    "assured_by_short_name": F("assured_by__name"),
    "round_is_demo": F("council_return__round__is_demo"),
}
ANSWER_OWN_FIELDS = [*ANSWER_FIELDS, "assurance"]
ACTION_LOOKUPS = {
    "gss_code": F("answer__council_return__organisation__gss_code"),
    "round": F("answer__council_return__round__name"),
    "index_code": F("answer__index__code"),
    "index_title": F("answer__index__title"),
}
KIND_LABELS = dict(Kind.choices)
NATION_LABELS = dict(Nation.choices)
INDEX_KIND_LABELS = dict(IndexKind.choices)
CONFIDENCE_LABELS = dict(Confidence.choices)
ACTION_STATUS_LABELS = dict(ActionStatus.choices)


@dataclass(frozen=True)
class Table:
    """One table of an export: a CSV file, an XLSX sheet, a JSON array. `rows` starts a fresh generator."""

    name: str
    fields: Sequence[str]
    rows: Callable[[], Iterator[Row]]


@dataclass(frozen=True)
class Export:
    filename: str  # without extension
    summary: dict[str, Any]  # what the export is: the JSON document's first keys and the About sheet's first rows
    demonstration: bool
    notes: str
    tables: Sequence[Table]
    exported_at: datetime.datetime = field(default_factory=timezone.now)

    def header(self) -> dict[str, Any]:
        return {
            **self.summary,
            "exported_at": self.exported_at,
            "demonstration_data": self.demonstration,
            "notes": self.notes,
        }

    def table(self, name: str) -> Table:
        return next(table for table in self.tables if table.name == name)


# Row generators ----------------------------------------------------------------------------------------------------


def level_name(level: int | None, scale: Scale) -> str | None:
    return scale.name(level) or None


def answer_rows(answers: QuerySet[Answer], scale: Scale) -> Iterator[Row]:
    """One row per answer (organisation × index), read in chunks as plain values, never as model instances.

    The query selects 24 columns. Not 20: CPython 3.11 keeps every freed 20-item tuple and never reuses it
    (python/cpython#121439), so memory would grow with the rows up to about 2,000 of them.

    `gss_code` is the organisation's code as it was when it answered (an abolished council keeps its own);
    `current_gss_code` is the code of the council that carries its work on now, itself unless reorganised."""
    successors = current_successor_codes()
    for values in answers.values(*ANSWER_OWN_FIELDS, **ANSWER_LOOKUPS).iterator(chunk_size=CHUNK_SIZE):
        yield answer_row(values, scale, successors)


def answer_row(values: dict[str, Any], scale: Scale, successors: dict[str, str]) -> Row:
    row = {name: values.get(name) for name in ANSWER_COLUMNS}
    row.update(
        current_gss_code=successors.get(values["gss_code"], values["gss_code"]),
        nation=NATION_LABELS.get(values["nation"], values["nation"]),
        organisation_type=KIND_LABELS.get(values["organisation_type"], values["organisation_type"]),
        index_kind=INDEX_KIND_LABELS.get(values["index_kind"], values["index_kind"]),
        current_level_name=level_name(values["current_level"], scale),
        confidence=CONFIDENCE_LABELS.get(values["confidence"], values["confidence"]),
        assurance=assurance_label(values["assurance"], values["assured_by_name"] or values["assured_by_short_name"]),
        target_level_name=level_name(values["target_level"], scale),
        demonstration_data=values["return_is_demo"] or values["round_is_demo"],
    )
    return row


def return_answer_rows(council_return: Return) -> Iterator[Row]:
    answers = Answer.objects.filter(council_return=council_return).order_by("index__position")
    yield from answer_rows(answers, council_return.round.framework_version.scale)


def round_answer_rows(round_: Round) -> Iterator[Row]:
    """Every submitted return of the round, council by council, in the framework's order."""
    answers = Answer.objects.filter(council_return__round=round_, council_return__status=ReturnStatus.SUBMITTED)
    ordering = ("council_return__organisation__name", "council_return__organisation__gss_code", "index__position")
    yield from answer_rows(answers.order_by(*ordering), round_.framework_version.scale)


def action_rows(council_return: Return, demonstration: bool) -> Iterator[Row]:
    actions = Action.objects.filter(answer__council_return=council_return).order_by(
        "answer__index__position", "due_date", "pk"
    )
    fields = ("title", "owner", "due_date", "status", "aim_level")
    scale = council_return.round.framework_version.scale
    for values in actions.values(*fields, **ACTION_LOOKUPS).iterator(chunk_size=CHUNK_SIZE):
        row = {name: values.get(name) for name in ACTION_FIELDS}
        row.update(
            status=ACTION_STATUS_LABELS.get(values["status"], values["status"]),
            aim_level_name=level_name(values["aim_level"], scale),
            demonstration_data=demonstration,
        )
        yield row


# Exports -----------------------------------------------------------------------------------------------------------


def return_export(council_return: Return) -> Export:
    """A council's own return, whatever its status: its answers and its action plan."""
    round_, organisation = council_return.round, council_return.organisation
    demonstration = council_return.is_demo or round_.is_demo
    return Export(
        filename=slugify(f"{organisation.name} {round_.name} return"),
        summary={
            "export": "return",
            "round": round_.name,
            "round_id": round_.pk,
            "framework_version": round_.framework_version.title,
            "gss_code": organisation.gss_code,
            "organisation": organisation.name,
            "status": council_return.get_status_display(),
            "submitted_at": council_return.submitted_at,
        },
        demonstration=demonstration,
        notes=f"{organisation.name}'s own return. It is not published: share it as your council's policies allow.",
        tables=[
            Table("answers", ANSWER_COLUMNS, lambda: return_answer_rows(council_return)),
            Table("actions", ACTION_FIELDS, lambda: action_rows(council_return, demonstration)),
        ],
    )


def round_export(round_: Round) -> Export:
    """Every submitted return of a round, for the national team."""
    submitted = round_.returns.filter(status=ReturnStatus.SUBMITTED)
    return Export(
        filename=slugify(f"{round_.name} submitted returns"),
        summary={
            "export": "submitted_returns",
            "round": round_.name,
            "round_id": round_.pk,
            "framework_version": round_.framework_version.title,
            "returns": submitted.count(),
        },
        demonstration=round_.is_demo or submitted.filter(is_demo=True).exists(),
        notes=(
            "Individual councils' returns, for the national team: not open data and not for publication. "
            f"Published figures are released under the {settings.OPEN_DATA_LICENCE}."
        ),
        tables=[Table("answers", ANSWER_COLUMNS, lambda: round_answer_rows(round_))],
    )


# Shared writers ----------------------------------------------------------------------------------------------------


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula (evidence is user input) gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return local_time(value).isoformat()
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def spreadsheet_cell(value: Any) -> Any:
    """Excel has no time zones (local time, without one) and refuses control characters."""
    if isinstance(value, datetime.datetime):
        return local_time(value).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def json_value(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return local_time(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not exported as JSON")


class Echo:
    """A file that hands back what is written to it, so that csv.writer makes strings to stream."""

    def write(self, value: str) -> str:
        return value


def csv_pieces(table: Table) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(table.fields)
    for row in table.rows():
        yield writer.writerow([csv_cell(row[name]) for name in table.fields])


def json_pieces(export: Export) -> Iterator[str]:
    """A JSON object written piece by piece: the header's keys, then each table as an array, a row at a time."""
    yield json.dumps(export.header(), default=json_value)[:-1]  # without its closing brace
    for table in export.tables:
        yield f", {json.dumps(table.name)}: ["
        separator = ""
        for row in table.rows():
            yield separator + json.dumps(row, default=json_value)
            separator = ", "
        yield "]"
    yield "}\n"


def in_blocks(pieces: Iterable[str]) -> Iterator[bytes]:
    """Join small pieces into blocks of about BLOCK_SIZE characters, encoded: fewer, larger writes to the client."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= BLOCK_SIZE:
            yield "".join(buffer).encode()
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode()


def about_rows(export: Export) -> Iterator[list[Any]]:
    for key, value in export.header().items():
        label = key.replace("_", " ").capitalize()
        yield [label, ("yes" if value else "no") if isinstance(value, bool) else spreadsheet_cell(value)]


def write_workbook(export: Export, file: IO[bytes]) -> None:
    """An About sheet, then a sheet per table. Write-only mode streams each sheet's rows to disk as they come."""
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet("About")
    for about_row in about_rows(export):
        about.append(about_row)
    for table in export.tables:
        sheet = workbook.create_sheet(table.name.capitalize())
        sheet.append(list(table.fields))
        for row in table.rows():
            sheet.append([spreadsheet_cell(row[name]) for name in table.fields])
    workbook.save(file)
