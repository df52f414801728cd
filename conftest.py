"""Shared fixtures: the personas every view test uses, and one real Chromium for browser tests."""

import os
import shutil
from collections.abc import Iterator

import pytest
from django.test import Client

from nps.accounts.models import Role, User
from nps.organisations.models import Kind, Organisation
from nps.testing import make_organisation, make_user

# Playwright's sync API keeps an event loop running in this thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """Hashing passwords slowly is the point in production and a waste of minutes in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def council_a(db: None) -> Organisation:
    return make_organisation("Alderley", kind=Kind.DISTRICT_COUNCIL)


@pytest.fixture
def council_b(db: None) -> Organisation:
    return make_organisation("Brackenshire", kind=Kind.UNITARY_AUTHORITY)


@pytest.fixture
def group(council_a: Organisation) -> Organisation:
    combined = make_organisation("Alderley and Ribble Combined Authority", kind=Kind.COMBINED_AUTHORITY)
    combined.members.add(council_a)
    return combined


@pytest.fixture
def editor(council_a: Organisation) -> User:
    """Alice leads procurement at council A."""
    return make_user("alice@alderley.example", organisation=council_a, role=Role.EDITOR, first_name="Alice")


@pytest.fixture
def approver(council_a: Organisation) -> User:
    """Abe is council A's head of procurement: he signs its returns off, and may edit them."""
    return make_user("abe@alderley.example", organisation=council_a, role=Role.APPROVER, first_name="Abe")


@pytest.fixture
def viewer(council_a: Organisation) -> User:
    """Victor is a councillor at council A: he reads and changes nothing."""
    return make_user("victor@alderley.example", organisation=council_a, role=Role.VIEWER, first_name="Victor")


@pytest.fixture
def other_editor(council_b: Organisation) -> User:
    """Charlie edits for council B and must get 404 for everything of council A."""
    return make_user("charlie@brackenshire.example", organisation=council_b, role=Role.EDITOR, first_name="Charlie")


@pytest.fixture
def group_lead(group: Organisation) -> User:
    return make_user("grace@alderley-ribble.example", organisation=group, role=Role.GROUP_LEAD, first_name="Grace")


@pytest.fixture
def national_admin(db: None) -> User:
    return make_user("nadia@national.example", is_national_admin=True, is_staff=True, first_name="Nadia")


@pytest.fixture
def client_for(db: None) -> "type[Client] | object":
    """client_for(user) gives a test client signed in as that user."""

    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


# Browser tests ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium to run the browser tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    """A fresh page that fails the test on any JavaScript error or any response with status 400 or more."""
    context = browser.new_context(base_url=live_server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"JavaScript error: {error}"))
    page.on("response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"))
    page.expected_errors = []  # a test that expects a 4xx response lists its URL fragment here
    yield page
    context.close()
    unexpected = [e for e in errors if not any(fragment in e for fragment in page.expected_errors)]
    assert not unexpected, unexpected


@pytest.fixture
def sign_in_as(page: object, live_server: object) -> object:
    """sign_in_as(user) puts a signed-in session cookie into the browser page."""

    def sign_in(user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])  # type: ignore[attr-defined]

    return sign_in


@pytest.fixture
def unreachable_mail_server(settings: object) -> Iterator[None]:
    """Django's real SMTP backend pointed at a port where nothing listens: sending fails as it does when the mail
    server is down."""
    import socket

    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))  # bound, so no one else takes the port, but not listening
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
        settings.EMAIL_HOST, settings.EMAIL_PORT = reserved.getsockname()  # type: ignore[attr-defined]
        settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
        yield
