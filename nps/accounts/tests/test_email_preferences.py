"""The email preferences page: through the signed link in a reminder or a connection email (no sign-in), or from the
account page. One page, one choice per kind of optional email: round reminders and connection request emails."""

import pytest
from django.db import IntegrityError

from nps.accounts.models import EmailPreference
from nps.accounts.preferences import (
    choices,
    preferences_token,
    set_preferences,
    wants,
    wants_connection_emails,
    wants_round_reminders,
    without,
)
from nps.core.models import AuditEvent
from nps.testing import database_refuses, database_rows

pytestmark = pytest.mark.django_db

BOTH = {"emails": ["round_reminders", "connection_emails", "assurance_emails"]}


def link(email: str) -> str:
    return f"/email-preferences/{preferences_token(email)}/"


def test_the_link_works_without_signing_in_and_turns_reminders_off(client):
    url = link("Cara@Carrow.example")
    page = client.get(url)
    assert page.status_code == 200 and "For cara@carrow.example." in page.content.decode()
    response = client.post(url, {"emails": ["connection_emails", "assurance_emails"]}, follow=True)
    assert "We will not remind you before deadlines." in response.content.decode()
    assert not wants_round_reminders("cara@carrow.example")
    assert wants_connection_emails("cara@carrow.example")
    event = AuditEvent.objects.get(action="email_preferences_changed")
    assert event.actor is None and event.description == "cara@carrow.example turned round reminders off"


def test_the_link_stops_and_restarts_connection_emails(client):
    url = link("Alice@Alderley.example")
    response = client.post(url, {"emails": ["round_reminders", "assurance_emails"]})
    assert response.status_code == 302 and response.url == url
    assert not wants_connection_emails("alice@alderley.example") and wants_round_reminders("alice@alderley.example")
    event = AuditEvent.objects.get(action="email_preferences_changed")
    assert event.description == "alice@alderley.example turned connection request emails off"
    client.post(url, BOTH)
    assert wants_connection_emails("alice@alderley.example")
    assert EmailPreference.objects.count() == 1


def test_the_link_turns_reminders_back_on(client):
    client.post(link("cara@carrow.example"), {"emails": ["connection_emails", "assurance_emails"]})
    client.post(link("cara@carrow.example"), BOTH)
    assert wants_round_reminders("cara@carrow.example")
    assert EmailPreference.objects.count() == 1


def test_the_page_shows_every_choice_as_checkboxes_ticked_as_saved(client):
    html = client.get(link("cara@carrow.example")).content.decode()
    assert html.count('type="checkbox"') == 3 and html.count(" checked") == 3
    assert "News about your council&#x27;s returns: sign-off, peer reviews, validation and queries" in html
    assert "Reminders before a diagnostic round&#x27;s deadline" in html
    assert "News about exemplar connection requests" in html
    client.post(link("cara@carrow.example"), {"emails": ["round_reminders"]})
    html = client.get(link("cara@carrow.example")).content.decode()
    assert html.count(" checked") == 1 and 'value="round_reminders" checked' in html


def test_following_the_link_changes_nothing(client):
    client.get(link("cara@carrow.example"))
    assert not EmailPreference.objects.exists()
    assert not AuditEvent.objects.filter(action="email_preferences_changed").exists()


def test_a_tampered_link_is_404(client):
    token = preferences_token("cara@carrow.example")
    assert client.get(f"/email-preferences/{token[:-2]}xx/").status_code == 404
    assert client.post(f"/email-preferences/{token[:-2]}xx/", {}).status_code == 404
    assert client.get("/email-preferences/not-a-token/").status_code == 404
    assert not EmailPreference.objects.exists()


def test_a_link_is_for_one_address_only(client):
    client.post(link("cara@carrow.example"), {})
    assert wants_round_reminders("alice@alderley.example") and wants_connection_emails("alice@alderley.example")


def test_nothing_ticked_is_a_valid_choice_that_stops_both(client):
    response = client.post(link("cara@carrow.example"), {})
    assert response.status_code == 302
    assert choices("cara@carrow.example") == {
        "round_reminders": False,
        "connection_emails": False,
        "assurance_emails": False,
    }
    html = client.get(response.url).content.decode()
    assert "Error" not in html and "We will not remind you" in html and "We will not email you" in html
    event = AuditEvent.objects.get(action="email_preferences_changed")
    assert event.description == (
        "cara@carrow.example turned round reminders off and connection request emails off and emails about returns' "
        "sign-off, reviews, validation and queries off"
    )


def test_an_unknown_choice_is_an_error(client):
    response = client.post(link("cara@carrow.example"), {"emails": ["newsletters"]})
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_the_account_page_links_to_the_signed_in_persons_own_preferences(client_for, editor):
    client = client_for(editor)
    assert 'href="/account/email-preferences/"' in client.get("/account/").content.decode()
    page = client.get("/account/email-preferences/")
    assert "For alice@alderley.example." in page.content.decode()
    client.post("/account/email-preferences/", {"emails": ["round_reminders"]})
    assert not wants_connection_emails(editor.email) and wants_round_reminders(editor.email)
    client.post("/account/email-preferences/", {"emails": ["connection_emails"]})
    assert wants_connection_emails(editor.email) and not wants_round_reminders(editor.email)
    events = AuditEvent.objects.filter(action="email_preferences_changed")
    assert [event.actor for event in events] == [editor, editor]


def test_the_account_page_needs_signing_in(client):
    response = client.get("/account/email-preferences/")
    assert response.status_code == 302 and "/account/sign-in/" in response.url


def test_every_kind_is_wanted_until_turned_off_and_addresses_are_normalised():
    assert wants("nobody@example.org", "round_reminders") and wants("nobody@example.org", "connection_emails")
    set_preferences(" Cara@Carrow.example ", connection_emails=False, by=None)
    assert not wants("CARA@carrow.example", "connection_emails") and wants("cara@carrow.example", "round_reminders")
    assert without(["Cara@Carrow.example", "alice@alderley.example"], "connection_emails") == {"cara@carrow.example"}
    assert without(["Cara@Carrow.example"], "round_reminders") == set()


def test_saving_the_same_choice_again_records_nothing_new():
    set_preferences("cara@carrow.example", round_reminders=False, by=None)
    set_preferences("cara@carrow.example", round_reminders=False, connection_emails=True, by=None)
    assert AuditEvent.objects.filter(action="email_preferences_changed").count() == 1


def test_changing_preferences_is_all_or_nothing(db):
    set_preferences("cara@carrow.example", round_reminders=True, by=None)
    before = database_rows()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        set_preferences("cara@carrow.example", round_reminders=False, connection_emails=False, by=None)
    assert database_rows() == before
