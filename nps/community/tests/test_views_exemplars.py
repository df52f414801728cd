"""A council's own exemplar pages: offers, asking to be connected and its requests; 404 to anyone else."""

import pytest

from nps.community.connections import request_connection
from nps.community.models import ConnectionRequest, ExemplarOffer

from .conftest import INDEX, OTHER_INDEX, return_of, submit

pytestmark = pytest.mark.django_db


def offer_data(*codes):
    return {"indices": list(codes), "contact_name": "Alice", "contact_email": "alice@alderley.example", "note": "Hi"}


@pytest.fixture
def leader_a(diagnostic, council_a, editor):
    """Council A submitted Leader in engaging councillors, without offering help yet."""
    submit(return_of(diagnostic, council_a), editor, levels={INDEX: (4, 4)})
    return council_a


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)],
)
def test_only_the_council_and_the_national_team_see_its_offers_and_requests(
    request, client_for, exemplar_a, persona, status
):
    response = client_for(request.getfixturevalue(persona)).get(f"/community/organisations/{exemplar_a.gss_code}/")
    assert response.status_code == status


def test_the_council_page_lists_offers_and_requests_both_ways(client_for, viewer, exemplar_a, council_b, other_editor):
    request_connection(council_b, ExemplarOffer.objects.get(), message="Please", by=other_editor)
    html = client_for(viewer).get(f"/community/organisations/{exemplar_a.gss_code}/").content.decode()
    assert "Our member training programme." in html and "Engaging councillors" in html
    assert "Brackenshire" in html and "Please" in html and "Requested" in html
    assert "Withdraw" not in html and "Offer help as an exemplar</a>" not in html  # a viewer changes nothing
    html = client_for(other_editor).get(f"/community/organisations/{council_b.gss_code}/").content.decode()
    assert "Alderley" in html and "Requested" in html and "alice@alderley.example" not in html  # not yet connected


@pytest.mark.parametrize("persona", ["viewer", "other_editor", "group_lead", "national_admin"])
def test_only_the_councils_editors_offer_help(request, client_for, leader_a, persona):
    client = client_for(request.getfixturevalue(persona))
    url = f"/community/organisations/{leader_a.gss_code}/offer/"
    assert client.get(url).status_code == 404
    assert client.post(url, offer_data(INDEX)).status_code == 404
    assert not ExemplarOffer.objects.exists()


def test_an_editor_offers_help_where_the_council_leads(client_for, editor, leader_a):
    url = f"/community/organisations/{leader_a.gss_code}/offer/"
    html = client_for(editor).get(url).content.decode()
    assert "Latest submitted level: Leader" in html and f'value="{INDEX}"' in html
    assert "Only the indices where your latest submitted level is Leader or Innovator" in html
    assert "Latest submitted level: Developing" not in html and f'value="{OTHER_INDEX}"' not in html
    response = client_for(editor).post(url, offer_data(INDEX))
    assert response.status_code == 302
    assert ExemplarOffer.objects.get().index_code == INDEX


def test_a_council_that_leads_nowhere_is_told_plainly_it_cannot_offer_help_yet(
    client_for, editor, diagnostic, council_a
):
    submit(return_of(diagnostic, council_a), editor)  # Developing everywhere
    html = client_for(editor).get(f"/community/organisations/{council_a.gss_code}/offer/").content.decode()
    assert "Alderley cannot offer help as an exemplar yet." in html
    assert 'type="checkbox"' not in html and "Offer help</button>" not in html


def test_offering_help_where_the_council_does_not_lead_is_a_clear_form_error(client_for, editor, leader_a):
    response = client_for(editor).post(f"/community/organisations/{leader_a.gss_code}/offer/", offer_data(OTHER_INDEX))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "You cannot offer help in Obtaining social value" in html
    assert not ExemplarOffer.objects.exists()


def test_an_editor_withdraws_an_offer_and_another_council_cannot(client_for, editor, other_editor, exemplar_a):
    url = f"/community/organisations/{exemplar_a.gss_code}/offers/{INDEX}/withdraw/"
    assert client_for(other_editor).post(url).status_code == 404
    assert client_for(editor).get(url).status_code == 405
    assert client_for(editor).post(url).status_code == 302
    assert not ExemplarOffer.objects.get().active


def test_another_council_asks_to_be_connected(client_for, other_editor, exemplar_a, council_b, mailoutbox):
    url = f"/community/organisations/{council_b.gss_code}/connect/{exemplar_a.gss_code}/{INDEX}/"
    html = client_for(other_editor).get(url).content.decode()
    assert "Our member training programme." in html and "Alice Alderley" in html
    assert "Leader" not in html.split('id="main-content"')[1]  # the exemplar's level is never shown
    response = client_for(other_editor).post(url, {"message": "We would like to learn"})
    assert response.status_code == 302
    request = ConnectionRequest.objects.get()
    assert (request.requester, request.exemplar, request.created_by) == (council_b, exemplar_a, other_editor)


def test_asking_twice_is_a_form_error(client_for, other_editor, exemplar_a, council_b):
    url = f"/community/organisations/{council_b.gss_code}/connect/{exemplar_a.gss_code}/{INDEX}/"
    client_for(other_editor).post(url, {"message": ""})
    html = client_for(other_editor).post(url, {"message": ""}).content.decode()
    assert "<title>Error: " in html and "already asked" in html
    assert ConnectionRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "asking_as", "index"),
    [
        ("viewer", "council_b", INDEX),  # not council B's editor
        ("other_editor", "council_a", INDEX),  # cannot ask on council A's behalf
        ("editor", "council_a", INDEX),  # council A cannot ask itself
        ("other_editor", "council_b", OTHER_INDEX),  # council A offers no help there
        ("group_lead", "council_b", INDEX),
    ],
)
def test_asking_is_for_another_councils_editors_and_active_offers_only(
    request, client_for, exemplar_a, persona, asking_as, index
):
    asking = request.getfixturevalue(asking_as)
    url = f"/community/organisations/{asking.gss_code}/connect/{exemplar_a.gss_code}/{index}/"
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"message": "x"}).status_code == 404
    assert not ConnectionRequest.objects.exists()


def test_a_council_that_has_not_opted_in_cannot_be_asked(client_for, other_editor, leader_a, council_b):
    url = f"/community/organisations/{council_b.gss_code}/connect/{leader_a.gss_code}/{INDEX}/"
    assert client_for(other_editor).get(url).status_code == 404


def test_the_community_home_links_each_persona_to_what_they_may_use(client_for, editor, national_admin, council_a):
    html = client_for(editor).get("/community/").content.decode()
    assert f"/community/organisations/{council_a.gss_code}/" in html
    html = client_for(national_admin).get("/community/").content.decode()
    assert "/community/connections/" in html and "/community/support/" in html
