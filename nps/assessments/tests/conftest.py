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


@pytest.fixture
def submitted_return(council_return, editor, approver):
    """Council A's return, every index answered and submitted by its editor, in a round without sign-off."""
    from nps.assessments.answers import submit_return
    from nps.assessments.models import Round
    from nps.testing import answer_everything

    Round.objects.filter(pk=council_return.round_id).update(requires_sign_off=False)
    council_return.round.refresh_from_db()
    answer_everything(council_return, editor)
    submit_return(council_return, by=editor)
    council_return.refresh_from_db()
    return council_return
