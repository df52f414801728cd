"""The readable story of a return: each step in words, beside the changes to its answers' fields."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.dateparse import parse_date

from nps.accounts.models import User
from nps.assessments.models import (
    Answer,
    AnswerChange,
    Assurance,
    Confidence,
    EventKind,
    Return,
    ReturnEvent,
    assurance_label,
)
from nps.core.models import organisation_changed
from nps.frameworks.levels import Level


def record_event(
    council_return: Return, kind: EventKind, description: str, *, by: User | None, answer: Answer | None = None
) -> ReturnEvent:
    """One step, for the return's timeline and, when it is about one answer, that answer's history. Call it inside
    the service's transaction, beside its audit record."""
    organisation_changed(council_return.organisation_id)
    return ReturnEvent.objects.create(
        council_return=council_return, answer=answer, kind=kind, description=description, by=by
    )


# The readable history of one answer ------------------------------------------------------------------------------

CHANGE = "change"  # the kind of a history entry that is a change to one field; events keep their EventKind value
OLD_FIELD_NAMES = {"basis": "assurance"}  # what a field was called when older history rows were written
LEVEL_NUMBERS = {str(level.value) for level in Level}


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an answer's history: a change to one of its fields, or a step in the return's life."""

    kind: str  # CHANGE, or an EventKind value such as "validated"
    at: datetime.datetime
    by: User | None
    label: str  # the field's name ("current level") or the step's ("Validated")
    field: str = ""  # for a change: the field, as AnswerChange names it
    old_value: str = ""
    new_value: str = ""
    description: str = ""  # for a step: what happened, in words
    version: int | None = None  # for a change: the answer's version it made

    @property
    def is_change(self) -> bool:
        return self.kind == CHANGE


def readable_value(field: str, value: str) -> str:
    """A stored history value in the pages' words. Rows written before the history spoke that way hold raw values
    (`low`, `self_assessed`, `3`, `True`, `2027-03-31`); newer rows already read well and pass through unchanged."""
    field = OLD_FIELD_NAMES.get(field, field)
    raw = value.strip()
    if field == "confidence" and raw.lower() in Confidence.values:
        return f"{Confidence(raw.lower()).label} confidence"
    if field == "assurance" and raw in Assurance.values:
        return assurance_label(raw, None)
    if (field in {"current_level", "target_level"} or field.startswith("statement:")) and raw in LEVEL_NUMBERS:
        return Level(int(raw)).label
    if field == "not_applicable" and raw in {"True", "False"}:
        return "Yes" if raw == "True" else "No"
    if field == "target_date" and (date := stored_date(raw)):
        return f"{date:%-d %B %Y}"
    return value


def stored_date(value: str) -> datetime.date | None:
    try:
        return parse_date(value)
    except ValueError:  # shaped like a date, but no such day
        return None


def change_entry(change: AnswerChange) -> HistoryEntry:
    field = OLD_FIELD_NAMES.get(change.field, change.field)
    return HistoryEntry(
        kind=CHANGE,
        at=change.changed_at,
        by=change.changed_by,
        label=AnswerChange(field=field).label,
        field=field,
        old_value=readable_value(field, change.old_value),
        new_value=readable_value(field, change.new_value),
        version=change.version,
    )


def event_entry(event: ReturnEvent) -> HistoryEntry:
    return HistoryEntry(
        kind=event.kind, at=event.at, by=event.by, label=event.get_kind_display(), description=event.description
    )


def merged_history(changes: Iterable[AnswerChange], events: Iterable[ReturnEvent]) -> list[HistoryEntry]:
    """An answer's changes and the steps about it or its whole return, newest first. A step and a change made at the
    same moment (a validation and the assurance it sets) list the step first, as the one that says why."""
    entries = [event_entry(event) for event in events] + [change_entry(change) for change in changes]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)  # stable: at equal times, steps stay first


def answer_history(answer: Answer) -> list[HistoryEntry]:
    """The readable history of an answer, from the database."""
    changes = answer.changes.select_related("changed_by").order_by("-changed_at", "-pk")
    events = (
        ReturnEvent.objects.filter(council_return_id=answer.council_return_id)
        .filter(Q(answer=answer) | Q(answer__isnull=True))
        .select_related("by")
        .order_by("-at", "-pk")
    )
    return merged_history(changes, events)
