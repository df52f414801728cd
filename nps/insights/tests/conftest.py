import pytest

from nps.accounts.models import User
from nps.assessments.answers import submit_return
from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round
from nps.organisations.models import Kind, Organisation
from nps.testing import answer_everything, make_open_round, make_organisation, make_region


def submit_everything(round_: Round, user: User, levels: dict[str, int]) -> None:
    """Every invited council submits: level per council name (default 2), target one above."""
    for council_return in Return.objects.filter(round=round_).select_related("organisation"):
        level = levels.get(council_return.organisation.name, 2)
        answer_everything(council_return, user, level=level, target=min(level + 1, 5))
        submit_return(council_return, by=user)


@pytest.fixture
def peers(council_a: Organisation) -> list[Organisation]:
    """Six more district councils: four in council A's region, two in another."""
    north, south = council_a.region, make_region("South East", "E12000008")
    return [make_organisation(f"Peer {n}", Kind.DISTRICT_COUNCIL, north) for n in range(4)] + [
        make_organisation(f"Southern {n}", Kind.DISTRICT_COUNCIL, south) for n in range(2)
    ]


@pytest.fixture
def closed_round(council_a, peers, national_admin) -> Round:
    """A closed round in which council A (level 3) and its six peers (levels 1 to 4) submitted."""
    round_ = make_open_round(council_a, *peers, name="2025 diagnostic")
    submit_everything(round_, national_admin, {"Alderley": 3, "Peer 0": 1, "Peer 1": 2, "Peer 2": 4, "Southern 0": 4})
    close_round(round_, by=national_admin)
    return Round.objects.get(pk=round_.pk)


@pytest.fixture
def published_round(closed_round, national_admin) -> Round:
    from nps.insights.publication import publish_results

    publish_results(closed_round, embargo_until=None, by=national_admin)
    return Round.objects.get(pk=closed_round.pk)
