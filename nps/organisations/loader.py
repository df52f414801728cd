"""Loads the English and Welsh councils reference data (data/*.csv, see data/SOURCE.md), all or nothing.

A re-run updates organisations in place (matched by GSS code), replaces group memberships and the successors the files
name. A start or end date the files leave empty keeps the one recorded in the toolkit, so a reorganisation recorded
ahead of the reference data (nps.organisations.reorganisation) survives `nps setup`.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from nps.core.models import record
from nps.organisations.models import GROUP_KINDS, Kind, Nation, Organisation, Region, Succession, directory_changed

DATA_DIR = Path(__file__).resolve().parent / "data"
SHARED_COLUMNS = {
    "gss_code",
    "name",
    "official_name",
    "type",
    "region",
    "local_authority_code",
    "pop_2020",
    "start_date",
    "end_date",
    "replaced_by_gss",
    "notes",
}
ENGLISH_COLUMNS = SHARED_COLUMNS | {"region_code", "parent_county_gss"}
WELSH_COLUMNS = SHARED_COLUMNS | {"welsh_name", "nation", "fire_authority_name"}
COUNCIL_FILES = {
    "english_councils.csv": ENGLISH_COLUMNS,
    "english_councils_former.csv": ENGLISH_COLUMNS,
    "welsh_councils.csv": WELSH_COLUMNS,
}
# Wales has no regions: its councils' region is Wales, under the ONS country code.
REGION_CODES = {"Wales": "W92000004"}
# The Welsh file names each council's fire and rescue authority but ONS gives those three no GSS code, so they are
# listed under clearly provisional codes (see data/SOURCE.md), to be renamed if ONS issues codes.
WELSH_FIRE_AUTHORITIES = {
    "North Wales Fire and Rescue Authority": "PROV-FRA-NWALES",
    "Mid and West Wales Fire and Rescue Authority": "PROV-FRA-MWWALES",
    "South Wales Fire and Rescue Authority": "PROV-FRA-SWALES",
}
NATIONS = {label: value for value, label in Nation.choices}
MEMBERSHIP_FILES = {
    "combined_authorities.csv": ("ca_code", "ca_name", None),
    "fire_authorities.csv": ("fra_code", "fra_name", Kind.FIRE_AUTHORITY),
}
MEMBER_COLUMNS = {"member_gss_code"}
ORGANISATION_FIELDS = [
    "name",
    "welsh_name",
    "official_name",
    "kind",
    "nation",
    "region",
    "local_authority_code",
    "population",
    "start_date",
    "end_date",
    "notes",
]
KEPT_WHEN_EMPTY = ["start_date", "end_date"]


class OrganisationDataError(Exception):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    memberships: int = 0
    successions: int = 0
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path, required: set[str], errors: list[str]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            errors.append(f"{path.name}: missing columns {', '.join(sorted(missing))}")
            return []
        return [(number, row) for number, row in enumerate(reader, start=2)]


def parse_date(value: str, place: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{place}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def parse_population(value: str, place: str, errors: list[str]) -> int | None:
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        errors.append(f"{place}: population {value!r} is not a number")
        return None


def normalised(row: dict[str, str]) -> dict[str, str]:
    """A row of either nation's file with every column of both: the English file has no Welsh names or nation, the
    Welsh one no region codes or parent counties."""
    return {
        "welsh_name": "",
        "nation": Nation.ENGLAND.label,
        "region_code": REGION_CODES.get(row["region"], ""),
        "parent_county_gss": "",
        "fire_authority_name": "",
        **row,
    }


def organisation_values(row: dict[str, str], place: str, regions: dict[str, Region], errors: list[str]) -> dict:
    if row["type"] not in Kind.values:
        errors.append(f"{place}: unknown type {row['type']!r}")
    if not row["gss_code"] or not row["name"]:
        errors.append(f"{place}: gss_code and name are required")
    if row["nation"] not in NATIONS:
        errors.append(f"{place}: unknown nation {row['nation']!r} (England or Wales)")
    region = None
    if row["region_code"]:
        region, _ = Region.objects.get_or_create(code=row["region_code"], defaults={"name": row["region"]})
        regions[region.code] = region
    return {
        "name": row["name"],
        "welsh_name": row["welsh_name"],
        "official_name": row["official_name"],
        "kind": row["type"],
        "nation": NATIONS.get(row["nation"], Nation.ENGLAND),
        "region": region,
        "local_authority_code": row["local_authority_code"],
        "population": parse_population(row["pop_2020"], place, errors),
        "start_date": parse_date(row["start_date"], place, errors),
        "end_date": parse_date(row["end_date"], place, errors),
        "notes": row["notes"],
    }


def save_organisations(values_by_code: dict[str, dict], report: LoadReport) -> dict[str, Organisation]:
    existing = Organisation.objects.in_bulk(field_name="gss_code")
    to_create, to_update = [], []
    for code, values in values_by_code.items():
        organisation = existing.get(code)
        if organisation is None:
            to_create.append(Organisation(gss_code=code, **values))
            continue
        for name, value in values.items():
            if value is not None or name not in KEPT_WHEN_EMPTY:
                setattr(organisation, name, value)
        to_update.append(organisation)
    Organisation.objects.bulk_create(to_create)
    Organisation.objects.bulk_update(to_update, ORGANISATION_FIELDS)
    report.created, report.updated = len(to_create), len(to_update)
    return Organisation.objects.in_bulk(field_name="gss_code")


def link_parent_counties(
    rows: list[tuple[str, dict[str, str]]], organisations: dict[str, Organisation], errors: list[str]
) -> None:
    changed = []
    for place, row in rows:
        parent = organisations.get(row["parent_county_gss"]) if row["parent_county_gss"] else None
        if row["parent_county_gss"] and parent is None:
            errors.append(f"{place}: parent county {row['parent_county_gss']} is not in the data")
        organisation = organisations[row["gss_code"]]
        if organisation.parent_county_id != (parent.pk if parent else None):
            organisation.parent_county = parent
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["parent_county"])


def read_memberships(data_dir: Path, errors: list[str]) -> tuple[dict[str, dict], dict[str, list[tuple[str, str]]]]:
    """Groups named in the membership files (values for new ones) and their members with the row's place."""
    groups: dict[str, dict] = {}
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for filename, (code_column, name_column, kind) in MEMBERSHIP_FILES.items():
        for number, row in read_rows(data_dir / filename, {code_column, name_column} | MEMBER_COLUMNS, errors):
            code = row[code_column]
            if kind is not None:
                groups.setdefault(code, {"name": row[name_column], "official_name": row[name_column], "kind": kind})
            members[code].append((row["member_gss_code"], f"{filename}:{number}"))
    return groups, members


def welsh_fire_authorities(
    council_rows: list[tuple[str, dict[str, str]]],
    groups: dict[str, dict],
    members: dict[str, list[tuple[str, str]]],
    errors: list[str],
) -> None:
    """The Welsh fire and rescue authorities, named by the councils they serve, under their provisional codes or
    the codes the national team renamed them to."""
    welsh = Organisation.objects.filter(kind=Kind.FIRE_AUTHORITY, nation=Nation.WALES)
    codes = WELSH_FIRE_AUTHORITIES | dict(welsh.values_list("name", "gss_code"))
    for place, row in council_rows:
        name = row["fire_authority_name"]
        if row["nation"] != Nation.WALES.label or not name:
            continue  # English councils' fire authorities come with GSS codes in fire_authorities.csv
        if name not in WELSH_FIRE_AUTHORITIES:
            errors.append(f"{place}: unknown fire and rescue authority {name!r}")
            continue
        code = codes[name]
        groups.setdefault(
            code, {"name": name, "official_name": name, "kind": Kind.FIRE_AUTHORITY, "nation": Nation.WALES}
        )
        members[code].append((row["gss_code"], place))


def save_successions(
    rows: list[tuple[str, dict[str, str]]], organisations: dict[str, Organisation], errors: list[str]
) -> int:
    """The successors the files name replace those recorded for the same predecessors."""
    successions, predecessors = [], []
    for place, row in rows:
        codes = [code.strip() for code in row["replaced_by_gss"].split(";") if code.strip()]
        if codes:
            predecessors.append(organisations[row["gss_code"]])
        for code in codes:
            if code not in organisations or code == row["gss_code"]:
                errors.append(f"{place}: successor {code} is not another organisation in the data")
                continue
            successions.append(Succession(predecessor=organisations[row["gss_code"]], successor=organisations[code]))
    Succession.objects.filter(predecessor__in=predecessors).delete()
    Succession.objects.bulk_create(successions)
    return len(successions)


def save_memberships(
    members: dict[str, list[tuple[str, str]]],
    organisations: dict[str, Organisation],
    errors: list[str],
    report: LoadReport,
) -> None:
    through = Organisation.members.through
    links = []
    for group_code, rows in members.items():
        group = organisations.get(group_code)
        if group is None or group.kind not in GROUP_KINDS:
            errors.append(f"{rows[0][1]}: {group_code} is not a combined, strategic or fire authority in the data")
            continue
        for member_code, place in rows:
            if member_code not in organisations:
                errors.append(f"{place}: member {member_code} is not in the data")
                continue
            links.append(through(from_organisation=group, to_organisation=organisations[member_code]))
    through.objects.filter(from_organisation__gss_code__in=members.keys()).delete()
    through.objects.bulk_create(links)
    report.memberships = len(links)


def set_group_regions(members: dict[str, list[tuple[str, str]]], organisations: dict[str, Organisation]) -> None:
    """A fire authority takes its members' region when they all share one."""
    changed = []
    for group_code, rows in members.items():
        group = organisations.get(group_code)
        if group is None or group.kind != Kind.FIRE_AUTHORITY:
            continue
        regions = {organisations[code].region_id for code, _ in rows if code in organisations}
        group.region_id = regions.pop() if len(regions) == 1 else None
        changed.append(group)
    Organisation.objects.bulk_update(changed, ["region"])


@transaction.atomic
def load_organisations(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load or update every organisation and membership; raise OrganisationDataError and change nothing if bad."""
    report, errors, regions = LoadReport(), list[str](), dict[str, Region]()
    council_rows: list[tuple[str, dict[str, str]]] = []
    for filename, columns in COUNCIL_FILES.items():
        council_rows += [
            (f"{filename}:{n}", normalised(row)) for n, row in read_rows(data_dir / filename, columns, errors)
        ]
    values_by_code: dict[str, dict] = {}
    for place, row in council_rows:
        if row["gss_code"] in values_by_code:
            errors.append(f"{place}: duplicate GSS code {row['gss_code']}")
        values_by_code[row["gss_code"]] = organisation_values(row, place, regions, errors)
    groups, members = read_memberships(data_dir, errors)
    welsh_fire_authorities(council_rows, groups, members, errors)
    for code, values in groups.items():
        values_by_code.setdefault(
            code,
            {
                **dict.fromkeys(ORGANISATION_FIELDS, ""),
                "nation": Nation.ENGLAND,
                "region": None,
                "population": None,
                "start_date": None,
                "end_date": None,
                **values,
            },
        )
    if errors:
        raise OrganisationDataError(errors)
    organisations = save_organisations(values_by_code, report)
    link_parent_counties(council_rows, organisations, errors)
    save_memberships(members, organisations, errors, report)
    set_group_regions(members, organisations)
    report.successions = save_successions(council_rows, organisations, errors)
    if errors:
        raise OrganisationDataError(errors)
    directory_changed()
    record(
        "organisations_loaded",
        f"Loaded the organisations: {report.created} created, {report.updated} updated, "
        f"{report.memberships} group memberships, {report.successions} successions",
        by=None,
    )
    return report
