import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nps.core.models import AuditEvent
from nps.frameworks.models import FrameworkVersion, Index, Replacement
from nps.frameworks.services import create_draft
from nps.frameworks.tests.files import REFUSED
from nps.testing import NPS_2018_FILE, load_nps_2018, nps_2026_text

pytestmark = pytest.mark.django_db
LEVELS = {f"level_{n}": f"Level {n} text." for n in range(1, 6)}


def add_growing_talent(client, manage_url):
    """A new enabler, "Growing talent", added to the draft through its page."""
    fields = {"description": "D.", "what_it_is": "W.", "why_it_is_important": "Y.", **LEVELS}
    client.post(
        manage_url + "indices/new/",
        {"code": "growing-talent", "title": "Growing talent", "place": "enablers", **fields},
    )


@pytest.fixture
def draft(national_admin):
    return create_draft(load_nps_2018(), code="2026", title="NPS 2026", by=national_admin)


@pytest.fixture
def manage_url(draft):
    return "/strategy/manage/nps/2026/"


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_editor", "group_lead"])
def test_only_the_national_team_manages_the_national_strategy(request, client_for, draft, manage_url, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in [
        "/strategy/manage/",
        manage_url,
        manage_url + "indices/new/",
        manage_url + "indices/engaging-councillors/",
        "/strategy/versions/nps/2026/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(manage_url + "publish/").status_code == 404
    assert client.post(manage_url + "indices/engaging-councillors/retire/", {"confirm": "1"}).status_code == 404
    assert not FrameworkVersion.objects.get(pk=draft.pk).is_published


def test_drafts_are_hidden_from_the_public(client, draft):
    assert client.get("/strategy/versions/nps/2026/").status_code == 404
    assert client.get("/strategy/versions/nps/2018/").status_code == 200


def test_rewording_an_index_clears_its_reconstructed_marker(client_for, national_admin, draft, manage_url):
    index = draft.indices.get(code="engaging-senior-managers")
    assert "description" in index.reconstructed
    page = client_for(national_admin).get(manage_url + "indices/engaging-senior-managers/")
    form = page.context["form"]
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "place": "showing-leadership",
        "description": "Checked against the printed strategy.",
        "priority": "",
    }
    response = client_for(national_admin).post(manage_url + "indices/engaging-senior-managers/", data)
    assert response.status_code == 302
    reworded = draft.indices.get(code="engaging-senior-managers")
    assert reworded.description == "Checked against the printed strategy."
    assert "description" not in reworded.reconstructed
    assert reworded.position == index.position


def test_adding_retiring_and_publishing(client_for, national_admin, draft, manage_url):
    client = client_for(national_admin)
    add_growing_talent(client, manage_url)
    client.post(manage_url + "indices/developing-talent/retire/", {"successors": ["growing-talent"], "confirm": "1"})
    assert list(Replacement.objects.filter(version=draft).values_list("retired_code", "successor_code")) == [
        ("developing-talent", "growing-talent")
    ]
    client.post(manage_url + "indices/growing-talent/move/", {"direction": "up"})
    enablers = list(draft.indices.filter(kind="enabler").order_by("position").values_list("code", flat=True))
    assert enablers.index("growing-talent") == 2
    response = client.post(manage_url + "publish/", follow=True)
    assert "It can no longer change." in response.content.decode()
    assert FrameworkVersion.objects.get(pk=draft.pk).is_published
    assert client.post(manage_url + "indices/engaging-councillors/retire/", {"confirm": "1"}).status_code == 302
    assert Index.objects.filter(version=draft, code="engaging-councillors").exists()


def test_a_bad_new_index_is_explained(client_for, national_admin, draft, manage_url):
    response = client_for(national_admin).post(
        manage_url + "indices/new/", {"code": "Engaging Councillors", "title": "", "place": "enablers", **LEVELS}
    )
    html = response.content.decode()
    assert "Use lower-case letters, digits and hyphens" in html and "Enter title" in html
    assert 'href="#id_title"' in html


def test_several_statements_per_index(client_for, national_admin, draft, manage_url):
    client = client_for(national_admin)
    client.post(
        manage_url + "indices/engaging-councillors/statements/new/",
        {"code": "engaging-councillors.training", "text": "Councillors are trained", **LEVELS},
    )
    statements = list(draft.indices.get(code="engaging-councillors").statements.values_list("code", "text"))
    assert statements == [
        ("engaging-councillors.1", "Engaging councillors"),
        ("engaging-councillors.training", "Councillors are trained"),
    ]


def test_publishing_refuses_an_unaccounted_retirement(client_for, national_admin, draft, manage_url):
    draft.indices.get(code="managing-strategic-risk").delete()  # removed without saying what replaces it
    response = client_for(national_admin).post(manage_url + "publish/", follow=True)
    html = response.content.decode()
    assert "cannot be published yet" in html and "managing-strategic-risk" in html
    assert not FrameworkVersion.objects.get(pk=draft.pk).is_published


def test_importing_a_file_as_a_draft_and_refusing_a_bad_one(client_for, national_admin):
    load_nps_2018()
    client = client_for(national_admin)
    good = io.BytesIO(nps_2026_text().encode())
    good.name = "nps-2026.yaml"
    assert client.post("/strategy/manage/import/", {"file": good}).status_code == 302
    assert not FrameworkVersion.objects.get(code="2026").is_published
    event = AuditEvent.objects.get(action="framework_loaded", actor=national_admin)
    assert event.description.endswith("NPS 2026 (test) from a file, as a draft")
    bad = io.BytesIO(
        NPS_2018_FILE.read_text().replace('code: "2018"', 'code: "2030"').replace("innovator:", "innovatr:", 1).encode()
    )
    bad.name = "bad.yaml"
    response = client.post("/strategy/manage/import/", {"file": bad})
    assert response.status_code == 400
    assert "levels.innovator</code>: level is missing" in response.content.decode()
    assert not FrameworkVersion.objects.filter(code="2030").exists()


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_cannot_be_saved_is_refused_with_its_problem_and_place(client_for, national_admin, case):
    data, problem = REFUSED[case]
    upload = SimpleUploadedFile("strategy.yaml", data, content_type="application/yaml")
    response = client_for(national_admin).post("/strategy/manage/import/", {"file": upload})
    assert response.status_code == 400
    assert [str(found) for found in response.context["problems"]] == [problem]
    assert not FrameworkVersion.objects.exists()


def test_exporting_a_version_for_download(client):
    load_nps_2018()
    response = client.get("/strategy/versions/nps/2018/strategy.yaml")
    assert response["Content-Disposition"] == 'attachment; filename="nps-2018.yaml"'
    assert b"format: nps-framework/1" in response.content


def test_statements_are_reordered(client_for, national_admin, draft, manage_url):
    client = client_for(national_admin)
    for code in ["training", "reporting"]:
        client.post(
            manage_url + "indices/engaging-councillors/statements/new/",
            {"code": f"engaging-councillors.{code}", "text": code.title(), **LEVELS},
        )
    client.post(
        manage_url + "indices/engaging-councillors/statements/engaging-councillors.reporting/move/", {"direction": "up"}
    )
    codes = list(draft.indices.get(code="engaging-councillors").statements.values_list("code", flat=True))
    assert codes == ["engaging-councillors.1", "engaging-councillors.reporting", "engaging-councillors.training"]


# Retiring an index asks first (issue 11, part 5) --------------------------------------------------------------------


def retire(client, manage_url: str, code: str, successors: list[str], **extra: str) -> str:
    return client.post(f"{manage_url}indices/{code}/retire/", {"successors": successors, **extra}).content.decode()


def test_retiring_asks_first_and_says_answers_carry_into_a_one_to_one_replacement(
    client_for, national_admin, draft, manage_url
):
    client = client_for(national_admin)
    check = retire(client, manage_url, "developing-talent", ["engaging-councillors"])
    assert "Check before you retire Developing talent" in check
    assert "National Procurement Strategy for Local Government in England 2018 keeps it" in check
    assert "Engaging councillors replaces it one-to-one" in check
    assert '<input type="hidden" name="successors" value="engaging-councillors">' in check
    assert draft.indices.filter(code="developing-talent").exists() and not draft.replacements.exists()


def test_the_check_says_when_answers_start_afresh(client_for, national_admin, draft, manage_url):
    client = client_for(national_admin)
    assert "nothing replaces it: it is retired outright" in retire(client, manage_url, "developing-talent", [])
    split = retire(client, manage_url, "developing-talent", ["engaging-councillors", "engaging-senior-managers"])
    assert "it is split into Engaging councillors and Engaging senior managers" in split
    retire(client, manage_url, "developing-talent", ["engaging-councillors"], confirm="1")
    merge = retire(client, manage_url, "managing-strategic-risk", ["engaging-councillors"])
    assert "it is merged with Developing talent into Engaging councillors" in merge


def test_an_index_new_in_the_draft_goes_straight_to_the_check(client_for, national_admin, draft, manage_url):
    client = client_for(national_admin)
    add_growing_talent(client, manage_url)
    page = client.get(manage_url + "indices/growing-talent/retire/").content.decode()
    assert "no published version that this draft follows has it" in page and "What replaces it" not in page
    client.post(manage_url + "indices/growing-talent/retire/", {"confirm": "1"})
    assert not draft.indices.filter(code="growing-talent").exists() and not draft.replacements.exists()


def test_retiring_from_a_published_version_is_explained_not_offered(client_for, national_admin, manage_url):
    response = client_for(national_admin).get(
        "/strategy/manage/nps/2018/indices/developing-talent/retire/", follow=True
    )
    assert "is published and cannot change" in response.content.decode()
    assert Index.objects.filter(version__code="2018", code="developing-talent").exists()


def test_retiring_an_index_the_draft_does_not_have_is_not_found(client_for, national_admin, manage_url):
    assert client_for(national_admin).get(manage_url + "indices/no-such-index/retire/").status_code == 404
