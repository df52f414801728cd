"""History through the real reorganisations of 2023, loaded from the reference data, and one recorded by hand."""

import csv
import datetime
import io

import pytest

from nps.assessments.answers import submit_return
from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round
from nps.insights.dashboard import council_dashboard
from nps.insights.figures import excluded_by_reorganisation
from nps.organisations.loader import load_organisations
from nps.organisations.models import Organisation
from nps.testing import answer_everything, make_open_round, make_organisation

pytestmark = pytest.mark.django_db
CUMBRIA = {"E10000006": 1, "E07000026": 2, "E07000028": 3, "E07000029": 4, "E07000027": 2, "E07000030": 2}
SOMERSET = {"E10000027": 3, "E07000187": 1, "E07000188": 2, "E07000189": 4, "E07000246": 2}
CONTINUING = {"E06000022": 2, "E06000024": 3}  # Bath and North East Somerset, North Somerset
SUCCESSORS = {"E06000063": 3, "E06000064": 2, "E06000066": 3}  # Cumberland, Westmorland and Furness, Somerset


def submit(round_: Round, levels: dict[str, int], user) -> None:
    for council_return in Return.objects.filter(round=round_, organisation__gss_code__in=levels):
        answer_everything(council_return, user, level=levels[council_return.organisation.gss_code], target=5)
        submit_return(council_return, by=user)
    close_round(round_, by=user)


@pytest.fixture
def rounds(national_admin) -> tuple[Round, Round]:
    """2021: the old councils of Cumbria and Somerset submit; 2023: their successors do."""
    load_organisations()
    codes = {**CUMBRIA, **SOMERSET, **CONTINUING, **SUCCESSORS}
    organisations = Organisation.objects.filter(gss_code__in=codes)
    first = make_open_round(*organisations.exclude(gss_code__in=SUCCESSORS), name="2021 diagnostic")
    submit(first, {**CUMBRIA, **SOMERSET, **CONTINUING}, national_admin)
    later = make_open_round(*organisations.filter(gss_code__in={**SUCCESSORS, **CONTINUING}), name="2023 diagnostic")
    submit(later, {**SUCCESSORS, **CONTINUING}, national_admin)
    return Round.objects.get(pk=first.pk), Round.objects.get(pk=later.pk)


def test_rounds_invite_the_councils_that_existed_then(rounds):
    first, later = rounds
    assert Return.objects.filter(round=first, organisation__gss_code="E10000006").exists()  # Cumbria, in 2021
    assert not Return.objects.filter(round=first, organisation__gss_code="E06000063").exists()  # Cumberland, 2023
    assert not Return.objects.filter(round=later, organisation__gss_code="E07000026").exists()  # Allerdale, gone


def test_cumberland_sees_each_predecessors_levels_by_name_never_combined(rounds):
    cumberland = Return.objects.get(round=rounds[1], organisation__gss_code="E06000063")
    [line, *_] = council_dashboard(cumberland, with_peers=False)
    history = {name: [earlier.level for earlier in levels] for name, levels in line.predecessors}
    assert history == {"Allerdale": [2], "Carlisle": [3], "Copeland": [4], "Cumbria": [1]}
    assert line.earlier == [] and line.movement is None  # Cumberland's own history starts in 2023


def test_somersets_dashboard_page_labels_its_predecessors(client_for, national_admin, rounds):
    somerset = Organisation.objects.get(gss_code="E06000066")
    html = client_for(national_admin).get(f"/organisations/E06000066/rounds/{rounds[1].pk}/dashboard/").content
    page = html.decode()
    for name in ["Somerset", "Mendip", "Sedgemoor", "South Somerset", "Somerset West and Taunton"]:
        assert f"Predecessor {name}: 2021 diagnostic" in page
    assert somerset.predecessors.count() == 5


def test_movement_compares_councils_that_existed_in_both_rounds_and_counts_the_rest(client_for, national_admin, rounds):
    first, later = rounds
    assert excluded_by_reorganisation(first, later) == len(CUMBRIA) + len(SOMERSET) + len(SUCCESSORS)
    page = client_for(national_admin).get(f"/rounds/{later.pk}/report/", {"compare": first.pk}).content.decode()
    assert "14 councils that submitted to one round did not exist for the other" in page
    assert "of 2 that gave a level in both rounds" in page  # the two continuing councils


def test_exports_give_the_code_at_the_time_and_the_current_successors(client_for, national_admin, rounds):
    response = client_for(national_admin).get(f"/rounds/{rounds[0].pk}/returns.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    codes = {(row["gss_code"], row["current_gss_code"]) for row in rows}
    assert ("E07000026", "E06000063") in codes  # Allerdale, now Cumberland
    assert ("E10000006", "E06000063;E06000064") in codes  # Cumbria, split in two
    assert ("E06000022", "E06000022") in codes  # Bath and North East Somerset, unchanged


def test_a_reorganisation_recorded_on_the_pages_shows_on_the_successors_dashboard(
    client_for, national_admin, council_a, editor
):
    brook = make_organisation("Brook", region=council_a.region)
    earlier = make_open_round(council_a, brook, name="2025 diagnostic")
    submit(earlier, {council_a.gss_code: 2, brook.gss_code: 4}, national_admin)
    today = datetime.date.today()
    text = "predecessor,successor,effective_date,successor_name,successor_type\n" + "".join(
        f"{code},PROV-ALDERBROOK,{today},Alderbrook,district_council\n" for code in [council_a.gss_code, brook.gss_code]
    )
    client_for(national_admin).post("/reorganisations/", {"changes": text, "confirmed": "true"})
    successor = Organisation.objects.get(gss_code="PROV-ALDERBROOK")
    later = make_open_round(successor, name="2027 diagnostic")  # opens after the successor starts
    page = client_for(editor).get(f"/organisations/PROV-ALDERBROOK/rounds/{later.pk}/dashboard/").content.decode()
    assert "Predecessor Alderley: 2025 diagnostic: Developing" in page
    assert "Predecessor Brook: 2025 diagnostic: Leader" in page
