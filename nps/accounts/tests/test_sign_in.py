import datetime
import re

import pytest
import time_machine
from django.core.cache import cache

from nps.testing import emails_sent, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
BALANCER = "10.0.0.2"
ALICE, VICTOR = "alice@alderley.example", "victor@alderley.example"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def sign_in(client, email, password, *, address="127.0.0.1", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/account/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def is_refused(response):
    return response.status_code == 200 and "Too many failed attempts" in response.content.decode()


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def behind_a_balancer(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_signing_in_with_email_and_password_opens_the_home_page(client, editor):
    response = sign_in(client, "alice@alderley.example", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert "Alderley" in client.get("/account/").content.decode()


def test_a_wrong_password_gives_an_error_summary(client, editor):
    response = sign_in(client, "alice@alderley.example", "nope")
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert "govuk-error-summary" in html and "Enter a correct email address and password" in html


def test_sign_in_is_refused_after_repeated_failures_even_with_the_right_password(client, editor):
    for _ in range(5):
        sign_in(client, "alice@alderley.example", "nope")
    response = sign_in(client, "alice@alderley.example", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()


def test_failures_for_one_address_do_not_lock_out_another_person(client, editor, viewer):
    for _ in range(4):
        sign_in(client, "alice@alderley.example", "nope")
    assert sign_in(client, "victor@alderley.example", PASSWORD).status_code == 302


def test_behind_a_balancer_one_persons_wrong_passwords_do_not_lock_out_another_account(
    client, editor, viewer, behind_a_balancer
):
    for _ in range(5):
        sign_in(client, ALICE, "nope", address=BALANCER, forwarded_for="203.0.113.5")
    assert sign_in(client, VICTOR, PASSWORD, address=BALANCER, forwarded_for="198.51.100.7").status_code == 302
    assert sign_in(client, VICTOR, PASSWORD, address=BALANCER, forwarded_for="203.0.113.5").status_code == 302


def test_the_right_password_from_another_address_works_while_someone_hammers_the_account(client, editor):
    for _ in range(10):
        sign_in(client, ALICE, "nope", address="203.0.113.66")
    assert is_refused(sign_in(client, ALICE, PASSWORD, address="203.0.113.66"))
    assert sign_in(client, ALICE, PASSWORD, address="198.51.100.7").status_code == 302


def test_wrong_passwords_from_many_addresses_lock_the_account_everywhere_for_the_window(client, editor, frozen_time):
    for attacker in range(4):
        for _ in range(5):
            sign_in(client, ALICE, "nope", address=f"203.0.113.{attacker}")
    assert is_refused(sign_in(client, ALICE, PASSWORD, address="198.51.100.7"))
    frozen_time.shift(datetime.timedelta(minutes=16))
    assert sign_in(client, ALICE, PASSWORD, address="198.51.100.7").status_code == 302


def test_the_refusal_lasts_the_whole_window_after_the_failures(client, editor, frozen_time):
    for _ in range(5):
        sign_in(client, ALICE, "nope")
        frozen_time.shift(datetime.timedelta(minutes=1))
    frozen_time.shift(datetime.timedelta(minutes=9))
    assert is_refused(sign_in(client, ALICE, PASSWORD))
    frozen_time.shift(datetime.timedelta(minutes=2))
    assert sign_in(client, ALICE, PASSWORD).status_code == 302


def test_wrong_passwords_for_many_accounts_from_one_address_lock_that_address(client, editor, viewer):
    for number in range(10):
        sign_in(client, f"guess{number}@alderley.example", "Password1", address="203.0.113.66")
    assert is_refused(sign_in(client, VICTOR, PASSWORD, address="203.0.113.66"))
    assert sign_in(client, VICTOR, PASSWORD, address="198.51.100.7").status_code == 302


def test_a_spoofed_forwarded_for_header_cannot_evade_the_limits(client, editor, viewer, behind_a_balancer):
    for number in range(5):
        sign_in(client, ALICE, "nope", address=BALANCER, forwarded_for=f"192.0.2.{number}, 203.0.113.66")
    assert is_refused(sign_in(client, ALICE, PASSWORD, address=BALANCER, forwarded_for="192.0.2.99, 203.0.113.66"))
    for number in range(10):
        spoofed = f"192.0.2.{number}, 198.51.100.{number}, 203.0.113.66"
        sign_in(client, f"guess{number}@alderley.example", "Password1", address=BALANCER, forwarded_for=spoofed)
    assert is_refused(sign_in(client, VICTOR, PASSWORD, address=BALANCER, forwarded_for="192.0.2.1, 203.0.113.66"))


def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(client, editor):
    for number in range(5):
        sign_in(client, ALICE, "nope", address="203.0.113.66", forwarded_for=f"192.0.2.{number}")
    assert is_refused(sign_in(client, ALICE, PASSWORD, address="203.0.113.66", forwarded_for="198.51.100.7"))


def test_a_sign_in_without_a_password_does_not_clear_the_failures(client, editor):
    for _ in range(4):
        sign_in(client, ALICE, "nope")
    sign_in(client, ALICE, "")
    sign_in(client, ALICE, "nope")
    assert is_refused(sign_in(client, ALICE, PASSWORD))


def test_choosing_a_new_password_lifts_the_refusal(client, editor):
    for _ in range(5):
        sign_in(client, ALICE, "nope")
    client.post("/account/password-reset/", {"email": ALICE})
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", emails_sent()[-1].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    assert client.post(form_page.redirect_chain[-1][0], new_password).status_code == 302
    assert sign_in(client, ALICE, "a-new-long-passphrase").status_code == 302


def test_signing_out_needs_a_post(client, editor):
    client.force_login(editor)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_the_account_page_needs_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response.url.startswith("/account/sign-in/")


def test_demonstration_accounts_are_labelled(client):
    user = make_user("demo@demo.example", is_demo=True)
    client.force_login(user)
    html = client.get("/account/").content.decode()
    assert "Demonstration account" in html
    assert "signed in with a demonstration account" in html
