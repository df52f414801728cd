"""Answer once, carry across: a crosswalk maps one framework's indices to another's; a council's recent answers to an
index mapped as the same start its return on the other framework, and the others show beside it as hints."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from nps.assessments.answers import save_answer, submit_return
from nps.assessments.models import Answer, Return, ReturnStatus
from nps.frameworks.crosswalks import load_crosswalk_file
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import Crosswalk, FrameworkVersion
from nps.frameworks.schema import FrameworkFileError
from nps.testing import PACKAGE_DIR, SAMPLE_FRAMEWORK_FILE, answer_everything, load_nps_2018, make_open_round

pytestmark = pytest.mark.django_db
CROSSWALK_FILE = PACKAGE_DIR / "frameworks" / "tests" / "fixtures" / "nps-2018-to-sample.yaml"


@pytest.fixture
def frameworks():
    nps = load_nps_2018()
    sample = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    return nps, sample


@pytest.fixture
def crosswalk(frameworks):
    return load_crosswalk_file(CROSSWALK_FILE.read_text())


def test_a_crosswalk_file_loads_its_mappings(crosswalk):
    assert str(crosswalk) == "NPS 2018 to the sample commissioning framework"
    found = {(m.source_index.code, m.relation, m.target_index.code) for m in crosswalk.mappings.all()}
    assert found == {
        ("developing-talent", "same", "skills"),
        ("managing-contracts-and-relationships", "broader", "supplier-reviews"),
        ("managing-strategic-risk", "related", "pipeline"),
    }


def test_the_command_loads_a_crosswalk_and_says_what_is_wrong(frameworks, tmp_path, capsys):
    call_command("load_crosswalk", str(CROSSWALK_FILE))
    assert "Loaded NPS 2018 to the sample commissioning framework (3 mappings)." in capsys.readouterr().out
    broken = tmp_path / "broken.yaml"
    broken.write_text(CROSSWALK_FILE.read_text().replace("to: skills", "to: skils"))
    with pytest.raises(CommandError, match=r"mappings\[0\]\.to: no index 'skils' in the version named at to"):
        call_command("load_crosswalk", str(broken))


def problems_in(text):
    with pytest.raises(FrameworkFileError) as refused:
        load_crosswalk_file(text)
    return [str(problem) for problem in refused.value.problems]


def test_a_bad_crosswalk_is_refused_whole_with_every_problem_in_its_place(crosswalk):
    text = CROSSWALK_FILE.read_text()
    text = text.replace("relation: broader", "relation: wider").replace('version: "2018"}', 'version: "2019"}')
    text += "  - {from: managing-strategic-risk, to: skills, relation: same}\n"
    found = problems_in(text)
    assert "from: no framework version nps/2019 is loaded: load it first" in found
    assert "mappings[1].relation: 'wider' must be one of same, narrower, broader, related" in found
    assert crosswalk.mappings.count() == 3  # the loaded one is untouched


def test_one_index_the_same_as_two_is_refused_with_both_places(crosswalk):
    text = CROSSWALK_FILE.read_text() + "  - {from: managing-strategic-risk, to: skills, relation: same}\n"
    assert problems_in(text) == [
        "mappings[3]: makes skills the same as a second index (first at mappings[0]): answers could carry across only "
        "from one"
    ]


def test_a_yaml_mistake_is_reported_where_it_is(frameworks):
    found = problems_in(CROSSWALK_FILE.read_text().replace("to: skills,", "to: 'skills,"))
    assert found[0].startswith("line 7, column 35: is not valid YAML: while scanning a quoted scalar")


@pytest.fixture
def nps_return(council_a, editor, frameworks):
    """Council A's submitted NPS 2018 return, talent at Leader, contracts at Mature."""
    round_ = make_open_round(council_a, name="2026 diagnostic")
    council_return = Return.objects.get(round=round_)
    answer_everything(council_return, editor)
    for code, level in [("developing-talent", 4), ("managing-contracts-and-relationships", 3)]:
        answer = council_return.answers.get(index__code=code)
        save_answer(answer, {"current_level": level, "target_level": 5}, expected_version=answer.version, by=editor)
    submit_return(council_return, by=editor)
    return Return.objects.get(pk=council_return.pk)


def sample_return(council_a):
    sample = FrameworkVersion.objects.get(framework__code="sample")
    return Return.objects.get(round=make_open_round(council_a, version=sample, name="2027 sample"))


def test_an_answer_mapped_as_the_same_starts_the_return_on_the_other_framework(council_a, crosswalk, nps_return):
    council_return = sample_return(council_a)
    assert council_return.status == ReturnStatus.IN_PROGRESS
    skills = council_return.answers.get(index__code="skills")
    assert (skills.current_level, skills.target_level, skills.needs_review) == (4, 5, True)
    assert skills.carried_across
    assert skills.review_note == (
        "Carried across from your 2026 diagnostic return: Developing talent, in National Procurement Strategy for "
        "Local Government in England 2018."
    )
    reviews = council_return.answers.get(index__code="supplier-reviews")  # mapped as broader: not carried
    assert (reviews.current_level, reviews.needs_review) == (None, False)


def test_the_answer_page_labels_the_origin_and_shows_the_others_as_hints(
    client_for, editor, other_editor, council_a, crosswalk, nps_return
):
    council_return = sample_return(council_a)
    base = f"/organisations/{council_a.gss_code}/rounds/{council_return.round_id}/indices/"
    client = client_for(editor)
    assert "Carried across from your 2026 diagnostic return: Developing talent" in client.get(base + "skills/").text
    page = client.get(base + "supplier-reviews/").text
    assert "Your answers on other frameworks" in page
    assert "Managing contracts and relationships, in National Procurement Strategy" in page
    assert "(broader): Mature in your 2026 diagnostic return" in page
    assert client_for(other_editor).get(base + "skills/").status_code == 404


def test_only_recent_answers_carry_across(council_a, crosswalk, nps_return):
    Return.objects.filter(pk=nps_return.pk).update(submitted_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    skills = sample_return(council_a).answers.get(index__code="skills")
    assert (skills.current_level, skills.needs_review) == (None, False)


def test_without_a_crosswalk_nothing_carries(council_a, frameworks, nps_return):
    assert not Crosswalk.objects.exists()
    assert not Answer.objects.filter(council_return=sample_return(council_a), needs_review=True).exists()


def test_the_crosswalks_page_lists_each_mapping(client, crosswalk):
    page = client.get("/strategy/crosswalks/").text
    assert "NPS 2018 to the sample commissioning framework" in page
    assert "A pipeline is one way of seeing strategic risk coming." in page


def test_answers_carry_across_only_between_versions_on_the_same_levels(crosswalk):
    sample = FrameworkVersion.objects.get(framework__code="sample")
    FrameworkVersion.objects.filter(pk=sample.pk).update(levels=sample.levels[:4])
    found = problems_in(CROSSWALK_FILE.read_text())
    assert found == [
        "mappings[0].relation: can be same only between versions on the same levels, or answers would carry across to "
        "a different scale: map it as related"
    ]
