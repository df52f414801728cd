"""Living strategy: a new version that retires, replaces, merges, splits and rewords; the diff; carry-forward."""

import pytest

from nps.assessments.answers import save_answer, submit_return
from nps.assessments.models import Answer, Return
from nps.frameworks.diff import diff_versions
from nps.frameworks.exporter import export_framework
from nps.frameworks.lineage import ReplacementKind
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion
from nps.frameworks.queries import forward_codes
from nps.frameworks.schema import FrameworkFileError, read_framework
from nps.frameworks.snapshots import version_indices
from nps.testing import answer_everything, load_nps_2018, make_open_round, nps_2026_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    return load_nps_2018(), load_framework_file(nps_2026_text())


def test_a_following_version_records_its_replacements(versions):
    _, later = versions
    assert later.parent.code == "2018"
    assert set(later.replacements.values_list("retired_code", "successor_code")) == {
        ("developing-talent", "growing-talent"),
        ("engaging-smes", "local-economy"),
        ("enabling-vcse-engagement", "local-economy"),
        ("managing-strategic-risk", "supplier-risk"),
        ("managing-strategic-risk", "market-risk"),
    }


def test_the_diff_lists_added_retired_replaced_and_reworded(versions):
    earlier, later = versions
    diff = diff_versions(
        version_indices(earlier),
        version_indices(later),
        list(later.replacements.values_list("retired_code", "successor_code")),
    )
    assert {index.code for index in diff.added} == {"growing-talent", "local-economy", "supplier-risk", "market-risk"}
    assert {(r.code, r.kind, r.successors) for r in diff.retired} == {
        ("developing-talent", ReplacementKind.REPLACED, ("growing-talent",)),
        ("engaging-smes", ReplacementKind.MERGED, ("local-economy",)),
        ("enabling-vcse-engagement", ReplacementKind.MERGED, ("local-economy",)),
        ("managing-strategic-risk", ReplacementKind.SPLIT, ("market-risk", "supplier-risk")),
    }
    [(reworded, changes)] = diff.reworded
    assert reworded.code == "working-with-partners"
    assert [change.label for change in changes] == ["Description", "Level: Mature"]
    assert changes[1].after == "Designing and implementing solutions as a single team in most projects."
    assert len(diff.unchanged) == 9


def test_answers_carry_where_unchanged_or_replaced_one_to_one(versions):
    earlier, later = versions
    assert forward_codes(earlier, later) | {} == {
        **{code: code for code in version_indices(earlier) if code in version_indices(later)},
        "developing-talent": "growing-talent",
    }


def test_a_round_on_the_new_version_is_prefilled_and_flags_changed_descriptors(versions, council_a, editor):
    earlier_version, later_version = versions
    earlier = make_open_round(council_a, version=earlier_version, name="2025 diagnostic")
    council_return = Return.objects.get(round=earlier)
    answer_everything(council_return, editor, level=3, target=4)
    talent = council_return.answers.get(index__code="developing-talent")
    save_answer(talent, {"current_level": 4}, expected_version=talent.version, by=editor)
    submit_return(council_return, by=editor)
    later = make_open_round(council_a, version=later_version, name="2026 diagnostic", prefill_from=earlier)
    answers = {a.index.code: a for a in Answer.objects.filter(council_return__round=later).select_related("index")}
    assert answers["growing-talent"].current_level == 4 and answers["growing-talent"].needs_review
    assert answers["engaging-councillors"].current_level == 3 and answers["engaging-councillors"].review_note == ""
    assert "descriptors of this index changed" in answers["working-with-partners"].review_note
    for merged_or_split in ["local-economy", "supplier-risk", "market-risk"]:
        assert answers[merged_or_split].current_level is None


def test_the_new_version_round_trips(versions):
    _, later = versions
    assert read_framework(export_framework(later)) == read_framework(nps_2026_text())


FOLLOWS_CASES = [
    (
        "a retired index with no replacement stated",
        lambda text: text.replace("- retired: developing-talent\n  replaced_by:\n  - growing-talent\n", ""),
        "'developing-talent' of National Procurement Strategy for Local Government in England 2018 is not in this "
        "version: say what replaces it",
    ),
    (
        "a mapping that points at a missing index",
        lambda text: text.replace("  - growing-talent\n", "  - no-such-index\n"),
        "replaced_by 'no-such-index' is not an index of this version",
    ),
    (
        "a retired index that is still there",
        lambda text: text.replace("- retired: developing-talent", "- retired: engaging-councillors"),
        "'engaging-councillors' is still an index of this version",
    ),
    (
        "following a version that does not exist",
        lambda text: text.replace("version: '2018'", "version: '2017'"),
        "version.follows: there is no version '2017' of 'nps'",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), FOLLOWS_CASES, ids=[c[0] for c in FOLLOWS_CASES])
def test_a_malformed_following_version_is_refused_whole(case, change, message):
    load_nps_2018()
    text = change(nps_2026_text())
    assert text != nps_2026_text()
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert message in str(error.value)
    assert not FrameworkVersion.objects.filter(code="2026").exists()


def test_a_version_cannot_follow_a_draft():
    from nps.testing import NPS_2018_FILE

    load_framework_file(NPS_2018_FILE.read_text().replace("status: published", "status: draft"))
    with pytest.raises(FrameworkFileError, match="is not published: only a published version can be followed"):
        load_framework_file(nps_2026_text())


def test_progress_and_movement_follow_one_to_one_replacements(versions, council_a, editor, national_admin, client_for):
    from nps.insights.figures import movement_between

    earlier_version, later_version = versions
    earlier = make_open_round(council_a, version=earlier_version, name="2025 diagnostic")
    later = make_open_round(council_a, version=later_version, name="2026 diagnostic")
    for round_, level in [(earlier, 2), (later, 3)]:
        council_return = Return.objects.get(round=round_, organisation=council_a)
        answer_everything(council_return, editor, level=level, target=4)
        submit_return(council_return, by=editor)
    movement = movement_between(earlier, later)
    assert movement["growing-talent"].up == 1 and movement["engaging-councillors"].up == 1
    assert "local-economy" not in movement and "developing-talent" not in movement
    url = f"/organisations/{council_a.gss_code}/rounds/{later.pk}/dashboard/"
    html = client_for(editor).get(url).content.decode()
    talent_row = html.split("Growing talent</th>")[1].split("</tr>")[0]
    assert "2025 diagnostic: Developing" in talent_row and "Up 1" in talent_row
    report = client_for(national_admin).get(f"/rounds/{later.pk}/report/", {"compare": earlier.pk}).content.decode()
    assert "Movement is shown for the 11 indices both versions share" in report
