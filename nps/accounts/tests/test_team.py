import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from nps.accounts.models import Invitation, Membership, Role
from nps.accounts.services import remove_member
from nps.core.models import AuditEvent, EmailStatus, OutgoingEmail
from nps.testing import database_refuses, database_rows, emails_sent

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
    assert len(emails_sent()) == 1
    assert emails_sent()[0].to == ["val@alderley.example"]
    assert "http://127.0.0.1:8000/invitations/" in emails_sent()[0].body
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


def invite(client, organisation, email="val@alderley.example"):
    return client.post(team_url(organisation), {"email": email, "role": Role.VIEWER})


def test_an_inviter_who_sent_too_many_invitations_is_told_so_and_nothing_is_sent(
    client_for, editor, council_a, settings
):
    settings.INVITATION_LIMIT_PER_SENDER = 2
    client = client_for(editor)
    for number in range(2):
        assert invite(client, council_a, f"person{number}@alderley.example").status_code == 302
    html = invite(client, council_a, "val@alderley.example").content.decode()
    assert "<title>Error: People at Alderley" in html
    assert "You have sent 2 invitations in the last 60 minutes, the most allowed" in html and 'href="#id_email"' in html
    assert Invitation.objects.count() == 2 and len(emails_sent()) == 2


def test_an_address_is_invited_only_so_often_by_one_organisation(client_for, editor, national_admin, council_a):
    for _ in range(3):
        invite(client_for(editor), council_a)
    html = invite(client_for(national_admin), council_a).content.decode()
    assert "val@alderley.example has been invited 3 times in the last 60 minutes, the most allowed" in html
    assert len(emails_sent()) == 3


def test_invitations_from_another_council_do_not_count_against_this_one(
    client_for, editor, other_editor, council_a, council_b
):
    for _ in range(3):
        invite(client_for(other_editor), council_b)
    assert invite(client_for(editor), council_a).status_code == 302
    assert len(emails_sent()) == 4


def test_an_invitation_is_kept_while_the_mail_server_is_down_and_its_email_goes_once_it_is_back(
    client_for, editor, council_a, unreachable_mail_server, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client_for(editor), council_a).status_code == 302
    email = OutgoingEmail.objects.get(to=["val@alderley.example"])
    assert email.status == EmailStatus.WAITING and "ConnectionRefusedError" in email.last_error
    assert Invitation.objects.filter(email="val@alderley.example").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert [message.to for message in emails_sent()] == [["val@alderley.example"]]


def test_removing_someone_is_all_or_nothing(editor, viewer):
    membership = Membership.objects.get(user=viewer)
    before = database_rows()
    with database_refuses("DELETE", Membership), pytest.raises(IntegrityError):
        remove_member(membership, by=editor)
    assert database_rows() == before
