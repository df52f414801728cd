import datetime
import json

import pytest
import time_machine
from django.db import IntegrityError

from nps.accounts.models import Invitation, Membership, Role, User
from nps.accounts.services import (
    InvitationUnusable,
    accept_invitation,
    create_account_from_invitation,
    find_invitation,
    invite_person,
)
from nps.core.models import AuditEvent
from nps.testing import database_refuses, database_rows, emails_sent, make_open_round

pytestmark = pytest.mark.django_db


def invite(council, by, email="val@alderley.example", role=Role.VIEWER):
    invite_person(council, email, role, by=by)
    return emails_sent()[-1].body.split("/invitations/")[1].split("/")[0]


def test_a_new_person_creates_an_account_from_the_link(client, editor, council_a):
    token = invite(council_a, editor)
    page = client.get(f"/invitations/{token}/")
    assert "Create your account" in page.content.decode()
    response = client.post(
        f"/invitations/{token}/", {"first_name": "Val", "last_name": "Ray", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="val@alderley.example")
    assert Membership.objects.get(user=user).role == Role.VIEWER
    assert client.get("/account/").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions == {"invitation_sent", "account_created", "invitation_accepted"}


def test_a_link_works_only_once(client, editor, council_a):
    token = invite(council_a, editor)
    client.post(f"/invitations/{token}/", {"first_name": "V", "last_name": "R", "password": "a-long-passphrase"})
    second = client.get(f"/invitations/{token}/")
    assert second.status_code == 410
    assert "already been accepted" in second.content.decode()


def test_an_expired_link_says_what_to_do_next(client, editor, council_a):
    token = invite(council_a, editor)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=15)):
        response = client.get(f"/invitations/{token}/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "The invitation expired" in html and "to send you a new invitation" in html


def test_an_unknown_link_is_404_with_advice(client, db):
    response = client.get("/invitations/not-a-token/")
    assert response.status_code == 404
    assert "copied the whole link" in response.content.decode()


def test_someone_with_an_account_signs_in_and_accepts(client_for, editor, other_editor, council_a):
    token = invite(council_a, editor, email=other_editor.email, role=Role.VIEWER)
    client = client_for(other_editor)
    client.post(f"/invitations/{token}/")
    assert Membership.objects.get(user=other_editor, organisation=council_a).role == Role.VIEWER


def test_a_weak_password_is_refused_with_the_reason(client, editor, council_a):
    token = invite(council_a, editor)
    response = client.post(f"/invitations/{token}/", {"first_name": "V", "last_name": "R", "password": "password"})
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(email="val@alderley.example").exists()


NEW_ACCOUNT = {"first_name": "Val", "last_name": "Ray", "password": "a-long-passphrase"}


def test_creating_an_account_from_an_invitation_is_all_or_nothing(client, editor, council_a):
    token = invite(council_a, editor)
    before = database_rows()
    with database_refuses("INSERT", Membership), pytest.raises(IntegrityError):
        client.post(f"/invitations/{token}/", NEW_ACCOUNT)
    assert database_rows() == before
    assert client.post(f"/invitations/{token}/", NEW_ACCOUNT).status_code == 302


def test_accepting_with_an_account_is_all_or_nothing(editor, other_editor, council_a):
    invitation = find_invitation(invite(council_a, editor, email=other_editor.email))
    before = database_rows()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        accept_invitation(invitation, by=other_editor)
    assert database_rows() == before


def test_an_invitation_accepted_a_moment_ago_cannot_be_accepted_again(editor, viewer, other_editor, council_a):
    invitation = find_invitation(invite(council_a, editor))  # both people opened the link at the same time
    accept_invitation(invitation, by=viewer)
    before = database_rows()
    with pytest.raises(InvitationUnusable):
        accept_invitation(invitation, by=other_editor)
    assert database_rows() == before


def test_an_account_created_a_moment_ago_is_not_created_again(editor, council_a):
    invitation = find_invitation(invite(council_a, editor))
    User.objects.create_user("val@alderley.example", "another-passphrase")  # the same person, in another tab
    before = database_rows()
    with pytest.raises(InvitationUnusable, match="was created a moment ago"):
        create_account_from_invitation(invitation, **NEW_ACCOUNT)
    assert database_rows() == before


def test_the_api_answers_429_with_the_reason_when_an_invitation_limit_is_reached(client_for, editor, council_a):
    round_ = make_open_round(council_a)
    url = f"/api/v1/organisations/{council_a.gss_code}/rounds/{round_.pk}/respondents"
    body = json.dumps({"email": "sam@alderley.example", "indices": ["engaging-councillors"]})
    client = client_for(editor)
    for _ in range(3):
        assert client.post(url, body, content_type="application/json").status_code == 201
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["detail"] == (
        "sam@alderley.example has been invited 3 times in the last 60 minutes, the most allowed. Try again later."
    )
    assert Invitation.objects.count() == 3
