import pytest

from nps.accounts.models import ApiToken

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
