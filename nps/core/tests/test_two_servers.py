"""Two production app servers (`nps serve`, separate processes and ports) on one PostgreSQL database and one folder
of uploaded files, as behind a load balancer, checked through real HTTP. `.ci/run` runs this on its throwaway
PostgreSQL; on SQLite it is skipped, since a second machine could not share that database."""

import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import pytest

from nps.settings import BASE_DIR

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="needs PostgreSQL (.ci/run runs it on its throwaway cluster)"
)
NPS = str(Path(BASE_DIR, ".venv", "bin", "nps")) if Path(BASE_DIR, ".venv", "bin", "nps").exists() else "nps"
BOLTON = "E08000001"
CONFLICT = "Someone else saved this answer while you were editing it"


# A browser, as far as these checks need one ---------------------------------------------------------------------------


@dataclass
class Page:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class FormReader(HTMLParser):
    """The fields of each form on a page, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "form":
            self.forms.append((attrs.get("action", ""), {}))
        elif not self.forms or "name" not in attrs:
            if tag == "option" and self.select and "selected" in attrs:
                self.forms[-1][1][self.select] = attrs.get("value", "")
            return
        elif tag == "input" and (attrs.get("type") not in ("radio", "checkbox", "file") or "checked" in attrs):
            self.forms[-1][1][attrs["name"]] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.forms[-1][1][self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.forms[-1][1][self.textarea] += data.removeprefix("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_fields(page: Page, action_ends: str, having: str = "csrfmiddlewaretoken") -> dict[str, str]:
    """The fields of the page's first form whose address ends so and that has the field named."""
    reader = FormReader()
    reader.feed(page.text)
    return next(fields for action, fields in reader.forms if action.endswith(action_ends) and having in fields)


@dataclass
class Browser:
    """Keeps its cookies across servers, as one browser behind one load balancer does. The app runs as in production
    behind a TLS proxy, so each request says it came through one (X-Forwarded-Proto) to get its secure cookies."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, body: bytes = b"", content_type: str = "") -> Page:
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read())
        finally:
            connection.close()
        for cookie in page.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";")[0].split("=", 1)
            self.cookies[name] = value
        return page

    def get(self, port: int, path: str) -> Page:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]) -> Page:
        return self.request(port, "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def upload(self, port: int, path: str, fields: dict[str, str], name: str, content: bytes) -> Page:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(port, "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


# Two servers on one database ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Servers:
    environment: dict[str, str]
    ports: list[int]
    logs: Path
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)

    def start(self, port: int) -> None:
        with (self.logs / f"server-{port}.log").open("a") as log:
            self.processes[port] = subprocess.Popen(
                [NPS, "serve", f"--bind=127.0.0.1:{port}", "--workers=2"],
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(300):
            try:
                if Browser().get(port, "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"The server on {port} did not start: {(self.logs / f'server-{port}.log').read_text()}")

    def stop(self, port: int) -> None:
        process = self.processes.pop(port)
        process.send_signal(signal.SIGTERM)  # gunicorn stops listening, finishes what is under way, then exits
        process.wait(timeout=60)

    def database(self) -> psycopg.Connection:
        return psycopg.connect(self.environment["DATABASE_URL"], autocommit=True)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp("two-servers")
    name = f"nps_two_servers_{os.getpid()}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(name),
        "SITE_URL": "https://nps.example.org",
        "BEHIND_HTTPS_PROXY": "true",
        "MEDIA_ROOT": str(folder / "shared-files"),  # one folder, as an NFS mount shared by every app server
        "STATIC_ROOT": str(folder / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    for command in (["migrate", "--no-input"], ["setup"], ["demo"], ["collectstatic", "--no-input"]):
        subprocess.run([NPS, *command], env=environment, check=True, capture_output=True)
    running = Servers(environment, [free_port(), free_port()], folder)
    try:
        for port in running.ports:
            running.start(port)
        yield running
    finally:
        for port in list(running.processes):
            running.stop(port)
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def editor(servers) -> Browser:
    """The demonstration editor at Bolton, signed in through the first server."""
    browser = Browser()
    first = servers.ports[0]
    fields = form_fields(browser.get(first, "/account/sign-in/"), "")
    fields.update(username="editor@demo.example", password="demo-password-2018")
    assert browser.post(first, "/account/sign-in/", fields).status == 302
    return browser


@pytest.fixture(scope="module")
def return_path(servers) -> str:
    with servers.database() as database:
        [(round_id,)] = database.execute("SELECT id FROM assessments_round WHERE status = 'open'").fetchall()
    return f"/organisations/{BOLTON}/rounds/{round_id}/"


@pytest.fixture(scope="module")
def index_path(servers, return_path) -> str:
    with servers.database() as database:
        [(code,)] = database.execute(
            "SELECT i.code FROM assessments_answer a JOIN frameworks_index i ON i.id = a.index_id "
            "JOIN assessments_return r ON r.id = a.council_return_id JOIN organisations_organisation o "
            "ON o.id = r.organisation_id WHERE o.gss_code = %s AND r.status != 'submitted' ORDER BY i.code LIMIT 1",
            [BOLTON],
        ).fetchall()
    return f"{return_path}indices/{code}/"


# What the load balancer must not break --------------------------------------------------------------------------------


def test_a_session_signed_in_on_one_server_continues_on_the_other(servers, editor):
    page = editor.get(servers.ports[1], "/returns/")
    assert page.status == 200 and "Bolton" in page.text


def test_a_file_uploaded_through_one_server_downloads_through_the_other(servers, editor, index_path):
    first, second = servers.ports
    fields = form_fields(editor.get(first, index_path), "evidence/")
    content = f"Procurement plan {uuid.uuid4()}".encode()
    assert editor.upload(first, index_path + "evidence/", fields, "plan.txt", content).status == 302
    with servers.database() as database:
        [(file_id,)] = database.execute("SELECT max(id) FROM assessments_evidencefile").fetchall()
    download = editor.get(second, f"{index_path}evidence/{file_id}/")
    assert download.status == 200 and download.body == content


def test_a_change_through_one_server_changes_the_report_the_other_serves(servers, editor, return_path, index_path):
    first, second = servers.ports

    def planned() -> int:
        page = editor.get(second, return_path + "report/")
        assert page.status == 200
        found = re.search(r"(\d+) planned", page.text)
        assert found, "The report says how many actions are planned"
        return int(found[1])

    before = planned()
    assert planned() == before  # now from the shared cache
    fields = form_fields(editor.get(first, index_path + "actions/new/"), "")
    fields.update(title="Publish a pipeline", owner="Head of procurement", status="planned", aim_level="5")
    fields.update(due_date_0="31", due_date_1="3", due_date_2="2030")
    assert editor.post(first, index_path + "actions/new/", fields).status == 302
    assert planned() == before + 1


def test_two_saves_of_one_answer_at_once_through_both_servers_give_one_conflict_and_lose_nothing(
    servers, editor, index_path
):
    fields = form_fields(editor.get(servers.ports[0], index_path), "", having="version")
    mine = {**fields, "evidence": "Saved through the first server"}
    theirs = {**fields, "evidence": "Saved through the second server"}
    with ThreadPoolExecutor(2) as pool:
        saving = pool.map(lambda port, values: editor.post(port, index_path, values), servers.ports, [mine, theirs])
        pages = list(saving)
    assert sorted(page.status for page in pages) == [200, 302]
    [refused] = [page for page in pages if page.status == 200]
    assert CONFLICT in refused.text
    saved = mine if refused is pages[1] else theirs
    assert saved["evidence"] in editor.get(servers.ports[1], index_path).text


def test_no_request_fails_while_one_server_restarts(servers, editor):
    """Requests go to each server in turn; one refused at connection goes to the other, as a load balancer does."""
    failures: list[str] = []
    answered = 0
    restarting = threading.Event()
    restarting.set()

    def keep_asking() -> None:
        nonlocal answered
        for number in range(5000):
            if not restarting.is_set():
                return
            ports = servers.ports if number % 2 else servers.ports[::-1]
            path = "/returns/" if number % 3 else "/healthz"
            try:
                page = ask_either(ports, path)
            except OSError as error:
                failures.append(f"{path}: {error}")
                continue
            answered += 1
            if page.status != 200:
                failures.append(f"{path}: {page.status}")

    def ask_either(ports: list[int], path: str) -> Page:
        try:
            return editor.get(ports[0], path)
        except (ConnectionRefusedError, ConnectionResetError):
            return editor.get(ports[1], path)

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        time.sleep(1)
        servers.stop(servers.ports[0])
        time.sleep(1)
        servers.start(servers.ports[0])
        servers.processes[servers.ports[1]].send_signal(signal.SIGHUP)  # gunicorn's graceful reload of its workers
        time.sleep(3)
    finally:
        restarting.clear()
        asking.join()
    assert failures == [] and answered > 20
