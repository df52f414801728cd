import datetime

import pytest
import time_machine
from django.core import mail

from nps.accounts.models import Membership, Role, User
from nps.accounts.services import invite_person

pytestmark = pytest.mark.django_db


def invite(council, by, email="val@alderley.example", role=Role.VIEWER):
    invite_person(council, email, role, by=by)
    return mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]


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
