"""Each address chooses, without signing in, whether it gets emails about connection requests."""

import pytest
from django.test import Client

from nps.community.models import EmailPreference
from nps.community.notifications import preferences_token, wants_connection_emails

pytestmark = pytest.mark.django_db


def test_the_link_in_an_email_lets_its_address_stop_and_restart_the_emails():
    url = f"/community/email-preferences/{preferences_token('Alice@Alderley.example')}/"
    assert "alice@alderley.example" in Client().get(url).content.decode()
    assert not EmailPreference.objects.exists()  # reading the page changes nothing
    assert Client().post(url, {"connection_emails": "no"}).status_code == 302
    assert not wants_connection_emails("alice@alderley.example")
    Client().post(url, {"connection_emails": "yes"})
    assert wants_connection_emails("alice@alderley.example")


def test_a_tampered_link_is_not_found():
    token = preferences_token("alice@alderley.example")
    assert Client().get(f"/community/email-preferences/{token[:-2]}xx/").status_code == 404


def test_a_choice_is_required():
    url = f"/community/email-preferences/{preferences_token('a@b.example')}/"
    html = Client().post(url, {}).content.decode()
    assert "<title>Error: " in html and "Choose whether you want these emails" in html
