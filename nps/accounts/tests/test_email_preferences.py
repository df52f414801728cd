"""The email preferences page: through the signed link in a reminder (no sign-in), or from the account page."""

import pytest

from nps.accounts.models import EmailPreference
from nps.accounts.preferences import preferences_token, wants_round_reminders
from nps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def link(email: str) -> str:
    return f"/email-preferences/{preferences_token(email)}/"


def test_the_link_works_without_signing_in_and_turns_reminders_off(client):
    url = link("Cara@Carrow.example")
    page = client.get(url)
    assert page.status_code == 200 and "For cara@carrow.example." in page.content.decode()
    response = client.post(url, {"round_reminders": "no"}, follow=True)
    assert "We will not remind you." in response.content.decode()
    assert not wants_round_reminders("cara@carrow.example")
    event = AuditEvent.objects.get(action="email_preferences_changed")
    assert event.actor is None and event.description == "cara@carrow.example turned round reminders off"


def test_the_link_turns_reminders_back_on(client):
    client.post(link("cara@carrow.example"), {"round_reminders": "no"})
    client.post(link("cara@carrow.example"), {"round_reminders": "yes"})
    assert wants_round_reminders("cara@carrow.example")
    assert EmailPreference.objects.count() == 1


def test_following_the_link_changes_nothing(client):
    client.get(link("cara@carrow.example"))
    assert not EmailPreference.objects.exists()


def test_a_tampered_link_is_404(client):
    token = preferences_token("cara@carrow.example")
    assert client.get(f"/email-preferences/{token[:-2]}xx/").status_code == 404
    assert client.get("/email-preferences/not-a-token/").status_code == 404


def test_a_link_is_for_one_address_only(client):
    client.post(link("cara@carrow.example"), {"round_reminders": "no"})
    assert wants_round_reminders("alice@alderley.example")


def test_a_choice_is_required(client):
    response = client.post(link("cara@carrow.example"), {})
    assert response.status_code == 200 and "Choose whether you want reminders" in response.content.decode()


def test_the_account_page_links_to_the_signed_in_persons_own_preferences(client_for, editor):
    client = client_for(editor)
    assert 'href="/account/email-preferences/"' in client.get("/account/").content.decode()
    page = client.get("/account/email-preferences/")
    assert "For alice@alderley.example." in page.content.decode()
    client.post("/account/email-preferences/", {"round_reminders": "no"})
    assert not wants_round_reminders(editor.email)
    assert AuditEvent.objects.get(action="email_preferences_changed").actor == editor


def test_the_account_page_needs_signing_in(client):
    response = client.get("/account/email-preferences/")
    assert response.status_code == 302 and "/account/sign-in/" in response.url
