import datetime
import re

import pytest
import time_machine
from django.core.cache import cache

from nps.testing import emails_sent, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def ask_for_reset(client, email, *, address="127.0.0.1", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post("/account/password-reset/", {"email": email}, REMOTE_ADDR=address, headers=headers)
    assert response.status_code == 302 and response.url == "/account/password-reset/sent/"
    return response


def test_a_password_reset_email_lets_you_choose_a_new_password(client, editor):
    response = client.post("/account/password-reset/", {"email": "alice@alderley.example"})
    assert response.status_code == 302 and response.url == "/account/password-reset/sent/"
    assert len(emails_sent()) == 1
    message = emails_sent()[0]
    assert message.to == ["alice@alderley.example"]
    assert message.subject == "Reset your password for the NPS toolkit"
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("a-new-long-passphrase")


def test_an_unknown_address_gets_the_same_page_and_no_email(client, db):
    response = client.post("/account/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert emails_sent() == []


def test_a_used_or_broken_link_says_what_to_do(client, editor):
    html = client.get("/account/password-reset/MQ/set-password/", follow=True).content.decode()
    assert "This link cannot be used" in html


def test_reset_emails_to_one_address_stop_after_the_limit_without_changing_the_answer(client, editor):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        for number in range(5):
            ask_for_reset(client, "alice@alderley.example", address=f"203.0.113.{number}")
        assert len(emails_sent()) == 3
        traveller.shift(datetime.timedelta(minutes=61))
        ask_for_reset(client, "Alice@Alderley.example")
    assert len(emails_sent()) == 4


def test_reset_requests_from_one_client_address_stop_after_the_limit(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    people = [make_user(f"person{number}@alderley.example") for number in range(10)]
    for number, person in enumerate(people):
        ask_for_reset(client, person.email, address="10.0.0.2", forwarded_for=f"192.0.2.{number}, 203.0.113.66")
    ask_for_reset(client, "alice@alderley.example", address="10.0.0.2", forwarded_for="203.0.113.66")
    assert "alice@alderley.example" not in [message.to[0] for message in emails_sent()]
    ask_for_reset(client, "alice@alderley.example", address="10.0.0.2", forwarded_for="198.51.100.7")
    assert emails_sent()[-1].to == ["alice@alderley.example"]
    assert len(emails_sent()) == 11
