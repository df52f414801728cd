"""The disclosure audit: everything published for a round, read back from what the app serves (the open data, every
group's report and councils' dashboards), gives no figure about fewer than the minimum number of councils, however
its figures are added and subtracted. Run on the real councils and on randomised ones."""

import json
import random
from collections import defaultdict

import pytest
from django.test import Client

from nps.accounts.services import create_api_token
from nps.assessments.models import Answer, Return, ReturnStatus, Round
from nps.assessments.rounds import close_round
from nps.insights.publication import publish_results
from nps.insights.tests.audit import problems
from nps.organisations.loader import load_organisations
from nps.organisations.models import KIND_PLURALS, Kind, Organisation, Region
from nps.testing import make_open_round, make_organisation, make_user

pytestmark = pytest.mark.django_db

MINIMUM = 5


def submitted_round(councils: list[Organisation], rate: float, seed: int) -> Round:
    """A closed, published national round in which about `rate` of the councils submitted random levels."""
    chance = random.Random(seed)
    round_ = make_open_round(*councils, name="2025 diagnostic")
    submitting = [council_return for council_return in round_.returns.all() if chance.random() < rate]
    for council_return in submitting:
        level = chance.randint(1, 5)
        Answer.objects.filter(council_return=council_return).update(current_level=level, target_level=level)
        Answer.objects.filter(council_return=council_return, index__position=chance.randint(1, 14)).update(
            not_applicable=True, not_applicable_reason="Not ours", current_level=None
        )
    Return.objects.filter(pk__in=[r.pk for r in submitting]).update(status=ReturnStatus.SUBMITTED)
    Round.objects.filter(pk=round_.pk).update(results_version=1)
    admin = make_user("audit@national.example", is_national_admin=True)
    close_round(Round.objects.get(pk=round_.pk), by=admin)
    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=admin)
    return Round.objects.get(pk=round_.pk)


def api(user_email: str = "reader@national.example") -> Client:
    admin = make_user(user_email, is_national_admin=True)
    return Client(headers={"Authorization": f"Bearer {create_api_token(admin, 'Audit')}"})


def get(client: Client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    return json.loads(response.content)


class Population:
    """The councils behind each published group's figures, by the names the outputs give them."""

    def __init__(self, round_: Round) -> None:
        submitted = Organisation.objects.filter(returns__round=round_, returns__status=ReturnStatus.SUBMITTED)
        self.councils = {o.pk: o for o in submitted.select_related("region").prefetch_related("groups")}

    def where(self, test) -> frozenset[int]:
        return frozenset(pk for pk, council in self.councils.items() if test(council))

    def public(self, scope: str, name: str) -> frozenset[int]:
        if scope == "England":
            return self.where(lambda council: True)
        if scope == "Region":
            return self.where(lambda council: council.region and council.region.name == name)
        return self.where(lambda council: Kind(council.kind).label == name)

    def in_group(self, group: Organisation, scope: str, name: str) -> frozenset[int]:
        members = self.where(lambda council: group in council.groups.all())
        if scope == "Group":
            return members
        return frozenset(pk for pk in members if Kind(self.councils[pk].kind).label == name)

    def peer(self, council: Organisation, name: str) -> frozenset[int]:
        if name == "England":
            return self.where(lambda other: True)
        if name == KIND_PLURALS[Kind(council.kind)]:
            return self.where(lambda other: other.kind == council.kind)
        return self.where(lambda other: other.region_id == council.region_id)


def published(round_: Round, dashboards: int = 40) -> dict[str, frozenset[int]]:
    """Every group whose figures anyone outside the national team sees, read from the outputs themselves."""
    client, population = api(), Population(round_)
    shown: dict[str, frozenset[int]] = {}
    for row in get(client, f"/api/v1/results/{round_.pk}")["figures"]:
        if not row["suppressed"]:
            shown[f"{row['scope']} {row['group']}"] = population.public(row["scope"], row["group"])
    for group in Organisation.objects.groups().filter(members__in=population.councils).distinct():
        for report in get(client, f"/api/v1/groups/{group.gss_code}/rounds/{round_.pk}/report")["indices"]:
            for line in report["lines"]:
                if not line["suppressed"]:
                    shown[f"{group.name}: {line['group']}"] = population.in_group(group, line["scope"], line["group"])
    for council in random.Random(round_.pk).sample(list(population.councils.values()), dashboards):
        dashboard = get(client, f"/api/v1/organisations/{council.gss_code}/rounds/{round_.pk}/dashboard")
        for peer in dashboard["indices"][0]["peers"]:
            if not peer["suppressed"]:
                shown[f"peers {peer['group']}"] = population.peer(council, peer["group"])
    return shown


@pytest.fixture
def real_councils(db) -> list[Organisation]:
    load_organisations()
    return list(Organisation.objects.current().councils())


@pytest.mark.parametrize(("rate", "seed"), [(1.0, 1), (0.6, 2), (0.3, 3)])
def test_nothing_published_for_the_real_councils_can_be_differenced_down_to_a_few(real_councils, rate, seed):
    round_ = submitted_round(real_councils, rate, seed)
    groups = published(round_)
    assert "Region London" in groups or "Council type London borough" in groups  # something of London is shown
    assert problems(groups, MINIMUM) == []


def randomised_councils(seed: int) -> list[Organisation]:
    """Councils with random types and regions, in overlapping groups of random members."""
    chance = random.Random(seed)
    regions = [Region.objects.create(code=f"E1299{number:04d}", name=f"Region {number}") for number in range(5)]
    kinds = [Kind.COUNTY_COUNCIL, Kind.DISTRICT_COUNCIL, Kind.UNITARY_AUTHORITY, Kind.LONDON_BOROUGH]
    councils = [
        make_organisation(f"Council {number}", chance.choice(kinds), chance.choice(regions)) for number in range(90)
    ]
    for number in range(6):
        group = make_organisation(f"Group {number}", Kind.PROCUREMENT_GROUP, chance.choice(regions))
        group.members.add(*chance.sample(councils, chance.randint(2, 14)))
    return councils


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_nothing_published_for_randomised_councils_can_be_differenced_down_to_a_few(seed):
    round_ = submitted_round(randomised_councils(seed), 0.7, seed)
    assert problems(published(round_, dashboards=20), MINIMUM) == []


def test_the_audit_finds_what_suppressing_each_breakdown_alone_would_give_away(real_councils):
    """The check that fails on the old rule: a region less a council type wholly inside it."""
    round_ = submitted_round(real_councils, 1.0, 1)
    population = Population(round_)
    groups = defaultdict(frozenset)
    groups["England"] = population.public("England", "")
    for scope, names in [("Region", {"London"}), ("Council type", {"London borough"})]:
        for name in names:
            groups[name] = population.public(scope, name)
    assert "London less London borough involves 1 councils" in problems(dict(groups), MINIMUM)
