import pytest

from nps.assessments.answers import save_answer, submit_return
from nps.assessments.models import Return
from nps.community.exemplars import opt_in
from nps.testing import answer_everything, make_open_round

INDEX = "engaging-councillors"
OTHER_INDEX = "obtaining-social-value"


def submit(council_return, user, *, level=2, target=3, levels=None):
    """Answer every index at level (aiming for target), some indices as levels says ({code: (level, target)}),
    then submit."""
    answer_everything(council_return, user, level=level, target=target)
    for code, (current, aim) in (levels or {}).items():
        answer = council_return.answers.get(index__code=code)
        save_answer(answer, {"current_level": current, "target_level": aim}, expected_version=answer.version, by=user)
    submit_return(council_return, by=user)


def return_of(round_, organisation):
    return Return.objects.select_related("organisation__region", "round").get(round=round_, organisation=organisation)


@pytest.fixture
def diagnostic(council_a, council_b):
    """An open national round inviting councils A and B."""
    return make_open_round(council_a, council_b)


@pytest.fixture
def exemplar_a(diagnostic, council_a, editor):
    """Council A submitted Leader in engaging councillors (Developing elsewhere) and offers help there."""
    submit(return_of(diagnostic, council_a), editor, levels={INDEX: (4, 4)})
    opt_in(
        council_a,
        [INDEX],
        contact_name="Alice Alderley",
        contact_email="alice@alderley.example",
        note="Our member training programme.",
        by=editor,
    )
    return council_a


@pytest.fixture
def gap_b(diagnostic, council_b, other_editor):
    """Council B's return aims above its current level everywhere (Developing, aiming for Mature)."""
    council_return = return_of(diagnostic, council_b)
    answer_everything(council_return, other_editor, level=2, target=3)
    return council_return
