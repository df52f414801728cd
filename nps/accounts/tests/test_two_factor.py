import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nps.accounts import services
from nps.core.models import AuditEvent
from nps.testing import authenticator_code, set_up_two_factor

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def production(settings):
    """Production settings: the national team and group leads must use a second factor."""
    settings.TWO_FACTOR_REQUIRED = True


def sign_in_with_password(client, user, next_page=""):
    return client.post(f"/account/sign-in/{next_page}", {"username": user.email, "password": PASSWORD})


def is_signed_in(client):
    return client.get("/account/").status_code == 200


def test_someone_with_two_factor_is_not_signed_in_by_their_password_alone(client, editor):
    set_up_two_factor(editor)
    response = sign_in_with_password(client, editor)
    assert response.status_code == 302 and response.url == "/account/sign-in/code/"
    assert not is_signed_in(client)


def test_the_code_from_their_app_signs_them_in_and_takes_them_where_they_were_going(client, editor):
    set_up_two_factor(editor)
    sign_in_with_password(client, editor, "?next=/account/api-tokens/")
    response = client.post("/account/sign-in/code/", {"code": authenticator_code(editor)})
    assert response.status_code == 302 and response.url == "/account/api-tokens/"
    assert is_signed_in(client)


def test_a_wrong_code_says_so_and_does_not_sign_in(client, editor):
    set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    right = authenticator_code(editor)
    html = client.post("/account/sign-in/code/", {"code": "000000" if right != "000000" else "111111"}).content.decode()
    assert "<title>Error: Enter the code" in html and "The code is not right or has expired" in html
    assert not is_signed_in(client)


def test_wrong_codes_make_the_next_attempt_wait(client, editor):
    set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    right = authenticator_code(editor)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        client.post("/account/sign-in/code/", {"code": "000000" if right != "000000" else "111111"})
        html = client.post("/account/sign-in/code/", {"code": right}).content.decode()
    assert "Too many wrong codes" in html
    assert not is_signed_in(client)


def test_a_recovery_code_signs_them_in_once(client, editor):
    codes = set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    response = client.post("/account/sign-in/recovery-code/", {"code": codes[0].upper()})
    assert response.status_code == 302 and is_signed_in(client)
    other = Client()
    sign_in_with_password(other, editor)
    html = other.post("/account/sign-in/recovery-code/", {"code": codes[0]}).content.decode()
    assert "Enter a recovery code you have not used before" in html
    assert StaticToken.objects.filter(device__user=editor).count() == 9


def test_the_code_page_asks_for_the_password_again_after_ten_minutes(client, editor):
    set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=11)):
        response = client.post("/account/sign-in/code/", {"code": authenticator_code(editor)})
    assert response.status_code == 302 and response.url == "/account/sign-in/"
    assert not is_signed_in(client)


def test_the_code_page_is_empty_without_a_password_first(client, editor):
    set_up_two_factor(editor)
    assert client.get("/account/sign-in/code/").url == "/account/sign-in/"


def test_a_session_that_skipped_the_second_factor_is_signed_out(client_for, editor):
    """Ways in that ask only for a password (the admin's own sign-in page, for one) do not get past the code."""
    set_up_two_factor(editor)
    client = client_for(editor)
    response = client.get("/account/")
    assert response.status_code == 302 and response.url.startswith("/account/sign-in/")
    assert not is_signed_in(client)


def test_setting_up_shows_the_secret_as_text_and_as_a_qr_code_and_saves_nothing_yet(client_for, editor):
    client = client_for(editor)
    html = client.get("/account/two-factor/set-up/").content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html)[1]
    assert len(secret.replace(" ", "")) == 32
    assert 'src="data:image/svg+xml;base64,' in html and 'alt="QR code' in html
    assert secret in client.get("/account/two-factor/set-up/").content.decode()  # the same secret on reloading
    assert not TOTPDevice.objects.exists()


def test_setting_up_needs_a_code_from_the_app_then_shows_ten_recovery_codes_once(client_for, editor):
    client = client_for(editor)
    client.get("/account/two-factor/set-up/")
    html = client.post("/account/two-factor/set-up/", {"code": "123"}).content.decode()
    assert "The code is not right" in html and not TOTPDevice.objects.exists()
    secret = client.session["two_factor_secret"]
    html = client.post("/account/two-factor/set-up/", {"code": authenticator_code(secret)}).content.decode()
    assert "Two-factor authentication is on" in html
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert AuditEvent.objects.filter(action="two_factor_turned_on", actor=editor).exists()
    assert is_signed_in(client)  # this session has just proved the second factor


def test_new_recovery_codes_replace_the_old_ones(client, editor):
    old = set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    client.post("/account/sign-in/recovery-code/", {"code": old[0]})
    html = client.post("/account/two-factor/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == set(new)


def test_someone_whose_role_does_not_need_it_can_turn_it_off(client, editor):
    set_up_two_factor(editor)
    sign_in_with_password(client, editor)
    client.post("/account/sign-in/code/", {"code": authenticator_code(editor)})
    client.post("/account/two-factor/turn-off/")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert sign_in_with_password(Client(), editor).url == "/"


def test_in_production_settings_the_national_team_reaches_nothing_but_two_factor_setup(
    client, national_admin, production
):
    response = sign_in_with_password(client, national_admin)
    assert response.status_code == 302
    for page in ["/", "/account/", "/rounds/", "/strategy/manage/", "/admin/", "/api/v1/me"]:
        response = client.get(page)
        assert response.status_code == 302 and response.url == "/account/two-factor/set-up/", page
    assert client.get("/account/two-factor/set-up/").status_code == 200
    secret = client.session["two_factor_secret"]
    client.post("/account/two-factor/set-up/", {"code": authenticator_code(secret)})
    assert client.get("/rounds/").status_code == 200


def test_in_production_settings_group_leads_must_set_it_up_and_editors_need_not(
    client_for, group_lead, editor, production
):
    assert client_for(group_lead).get("/account/").url == "/account/two-factor/set-up/"
    assert client_for(editor).get("/account/").status_code == 200


def test_in_production_settings_the_national_team_cannot_turn_it_off(client, national_admin, production):
    set_up_two_factor(national_admin)
    sign_in_with_password(client, national_admin)
    client.post("/account/sign-in/code/", {"code": authenticator_code(national_admin)})
    html = client.post("/account/two-factor/turn-off/", follow=True).content.decode()
    assert "Your role needs two-factor authentication" in html
    assert TOTPDevice.objects.filter(user=national_admin).exists()


def test_development_settings_let_the_national_team_sign_in_with_a_password_alone(client, national_admin):
    assert sign_in_with_password(client, national_admin).url == "/"
    assert client.get("/rounds/").status_code == 200


def test_api_tokens_keep_working_for_an_account_that_must_use_two_factor(client, national_admin, production):
    set_up_two_factor(national_admin)
    token = services.create_api_token(national_admin, "Reporting system")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["email"] == national_admin.email


def test_api_tokens_keep_working_for_an_account_that_has_not_set_it_up_yet(client, group_lead, production):
    token = services.create_api_token(group_lead, "Reporting system")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["email"] == group_lead.email
