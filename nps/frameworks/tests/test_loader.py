import pytest

from nps.frameworks.exporter import export_framework
from nps.frameworks.levels import Level
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import FrameworkVersion, Index, IndexKind, LevelDescriptor, PublishedVersionError
from nps.frameworks.schema import FrameworkFileError, decoded, read_framework
from nps.frameworks.tests.files import MINIMAL, REFUSED
from nps.testing import NPS_2018_FILE, SAMPLE_FRAMEWORK_FILE, load_nps_2018, nps_2026_text

pytestmark = pytest.mark.django_db


def test_nps_2018_loads_three_themes_ten_key_areas_four_enablers_with_five_levels_each():
    version = load_nps_2018()
    assert version.is_published
    assert [theme.title for theme in version.themes.all()] == [
        "Showing leadership",
        "Behaving commercially",
        "Achieving community benefits",
    ]
    assert version.indices.filter(kind=IndexKind.KEY_AREA).count() == 10
    assert version.indices.filter(kind=IndexKind.ENABLER).count() == 4
    for index in version.indices.prefetch_related("statements__descriptors"):
        levels = [d.level for s in index.statements.all() for d in s.descriptors.all()]
        assert levels == list(Level), index.code
        assert index.description and index.what_it_is and index.why_it_is_important


def test_reconstructed_text_is_marked_where_the_source_was_damaged():
    version = load_nps_2018()
    senior_managers = version.indices.get(code="engaging-senior-managers")
    assert "description" in senior_managers.reconstructed
    reconstructed_levels = LevelDescriptor.objects.filter(
        statement__index=senior_managers, reconstructed=True
    ).values_list("level", flat=True)
    assert sorted(reconstructed_levels) == [2, 3, 4, 5]
    councillors = version.indices.get(code="engaging-councillors")
    assert councillors.reconstructed == []
    assert not LevelDescriptor.objects.filter(statement__index=councillors, reconstructed=True).exists()
    for enabler in version.indices.filter(kind=IndexKind.ENABLER):
        assert "description" in enabler.reconstructed


def test_exporting_nps_2018_gives_back_an_equivalent_file():
    exported = export_framework(load_nps_2018())
    assert read_framework(exported) == read_framework(NPS_2018_FILE.read_text())


def test_a_framework_with_several_statements_per_index_round_trips():
    version = load_framework_file(SAMPLE_FRAMEWORK_FILE.read_text())
    pipeline = version.indices.get(code="pipeline")
    assert [s.text for s in pipeline.statements.all()] == ["The pipeline is published", "The pipeline drives planning"]
    skills = version.indices.get(code="skills")
    assert skills.is_priority and skills.kind == IndexKind.ENABLER
    assert LevelDescriptor.objects.get(statement__index=skills, level=Level.INNOVATOR).reconstructed
    assert read_framework(export_framework(version)) == read_framework(SAMPLE_FRAMEWORK_FILE.read_text())


def test_a_published_version_cannot_change():
    version = load_nps_2018()
    index = version.indices.first()
    index.title = "Something else"
    with pytest.raises(PublishedVersionError):
        index.save()
    with pytest.raises(PublishedVersionError):
        index.delete()
    version.title = "Renamed"
    with pytest.raises(PublishedVersionError):
        version.save()
    assert Index.objects.get(pk=index.pk).title != "Something else"


def test_the_same_version_cannot_be_loaded_twice():
    load_nps_2018()
    with pytest.raises(FrameworkFileError) as error:
        load_nps_2018()
    assert "version '2018' of 'nps' already exists" in str(error.value)
    assert FrameworkVersion.objects.count() == 1


MALFORMED = [
    (
        "missing level",
        MINIMAL.replace(" innovator: e", ""),
        "themes[0].key_areas[0] (area).levels.innovator: level is missing",
    ),
    (
        "empty level text",
        MINIMAL.replace("leader: d", 'leader: ""'),
        "themes[0].key_areas[0] (area).levels.leader: is empty",
    ),
    (
        "empty description",
        MINIMAL.replace("description: D.", "description: '  '"),
        "themes[0].key_areas[0] (area).description: is empty",
    ),
    (
        "duplicate code",
        MINIMAL + MINIMAL[MINIMAL.index("      - code: area") :],
        "themes[0].key_areas[1].code (line 15): duplicate index code 'area': first given at "
        "themes[0].key_areas[0].code (line 9)",
    ),
    (
        "unknown reference",
        MINIMAL.replace("levels: {", "reconstructed: [colour]\n        levels: {"),
        "themes[0].key_areas[0] (area).reconstructed: 'colour' is not a field of this item",
    ),
    (
        "wrong type",
        MINIMAL.replace("key_areas:\n", "key_areas: 3\n").split("      - code: area")[0],
        "themes[0].key_areas: must be a list, not a number",
    ),
    (
        "a mapping for a text",
        MINIMAL.replace("title: Area", "title: {name: Area}"),
        "themes[0].key_areas[0] (area).title: must be text, not a mapping (put it in quotes)",
    ),
    (
        "version code as a number",
        MINIMAL.replace('code: "1"', "code: 1"),
        "version.code: must be text, not a number (put it in quotes)",
    ),
    (
        "unknown field",
        MINIMAL.replace("title: Area", "title: Area\n        colour: red"),
        "themes[0].key_areas[0].colour: unknown field",
    ),
    ("wrong format", MINIMAL.replace("nps-framework/1", "nps-framework/9"), "format: must be 'nps-framework/1'"),
    (
        "bad code",
        MINIMAL.replace("code: area", "code: Area Two"),
        "themes[0].key_areas[0].code: 'Area Two' must be lower-case letters, digits and hyphens",
    ),
    (
        "levels and statements",
        MINIMAL.replace("levels: {", "statements: []\n        levels: {"),
        "give either levels or statements, not both",
    ),
    ("not YAML", "format: [unclosed", "is not valid YAML"),
    ("YAML aliases", MINIMAL.replace("description: D.", "description: &d D.\n        extra: *d"), "uses YAML aliases"),
    ("no indices", MINIMAL.split("    key_areas:")[0] + "    key_areas: []\n", "file: has no key areas or enablers"),
]


@pytest.mark.parametrize(("case", "text", "message"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_is_refused_whole_with_its_own_error(case, text, message):
    load_framework_file(MINIMAL.replace("tiny", "tiny-ok"))
    versions_before = FrameworkVersion.objects.count()
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert message in str(error.value)
    assert FrameworkVersion.objects.count() == versions_before
    assert not FrameworkVersion.objects.filter(framework__code="tiny").exists()


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_the_database_or_the_reader_could_not_take_is_refused_with_its_place(case):
    data, problem = REFUSED[case]
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(decoded(data))
    assert [str(found) for found in error.value.problems] == [problem]
    assert not FrameworkVersion.objects.exists()


@pytest.mark.parametrize(
    ("mistake", "problem"),
    [
        (
            'title: "Area',
            "line 10, column 16: is not valid YAML: while scanning a quoted scalar, found unexpected end of stream "
            "at line 15, column 1",
        ),
        (
            "title: [Area, Another",
            "line 10, column 16: is not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':' "
            "at line 11, column 20",
        ),
    ],
)
def test_a_syntax_error_is_reported_where_the_mistake_starts(mistake, problem):
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(MINIMAL.replace("title: Area", mistake))
    assert [str(found) for found in error.value.problems] == [problem]


def test_a_statement_code_given_twice_is_reported_at_both_places():
    statements = """statements:
          - {code: s-one, text: One, levels: {minimum: a, developing: b, mature: c, leader: d, innovator: e}}
          - {code: s-one, text: Two, levels: {minimum: a, developing: b, mature: c, leader: d, innovator: e}}"""
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(
            MINIMAL.replace("levels: {minimum: a, developing: b, mature: c, leader: d, innovator: e}", statements)
        )
    assert [str(found) for found in error.value.problems] == [
        "themes[0].key_areas[0] (area).statements[1].code (line 16): duplicate statement code 's-one': "
        "first given at themes[0].key_areas[0] (area).statements[0].code (line 15)"
    ]


def test_a_key_given_twice_is_refused_wherever_it_is():
    text = MINIMAL.replace("framework: {code: tiny, title: Tiny}", "framework: {code: tiny, title: Tiny, code: small}")
    with pytest.raises(
        FrameworkFileError,
        match="line 3, column 38: gives 'code' a second time in the same mapping \\(first on line 3\\)",
    ):
        load_framework_file(text)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!int 0x", "'0x' cannot be read as int"),
        ("!!float many", "'many' cannot be read as float"),
        ("!!timestamp 2018-01-01T25:00:00", "'2018-01-01T25:00:00' is not a date that exists (hour must be in 0..23)"),
    ],
)
def test_a_value_its_tag_cannot_hold_is_refused(value, problem):
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(MINIMAL.replace("title: Area", f"title: {value}"))
    assert problem in str(error.value) and "line 10, column 16" in str(error.value)


def test_every_string_fits_its_column():
    too_long = {"framework": "f" * 61, "version": "1" * 41, "theme": "Theme " * 42, "statement": "s" * 81}
    text = (
        MINIMAL.replace("code: tiny", f"code: {too_long['framework']}")
        .replace('code: "1"', f'code: "{too_long["version"]}"')
        .replace("title: Theme", f"title: {too_long['theme']}")
        .replace(
            "levels: {",
            f"statements:\n          - code: {too_long['statement']}\n            text: T.\n            levels: {{",
        )
    )
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert [problem.place for problem in error.value.problems] == [
        "framework.code",
        "version.code",
        "themes[0].title",
        "themes[0].key_areas[0] (area).statements[0].code",
    ]


def test_an_index_retired_twice_or_replaced_twice_by_one_successor_is_refused(national_admin):
    load_nps_2018()
    text = nps_2026_text().replace(
        "replaced_by:\n  - growing-talent", "replaced_by:\n  - growing-talent\n  - growing-talent"
    )
    text += "- retired: engaging-smes\n  replaced_by:\n  - local-economy\n"
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert [str(problem) for problem in error.value.problems] == [
        "replacements[0].replaced_by: names the same index twice",
        "replacements[4].retired: 'engaging-smes' is retired in an earlier entry too: give one entry for it",
    ]


def test_every_problem_in_a_file_is_listed_at_once():
    text = (
        MINIMAL.replace(" innovator: e", "")
        .replace("description: D.", "description: ''")
        .replace('code: "1"', "code: 1")
    )
    with pytest.raises(FrameworkFileError) as error:
        load_framework_file(text)
    assert len(error.value.problems) == 3


def test_the_file_in_the_repository_is_the_one_the_tests_load():
    assert NPS_2018_FILE.name == "nps-2018.yaml"
    assert "format: nps-framework/1" in NPS_2018_FILE.read_text()
