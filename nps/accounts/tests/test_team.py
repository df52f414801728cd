import pytest
from django.core import mail

from nps.accounts.models import Invitation, Membership, Role
from nps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def team_url(organisation):
    return f"/organisations/{organisation.gss_code}/team/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("viewer", 200), ("national_admin", 200), ("other_editor", 404), ("group_lead", 404)],
)
def test_who_sees_the_people_of_council_a(request, client_for, council_a, editor, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(team_url(council_a))
    assert response.status_code == status
    if status == 200:
        assert "alice@alderley.example" in response.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, council_a):
    assert client.get(team_url(council_a)).status_code == 302


def test_an_editor_invites_a_colleague_by_email(client_for, editor, council_a):
    response = client_for(editor).post(team_url(council_a), {"email": "Val@Alderley.example", "role": Role.VIEWER})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == ("val@alderley.example", Role.VIEWER, editor)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["val@alderley.example"]
    assert "http://127.0.0.1:8000/invitations/" in mail.outbox[0].body
    assert AuditEvent.objects.get().action == "invitation_sent"


def test_an_invitation_with_a_bad_address_shows_the_error(client_for, editor, council_a):
    response = client_for(editor).post(team_url(council_a), {"email": "not an address", "role": Role.VIEWER})
    html = response.content.decode()
    assert "Enter a valid email address" in html and 'href="#id_email"' in html
    assert not Invitation.objects.exists()


def test_a_viewer_cannot_invite_or_remove(client_for, viewer, editor, council_a):
    client = client_for(viewer)
    client.post(team_url(council_a), {"email": "x@alderley.example", "role": Role.EDITOR})
    assert not Invitation.objects.exists()
    membership = Membership.objects.get(user=editor)
    client.post(f"{team_url(council_a)}{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_editor_removes_someone(client_for, editor, viewer, council_a):
    membership = Membership.objects.get(user=viewer)
    client_for(editor).post(f"{team_url(council_a)}{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_another_councils_editor_cannot_remove_anyone(client_for, other_editor, viewer, council_a):
    membership = Membership.objects.get(user=viewer)
    assert client_for(other_editor).post(f"{team_url(council_a)}{membership.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_group_is_offered_the_group_lead_role_only(client_for, national_admin, group):
    html = client_for(national_admin).get(team_url(group)).content.decode()
    assert "Group lead" in html and "Council editor" not in html
