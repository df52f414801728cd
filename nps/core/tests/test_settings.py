"""Settings read from the environment, and fail loudly on bad values."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from nps.lib.env import env_bool, env_int
from nps.settings import BASE_DIR

SETTINGS_FILE = BASE_DIR / "nps" / "settings.py"


def run_settings(**environment: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import nps.settings"],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


def test_production_refuses_to_start_without_the_site_address_emails_link_to():
    result = run_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "Set the SITE_URL environment variable." in result.stderr


def test_production_starts_with_a_secret_key_and_a_site_address():
    assert run_settings(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL="https://nps.example.org").returncode == 0


@pytest.mark.parametrize(("helper", "value"), [(env_bool, "maybe"), (env_int, "ten")])
def test_bad_values_fail_loudly(monkeypatch, helper, value):
    monkeypatch.setenv("SOME_SETTING", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_SETTING must be"):
        helper("SOME_SETTING", True if helper is env_bool else 1)


def test_a_number_below_its_minimum_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="SOME_LIMIT must be at least 1, not 0"):
        env_int("SOME_LIMIT", 5, minimum=1)


def test_every_environment_variable_is_documented():
    names = set(re.findall(r'env_\w+\("([A-Z_]+)"', SETTINGS_FILE.read_text()))
    documented = (BASE_DIR / "docs" / "settings.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"Document these in docs/settings.md: {missing}"


def test_every_command_is_documented():
    commands = {path.stem for path in Path(BASE_DIR / "nps").glob("*/management/commands/*.py")} - {"__init__"}
    documented = (BASE_DIR / "docs" / "cli.md").read_text()
    missing = sorted(name for name in commands if f"`nps {name}" not in documented)
    assert not missing, f"Document these in docs/cli.md: {missing}"


def test_make_run_links_emails_to_the_port_it_serves_on():
    outer_make = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VENV", "PYTHON"}  # as when CI runs the tests through make
    environment = {key: value for key, value in os.environ.items() if key not in outer_make}
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=9001"], capture_output=True, text=True, cwd=BASE_DIR, check=True, env=environment
    ).stdout
    assert "SITE_URL=http://127.0.0.1:9001 .venv/bin/nps runserver 127.0.0.1:9001" in commands
