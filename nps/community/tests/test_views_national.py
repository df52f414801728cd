"""The national team's pages: every connection request and its decision, support per index, and marks."""

import pytest

from nps.community.connections import request_connection
from nps.community.models import ConnectionRequest, ExemplarOffer, ExemplaryMark

from .conftest import INDEX, return_of, submit

pytestmark = pytest.mark.django_db
PERSONAS_WHO_GET_404 = ["editor", "viewer", "other_editor", "group_lead"]


@pytest.fixture
def connection(exemplar_a, council_b, other_editor):
    return request_connection(council_b, ExemplarOffer.objects.get(), message="Please help", by=other_editor)


@pytest.mark.parametrize("persona", PERSONAS_WHO_GET_404)
@pytest.mark.parametrize(
    "url", ["/community/connections/", "/community/connections/{id}/", "/community/support/", "/community/exemplary/"]
)
def test_only_the_national_team_sees_its_pages(request, client_for, connection, persona, url):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url.format(id=connection.pk)).status_code == 404
    assert client.post(url.format(id=connection.pk), {"decision": "connect"}).status_code == 404
    assert ConnectionRequest.objects.get().status == "requested"


def test_the_national_team_sees_every_request_and_filters_by_state(client_for, national_admin, connection):
    html = client_for(national_admin).get("/community/connections/").content.decode()
    assert "Brackenshire" in html and "Alderley" in html and "Requested: 1" in html
    html = client_for(national_admin).get("/community/connections/?status=connected").content.decode()
    assert "No requests in this state" in html


def test_the_national_team_connects_a_request(
    client_for, national_admin, connection, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/community/connections/{connection.pk}/"
    html = client_for(national_admin).get(url).content.decode()
    assert "Please help" in html and "Alice Alderley, alice@alderley.example" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(national_admin).post(url, {"decision": "connect", "note": "Over to you"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert (connection.status, connection.decided_by, connection.note) == ("connected", national_admin, "Over to you")
    assert len(mailoutbox) == 2
    assert "Connect them" not in client_for(national_admin).get(url).content.decode()  # only "Close" is left


def test_a_decision_needs_a_choice(client_for, national_admin, connection):
    html = client_for(national_admin).post(f"/community/connections/{connection.pk}/", {}).content.decode()
    assert "<title>Error: " in html and "Choose a decision" in html


def test_once_connected_both_councils_see_each_others_contact(
    client_for, national_admin, connection, other_editor, editor, council_a, council_b
):
    client_for(national_admin).post(f"/community/connections/{connection.pk}/", {"decision": "connect"})
    assert (
        "alice@alderley.example"
        in client_for(other_editor).get(f"/community/organisations/{council_b.gss_code}/").content.decode()
    )
    assert (
        "charlie@brackenshire.example"
        in client_for(editor).get(f"/community/organisations/{council_a.gss_code}/").content.decode()
    )


def test_support_per_index_shows_wanting_to_improve_and_exemplars(
    client_for, national_admin, exemplar_a, diagnostic, council_b, other_editor
):
    submit(return_of(diagnostic, council_b), other_editor)  # Developing, aiming for Mature, everywhere
    html = client_for(national_admin).get("/community/support/").content.decode()
    councillors = html.split("Engaging councillors")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in councillors.split('numeric">')[1:]] == ["1", "1", "0"]
    assert html.count("No exemplar") == 13  # council A leads in engaging councillors only; B wants more everywhere
    assert "Brackenshire" not in html  # counts only


def test_support_counts_a_new_submission_at_once(client_for, national_admin, diagnostic, council_b, other_editor):
    client = client_for(national_admin)
    councillors = lambda: client.get("/community/support/").content.decode().split("Engaging councillors")[1]  # noqa: E731
    assert councillors().split('numeric">')[1].startswith("0<")
    submit(return_of(diagnostic, council_b), other_editor)  # a new submission changes the round's results version
    assert councillors().split('numeric">')[1].startswith("1<")


def test_the_national_team_marks_a_council_exemplary(client_for, national_admin, council_a, diagnostic):
    client = client_for(national_admin)
    response = client.post("/community/exemplary/", {"gss_code": council_a.gss_code.lower(), "index": INDEX})
    assert response.status_code == 302
    mark = ExemplaryMark.objects.get()
    assert (mark.organisation, mark.index_code, mark.marked_by) == (council_a, INDEX, national_admin)
    html = client.post("/community/exemplary/", {"gss_code": "E00000000", "index": INDEX}).content.decode()
    assert "No organisation has this GSS code" in html
    assert client.post(f"/community/exemplary/{mark.pk}/remove/").status_code == 302
    assert not ExemplaryMark.objects.exists()
