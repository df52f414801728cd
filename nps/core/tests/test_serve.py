"""`nps serve`: the production start refuses what production cannot run without, and serves with DEBUG off."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nps.core.management.commands.serve import REQUIRED_VARIABLES
from nps.settings import BASE_DIR

PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": "sqlite:////nonexistent/nps.sqlite3",
    "SITE_URL": "https://nps.example.org",
}


@pytest.mark.parametrize("missing", REQUIRED_VARIABLES)
def test_it_refuses_to_start_without_each_production_setting(monkeypatch, missing):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(CommandError, match=f"not set: {missing}. See docs/deploy.md"):
        call_command("serve")


def test_it_refuses_to_start_before_the_static_files_are_collected(monkeypatch, settings, tmp_path):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    settings.STATIC_ROOT = tmp_path
    with pytest.raises(CommandError, match="run `nps collectstatic --no-input` first"):
        call_command("serve")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, through_tls_proxy: bool = True) -> tuple[int, dict[str, str], bytes]:
    headers = {"X-Forwarded-Proto": "https"} if through_tls_proxy else {}
    try:
        with urllib.request.build_opener(NoRedirects).open(
            urllib.request.Request(url, headers=headers), timeout=10
        ) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"nps serve stopped: {server.stdout.read() if server.stdout else ''}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nps serve did not answer at {url}")


def test_it_serves_with_debug_off_and_static_files_from_whitenoise(tmp_path):
    nps = shutil.which("nps") or str(Path(BASE_DIR, ".venv", "bin", "nps"))
    port = free_port()
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nps.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DEBUG": "false",  # as in the environment file of docs/deploy.md, so collectstatic writes the manifest
        "BEHIND_HTTPS_PROXY": "true",
    }
    subprocess.run([nps, "collectstatic", "--no-input"], env=environment, check=True, capture_output=True)
    server = subprocess.Popen(
        [nps, "serve", f"--bind=127.0.0.1:{port}", "--workers=1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert get(f"http://127.0.0.1:{port}/healthz", through_tls_proxy=False)[0] == 200  # a load balancer's check
        status, headers, _ = get(f"http://127.0.0.1:{port}/rounds/", through_tls_proxy=False)
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/rounds/")
        status, headers, body = get(f"http://127.0.0.1:{port}/no-such-page")
        assert status == 404
        assert b"Traceback" not in body and b"URLconf" not in body  # Django's debug page would say both
        css = next(Path(tmp_path / "static" / "css").glob("*.*.css")).name  # the hashed name from the manifest
        status, headers, _ = get(f"http://127.0.0.1:{port}/static/css/{css}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.send_signal(signal.SIGTERM)
        log = server.communicate(timeout=30)[0]
    assert '"GET /healthz HTTP/1.1" 200' in log
