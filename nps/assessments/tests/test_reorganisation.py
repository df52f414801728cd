"""A reorganisation recorded by hand, ahead of its date with provisional codes, and one whose date has passed."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from nps.accounts.models import ApiToken, Membership, Role
from nps.accounts.services import create_api_token
from nps.assessments.answers import submit_return
from nps.assessments.models import Return, Round
from nps.assessments.reorganisation import carry_over_due, record_reorganisation
from nps.core.models import AuditEvent
from nps.organisations.models import Kind, Organisation
from nps.organisations.reorganisation import ReorganisationError, read_changes, rename_code
from nps.testing import answer_everything, database_rows, make_open_round, make_organisation

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
HEADER = "predecessor,successor,effective_date,successor_name,successor_type,part\n"


def merger(predecessors: list[Organisation], effective: datetime.date, code: str = "PROV-EAST-ALDER") -> str:
    return HEADER + "".join(f"{p.gss_code},{code},{effective},East Alderley,unitary_authority,\n" for p in predecessors)


@pytest.fixture
def districts(council_a) -> list[Organisation]:
    return [council_a, make_organisation("Brook", Kind.DISTRICT_COUNCIL, council_a.region)]


def test_a_future_reorganisation_creates_the_successor_under_a_provisional_code_and_waits(districts, editor):
    effective = TODAY + datetime.timedelta(days=100)
    record_reorganisation(read_changes(merger(districts, effective)), by=None)
    successor = Organisation.objects.get(gss_code="PROV-EAST-ALDER")
    assert (successor.start_date, successor.kind, successor.region) == (
        effective,
        "unitary_authority",
        districts[0].region,
    )
    assert successor.is_provisional and not successor.is_current
    assert {p.end_date for p in successor.predecessors.all()} == {effective - datetime.timedelta(days=1)}
    assert Organisation.objects.current().filter(pk=districts[0].pk).exists()  # until its last day
    assert Membership.objects.get(user=editor).organisation == districts[0]
    assert carry_over_due(by=None) == []


def test_once_the_date_has_passed_people_move_tokens_stop_and_open_returns_close(districts, editor, national_admin):
    round_ = make_open_round(*districts, name="2026 diagnostic")
    submitted = Return.objects.get(round=round_, organisation=districts[1])
    answer_everything(submitted, national_admin)
    submit_return(submitted, by=national_admin)
    create_api_token(editor, "Spreadsheet")
    record_reorganisation(read_changes(merger(districts, TODAY)), by=national_admin)
    successor = Organisation.objects.get(gss_code="PROV-EAST-ALDER")
    assert Membership.objects.get(user=editor).organisation == successor
    assert Membership.objects.get(user=editor).role == Role.EDITOR
    assert not ApiToken.objects.filter(user=editor).exists()
    closed = Return.objects.get(round=round_, organisation=districts[0])
    assert "Alderley was abolished" in closed.closed_because and "East Alderley took over" in closed.closed_because
    assert not closed.is_editable
    assert Return.objects.get(pk=submitted.pk).closed_because == ""  # submitted returns stay in their round
    assert AuditEvent.objects.filter(action="members_carried_over").exists()


def test_a_round_invites_only_councils_that_exist_for_its_whole_open_period(districts):
    record_reorganisation(read_changes(merger(districts[:1], datetime.date(2026, 12, 1), "PROV-SPLIT")), by=None)
    round_ = make_open_round(*districts, name="2026 diagnostic")  # open from 1 November 2026 to 31 January 2027
    invited = set(Return.objects.filter(round=round_).values_list("organisation__name", flat=True))
    assert invited == {"Brook"}


def test_renaming_a_provisional_code_keeps_its_people_and_returns(districts, editor):
    record_reorganisation(read_changes(merger(districts, TODAY)), by=None)
    successor = Organisation.objects.get(gss_code="PROV-EAST-ALDER")
    rename_code(successor, "e06000099", by=None)
    assert Organisation.objects.get(pk=successor.pk).gss_code == "E06000099"
    assert Membership.objects.get(user=editor).organisation_id == successor.pk
    with pytest.raises(ReorganisationError, match="already a GSS code"):
        rename_code(Organisation.objects.get(pk=successor.pk), "E06000100", by=None)


def test_a_bad_reorganisation_lists_every_problem_and_changes_nothing(districts):
    before = database_rows()
    text = HEADER + f"E99999999,PROV-X,{TODAY},,,\n{districts[0].gss_code},bad code,{TODAY},Name,parish,\n"
    text += f"{districts[1].gss_code},{districts[0].gss_code},{TODAY},,,\n" * 2
    with pytest.raises(ReorganisationError) as error:
        record_reorganisation(read_changes(text), by=None)
    assert "Line 2: there is no organisation E99999999" in error.value.errors
    assert any("'bad code' is not a GSS code" in problem for problem in error.value.errors)
    assert any("successor_type" in problem for problem in error.value.errors)
    assert f"Line 4: {districts[0].gss_code} cannot succeed itself or another predecessor" in error.value.errors
    assert f"{districts[1].gss_code} to {districts[0].gss_code} is given twice" in error.value.errors
    assert database_rows() == before


def test_the_national_team_checks_then_records_a_reorganisation_on_the_page(client_for, national_admin, districts):
    client = client_for(national_admin)
    text = merger(districts, TODAY + datetime.timedelta(days=30))
    check = client.post("/reorganisations/", {"changes": text})
    assert "Check the reorganisation" in check.content.decode()
    assert not Organisation.objects.filter(gss_code="PROV-EAST-ALDER").exists()
    done = client.post("/reorganisations/", {"changes": text, "confirmed": "true"}, follow=True)
    assert "Recorded the reorganisation of 2 organisations." in done.content.decode()
    assert "East Alderley" in done.content.decode()
    bad = client.post("/reorganisations/", {"changes": "predecessor\n"}).content.decode()
    assert "The CSV has no column successor, effective_date" in bad


@pytest.mark.parametrize("persona", ["editor", "viewer", "group_lead"])
def test_only_the_national_team_records_reorganisations(client_for, persona, request, districts):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/reorganisations/").status_code == 404
    assert client.post("/api/v1/reorganisations", {"changes": []}, "application/json").status_code in {404, 422}


def test_the_api_records_a_reorganisation_and_renames_its_code(client_for, national_admin, districts):
    client = client_for(national_admin)
    changes = [
        {
            "predecessor": p.gss_code,
            "successor": "PROV-EAST-ALDER",
            "effective_date": str(TODAY),
            "successor_name": "East Alderley",
            "successor_type": "unitary_authority",
        }
        for p in districts
    ]
    response = client.post("/api/v1/reorganisations", {"changes": changes}, "application/json")
    assert response.status_code == 201
    assert sorted(response.json()["finished"]) == sorted(p.gss_code for p in districts)
    again = client.post("/api/v1/reorganisations", {"changes": changes}, "application/json")
    assert again.status_code == 400 and "already ends" in again.json()["detail"]
    renamed = client.post(
        "/api/v1/reorganisations/codes/PROV-EAST-ALDER", {"new_gss_code": "E06000099"}, "application/json"
    )
    assert renamed.json() == {"gss_code": "E06000099", "name": "East Alderley"}


def test_the_command_records_a_reorganisation_from_a_csv_file(tmp_path, districts, capsys):
    path = tmp_path / "surrey.csv"
    path.write_text(merger(districts, TODAY + datetime.timedelta(days=10)))
    call_command("reorganise", str(path))
    assert "Recorded the reorganisation of 2 organisations." in capsys.readouterr().out
    call_command("reorganise", "--rename", "PROV-EAST-ALDER", "E06000099")
    assert Organisation.objects.filter(gss_code="E06000099", name="East Alderley").exists()
    with pytest.raises(CommandError, match="already ends"):
        call_command("reorganise", str(path))
    assert Round.objects.count() == 0
