"""The processes the benchmark starts and stops: a throwaway PostgreSQL cluster, the nps commands, gunicorn."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
SECRET_KEY = secrets.token_urlsafe(50)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_environment(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings on plain HTTP at 127.0.0.1, with the benchmark's URLs (the floor view) added."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="nps.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        ROOT_URLCONF="nps.bench.urls",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return environment


def run(arguments: list[str], environment: dict[str, str]) -> tuple[float, str]:
    """Run a command from the project's root; returns the seconds it took and its output, or stops on failure."""
    started = time.monotonic()
    result = subprocess.run(arguments, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - started, result.stdout


def nps(arguments: list[str], environment: dict[str, str]) -> tuple[float, str]:
    return run([sys.executable, "manage.py", *arguments], environment)


@contextmanager
def sqlite_databases(workdir: Path) -> Iterator[Callable[[str], str]]:
    """A new SQLite file per dataset, in the benchmark's temporary folder."""
    yield lambda name: f"sqlite:///{workdir / f'{name}.sqlite3'}"


@contextmanager
def postgresql_databases() -> Iterator[Callable[[str], str]]:
    """A throwaway PostgreSQL 15 cluster on a free port (run as the postgres user: initdb refuses root), stopped and
    removed at the end; a new database per dataset."""
    if not (PGBIN / "initdb").exists():
        sys.exit(f"PostgreSQL 15 is not installed in {PGBIN}: apt-get install -y postgresql (or set PGBIN)")
    cluster = Path(tempfile.mkdtemp(prefix="nps-bench-pg-"))
    shutil.chown(cluster, "postgres", "postgres")
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"]
    data = cluster / "data"
    subprocess.run(
        [
            *as_postgres,
            str(PGBIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {cluster} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB"
    pg_ctl = [*as_postgres, str(PGBIN / "pg_ctl"), "-D", str(data), "-l", str(cluster / "log"), "-w"]
    subprocess.run([*pg_ctl, "-o", options, "start"], check=True, capture_output=True)

    def database(name: str) -> str:
        subprocess.run(
            [*as_postgres, str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"

    try:
        yield database
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], check=False, capture_output=True)
        shutil.rmtree(cluster, ignore_errors=True)


class Gunicorn:
    """gunicorn serving the app on 127.0.0.1, as in production; stopped by the id it was started with."""

    def __init__(self, environment: dict[str, str], log: Path, *, workers: int, threads: int) -> None:
        self.port = free_port()
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "nps.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=self.log,
        )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"gunicorn did not answer within a minute; see {self.log.name}")

    def workers(self) -> list[int]:
        """The worker processes' ids (gunicorn's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def memory_kb(pid: int, field: str) -> int:
    """A memory figure of a process from /proc/PID/status, in kB: VmRSS now, VmHWM the peak so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def machine() -> dict[str, object]:
    """How busy the machine is: the benchmark shares it with whatever else runs."""
    pressure = Path("/proc/pressure/cpu")
    return {
        "cpus": os.cpu_count(),
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
        "cpu_pressure": pressure.read_text().splitlines()[0] if pressure.exists() else None,
    }
