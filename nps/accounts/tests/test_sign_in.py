import pytest
from django.core.cache import cache

from nps.testing import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def sign_in(client, email, password):
    return client.post("/account/sign-in/", {"username": email, "password": password})


def test_signing_in_with_email_and_password_opens_the_account_page(client, editor):
    response = sign_in(client, "alice@alderley.example", PASSWORD)
    assert response.status_code == 302 and response.url == "/account/"
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
