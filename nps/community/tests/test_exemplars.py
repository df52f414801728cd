"""Opting in as an exemplar: only where the latest submitted national level is Leader or Innovator, or the national
team marked the council exemplary."""

import datetime

import pytest

from nps.assessments.answers import save_answer
from nps.assessments.models import Answer
from nps.assessments.rounds import create_round, open_round
from nps.community.exemplars import NotEligible, mark_exemplary, opt_in, remove_mark, withdraw_offer
from nps.community.models import ExemplarOffer
from nps.community.queries import eligibility
from nps.core.models import AuditEvent
from nps.testing import make_open_round

from .conftest import INDEX, return_of, submit

pytestmark = pytest.mark.django_db


def offer(organisation, user, codes=(INDEX,)):
    return opt_in(
        organisation, list(codes), contact_name="Alice", contact_email="Alice@Alderley.example", note="Notes", by=user
    )


@pytest.mark.parametrize(
    ("earlier", "latest", "eligible"),
    [
        (None, 4, True),  # Leader
        (None, 5, True),  # Innovator
        (None, 3, False),  # Mature
        (4, 3, False),  # the latest submitted level counts, not the best
        (3, 5, True),
        (5, None, True),  # not submitted in the latest round: the earlier submitted answer stands
        (None, "not applicable", False),
        (None, None, False),  # nothing submitted at all
    ],
)
def test_eligibility_follows_the_latest_submitted_answer(council_a, editor, earlier, latest, eligible):
    for year, level in [(2025, earlier), (2026, latest)]:
        council_return = return_of(make_open_round(council_a, name=f"{year} diagnostic"), council_a)
        if level == "not applicable":
            answer_everything_and_submit_not_applicable(council_return, editor)
        elif level is not None:
            submit(council_return, editor, levels={INDEX: (level, level)})
        else:
            answer = council_return.answers.get(index__code=INDEX)
            save_answer(answer, {"current_level": 5, "target_level": 5}, expected_version=0, by=editor)  # a draft
    assert eligibility(council_a, [INDEX])[INDEX].eligible is eligible


def answer_everything_and_submit_not_applicable(council_return, user):
    submit(council_return, user)
    Answer.objects.filter(council_return=council_return, index__code=INDEX).update(
        not_applicable=True, not_applicable_reason="Not here", current_level=None
    )


def test_a_regional_round_does_not_make_a_council_eligible(council_a, group, editor, group_lead):
    national = make_open_round(council_a)
    regional = create_round(
        name="Regional 2026",
        framework_version=national.framework_version,
        opens_on=datetime.date(2026, 12, 1),
        deadline=datetime.date(2027, 1, 31),
        invited_kinds=[council_a.kind],
        run_by=group,
        requires_sign_off=False,
        by=None,
    )
    open_round(regional, by=None)
    submit(return_of(regional, council_a), editor, levels={INDEX: (5, 5)})
    assert not eligibility(council_a, [INDEX])[INDEX].eligible


def test_a_council_opts_in_where_it_leads(exemplar_a):
    offer = ExemplarOffer.objects.get()
    assert (offer.organisation, offer.index_code, offer.active) == (exemplar_a, INDEX, True)
    assert AuditEvent.objects.filter(action="exemplar_opted_in", organisation=exemplar_a).exists()


def test_a_council_cannot_opt_in_where_it_does_not_lead(diagnostic, council_a, editor):
    submit(return_of(diagnostic, council_a), editor, levels={INDEX: (4, 4)})
    with pytest.raises(NotEligible) as refused:
        offer(council_a, editor, [INDEX, "obtaining-social-value"])
    assert refused.value.messages == [
        "Alderley can offer help in Obtaining social value only where its latest submitted level is Leader or "
        "Innovator, or the national team has marked it exemplary"
    ]
    assert not ExemplarOffer.objects.exists()


def test_the_national_teams_mark_makes_a_council_eligible(council_a, editor, national_admin):
    mark_exemplary(council_a, INDEX, by=national_admin)
    [made] = offer(council_a, editor)
    assert made.contact_email == "alice@alderley.example"


def test_removing_the_mark_withdraws_an_offer_that_rested_on_it(council_a, editor, national_admin):
    mark = mark_exemplary(council_a, INDEX, by=national_admin)
    offer(council_a, editor)
    remove_mark(mark, by=national_admin)
    assert not ExemplarOffer.objects.get().active


def test_removing_the_mark_keeps_an_offer_the_levels_support(exemplar_a, national_admin):
    remove_mark(mark_exemplary(exemplar_a, INDEX, by=national_admin), by=national_admin)
    assert ExemplarOffer.objects.get().active


def test_opting_in_again_updates_the_offer_and_withdrawing_keeps_it_for_the_record(exemplar_a, editor):
    withdraw_offer(ExemplarOffer.objects.get(), by=editor)
    assert not ExemplarOffer.objects.get().active
    opt_in(exemplar_a, [INDEX], contact_name="Bo", contact_email="bo@alderley.example", note="New", by=editor)
    offer = ExemplarOffer.objects.get()
    assert (offer.active, offer.contact_name, offer.note) == (True, "Bo", "New")
