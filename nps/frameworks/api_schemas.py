"""The shapes of the frameworks API's requests and answers."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from nps.lib.api import Input


class VersionSummary(Schema):
    code: str
    title: str
    status: str
    published_on: datetime.date | None
    parent: str | None
    is_current: bool = Field(description="The version in use, chosen by the framework's managers.")


class FrameworkOut(Schema):
    code: str
    title: str
    owner_gss_code: str | None
    versions: list[VersionSummary]


class LevelOut(Schema):
    level: int
    name: str
    text: str
    reconstructed: bool


class StatementOut(Schema):
    code: str
    text: str
    text_reconstructed: bool
    levels: list[LevelOut]


class IndexOut(Schema):
    code: str
    title: str
    kind: str
    theme: str | None
    description: str
    what_it_is: str
    why_it_is_important: str
    is_priority: bool
    reconstructed: list[str]
    statements: list[StatementOut]


class ThemeOut(Schema):
    code: str
    title: str
    indices: list[str]


class ReplacementOut(Schema):
    retired: str
    replaced_by: list[str] = Field(description="Empty: retired outright. Several: a split.")


class VersionOut(VersionSummary):
    framework: str
    summary: str
    source: str
    themes: list[ThemeOut]
    indices: list[IndexOut]
    replacements: list[ReplacementOut]


class ProblemOut(Schema):
    place: str
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut] = []


class DraftIn(Input):
    code: str = Field(description='The new version\'s code, for example "2026".')
    title: str


class ImportIn(Input):
    text: str = Field(description="A framework file (nps-framework/1), as YAML text.")


class Resent(Input):
    """Input that takes what the API gave (IndexOut, StatementOut, LevelOut), so its read-only fields are ignored."""

    model_config = ConfigDict(extra="ignore")


class LevelIn(Resent):
    level: int = Field(ge=1, le=5)
    text: str


class StatementIn(Resent):
    code: str
    text: str = ""
    levels: list[LevelIn]


class IndexChanges(Resent):
    """An index as IndexOut gives it, without its code; reconstructed markers are kept only for unchanged text."""

    title: str
    kind: str | None = Field(None, description="Optional: follows from theme (none for an enabler).")
    theme: str | None = Field(description="The theme's code for a key area; null for an enabler.")
    description: str
    what_it_is: str
    why_it_is_important: str
    is_priority: bool = Field(False, description="Regional strategies only.")
    statements: list[StatementIn] = Field(
        description="An index with levels of its own: one statement coded as the index, with no text. "
        "Otherwise its statements, in order (add and remove them with their own endpoints)."
    )


class IndexIn(IndexChanges):
    code: str


class RetireIn(Input):
    replaced_by: list[str] = Field([], description="Nothing: retired outright. One index: replaced. Several: split.")


class MoveIn(Input):
    direction: Literal["up", "down"]


class ThemeIn(Input):
    code: str
    title: str


class DeriveIn(Input):
    title: str = ""


class AddedOut(Schema):
    code: str
    title: str


class RetiredOut(Schema):
    code: str
    title: str
    kind: str = Field(description="replaced, merged, split or retired.")
    successors: list[str]


class FieldChangeOut(Schema):
    label: str
    before: str
    after: str


class RewordedOut(Schema):
    code: str
    title: str
    changes: list[FieldChangeOut]


class ChangesOut(Schema):
    earlier: str
    later: str
    added: list[AddedOut]
    retired: list[RetiredOut]
    reworded: list[RewordedOut]
    unchanged: list[str]
