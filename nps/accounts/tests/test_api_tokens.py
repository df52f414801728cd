import pytest
from django.db import IntegrityError

from nps.accounts.models import ApiToken
from nps.accounts.services import create_api_token, revoke_api_token
from nps.core.models import AuditEvent
from nps.testing import database_refuses, database_rows

pytestmark = pytest.mark.django_db


def create_token(client):
    response = client.post("/account/api-tokens/", {"name": "Reporting"})
    return response.context["new_token"]


def test_a_token_authenticates_api_calls_as_its_owner(client, client_for, editor):
    token = create_token(client_for(editor))
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["email"] == "alice@alderley.example"
    assert body["memberships"] == [
        {
            "organisation_gss_code": editor.memberships.get().organisation.gss_code,
            "organisation_name": "Alderley",
            "role": "editor",
        }
    ]
    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(client_for, editor):
    token = create_token(client_for(editor))
    stored = ApiToken.objects.get()
    assert token not in (stored.token_hash, stored.prefix)


def test_without_a_valid_token_the_api_refuses(client, db):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_a_revoked_token_stops_working(client, client_for, editor):
    signed_in = client_for(editor)
    token = create_token(signed_in)
    signed_in.post(f"/account/api-tokens/{ApiToken.objects.get().pk}/revoke/")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_nobody_can_revoke_another_persons_token(client_for, editor, other_editor):
    create_token(client_for(editor))
    response = client_for(other_editor).post(f"/account/api-tokens/{ApiToken.objects.get().pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.exists()


def test_creating_and_revoking_a_token_are_in_the_audit_trail(client_for, editor):
    signed_in = client_for(editor)
    create_token(signed_in)
    signed_in.post(f"/account/api-tokens/{ApiToken.objects.get().pk}/revoke/")
    events = AuditEvent.objects.order_by("at", "pk")
    assert [(event.action, event.actor) for event in events] == [
        ("api_token_created", editor),
        ("api_token_revoked", editor),
    ]
    assert "Reporting" in events[1].description


def test_creating_a_token_is_all_or_nothing(editor):
    before = database_rows()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        create_api_token(editor, "Reporting")
    assert database_rows() == before


def test_revoking_a_token_is_all_or_nothing(editor):
    create_api_token(editor, "Reporting")
    before = database_rows()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        revoke_api_token(ApiToken.objects.get(), by=editor)
    assert database_rows() == before
