"""Reorganisations of local government: predecessors end, successors (new or existing) take over, and provisional
codes are renamed to ONS's when it issues them.

This module changes organisations only; nps.assessments.reorganisation adds what follows for people and returns.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from nps.core.models import record
from nps.organisations.models import (
    COUNCIL_KINDS,
    GSS_CODE,
    PROVISIONAL_CODE,
    Kind,
    Organisation,
    Succession,
    directory_changed,
    is_provisional_code,
)

COLUMNS = ["predecessor", "successor", "effective_date", "successor_name", "successor_type", "part"]
REQUIRED_COLUMNS = COLUMNS[:3]
CODE_RULE = "a GSS code (such as E06000099) or a provisional code starting PROV- (such as PROV-SURREY-EAST)"


class ReorganisationError(Exception):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Change:
    """One line of a reorganisation: on `effective` the successor takes over the predecessor, or the part named."""

    predecessor: str
    successor: str
    effective: datetime.date
    successor_name: str = ""
    successor_type: str = ""
    part: str = ""
    place: str = ""


def read_changes(text: str) -> list[Change]:
    """The changes in a CSV of predecessor, successor, effective_date (YYYY-MM-DD) and optionally successor_name,
    successor_type and part; every problem is reported with its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReorganisationError([f"The CSV has no column {', '.join(missing)} (columns: {', '.join(COLUMNS)})"])
    changes, errors = [], []
    for number, row in enumerate(reader, start=2):
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        try:
            effective = datetime.date.fromisoformat(values.pop("effective_date"))
        except ValueError:
            errors.append(f"Line {number}: effective_date must be a date like 2027-04-01")
            continue
        changes.append(Change(effective=effective, place=f"Line {number}", **values))
    if errors or not changes:
        raise ReorganisationError(errors or ["The CSV has no changes"])
    return changes


def code_problem(code: str) -> str | None:
    if GSS_CODE.fullmatch(code) or PROVISIONAL_CODE.fullmatch(code):
        return None
    return f"{code!r} is not {CODE_RULE}"


def check_changes(changes: list[Change], known: dict[str, Organisation]) -> list[str]:
    """What is wrong with the changes, in words, given the organisations they name that exist."""
    errors = []
    effective: dict[str, set[datetime.date]] = defaultdict(set)
    for change in changes:
        effective[change.predecessor].add(change.effective)
    for change in changes:
        predecessor = known.get(change.predecessor)
        if predecessor is None:
            errors.append(f"{change.place}: there is no organisation {change.predecessor}")
        elif predecessor.end_date is not None:
            errors.append(f"{change.place}: {predecessor.name} already ends on {predecessor.end_date}")
        if change.successor == change.predecessor or change.successor in effective:
            errors.append(f"{change.place}: {change.successor} cannot succeed itself or another predecessor")
        if change.successor not in known:
            errors += [f"{change.place}: {problem}" for problem in new_successor_problems(change)]
        elif known[change.successor].end_date is not None:
            errors.append(f"{change.place}: the successor {known[change.successor].name} ends itself")
    errors += [f"{code} is given more than one effective date" for code, dates in effective.items() if len(dates) > 1]
    pairs = [(change.predecessor, change.successor) for change in changes]
    errors += [f"{old} to {new} is given twice" for old, new in sorted(set(pairs)) if pairs.count((old, new)) > 1]
    return errors


def new_successor_problems(change: Change) -> list[str]:
    problems = [problem for problem in [code_problem(change.successor)] if problem]
    if not change.successor_name:
        problems.append(f"give the new council {change.successor} a successor_name")
    if change.successor_type not in COUNCIL_KINDS:
        types = ", ".join(COUNCIL_KINDS)
        problems.append(f"give the new council {change.successor} a successor_type, one of {types}")
    return problems


def new_successor(change: Change, predecessors: list[Organisation]) -> Organisation:
    """A new council takes its predecessors' nation, and their region where they share one."""
    regions = {predecessor.region_id for predecessor in predecessors}
    return Organisation(
        gss_code=change.successor,
        name=change.successor_name,
        official_name=change.successor_name,
        kind=Kind(change.successor_type),
        nation=predecessors[0].nation,
        region_id=regions.pop() if len(regions) == 1 else None,
        start_date=change.effective,
    )


def checked(changes: list[Change]) -> dict[str, Organisation]:
    """The organisations the changes name that exist, by code; ReorganisationError if the changes cannot be made."""
    codes = {change.predecessor for change in changes} | {change.successor for change in changes}
    known = Organisation.objects.in_bulk(list(codes), field_name="gss_code")
    errors = check_changes(changes, known)
    if errors:
        raise ReorganisationError(errors)
    return known


@transaction.atomic
def reorganise(changes: list[Change], *, by: AbstractBaseUser | None) -> list[Organisation]:
    """Record a reorganisation: each predecessor ends the day before its effective date and its successors take over,
    new ones created (with provisional codes where ONS has issued none yet). Returns the predecessors."""
    known = checked(changes)
    predecessors_of: dict[str, list[Organisation]] = defaultdict(list)
    for change in changes:
        predecessors_of[change.successor].append(known[change.predecessor])
    for change in changes:
        if change.successor not in known:
            known[change.successor] = new_successor(change, predecessors_of[change.successor])
            known[change.successor].save()
    predecessors = list({change.predecessor: known[change.predecessor] for change in changes}.values())
    ends = {change.predecessor: change.effective - datetime.timedelta(days=1) for change in changes}
    for predecessor in predecessors:
        predecessor.end_date = ends[predecessor.gss_code]
    Organisation.objects.bulk_update(predecessors, ["end_date"])
    Succession.objects.bulk_create(
        [Succession(predecessor=known[c.predecessor], successor=known[c.successor], part=c.part) for c in changes]
    )
    record("reorganisation_recorded", describe(changes, known), by=by)
    directory_changed()  # the bulk update sends no signal
    return predecessors


def describe(changes: list[Change], known: dict[str, Organisation]) -> str:
    lines = [
        f"{known[c.predecessor].name} ({c.predecessor}) to {known[c.successor].name} ({c.successor}) from {c.effective}"
        for c in changes
    ]
    return "Recorded a reorganisation: " + "; ".join(lines)


@transaction.atomic
def rename_code(organisation: Organisation, new_code: str, *, by: AbstractBaseUser | None) -> Organisation:
    """Give an organisation the GSS code ONS issued in place of its provisional one. Everything refers to the
    organisation, not its code, so its returns, people and history stay with it."""
    new_code = new_code.strip().upper()
    if not organisation.is_provisional:
        raise ReorganisationError([f"{organisation.gss_code} is already a GSS code"])
    if is_provisional_code(new_code):
        raise ReorganisationError([f"{new_code!r} is not a GSS code: a letter and eight digits, such as E06000099"])
    if Organisation.objects.filter(gss_code=new_code).exists():
        raise ReorganisationError([f"{new_code} is already another organisation's code"])
    old_code, organisation.gss_code = organisation.gss_code, new_code
    organisation.save(update_fields=["gss_code"])
    record("code_renamed", f"Renamed {organisation.name}'s code from {old_code} to {new_code}", by=by)
    return organisation
