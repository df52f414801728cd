import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nps.accounts.models import Role
from nps.accounts.services import create_api_token
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import Framework, FrameworkVersion, Index, Replacement
from nps.frameworks.schema import read_framework
from nps.frameworks.services import create_draft, derive_strategy, make_current
from nps.frameworks.tests.files import REFUSED
from nps.organisations.models import Kind
from nps.testing import NPS_2018_FILE, load_nps_2018, make_organisation, make_user, nps_2026_text

pytestmark = pytest.mark.django_db
API = "/api/v1/frameworks"
DRAFT = API + "/nps/versions/2026"
LEVELS = [{"level": n, "text": f"Level {n} text."} for n in range(1, 6)]


def new_index(code, theme="behaving-commercially", title="A new index"):
    return {
        "code": code,
        "title": title,
        "theme": theme,
        "description": "D.",
        "what_it_is": "W.",
        "why_it_is_important": "Y.",
        "statements": [{"code": code, "levels": LEVELS}],
    }


def without_code(index):
    return {name: value for name, value in index.items() if name != "code"}


@pytest.fixture
def national():
    return load_nps_2018()


@pytest.fixture
def draft(national, national_admin):
    return create_draft(national, code="2026", title="NPS 2026", by=national_admin)


@pytest.fixture
def admin(national_admin):
    """The national team, through a personal API token."""
    return Client(headers={"Authorization": f"Bearer {create_api_token(national_admin, 'scripts')}"})


@pytest.fixture
def regional(national, group, group_lead):
    return derive_strategy(group, national, title="Our strategy", by=group_lead)


def regional_url(version):
    return f"{API}/{version.framework.code}/versions/{version.code}"


def locations(response):
    assert response.status_code == 422, response.content
    return [tuple(item["loc"][2:]) for item in response.json()["detail"]]


def index_codes(version):
    return list(version.indices.order_by("position").values_list("code", flat=True))


# Who may do what ---------------------------------------------------------------------------------------------------


def attempts(client, url):
    index = url + "/indices/engaging-councillors"
    return [
        client.get(url),
        client.get(url + "/file"),
        client.post(url + "/drafts", {"code": "2031", "title": "T"}, content_type="application/json"),
        client.post(url + "/indices", new_index("new-index"), content_type="application/json"),
        client.put(index, without_code(new_index("engaging-councillors")), content_type="application/json"),
        client.delete(index, {"replaced_by": []}, content_type="application/json"),
        client.post(index + "/move", {"direction": "down"}, content_type="application/json"),
        client.post(
            index + "/statements", {"code": "s", "text": "S", "levels": LEVELS}, content_type="application/json"
        ),
        client.delete(index + "/statements/engaging-councillors"),
        client.post(url + "/themes", {"code": "t", "title": "T"}, content_type="application/json"),
        client.post(url + "/publish"),
    ]


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_editor", "group_lead"])
def test_only_the_national_team_manages_the_national_strategy(request, client_for, draft, persona):
    client = client_for(request.getfixturevalue(persona))
    assert [response.status_code for response in attempts(client, DRAFT)] == [404] * 11
    assert client.post(API + "/import", {"text": nps_2026_text()}, content_type="application/json").status_code == 404
    draft_from_2018 = client.post(API + "/nps/versions/2018/drafts", {"code": "2031", "title": "T"}, "application/json")
    assert draft_from_2018.status_code == 404
    assert index_codes(draft) == index_codes(draft.parent) and not draft.themes.filter(code="t").exists()
    assert FrameworkVersion.objects.count() == 2


def test_drafts_are_hidden_from_the_public_and_listed_for_their_managers(client, admin, draft):
    assert client.get(DRAFT).status_code == 404
    assert client.get(DRAFT + "/file").status_code == 404
    assert client.get(DRAFT + "/indices/engaging-councillors").status_code == 404
    assert [v["code"] for v in client.get(API + "/").json()[0]["versions"]] == ["2018"]
    assert [v["code"] for v in admin.get(API + "/").json()[0]["versions"]] == ["2026", "2018"]
    assert admin.get(DRAFT).json()["status"] == "draft"


def test_writing_needs_a_token_or_a_session(client, draft):
    assert client.post(DRAFT + "/publish").status_code == 401
    assert Client(headers={"Authorization": "Bearer not-a-token"}).post(DRAFT + "/publish").status_code == 401


def test_a_group_lead_manages_only_their_own_groups_strategy(client, client_for, group_lead, regional):
    url = regional_url(regional)
    other = make_organisation("Other Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    other_lead = make_user("lead@other.example", organisation=other, role=Role.GROUP_LEAD)
    assert [response.status_code for response in attempts(client_for(other_lead), url)] == [404] * 11
    assert client.get(url).status_code == 404
    assert [f["code"] for f in client.get(API + "/").json()] == ["nps"]  # a draft-only strategy is not listed
    lead = client_for(group_lead)
    listed = {f["code"]: [v["code"] for v in f["versions"]] for f in lead.get(API + "/").json()}
    assert listed == {"nps": ["2018"], regional.framework.code: [regional.code]}
    response = lead.put(
        url + "/indices/obtaining-social-value",
        {**without_code(lead.get(url + "/indices/obtaining-social-value").json()), "is_priority": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["is_priority"]


# Drafts ------------------------------------------------------------------------------------------------------------


def test_the_national_team_starts_a_draft_from_a_published_version(admin, national):
    response = admin.post(API + "/nps/versions/2018/drafts", {"code": "2026", "title": "NPS 2026"}, "application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["status"], body["parent"], len(body["indices"])) == ("2026", "draft", "nps/2018", 14)
    again = admin.post(API + "/nps/versions/2018/drafts", {"code": "2026", "title": "Again"}, "application/json")
    assert locations(again) == [("code",)]
    from_a_draft = admin.post(DRAFT + "/drafts", {"code": "2027", "title": "NPS 2027"}, "application/json")
    assert from_a_draft.status_code == 400
    assert from_a_draft.json()["problems"] == [
        {"place": "version", "message": "a new version starts from a published one"}
    ]


# Indices -----------------------------------------------------------------------------------------------------------


def test_rewording_clears_the_reconstructed_marker_of_changed_text_only(admin, draft):
    url = DRAFT + "/indices/engaging-senior-managers"
    index = admin.get(url).json()
    assert "description" in index["reconstructed"]
    assert [level["reconstructed"] for level in index["statements"][0]["levels"]] == [False, True, True, True, True]
    index["description"] = "Checked against the printed strategy."
    index["statements"][0]["levels"][1]["text"] = "Checked against the printed strategy too."
    response = admin.put(url, without_code(index), content_type="application/json")
    assert response.status_code == 200
    reworded = response.json()
    assert reworded["description"] == "Checked against the printed strategy."
    assert "description" not in reworded["reconstructed"]
    assert [level["reconstructed"] for level in reworded["statements"][0]["levels"]] == [False, False, True, True, True]
    assert index_codes(draft) == index_codes(draft.parent)  # it kept its place


def test_a_bad_index_is_refused_with_each_problem_placed(admin, draft):
    index = {**new_index("Bad Code", theme="no-such-theme"), "title": ""}
    index["statements"] = [{"code": "Bad Code", "levels": LEVELS[:4]}]
    assert sorted(locations(admin.post(DRAFT + "/indices", index, "application/json"))) == [
        ("code",),
        ("statements", 0, "levels", 5),
        ("theme",),
        ("title",),
    ]
    taken = new_index("engaging-councillors")
    assert locations(admin.post(DRAFT + "/indices", taken, "application/json")) == [("code",)]
    contradicting = {**new_index("new-index"), "kind": "enabler"}
    assert locations(admin.post(DRAFT + "/indices", contradicting, "application/json")) == [("kind",)]
    assert draft.indices.count() == 14


def test_adding_an_index_puts_it_last_in_its_theme(admin, draft):
    response = admin.post(DRAFT + "/indices", new_index("local-economy", theme=None), "application/json")
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["theme"]) == ("enabler", None)
    assert index_codes(draft)[-1] == "local-economy"


def test_retiring_with_a_successor_records_the_replacement(admin, draft):
    admin.post(DRAFT + "/indices", new_index("growing-talent", theme=None), "application/json")
    url = DRAFT + "/indices/developing-talent"
    assert admin.delete(url, {"replaced_by": ["growing-talent"]}, "application/json").status_code == 204
    assert list(Replacement.objects.filter(version=draft).values_list("retired_code", "successor_code")) == [
        ("developing-talent", "growing-talent")
    ]
    assert admin.get(DRAFT).json()["replacements"] == [
        {"retired": "developing-talent", "replaced_by": ["growing-talent"]}
    ]
    unknown = admin.delete(DRAFT + "/indices/engaging-smes", {"replaced_by": ["no-such-index"]}, "application/json")
    assert locations(unknown) == [("replaced_by",)]
    assert admin.delete(DRAFT + "/indices/engaging-councillors").status_code == 204  # retired outright
    assert ("engaging-councillors", "") in draft.replacements.values_list("retired_code", "successor_code")


def test_merging_and_splitting_show_in_the_changes(admin, draft):
    for code in ["local-economy", "supplier-risk", "market-risk"]:
        admin.post(DRAFT + "/indices", new_index(code), "application/json")
    for retired, successors in [
        ("engaging-smes", ["local-economy"]),
        ("enabling-vcse-engagement", ["local-economy"]),
        ("managing-strategic-risk", ["supplier-risk", "market-risk"]),
    ]:
        response = admin.delete(f"{DRAFT}/indices/{retired}", {"replaced_by": successors}, "application/json")
        assert response.status_code == 204
    changes = admin.get(API + "/changes", {"from": "nps/2018", "to": "nps/2026"}).json()
    assert {(r["code"], r["kind"], tuple(r["successors"])) for r in changes["retired"]} == {
        ("engaging-smes", "merged", ("local-economy",)),
        ("enabling-vcse-engagement", "merged", ("local-economy",)),
        ("managing-strategic-risk", "split", ("market-risk", "supplier-risk")),
    }
    assert sorted(index["code"] for index in changes["added"]) == ["local-economy", "market-risk", "supplier-risk"]


def test_moving_an_index_reorders_its_theme(admin, draft):
    theme = draft.indices.get(code="engaging-councillors").theme
    before = list(theme.indices.order_by("position").values_list("code", flat=True))
    response = admin.post(DRAFT + f"/indices/{before[1]}/move", {"direction": "up"}, "application/json")
    assert response.status_code == 200
    assert response.json()["themes"][0]["indices"] == [before[1], before[0], *before[2:]]
    sideways = admin.post(DRAFT + f"/indices/{before[1]}/move", {"direction": "sideways"}, "application/json")
    assert sideways.status_code == 422


def test_statements_are_added_reworded_and_removed(admin, draft):
    url = DRAFT + "/indices/engaging-councillors"
    statement = {"code": "engaging-councillors.training", "text": "Councillors are trained", "levels": LEVELS}
    response = admin.post(url + "/statements", statement, "application/json")
    assert response.status_code == 201
    assert [(s["code"], s["text"]) for s in response.json()["statements"]] == [
        ("engaging-councillors.1", "Engaging councillors"),
        ("engaging-councillors.training", "Councillors are trained"),
    ]
    assert locations(admin.post(url + "/statements", statement, "application/json")) == [("code",)]
    index = response.json()
    index["statements"][1]["text"] = "Councillors are trained every year"
    reworded = admin.put(url, without_code(index), content_type="application/json")
    assert reworded.json()["statements"][1]["text"] == "Councillors are trained every year"
    reordered = {**without_code(index), "statements": index["statements"][::-1]}
    assert locations(admin.put(url, reordered, content_type="application/json")) == [("statements",)]
    assert admin.delete(url + "/statements/engaging-councillors.1").status_code == 200
    last = admin.delete(url + "/statements/engaging-councillors.training")
    assert last.status_code == 400
    assert last.json()["problems"] == [{"place": "statements", "message": "an index keeps at least one statement"}]
    assert admin.delete(url + "/statements/no-such-statement").status_code == 404


def test_adding_a_theme(admin, draft):
    theme = {"code": "ethical-procurement", "title": "Ethical procurement"}
    response = admin.post(DRAFT + "/themes", theme, "application/json")
    assert response.status_code == 201 and response.json() == {**theme, "indices": []}
    assert locations(admin.post(DRAFT + "/themes", theme, "application/json")) == [("code",)]


# Publication -------------------------------------------------------------------------------------------------------


def test_publishing_a_draft_then_every_edit_is_refused(admin, draft):
    response = admin.post(DRAFT + "/publish")
    assert response.status_code == 200 and response.json()["status"] == "published"
    index = DRAFT + "/indices/engaging-councillors"
    refusals = [
        admin.post(DRAFT + "/publish"),
        admin.post(DRAFT + "/indices", new_index("new-index"), "application/json"),
        admin.put(index, without_code(admin.get(index).json()), content_type="application/json"),
        admin.delete(index),
        admin.post(index + "/move", {"direction": "down"}, "application/json"),
        admin.post(index + "/statements", {"code": "s", "text": "S", "levels": LEVELS}, "application/json"),
        admin.delete(index + "/statements/engaging-councillors"),
        admin.post(DRAFT + "/themes", {"code": "t", "title": "T"}, "application/json"),
    ]
    assert [r.status_code for r in refusals] == [400] * 8
    assert all("published versions never change" in r.json()["detail"] for r in refusals)
    assert index_codes(draft) == index_codes(draft.parent) and draft.themes.count() == 3


def test_publishing_is_refused_with_every_problem(admin, draft):
    Index.objects.filter(version=draft, code__in=["managing-strategic-risk", "engaging-smes"]).delete()
    response = admin.post(DRAFT + "/publish")
    assert response.status_code == 400
    body = response.json()
    assert len(body["problems"]) == 2 and "2 problems" in body["detail"]
    assert all("say what replaces it" in problem["message"] for problem in body["problems"])
    assert not FrameworkVersion.objects.get(pk=draft.pk).is_published


# Files -------------------------------------------------------------------------------------------------------------


def test_importing_a_file_makes_a_draft(admin, national):
    response = admin.post(API + "/import", {"text": nps_2026_text()}, "application/json")
    assert response.status_code == 201
    assert (response.json()["code"], response.json()["status"], response.json()["parent"]) == (
        "2026",
        "draft",
        "nps/2018",
    )
    assert response.json()["replacements"][0] == {"retired": "developing-talent", "replaced_by": ["growing-talent"]}


def test_importing_an_uploaded_file(admin, national):
    upload = SimpleUploadedFile("nps-2026.yaml", nps_2026_text().encode(), content_type="application/yaml")
    response = admin.post(API + "/import", {"file": upload})
    assert response.status_code == 201 and response.json()["code"] == "2026"


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_cannot_be_saved_is_refused_with_its_problem_and_place(admin, national, case):
    data, problem = REFUSED[case]
    upload = SimpleUploadedFile("strategy.yaml", data, content_type="application/yaml")
    response = admin.post(API + "/import", {"file": upload})
    assert response.status_code == 400
    assert response.json()["detail"] == f"Nothing was saved. {problem}"
    assert FrameworkVersion.objects.count() == 1


def test_a_bad_file_is_refused_whole_with_every_problem(admin, national):
    document = yaml.safe_load(nps_2026_text())
    document["version"]["code"] = 2026
    document["themes"][0]["key_areas"][0]["levels"].pop("innovator")
    document["themes"][0]["key_areas"][1]["colour"] = "blue"
    response = admin.post(API + "/import", {"text": yaml.safe_dump(document)}, "application/json")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert {"place": "version.code", "message": "must be text, not a number (put it in quotes)"} in problems
    assert len(problems) == 3 and "3 problems" in response.json()["detail"]
    assert FrameworkVersion.objects.count() == 1 and Framework.objects.count() == 1
    assert locations(admin.post(API + "/import", {"file": "not a file"})) == [("file",)]
    assert locations(admin.post(API + "/import", {"txt": "typo"}, "application/json")) == [("text",)]


def test_the_export_reads_back_as_the_file_it_was_loaded_from(client, national):
    response = client.get(API + "/nps/versions/2018/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nps-2018.yaml"'
    assert read_framework(response.content.decode()) == read_framework(NPS_2018_FILE.read_text())


# Changes between versions ------------------------------------------------------------------------------------------


def test_the_changes_between_two_versions(client, national):
    make_current(load_framework_file(nps_2026_text()), by=None)
    changes = client.get(API + "/changes", {"from": "nps/2018", "to": "nps/2026"}).json()
    assert client.get(API + "/changes").json() == changes  # by default: the current version and the one it follows
    assert (changes["earlier"], changes["later"]) == ("nps/2018", "nps/2026")
    assert sorted(index["code"] for index in changes["added"]) == [
        "growing-talent",
        "local-economy",
        "market-risk",
        "supplier-risk",
    ]
    assert {
        "code": "developing-talent",
        "title": "Developing talent",
        "kind": "replaced",
        "successors": ["growing-talent"],
    } in changes["retired"]
    [partners] = changes["reworded"]
    assert partners["code"] == "working-with-partners"
    assert [change["label"] for change in partners["changes"]] == ["Description", "Level: Mature"]
    assert partners["changes"][0]["after"] == "Working with partners, reworded for 2026."
    assert "engaging-councillors" in changes["unchanged"]


def test_changes_need_versions_you_may_see(client, admin, draft):
    assert client.get(API + "/changes", {"to": "nps/2026"}).status_code == 404
    assert admin.get(API + "/changes", {"to": "nps/2026"}).json()["unchanged"][0] == "engaging-councillors"
    response = client.get(API + "/changes", {"from": "2018"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "from"]
    assert client.get(API + "/changes", {"to": "nps/2018"}).status_code == 422  # 2018 follows no other version


# A group's own strategy --------------------------------------------------------------------------------------------


def test_a_group_lead_derives_their_strategy_and_rebases_it(client_for, group, group_lead, national):
    lead = client_for(group_lead)
    strategy = f"/api/v1/groups/{group.gss_code}/strategy"
    response = lead.post(strategy, {"title": "Our strategy"}, "application/json")
    assert response.status_code == 201
    derived = response.json()
    assert (derived["title"], derived["parent"], derived["status"]) == ("Our strategy", "nps/2018", "draft")
    url = f"{API}/{derived['framework']}/versions/{derived['code']}"
    assert lead.post(strategy + "/rebase").json()["detail"].startswith("The group's latest strategy already derives")
    lead.delete(url + "/indices/engaging-strategic-suppliers")
    lead.post(url + "/indices", new_index("modern-slavery"), "application/json")
    make_current(load_framework_file(nps_2026_text()), by=None)
    response = lead.post(strategy + "/rebase")
    assert response.status_code == 201
    rebased = response.json()
    codes = [index["code"] for index in rebased["indices"]]
    assert rebased["parent"] == "nps/2026" and rebased["status"] == "draft"
    assert "modern-slavery" in codes and "growing-talent" in codes
    assert "engaging-strategic-suppliers" not in codes and "developing-talent" not in codes


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_editor"])
def test_only_the_groups_lead_derives_and_rebases_its_strategy(request, client_for, group, national, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/api/v1/groups/{group.gss_code}/strategy", {}, "application/json").status_code == 404
    assert client.post(f"/api/v1/groups/{group.gss_code}/strategy/rebase").status_code == 404
    assert not FrameworkVersion.objects.filter(framework__owner=group).exists()


def test_another_groups_lead_gets_404(client_for, group, group_lead, national):
    other = make_organisation("Other Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    other_lead = make_user("lead@other.example", organisation=other, role=Role.GROUP_LEAD)
    client = client_for(other_lead)
    assert client.post(f"/api/v1/groups/{group.gss_code}/strategy", {}, "application/json").status_code == 404
    own = client.generic("POST", f"/api/v1/groups/{other.gss_code}/strategy")  # no body: the title is made up
    assert own.status_code == 201 and own.json()["title"] == "Other Combined Authority procurement strategy"
    assert not FrameworkVersion.objects.filter(framework__owner=group).exists()


def test_a_strategy_is_rebased_only_once_derived(client_for, group, group_lead, national):
    response = client_for(group_lead).post(f"/api/v1/groups/{group.gss_code}/strategy/rebase")
    assert response.status_code == 400 and "derive one first" in response.json()["detail"]
