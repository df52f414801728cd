"""A framework with four levels of its own, loaded from the worked example in docs/framework-format.md (copied to
fixtures/four-levels.yaml), carries a whole round on those levels: the answer page, the check and submission, the
reports, the workbook, the exports and the open data."""

import csv
import io

import pytest
from openpyxl import load_workbook

from nps.assessments.answers import save_answer
from nps.assessments.models import Return, Round
from nps.assessments.rounds import close_round
from nps.frameworks.exporter import export_framework
from nps.frameworks.loader import load_framework_file
from nps.frameworks.schema import FrameworkFileError
from nps.insights.publication import publish_results
from nps.settings import PACKAGE_DIR
from nps.testing import make_open_round

pytestmark = pytest.mark.django_db
FOUR_LEVELS_FILE = PACKAGE_DIR / "frameworks" / "tests" / "fixtures" / "four-levels.yaml"
DOCS = PACKAGE_DIR.parent / "docs" / "framework-format.md"


@pytest.fixture
def version():
    return load_framework_file(FOUR_LEVELS_FILE.read_text())


def test_the_test_file_is_the_worked_example_in_the_docs():
    assert FOUR_LEVELS_FILE.read_text() in DOCS.read_text()


def test_the_strategy_pages_show_its_four_levels(client, version):
    page = client.get("/strategy/versions/commercial-capability/2025/").content.decode()
    assert "The four maturity levels" in page and "<li>Established</li>" in page
    index = client.get("/strategy/versions/commercial-capability/2025/pipeline-planning/").content.decode()
    assert "4 Leading" in index and "Innovator" not in index
    levels = client.get("/api/v1/frameworks/commercial-capability/versions/2025/indices/pipeline-planning").json()
    assert [level["name"] for level in levels["statements"][0]["levels"]] == [
        "Emerging",
        "Developing",
        "Established",
        "Leading",
    ]


def test_the_file_loads_with_its_four_levels_and_exports_them_back(version):
    assert [level.name for level in version.scale.levels] == ["Emerging", "Developing", "Established", "Leading"]
    descriptors = version.indices.get(code="pipeline-planning").statements.get().descriptors.all()
    assert [descriptor.level for descriptor in descriptors] == [1, 2, 3, 4]
    exported = export_framework(version)
    assert "- code: emerging\n  name: Emerging" in exported
    assert "leading: The plan is published" in exported


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda text: text.replace("  - {code: leading, name: Leading}\n", "").replace(
                "  - {code: established", "  #"
            ),
            "levels: has 2 levels: give 3 to 7, lowest first",
        ),
        (
            lambda text: text.replace("leading: The plan", "innovator: The plan"),
            "themes[0].key_areas[0] (pipeline-planning).levels.innovator: unknown field",
        ),
        (
            lambda text: text.replace("code: developing, name", "code: emerging, name"),
            "levels[1].code (line 11): duplicate level code 'emerging'",
        ),
    ],
)
def test_a_file_with_wrong_levels_is_refused_with_the_place(change, problem):
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(change(FOUR_LEVELS_FILE.read_text()))
    assert problem in [str(found) for found in error.value.problems]


def test_a_version_that_follows_it_keeps_its_levels(version):
    text = (
        FOUR_LEVELS_FILE.read_text()
        .replace('code: "2025"', 'code: "2026"\n  follows: {framework: commercial-capability, version: "2025"}')
        .replace("{code: leading, name: Leading}", "{code: leading, name: Leader}")
    )
    with pytest.raises(FrameworkFileError, match="levels: must be the levels of Commercial capability framework 2025"):
        load_framework_file(text)


def answer_on_the_page(client, url, values):
    return client.post(url, {"version": 0, "confidence": "medium", "evidence": "Our plan.", **values})


def test_a_whole_round_on_four_levels(
    client_for, version, council_a, council_b, editor, other_editor, national_admin, settings
):
    settings.MINIMUM_GROUP_SIZE = 2
    round_ = make_open_round(council_a, council_b, version=version)
    client = client_for(editor)
    return_url = f"/organisations/{council_a.gss_code}/rounds/{round_.pk}/"

    page = client.get(return_url + "indices/pipeline-planning/").content.decode()
    assert "4 Leading" in page and "Innovator" not in page
    response = answer_on_the_page(client, return_url + "indices/pipeline-planning/", {"current_level": 5})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()  # there is no level 5
    answer_on_the_page(client, return_url + "indices/pipeline-planning/", {"current_level": 3, "target_level": 4})
    page = client.get(return_url + "indices/pipeline-planning/").content.decode()
    assert "The next level up: Leading" in page

    skills = Return.objects.get(round=round_, organisation=council_a).answers.get(index__code="commercial-skills")
    statements = {s.pk: level for s, level in zip(skills.index.statements.all(), (1, 2), strict=True)}
    values = {"current_level": 1, "target_level": 3, "confidence": "low", "evidence": "Training records."}
    save_answer(skills, values, expected_version=skills.version, by=editor, statement_levels=statements)
    check = client.get(return_url + "submit/").content.decode()
    assert "Established" in check and "Leading" in check
    client.post(return_url + "submit/", {"submit": "1"})
    assert Return.objects.get(round=round_, organisation=council_a).status == "submitted"

    other = Return.objects.get(round=round_, organisation=council_b)
    for answer in other.answers.select_related("index"):
        many = {s.pk: 4 for s in answer.index.statements.all()} if answer.index.statements.count() > 1 else None
        save_answer(
            answer,
            {"current_level": 4, "target_level": 4, "confidence": "high", "evidence": "All of it."},
            expected_version=answer.version,
            by=other_editor,
            statement_levels=many,
        )
    client_for(other_editor).post(f"/organisations/{council_b.gss_code}/rounds/{round_.pk}/submit/", {"submit": "1"})
    close_round(Round.objects.get(pk=round_.pk), by=national_admin)

    report = client_for(national_admin).get(f"/rounds/{round_.pk}/report/").content.decode()
    assert "Established" in report and "Leading" in report and "Innovator" not in report
    assert "England: median Established, 100% at Established or above (n=2)" in report
    api_report = client_for(national_admin).get(f"/api/v1/rounds/{round_.pk}/report").json()
    assert list(api_report["indices"][0]["lines"][0]["counts"]) == ["1", "2", "3", "4"]

    workbook = load_workbook(io.BytesIO(client.get(return_url + "workbook.xlsx").content))
    lists = [validation.formula1 for validation in workbook["Answers"].data_validations.dataValidation]
    assert '"1 Emerging,2 Developing,3 Established,4 Leading"' in lists
    assert workbook["Answers"]["C2"].value == "3 Established"
    headings = [cell.value for cell in workbook["Descriptors"][1]]
    assert headings[3:7] == ["1 Emerging", "2 Developing", "3 Established", "4 Leading"]

    exported = csv.DictReader(io.StringIO(b"".join(client.get(return_url + "export.csv").streaming_content).decode()))
    assert {row["index_code"]: row["current_level_name"] for row in exported}["pipeline-planning"] == "Established"

    publish_results(Round.objects.get(pk=round_.pk), embargo_until=None, by=national_admin)
    response = client_for(national_admin).get(f"/results/{round_.pk}/figures.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    columns = list(rows[0])
    assert [name for name in columns if name.endswith("_count") and "assess" not in name][-4:] == [
        "emerging_count",
        "developing_count",
        "established_count",
        "leading_count",
    ]
    england = next(row for row in rows if row["index_code"] == "pipeline-planning" and row["scope"] == "National")
    assert (england["established_count"], england["leading_count"], england["median_level"]) == (
        "1",
        "1",
        "Established",
    )
