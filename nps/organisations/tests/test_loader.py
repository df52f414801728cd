import shutil

import pytest
from django.db import IntegrityError

from nps.core.models import AuditEvent
from nps.organisations.loader import DATA_DIR, OrganisationDataError, load_organisations
from nps.organisations.models import COUNCIL_KINDS, Kind, Nation, Organisation, Succession
from nps.testing import database_refuses, database_rows

pytestmark = pytest.mark.django_db

# The counts published in data/SOURCE.md.
COUNTS_BY_TYPE = {
    Kind.COUNTY_COUNCIL: 21,
    Kind.DISTRICT_COUNCIL: 164,
    Kind.UNITARY_AUTHORITY: 62,
    Kind.ISLES_OF_SCILLY: 1,
    Kind.METROPOLITAN_DISTRICT: 36,
    Kind.LONDON_BOROUGH: 32,
    Kind.CITY_OF_LONDON: 1,
    Kind.WELSH_UNITARY: 22,
}
COUNTS_BY_REGION = {
    "North East": 12,
    "North West": 36,
    "Yorkshire and The Humber": 15,
    "East Midlands": 39,
    "West Midlands": 33,
    "East of England": 50,
    "London": 33,
    "South East": 70,
    "South West": 29,
    "Wales": 22,
}


@pytest.fixture
def loaded() -> None:
    load_organisations()


def current_councils():
    return Organisation.objects.current().councils()


def test_there_are_339_current_councils_317_english_and_22_welsh(loaded):
    assert current_councils().count() == 339
    assert current_councils().in_nation(Nation.ENGLAND).count() == 317
    assert current_councils().in_nation(Nation.WALES).count() == 22


def test_welsh_councils_have_their_welsh_names(loaded):
    anglesey = Organisation.objects.get(gss_code="W06000001")
    assert (anglesey.name, anglesey.welsh_name, anglesey.kind) == ("Isle of Anglesey", "Ynys Môn", Kind.WELSH_UNITARY)
    assert anglesey.region.code == "W92000004"
    assert list(Organisation.objects.search("Abertawe").values_list("name", flat=True)) == ["Swansea"]


def test_welsh_fire_authorities_are_listed_under_provisional_codes(loaded):
    welsh = Organisation.objects.filter(kind=Kind.FIRE_AUTHORITY, nation=Nation.WALES)
    assert {(authority.gss_code, authority.members.count()) for authority in welsh} == {
        ("PROV-FRA-NWALES", 6),
        ("PROV-FRA-MWWALES", 6),
        ("PROV-FRA-SWALES", 10),
    }
    assert all(authority.is_provisional and authority.region.name == "Wales" for authority in welsh)


def test_a_welsh_fire_authority_renamed_to_a_gss_code_keeps_it_on_reloading(loaded):
    Organisation.objects.filter(gss_code="PROV-FRA-SWALES").update(gss_code="W25000003")
    load_organisations()
    assert Organisation.objects.get(gss_code="W25000003").members.count() == 10
    assert not Organisation.objects.filter(gss_code="PROV-FRA-SWALES").exists()


@pytest.mark.parametrize(("kind", "count"), COUNTS_BY_TYPE.items())
def test_councils_per_type_match_the_source(loaded, kind, count):
    assert current_councils().filter(kind=kind).count() == count


@pytest.mark.parametrize(("region", "count"), COUNTS_BY_REGION.items())
def test_councils_per_region_match_the_source(loaded, region, count):
    assert current_councils().filter(region__name=region).count() == count


def test_groups_and_memberships_are_loaded(loaded):
    assert Organisation.objects.current().filter(kind=Kind.COMBINED_AUTHORITY).count() == 15
    assert Organisation.objects.get(kind=Kind.STRATEGIC_AUTHORITY).members.count() == 33
    assert Organisation.objects.filter(kind=Kind.FIRE_AUTHORITY).count() == 44 + 3
    north_east = Organisation.objects.get(gss_code="E47000014")
    assert north_east.members.count() == 7
    bolton = Organisation.objects.get(gss_code="E08000001")
    assert {group.kind for group in bolton.groups.all()} == {Kind.COMBINED_AUTHORITY, Kind.FIRE_AUTHORITY}


def test_districts_know_their_parent_county(loaded):
    assert (
        Organisation.objects.filter(
            kind=Kind.DISTRICT_COUNCIL, end_date__isnull=True, parent_county__isnull=True
        ).count()
        == 0
    )
    assert Organisation.objects.get(gss_code="E10000003").districts.current().count() == 5  # Cambridgeshire


def test_former_councils_are_kept_with_their_end_date(loaded):
    cumbria = Organisation.objects.get(gss_code="E10000006")
    assert not cumbria.is_current and cumbria.is_former
    assert {successor.name for successor in cumbria.successors.all()} == {"Cumberland", "Westmorland and Furness"}
    somerset = Organisation.objects.get(gss_code="E06000066")
    assert somerset.predecessors.count() == 5  # the county and four districts
    assert Succession.objects.count() == 52


def test_a_rerun_keeps_a_reorganisation_recorded_ahead_of_the_data(loaded):
    Organisation.objects.filter(gss_code="E07000207").update(end_date="2027-03-31")  # Elmbridge
    load_organisations()
    assert str(Organisation.objects.get(gss_code="E07000207").end_date) == "2027-03-31"


def test_a_rerun_updates_rather_than_duplicates(loaded):
    before = Organisation.objects.count()
    Organisation.objects.filter(gss_code="E08000001").update(name="Renamed")
    report = load_organisations()
    assert report.created == 0
    assert Organisation.objects.count() == before
    assert Organisation.objects.get(gss_code="E08000001").name == "Bolton"
    assert Organisation.objects.get(gss_code="E47000001").members.count() == 10


def test_a_bad_file_changes_nothing_and_says_where(tmp_path):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    councils = tmp_path / "english_councils.csv"
    lines = councils.read_text().splitlines()
    lines[5] = lines[5].replace("county_council", "parish_council", 1)
    councils.write_text("\n".join(lines) + "\n")
    with pytest.raises(OrganisationDataError) as error:
        load_organisations(tmp_path)
    assert "english_councils.csv:6: unknown type 'parish_council'" in error.value.errors
    assert not Organisation.objects.exists()


def test_council_kinds_cover_every_current_council(loaded):
    assert set(current_councils().values_list("kind", flat=True)) == set(COUNCIL_KINDS)


def test_loading_is_recorded_in_the_audit_trail(loaded):
    event = AuditEvent.objects.get(action="organisations_loaded")
    assert event.description.startswith(f"Loaded the organisations: {Organisation.objects.count()} created, 0 updated")


def test_loading_is_all_or_nothing():
    before = database_rows()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        load_organisations()
    assert database_rows() == before
