import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_password_reset_email_lets_you_choose_a_new_password(client, editor):
    response = client.post("/account/password-reset/", {"email": "alice@alderley.example"})
    assert response.status_code == 302 and response.url == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
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
    assert mail.outbox == []


def test_a_used_or_broken_link_says_what_to_do(client, editor):
    html = client.get("/account/password-reset/MQ/set-password/", follow=True).content.decode()
    assert "This link cannot be used" in html
