import pytest

from nps.assessments.models import Return
from nps.testing import make_open_round


@pytest.fixture
def council_return(council_a, council_b):
    """Council A's return to an open round that also invites council B."""
    round_ = make_open_round(council_a, council_b)
    return Return.objects.get(round=round_, organisation=council_a)


@pytest.fixture
def return_url(council_return):
    return f"/organisations/{council_return.organisation.gss_code}/rounds/{council_return.round_id}/"
