"""The case-study library: the public reads published case studies; the national team writes and publishes."""

import pytest
from django.test import Client

from nps.community.case_studies import create_case_study, publish_case_study
from nps.community.models import CaseStudy
from nps.organisations.models import Kind
from nps.testing import load_nps_2018, make_organisation, make_region

from .conftest import INDEX, OTHER_INDEX

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def strategy(db):
    return load_nps_2018()


def write(title, *, indices=(INDEX,), published=True, **values):
    case_study = create_case_study(
        {"title": title, "summary": f"Summary of {title}", "body": "First.\n\nSecond.", **values},
        list(indices),
        by=None,
    )
    if published:
        publish_case_study(case_study, by=None)
    return case_study


def titles(html):
    return [title for title in ["Training members", "Social value", "London story", "Unfinished"] if title in html]


@pytest.fixture
def library(council_a):
    london = make_organisation("Camden", Kind.LONDON_BOROUGH, make_region("London", "E12000007"))
    write("Training members", organisation=council_a, level_reached=4)
    write("Social value", indices=[OTHER_INDEX], organisation=council_a, level_reached=5)
    write("London story", indices=[INDEX, OTHER_INDEX], organisation=london, level_reached=4)
    write("Unfinished", published=False, organisation=council_a)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Training members", "Social value", "London story"]),
        (f"index={INDEX}", ["Training members", "London story"]),
        ("level=5", ["Social value"]),
        ("kind=london_borough", ["London story"]),
        ("region=E12000002", ["Training members", "Social value"]),  # North West
        (f"index={OTHER_INDEX}&level=4", ["London story"]),
        ("q=social", ["Social value"]),
        ("q=nothing+like+this", []),
    ],
)
def test_the_public_filters_published_case_studies(library, query, expected):
    html = Client().get(f"/case-studies/?{query}").content.decode()
    assert titles(html) == expected


def test_the_public_reads_a_published_case_study_but_not_a_draft(library, client_for, editor):
    published = CaseStudy.objects.get(title="Training members")
    html = Client().get(f"/case-studies/{published.slug}/").content.decode()
    assert '<p class="govuk-body">First.</p>' in html and "Engaging councillors" in html and "Leader" in html
    draft = CaseStudy.objects.get(title="Unfinished")
    assert Client().get(f"/case-studies/{draft.slug}/").status_code == 404
    assert client_for(editor).get(f"/case-studies/{draft.slug}/").status_code == 404


def test_the_body_is_text_never_markup(client_for, national_admin):
    study = write("Safe", body="<script>alert(1)</script>\n\n[link](javascript:alert(1))")
    html = Client().get(f"/case-studies/{study.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_editor", "group_lead"])
def test_only_the_national_team_writes_case_studies(request, client_for, library, persona):
    client = client_for(request.getfixturevalue(persona))
    draft = CaseStudy.objects.get(title="Unfinished")
    for url in ["/community/case-studies/", "/community/case-studies/new/", f"/community/case-studies/{draft.pk}/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/community/case-studies/{draft.pk}/publish/", {"action": "publish"}).status_code == 404
    assert not CaseStudy.objects.get(pk=draft.pk).is_published


def test_the_national_team_writes_edits_and_publishes_a_case_study(client_for, national_admin, council_a):
    client = client_for(national_admin)
    data = {
        "title": "Members as champions",
        "summary": "How Alderley trained its councillors.",
        "body": "One.\n\nTwo.",
        "indices": [INDEX],
        "level_reached": "4",
        "organisation": council_a.gss_code,
        "links": "https://example.com/report",
    }
    assert client.post("/community/case-studies/new/", data).status_code == 302
    study = CaseStudy.objects.get()
    assert (study.slug, study.status, study.organisation, study.index_codes) == (
        "members-as-champions",
        "draft",
        council_a,
        [INDEX],
    )
    assert Client().get("/case-studies/members-as-champions/").status_code == 404
    client.post(f"/community/case-studies/{study.pk}/", {**data, "indices": [INDEX, OTHER_INDEX], "title": "Champions"})
    client.post(f"/community/case-studies/{study.pk}/publish/", {"action": "publish"})
    study.refresh_from_db()
    assert (study.title, study.is_published, study.index_codes) == ("Champions", True, [INDEX, OTHER_INDEX])
    html = Client().get(f"/case-studies/{study.slug}/").content.decode()
    assert "Champions" in html and "https://example.com/report" in html
    client.post(f"/community/case-studies/{study.pk}/publish/", {"action": "unpublish"})
    assert Client().get(f"/case-studies/{study.slug}/").status_code == 404


def test_a_case_study_with_errors_says_so(client_for, national_admin):
    html = (
        client_for(national_admin)
        .post("/community/case-studies/new/", {"title": "", "links": "not a link", "organisation": "E00000000"})
        .content.decode()
    )
    assert "<title>Error: " in html
    assert "Choose at least one index" in html and "Line 1 is not a web address" in html
    assert "No organisation has this GSS code" in html
    assert not CaseStudy.objects.exists()


def test_slugs_stay_unique(library):
    assert write("Training members").slug == "training-members-2"
