import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import IntegrityError
from django.test import Client

from nps.accounts import services, sessions
from nps.accounts.models import ApiToken, SignedInSession
from nps.core.models import AuditEvent
from nps.testing import database_refuses, database_rows

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"


def browser(user, user_agent=FIREFOX, address="192.0.2.10"):
    """A browser signed in as the person, which has opened a page."""
    client = Client(headers={"User-Agent": user_agent}, REMOTE_ADDR=address)
    client.force_login(user)
    client.get("/account/")
    return client


def is_signed_in(client):
    return client.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (FIREFOX, "Firefox on Windows"),
        (SAFARI, "Safari on iPhone"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Chrome/141.0 Safari/537.36 Edg/141.0", "Edge on macOS"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/141.0 Safari/537.36", "Chrome on Linux"),
        ("Mozilla/5.0 (Linux; Android 15) Chrome/141.0 Mobile Safari/537.36", "Chrome on Android"),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_a_browser_is_named_as_people_know_it(user_agent, name):
    assert sessions.browser_name(user_agent) == name


def test_each_browser_signed_in_is_listed_with_its_address_and_times(editor):
    browser(editor, SAFARI, "198.51.100.7")
    html = browser(editor).get("/account/sessions/").content.decode()
    assert "Firefox on Windows" in html and "192.0.2.10" in html and "This browser" in html
    assert "Safari on iPhone" in html and "198.51.100.7" in html
    assert html.count("This browser") == 1


def test_another_persons_sessions_are_not_listed(editor, viewer):
    browser(viewer, SAFARI)
    assert "Safari" not in browser(editor).get("/account/sessions/").content.decode()


def test_where_someone_is_signed_in_is_noted_at_most_once_a_minute(editor):
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client = browser(editor)
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        client.get("/account/")
    assert SignedInSession.objects.get().last_seen_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        client.get("/account/")
    assert SignedInSession.objects.get().last_seen_at == start + datetime.timedelta(seconds=61)


def test_signing_out_another_browser_ends_its_session(editor):
    phone, laptop = browser(editor, SAFARI), browser(editor)
    phone_session = SignedInSession.objects.get(user_agent=SAFARI)
    response = laptop.post(f"/account/sessions/{phone_session.pk}/sign-out/", follow=True)
    assert "Signed out of Safari on iPhone." in response.content.decode()
    assert not is_signed_in(phone) and is_signed_in(laptop)
    assert AuditEvent.objects.filter(action="session_ended", actor=editor).exists()


def test_nobody_can_sign_out_another_persons_session(editor, other_editor):
    browser(editor, SAFARI)
    theirs = SignedInSession.objects.get(user=editor)
    assert browser(other_editor).post(f"/account/sessions/{theirs.pk}/sign-out/").status_code == 404
    assert Session.objects.filter(session_key=theirs.session_id).exists()


def test_signing_out_everywhere_else_keeps_this_browser_signed_in(editor):
    phone, tablet, laptop = browser(editor, SAFARI), browser(editor, SAFARI), browser(editor)
    response = laptop.post("/account/sessions/sign-out-others/", follow=True)
    assert "Signed out of 2 other sessions." in response.content.decode()
    assert not is_signed_in(phone) and not is_signed_in(tablet) and is_signed_in(laptop)


def test_signing_out_removes_the_record_of_where(editor):
    client = browser(editor)
    client.post("/account/sign-out/")
    assert not SignedInSession.objects.exists()


def test_the_national_team_signs_an_account_out_everywhere_and_revokes_its_tokens(editor, national_admin):
    phone, laptop = browser(editor, SAFARI), browser(editor)
    token = services.create_api_token(editor, "Spreadsheet")
    admin = browser(national_admin)
    html = admin.get(f"/people/{editor.pk}/end-sessions/").content.decode()
    assert "Browsers signed in" in html and "API tokens" in html
    response = admin.post(f"/people/{editor.pk}/end-sessions/", follow=True)
    assert "alice@alderley.example is signed out of 2 sessions; 1 API token revoked." in response.content.decode()
    assert not is_signed_in(phone) and not is_signed_in(laptop) and is_signed_in(admin)
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    event = AuditEvent.objects.get(action="all_sessions_ended")
    assert event.actor == national_admin and "alice@alderley.example" in event.description


def test_the_national_team_finds_the_way_from_a_councils_people(editor, national_admin, council_a):
    html = browser(national_admin).get(f"/organisations/{council_a.gss_code}/team/").content.decode()
    assert f"/people/{editor.pk}/end-sessions/" in html
    assert (
        f"/people/{editor.pk}/end-sessions/"
        not in browser(editor).get(f"/organisations/{council_a.gss_code}/team/").content.decode()
    )


@pytest.mark.parametrize("persona", ["editor", "group_lead", "other_editor"])
def test_only_the_national_team_may_end_someone_elses_sessions(request, persona, viewer):
    client = browser(request.getfixturevalue(persona))
    assert client.get(f"/people/{viewer.pk}/end-sessions/").status_code == 404
    assert client.post(f"/people/{viewer.pk}/end-sessions/").status_code == 404


def test_ending_all_sessions_is_all_or_nothing(editor, national_admin):
    browser(editor)
    services.create_api_token(editor, "Spreadsheet")
    before = database_rows(), Session.objects.count(), SignedInSession.objects.count()
    with database_refuses("INSERT", AuditEvent), pytest.raises(IntegrityError):
        sessions.end_all_sessions(editor, by=national_admin)
    assert (database_rows(), Session.objects.count(), SignedInSession.objects.count()) == before
    assert ApiToken.objects.filter(user=editor).exists()
