"""Regional strategies derived from the national one: extra indices, retired ones, priorities, rounds and rebasing."""

import pytest

from nps.assessments.models import Return, Round
from nps.assessments.rounds import create_round, open_round
from nps.frameworks.exporter import export_framework
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.schema import FrameworkFileError, read_framework
from nps.frameworks.services import publish_version, rebase_strategy
from nps.insights.figures import round_figures
from nps.insights.reports import group_figures
from nps.insights.tests.conftest import submit_everything
from nps.testing import load_nps_2018, make_open_round, nps_2026_text, regional_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(group):
    load_nps_2018()
    return load_framework_file(regional_text(group.gss_code))


def test_a_regional_strategy_keeps_national_codes_and_adds_its_own(regional, group):
    codes = list(regional.indices.values_list("code", flat=True))
    assert regional.framework.owner == group and regional.parent.code == "2018"
    assert "engaging-strategic-suppliers" not in codes
    assert codes[-6:-4] == ["modern-slavery", "green-social-value"]
    assert set(regional.indices.filter(is_own=True).values_list("code", flat=True)) == {
        "modern-slavery",
        "green-social-value",
    }
    assert regional.indices.get(code="obtaining-social-value").is_priority
    national = regional.parent.indices.get(code="engaging-councillors")
    inherited = regional.indices.get(code="engaging-councillors")
    assert (inherited.description, inherited.statements.get().descriptors.count()) == (national.description, 5)


def test_a_regional_strategy_round_trips_in_its_compact_form(regional, group):
    exported = export_framework(regional)
    assert "inherit: true" in exported and "derives_from" in exported
    assert read_framework(exported) == read_framework(regional_text(group.gss_code))


DERIVED_CASES = [
    (
        "the parent is not published",
        lambda text: text.replace("version: '2018'", "version: draft-2030"),
        "version.derives_from: Draft is not published: only a published version can be derived from",
    ),
    (
        "an inherited index the parent does not have",
        lambda text: text.replace("- code: engaging-councillors\n", "- code: engaging-aliens\n"),
        "inherit: 'engaging-aliens' is not an index of",
    ),
    (
        "an owner that is not a group",
        lambda text: text.replace("owner: ", "owner: E99999999 #"),
        "framework.owner: there is no group with GSS code 'E99999999'",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), DERIVED_CASES, ids=[c[0] for c in DERIVED_CASES])
def test_a_malformed_regional_strategy_is_refused_whole(group, case, change, message):
    from nps.frameworks.services import create_draft

    create_draft(load_nps_2018(), code="draft-2030", title="Draft", by=None)
    text = change(regional_text(group.gss_code))
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert message in str(error.value)
    assert not FrameworkVersion.objects.filter(framework__owner=group).exists()


def test_members_assess_the_regional_strategy_and_only_the_group_report_shows_its_own_indices(
    regional, group, council_a, national_admin, group_lead
):
    import datetime

    national_round = make_open_round(council_a, name="2026 diagnostic")
    regional_round = create_round(
        name="Regional 2026",
        framework_version=regional,
        opens_on=datetime.date(2026, 11, 2),
        deadline=datetime.date(2027, 1, 31),
        invited_kinds=[council_a.kind],
        run_by=group,
        requires_sign_off=False,
        by=group_lead,
    )
    assert open_round(regional_round, by=group_lead) == 1  # only the group's member
    member_return = Return.objects.get(round=regional_round)
    assert member_return.answers.filter(index__code="modern-slavery").exists()
    submit_everything(regional_round, group_lead, {})
    submit_everything(national_round, national_admin, {})
    group_report = group_figures(Round.objects.get(pk=regional_round.pk), group.gss_code)
    assert group_report.overall["modern-slavery"].n == 1
    national = round_figures(Round.objects.get(pk=national_round.pk))
    assert "modern-slavery" not in national.overall and national.overall["engaging-councillors"].n >= 1


def test_rebasing_onto_a_new_national_version_keeps_the_groups_own_indices(regional):
    later = load_framework_file(nps_2026_text())
    draft = rebase_strategy(regional, later, by=None)
    codes = set(draft.indices.values_list("code", flat=True))
    assert {"modern-slavery", "green-social-value", "growing-talent", "local-economy"} <= codes
    assert "engaging-strategic-suppliers" not in codes  # still retired by the group
    assert draft.parent == later and draft.indices.get(code="obtaining-social-value").is_priority
    publish_version(draft, by=None)
    assert FrameworkVersion.objects.get(pk=draft.pk).is_published
