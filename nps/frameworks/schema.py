"""Reads and validates a framework file (format nps-framework/1, see docs/framework-format.md).

Validation collects every problem with its place in the file, so a bad file is refused whole with a full list.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import models

from nps.frameworks.levels import MAX_LEVELS, MIN_LEVELS, NPS_SCALE, Scale, ScaleLevel
from nps.frameworks.models import (
    Framework,
    FrameworkVersion,
    Index,
    LevelDescriptor,
    Replacement,
    Statement,
    Theme,
)
from nps.lib.bounds import storable

FORMAT = "nps-framework/1"
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 20  # a framework file nests about ten levels: anything deeper is a mistake or an attack
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
TEXT_FIELDS = ["description", "what_it_is", "why_it_is_important"]
INDEX_KEYS = {"code", "title", *TEXT_FIELDS, "levels", "statements", "reconstructed", "priority"}
STATEMENT_KEYS = {"code", "text", "levels", "reconstructed"}


@dataclass
class Problem:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class FrameworkFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class StatementData:
    code: str
    text: str
    levels: dict[int, str]
    reconstructed: list[str]


@dataclass
class IndexData:
    code: str
    title: str
    kind: str
    theme_code: str | None
    description: str
    what_it_is: str
    why_it_is_important: str
    statements: list[StatementData]
    reconstructed: list[str]
    priority: bool = False
    has_statements: bool = False
    inherit: bool = False  # in a derived framework: taken whole from the parent version


@dataclass
class ThemeData:
    code: str
    title: str


@dataclass
class FrameworkData:
    framework_code: str
    framework_title: str
    version_code: str
    version_title: str
    status: str
    published_on: datetime.date | None
    summary: str
    source: str
    themes: list[ThemeData] = field(default_factory=list)
    indices: list[IndexData] = field(default_factory=list)
    owner: str = ""  # GSS code of the group that owns a regional strategy
    follows: tuple[str, str] | None = None  # (framework, version) this national version follows
    derives_from: tuple[str, str] | None = None  # (framework, version) a regional strategy derives from
    replacements: list[tuple[str, str]] = field(default_factory=list)  # (retired code, successor code or "")
    fresh_start: bool = False  # a new version of an existing framework that follows none of its versions
    scale: Scale = NPS_SCALE  # its maturity levels


class Reader:
    """Walks the parsed YAML, returning clean values and recording a Problem for each bad one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.scale = NPS_SCALE  # the file's own levels, once read
        self.first_places: dict[tuple[str, str], str] = {}  # (kind, code) -> where the code is first given

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def mapping(self, value: Any, place: str, allowed: set[str] | None = None) -> dict:
        if not isinstance(value, dict):
            self.problem(place, f"must be a mapping of fields, not {type_name(value)}")
            return {}
        for key in sorted(set(value) - (allowed or set(value)), key=str):
            self.problem(f"{place}.{key}", "unknown field")
        return value

    def items(self, parent: dict, key: str, place: str, *, required: bool = True) -> list:
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(f"{place}.{key}", "is missing")
            return []
        if not isinstance(value, list):
            self.problem(f"{place}.{key}", f"must be a list, not {type_name(value)}")
            return []
        return value

    def text(
        self,
        parent: dict,
        key: str,
        place: str,
        *,
        required: bool = True,
        model: type[models.Model] | None = None,
        field: str = "",
    ) -> str:
        """The text at `key`, in one line; with `model`, no longer than the column it is saved in (`field`, else
        `key`), so a file never holds what the database would refuse."""
        value = parent.get(key)
        if value is None:
            if required:
                self.problem(f"{place}.{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"{place}.{key}", f"must be text, not {type_name(value)} (put it in quotes)")
            return ""
        if required and not value.strip():
            self.problem(f"{place}.{key}", "is empty")
        if not storable(value):
            self.problem(f"{place}.{key}", "holds a character that cannot be saved (NUL, or half a surrogate pair)")
            return ""
        text = " ".join(value.split())
        limit = max_length(model, field or key) if model else None
        if limit is not None and len(text) > limit:
            self.problem(f"{place}.{key}", f"is {len(text)} characters long: it can be at most {limit}")
        return text

    def code(self, parent: dict, place: str, model: type[models.Model], unique_as: str = "") -> str:
        """The code at `place`; with `unique_as` (theme, index, statement), refused if given before to another."""
        code = self.text(parent, "code", place, model=model)
        if code and not CODE_PATTERN.match(code):
            self.problem(f"{place}.code", f"{code!r} must be lower-case letters, digits and hyphens")
        if code and unique_as:
            here = f"{place}.code{line_of(parent, 'code')}"
            first = self.first_places.setdefault((unique_as, code), here)
            if first != here:
                self.problem(here, f"duplicate {unique_as} code {code!r}: first given at {first}")
        return code


def max_length(model: type[models.Model], name: str) -> int | None:
    """The longest text the model's column holds (None for unlimited text)."""
    column = model._meta.get_field(name)
    return column.max_length if isinstance(column, models.Field) else None


def type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}
    if isinstance(value, dict):
        return "a mapping"  # also a Located one
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


class Refusal(yaml.MarkedYAMLError):
    """Something FileLoader refuses, at its place in the file."""

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(problem=message, problem_mark=mark)


class Located(dict):
    """A mapping read from the file, knowing the line of each of its keys (for messages about two places)."""

    lines: dict[Any, int]


def line_of(mapping: dict, key: str) -> str:
    lines = getattr(mapping, "lines", {})
    return f" (line {lines[key]})" if key in lines else ""


class FileLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing what a framework file never needs and what would otherwise fail later: aliases,
    nesting deeper than MAX_DEPTH (PyYAML recurses once per level), a key given twice in one mapping (PyYAML keeps the
    last), and a value its tag cannot hold, such as the date 2018-02-30."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            raise Refusal("uses YAML aliases (*name), which are not allowed", mark)
        if self.depth == MAX_DEPTH:
            raise Refusal(f"nests more than {MAX_DEPTH} levels deep", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = first_seen.setdefault(key, key_node.start_mark)
            except TypeError:
                continue  # a list or a mapping as a key: PyYAML refuses it itself
            if first is not key_node.start_mark:
                message = f"gives {key!r} a second time in the same mapping (first on line {first.line + 1})"
                raise Refusal(message, key_node.start_mark)
        return super().construct_mapping(node, deep)

    def construct_located_mapping(self, node: yaml.MappingNode) -> Iterator[Located]:
        data = Located()
        data.lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
        yield data
        data.update(self.construct_mapping(node))

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise Refusal(f"{node.value!r} is not a date that exists ({error})", node.start_mark) from None
            message = f"{node.value!r} cannot be read as {node.tag.rpartition(':')[2]} ({error})"
            raise Refusal(message, node.start_mark) from None


FileLoader.add_constructor("tag:yaml.org,2002:map", FileLoader.construct_located_mapping)


def place_of(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"


def decoded(data: bytes) -> str:
    """A framework file's text, from its bytes as uploaded or saved: at most MAX_FILE_BYTES, in UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise FrameworkFileError([Problem("file", f"is larger than {MAX_FILE_BYTES // 1_000_000} MB")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"is not UTF-8 text (byte {error.start + 1} cannot be read): save the file as UTF-8"
        raise FrameworkFileError([Problem(f"line {line}", message)]) from None


def parse_yaml(text: str) -> Any:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FrameworkFileError([Problem("file", f"is larger than {MAX_FILE_BYTES // 1_000_000} MB")])
    try:
        return yaml.load(text, Loader=FileLoader)  # a SafeLoader: no code runs
    except Refusal as error:
        raise FrameworkFileError([Problem(place_of(error.problem_mark), str(error.problem))]) from None
    except yaml.MarkedYAMLError as error:
        raise FrameworkFileError([syntax_problem(error)]) from None
    except yaml.YAMLError as error:
        raise FrameworkFileError([Problem("file", f"is not valid YAML: {error}")]) from None


def syntax_problem(error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error at the place where the mistake starts. PyYAML marks where it gave up (the problem mark,
    for an unclosed quote the end of the file) and what it was reading (the context mark): a quoted text, a word or a
    [list] or {mapping} written in one line starts where the mistake is; a block is only the part that holds it."""
    context = error.context or ""
    starts_at_context = error.context_mark is not None and ("scanning" in context or "flow" in context)
    start, other = (error.context_mark, error.problem_mark) if starts_at_context else (error.problem_mark, None)
    found = f"{context}, {error.problem}" if starts_at_context else str(error.problem)
    where_found = f" at {place_of(other)}" if other else ""
    return Problem(place_of(start), f"is not valid YAML: {found}{where_found}")


def level_fields(scale: Scale) -> list[str]:
    return [f"levels.{level.code}" for level in scale.levels]


def read_scale(reader: Reader, document: dict) -> Scale:
    """`levels: [{code: emerging, name: Emerging}, ...]`, lowest first: the file's own maturity levels."""
    if "levels" not in document:
        return NPS_SCALE
    items = reader.items(document, "levels", "file")
    levels: list[ScaleLevel] = []
    for number, item in enumerate(items, start=1):
        place = f"levels[{number - 1}]"
        entry = reader.mapping(item, place, {"code", "name"})
        code = reader.text(entry, "code", place)
        if code and not CODE_PATTERN.match(code):
            reader.problem(f"{place}.code", f"{code!r} must be lower-case letters, digits and hyphens")
        if code in [level.code for level in levels]:
            reader.problem(f"{place}.code{line_of(entry, 'code')}", f"duplicate level code {code!r}")
        levels.append(ScaleLevel(number, code, reader.text(entry, "name", place, model=Index, field="title")))
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        reader.problem("levels", f"has {len(levels)} levels: give {MIN_LEVELS} to {MAX_LEVELS}, lowest first")
    return Scale(tuple(levels)) if levels else NPS_SCALE


def read_levels(reader: Reader, parent: dict, place: str) -> dict[int, str]:
    levels = reader.mapping(parent.get("levels"), f"{place}.levels", {level.code for level in reader.scale.levels})
    result = {}
    for number, name in ((level.number, level.code) for level in reader.scale.levels):
        if levels and name not in levels:
            reader.problem(f"{place}.levels.{name}", "level is missing")
            continue
        result[int(number)] = (
            reader.text(levels, name, f"{place}.levels", model=LevelDescriptor, field="text") if levels else ""
        )
    return result


def read_reconstructed(reader: Reader, parent: dict, place: str, allowed: list[str]) -> list[str]:
    names = reader.items(parent, "reconstructed", place, required=False)
    for name in names:
        if name not in allowed:
            reader.problem(
                f"{place}.reconstructed", f"{name!r} is not a field of this item (one of {', '.join(allowed)})"
            )
    return [name for name in names if name in allowed]


def read_statement(reader: Reader, value: Any, place: str) -> StatementData:
    data = reader.mapping(value, place, STATEMENT_KEYS)
    allowed = ["text", *level_fields(reader.scale)]
    return StatementData(
        code=reader.code(data, place, Statement, unique_as="statement"),
        text=reader.text(data, "text", place, model=Statement),
        levels=read_levels(reader, data, place) if "levels" in data else missing_levels(reader, data, place),
        reconstructed=read_reconstructed(reader, data, place, allowed),
    )


def missing_levels(reader: Reader, data: dict, place: str) -> dict[int, str]:
    if data:
        reader.problem(f"{place}.levels", f"is missing (give the {len(reader.scale.levels)} level descriptors)")
    return {}


def read_inherited(reader: Reader, data: dict, place: str, kind: str, theme_code: str | None) -> IndexData:
    """`{code: ..., inherit: true}` in a derived framework: the parent's index, unchanged but for its priority."""
    reader.mapping(data, place, {"code", "inherit", "priority"})
    code = reader.code(data, place, Index, unique_as="index")
    priority = data.get("priority", False)
    if not isinstance(priority, bool):
        reader.problem(f"{place} ({code}).priority", f"must be true or false, not {type_name(priority)}")
    return IndexData(code, "", kind, theme_code, "", "", "", [], [], priority is True, inherit=True)


def read_index(reader: Reader, value: Any, place: str, kind: str, theme_code: str | None) -> IndexData:
    if isinstance(value, dict) and value.get("inherit") is True:
        return read_inherited(reader, value, place, kind, theme_code)
    data = reader.mapping(value, place, INDEX_KEYS)
    code = reader.code(data, place, Index, unique_as="index")
    place = f"{place} ({code})" if code else place
    statements: list[StatementData] = []
    if "statements" in data and "levels" in data:
        reader.problem(place, "give either levels or statements, not both")
    elif "statements" in data:
        statements = [
            read_statement(reader, item, f"{place}.statements[{number}]")
            for number, item in enumerate(reader.items(data, "statements", place))
        ]
        if not statements:
            reader.problem(f"{place}.statements", "is empty")
    elif data:
        reconstructed = [name for name in data.get("reconstructed") or [] if str(name).startswith("levels.")]
        statements = [
            StatementData(
                code,
                "",
                read_levels(reader, data, place) if "levels" in data else missing_levels(reader, data, place),
                reconstructed,
            )
        ]
    priority = data.get("priority", False)
    index_fields = [*TEXT_FIELDS, *level_fields(reader.scale)] if "levels" in data else TEXT_FIELDS
    if not isinstance(priority, bool):
        reader.problem(f"{place}.priority", f"must be true or false, not {type_name(priority)}")
    return IndexData(
        code=code,
        title=reader.text(data, "title", place, model=Index),
        kind=kind,
        theme_code=theme_code,
        description=reader.text(data, "description", place, model=Index),
        what_it_is=reader.text(data, "what_it_is", place, model=Index),
        why_it_is_important=reader.text(data, "why_it_is_important", place, model=Index),
        statements=statements,
        reconstructed=[name for name in read_reconstructed(reader, data, place, index_fields) if name in TEXT_FIELDS],
        priority=priority is True,
        has_statements="statements" in data,
    )


def read_version(reader: Reader, document: dict) -> dict:
    version = reader.mapping(
        document.get("version"),
        "version",
        {"code", "title", "status", "published_on", "summary", "source", "follows", "derives_from", "fresh_start"},
    )
    fresh_start = version.get("fresh_start", False)
    if not isinstance(fresh_start, bool):
        reader.problem("version.fresh_start", f"must be true or false, not {type_name(fresh_start)}")
    status = version.get("status", "draft")
    if status not in {"draft", "published"}:
        reader.problem("version.status", f"must be draft or published, not {status!r}")
    published_on = version.get("published_on")
    if published_on is not None and not isinstance(published_on, datetime.date):
        reader.problem("version.published_on", "must be a date written YYYY-MM-DD")
        published_on = None
    return {
        "version_code": reader.text(version, "code", "version", model=FrameworkVersion),
        "version_title": reader.text(version, "title", "version", model=FrameworkVersion),
        "status": status,
        "published_on": published_on,
        "summary": reader.text(version, "summary", "version", required=False, model=FrameworkVersion),
        "source": reader.text(version, "source", "version", required=False, model=FrameworkVersion),
        "follows": read_reference(reader, version, "follows"),
        "derives_from": read_reference(reader, version, "derives_from"),
        "fresh_start": fresh_start is True,
    }


def read_reference(reader: Reader, version: dict, key: str) -> tuple[str, str] | None:
    """`{framework: nps, version: "2018"}`: another framework version, by codes."""
    if key not in version:
        return None
    reference = reader.mapping(version[key], f"version.{key}", {"framework", "version"})
    framework, code = (reader.text(reference, name, f"version.{key}") for name in ("framework", "version"))
    return (framework, code) if reference else None


def read_replacements(reader: Reader, document: dict) -> list[tuple[str, str]]:
    """`replacements: [{retired: code, replaced_by: [codes]}]`; an empty or missing replaced_by retires outright."""
    pairs: list[tuple[str, str]] = []
    for number, item in enumerate(reader.items(document, "replacements", "file", required=False)):
        place = f"replacements[{number}]"
        entry = reader.mapping(item, place, {"retired", "replaced_by"})
        retired = reader.text(entry, "retired", place, model=Replacement, field="retired_code")
        successors = entry.get("replaced_by") or []
        if not isinstance(successors, list) or not all(isinstance(code, str) for code in successors):
            reader.problem(f"{place}.replaced_by", "must be a list of index codes")
            successors = []
        if len(set(successors)) < len(successors):
            reader.problem(f"{place}.replaced_by", "names the same index twice")
        if retired and retired in {code for code, _ in pairs}:
            reader.problem(f"{place}.retired", f"{retired!r} is retired in an earlier entry too: give one entry for it")
        pairs += [(retired, successor) for successor in successors] or [(retired, "")]
    return sorted(pairs)


def check_lineage(reader: Reader, data: FrameworkData) -> None:
    """The checks that need no database: what a version follows or derives from, and its own replacements."""
    if data.follows and data.derives_from:
        reader.problem("version", "give follows or derives_from, not both")
    if data.fresh_start and (data.follows or data.derives_from):
        reader.problem("version.fresh_start", "a fresh start follows no version: leave out follows and derives_from")
    if data.derives_from and not data.owner:
        reader.problem("framework.owner", "is missing: a derived framework belongs to a group (its GSS code)")
    if data.replacements and not data.follows:
        reader.problem("replacements", "need version.follows: the version whose indices were retired")
    inherited = [index for index in data.indices if index.inherit]
    if inherited and not data.derives_from:
        reader.problem(f"index {inherited[0].code}", "inherit: true is only possible with version.derives_from")
    codes = {index.code for index in data.indices}
    for retired, successor in data.replacements:
        if retired in codes:
            reader.problem(f"replacements ({retired})", f"{retired!r} is still an index of this version")
        if successor and successor not in codes:
            reader.problem(f"replacements ({retired})", f"replaced_by {successor!r} is not an index of this version")


def read_framework(text: str) -> FrameworkData:
    """Parse and validate a framework file; raise FrameworkFileError listing every problem."""
    reader = Reader()
    document = reader.mapping(
        parse_yaml(text), "file", {"format", "framework", "version", "levels", "themes", "enablers", "replacements"}
    )
    if document and document.get("format") != FORMAT:
        reader.problem("format", f"must be {FORMAT!r}, not {document.get('format')!r}")
    framework = reader.mapping(document.get("framework"), "framework", {"code", "title", "owner"})
    data = FrameworkData(
        framework_code=reader.code(framework, "framework", Framework),
        framework_title=reader.text(framework, "title", "framework", model=Framework),
        owner=reader.text(framework, "owner", "framework", required=False),
        **read_version(reader, document),
    )
    data.scale = reader.scale = read_scale(reader, document)
    data.replacements = read_replacements(reader, document)
    for number, item in enumerate(reader.items(document, "themes", "file")):
        place = f"themes[{number}]"
        theme = reader.mapping(item, place, {"code", "title", "key_areas"})
        data.themes.append(
            ThemeData(reader.code(theme, place, Theme, "theme"), reader.text(theme, "title", place, model=Theme))
        )
        for key_number, key_area in enumerate(reader.items(theme, "key_areas", place) if theme else []):
            data.indices.append(
                read_index(reader, key_area, f"{place}.key_areas[{key_number}]", "key_area", data.themes[-1].code)
            )
    for number, item in enumerate(reader.items(document, "enablers", "file", required=False)):
        data.indices.append(read_index(reader, item, f"enablers[{number}]", "enabler", None))
    if document and not data.indices:
        reader.problem("file", "has no key areas or enablers")
    check_lineage(reader, data)
    if reader.problems:
        raise FrameworkFileError(reader.problems)
    return data
