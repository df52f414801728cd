import pytest

from nps.accounts.models import Role
from nps.assessments.answers import submit_return
from nps.assessments.models import Return
from nps.assessments.reviews import request_review
from nps.frameworks.models import Index
from nps.organisations.models import Kind
from nps.testing import answer_everything, make_open_round, make_organisation, make_user


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


# Peer review (issue 9, part 3) -------------------------------------------------------------------------------------


@pytest.fixture
def council_c(db):
    return make_organisation("Wigan", kind=Kind.METROPOLITAN_DISTRICT)


@pytest.fixture
def reviewer(council_c):
    """Rhea leads procurement at Wigan, the council asked to review council A's answers."""
    return make_user("rhea@wigan.example", organisation=council_c, role=Role.EDITOR, first_name="Rhea")


@pytest.fixture
def reviewer_colleague(council_c):
    """Colin works beside Rhea at Wigan: he was not asked, so he sees nothing of council A."""
    return make_user("colin@wigan.example", organisation=council_c, role=Role.EDITOR, first_name="Colin")


@pytest.fixture
def answered_return(council_return, editor):
    answer_everything(council_return, editor)
    return council_return


@pytest.fixture
def review(answered_return, council_c, reviewer, editor):
    """Council A asks Rhea at Wigan to review two of its answers."""
    indices = list(
        Index.objects.filter(version__code="2018", code__in=["engaging-councillors", "working-with-partners"])
    )
    return request_review(answered_return, council_c, reviewer.email, indices, by=editor)


# Issue 9, parts 1 and 2: the check page and sign-off -----------------------------------------------------------------


@pytest.fixture
def sign_off_return(council_a, council_b):
    """Council A's return to an open round that needs an approver's sign-off, as national rounds do by default."""
    round_ = make_open_round(council_a, council_b, requires_sign_off=True)
    return Return.objects.get(round=round_, organisation=council_a)


@pytest.fixture
def prefilled_return(council_a, editor):
    """Council A's return to a round that starts from its submitted 2025 return: every answer prefilled, unconfirmed."""
    earlier = Return.objects.get(round=make_open_round(council_a, name="2025 diagnostic"))
    answer_everything(earlier, editor)
    submit_return(earlier, by=editor)
    later = make_open_round(council_a, name="2026 diagnostic", prefill_from=earlier.round)
    return Return.objects.get(round=later)
