"""Single sign-on against a real OpenID Connect provider: the npm package oidc-provider, started on 127.0.0.1 by
tools/oidc-provider/provider.mjs (installed with `npm ci` there). The whole flow runs for real: the redirect to the
provider, its sign-in page, the code sent back, the token exchange, the signature check of the ID token against the
provider's published keys, and the user information. Without Node or the package the tests skip, except in CI."""

import datetime
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import Client
from django.utils import timezone

from nps.accounts.models import Invitation, User, hash_token, new_token
from nps.core.models import AuditEvent
from nps.settings import BASE_DIR
from nps.testing import authenticator_code, set_up_two_factor

pytestmark = pytest.mark.django_db
PROVIDER = BASE_DIR / "tools" / "oidc-provider"
CLIENT_ID, CLIENT_SECRET = "nps-toolkit", "a-secret-only-for-the-tests"
CALLBACK = "http://testserver/account/sign-in/organisation/callback/"


@pytest.fixture(scope="module")
def identity_provider() -> Iterator[str]:
    """A running provider; its issuer address, such as http://127.0.0.1:40123."""
    node = shutil.which("node")
    if node is None or not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        message = f"Node or oidc-provider is missing: run `npm ci` in {PROVIDER} to run the single sign-on tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    environment = {**os.environ, "PORT": "0", "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET}
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=PROVIDER,
            env={**environment, "REDIRECT_URI": CALLBACK},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line.startswith("listening on "):
                errors.seek(0)
                pytest.fail(f"The identity provider did not start: {line}{errors.read()}")
            yield line.removeprefix("listening on ").strip()
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()  # type: ignore[union-attr]


@pytest.fixture
def single_sign_on(settings, identity_provider):
    """Settings as the environment variables in docs/settings.md make them."""
    settings.SINGLE_SIGN_ON = True
    settings.SINGLE_SIGN_ON_NAME = "your Alderley Microsoft account"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{identity_provider}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{identity_provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{identity_provider}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{identity_provider}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "nps.accounts.single_sign_on.SingleSignOnBackend",
    ]


def sign_in_at_the_provider(client: Client, email: str, next_page: str = "/"):
    """Press the button on the sign-in page, sign in at the provider as the person, and come back."""
    start = client.get(f"/account/sign-in/organisation/?next={next_page}")
    assert start.status_code == 302
    with requests.Session() as browser:
        page = browser.get(start["Location"], timeout=10)
        action = re.findall(r'<form[^>]*action="([^"]+)"', page.text)[0]
        form = {"prompt": "login", "login": email, "password": "any"}
        answer = browser.post(urljoin(page.url, action), data=form, allow_redirects=False, timeout=10)
        while not answer.headers["Location"].startswith(CALLBACK):
            answer = browser.get(urljoin(answer.url, answer.headers["Location"]), allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client: Client) -> str | None:
    response = client.get("/api/v1/me")
    return response.json()["email"] if response.status_code == 200 else None


def test_someone_with_an_account_signs_in_with_their_organisations_account(single_sign_on, editor):
    client = Client()
    assert "Sign in with your Alderley Microsoft account" in client.get("/account/sign-in/").content.decode()
    response = sign_in_at_the_provider(client, "Alice@Alderley.example", next_page="/account/api-tokens/")
    assert response.status_code == 302 and response.url == "/account/api-tokens/"
    assert signed_in_as(client) == "alice@alderley.example"
    assert list(editor.memberships.values_list("role", flat=True)) == ["editor"]  # unchanged by signing in


def test_someone_invited_gets_an_account_without_a_role_and_the_invitation_gives_it(single_sign_on, council_a, editor):
    token = new_token()
    Invitation.objects.create(
        organisation=council_a, email="val@alderley.example", role="viewer", token_hash=hash_token(token)
    )
    client = Client()
    assert "Sign in with your Alderley Microsoft account" in client.get(f"/invitations/{token}/").content.decode()
    response = sign_in_at_the_provider(client, "val@alderley.example", next_page=f"/invitations/{token}/")
    assert response.url == f"/invitations/{token}/"
    val = User.objects.get(email="val@alderley.example")
    assert signed_in_as(client) == val.email
    assert not val.memberships.exists() and not val.is_national_admin and not val.has_usable_password()
    assert AuditEvent.objects.filter(action="account_created", actor=val).exists()
    client.post(f"/invitations/{token}/")
    assert list(val.memberships.values_list("role", flat=True)) == ["viewer"]


def test_someone_nobody_invited_gets_no_account(single_sign_on, editor):
    client = Client()
    response = sign_in_at_the_provider(client, "mallory@elsewhere.example")
    assert response.status_code == 302 and response.url == "/account/sign-in/"
    assert "procurement lead or the national team for an invitation" in client.get(response.url).content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="mallory@elsewhere.example").exists()


def test_an_expired_invitation_creates_no_account(single_sign_on, council_a):
    Invitation.objects.create(
        organisation=council_a,
        email="val@alderley.example",
        role="viewer",
        token_hash=hash_token(new_token()),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client = Client()
    sign_in_at_the_provider(client, "val@alderley.example")
    assert not User.objects.filter(email="val@alderley.example").exists()


def test_the_second_factor_is_still_asked_for(single_sign_on, editor):
    set_up_two_factor(editor)
    client = Client()
    response = sign_in_at_the_provider(client, editor.email)
    assert response.url == "/account/sign-in/code/"
    assert signed_in_as(client) is None
    response = client.post("/account/sign-in/code/", {"code": authenticator_code(editor)})
    assert signed_in_as(client) == editor.email


def test_single_sign_on_is_off_unless_configured(client, editor):
    assert client.get("/account/sign-in/organisation/").status_code == 404
    assert client.get("/account/sign-in/organisation/callback/?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get("/account/sign-in/").content.decode()


def test_an_address_outside_the_domains_the_provider_may_vouch_for_is_refused(single_sign_on, settings, editor):
    settings.OIDC_EMAIL_DOMAINS = ["ribble.example"]
    client = Client()
    response = sign_in_at_the_provider(client, editor.email)
    assert response.url == "/account/sign-in/" and signed_in_as(client) is None
