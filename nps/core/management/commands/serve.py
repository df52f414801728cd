"""`nps serve`: the production start, gunicorn with DEBUG off (see docs/deploy.md).

Synchronous workers, one per core: the benchmark found threads slower for this app, whose requests mostly compute
(bench/README.md, "Threads: slower, not faster"). Static files come from `nps collectstatic`'s folder through
WhiteNoise, so the manifest must exist before the first request.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

REQUIRED_VARIABLES = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL")
# Who asked (the proxy's X-Forwarded-For, then the connecting address), what, the answer, its size and its time.
ACCESS_LOG_FORMAT = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'


def missing_variables(environment: dict[str, str]) -> list[str]:
    return [name for name in REQUIRED_VARIABLES if not environment.get(name, "").strip()]


def gunicorn_arguments(*, bind: str, workers: int, timeout: int) -> list[str]:
    return [
        "nps.wsgi",
        f"--bind={bind}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--timeout={timeout}",
        "--graceful-timeout=30",  # a restart lets requests under way finish
        "--keep-alive=5",  # longer than none, shorter than a load balancer's idle timeout
        "--max-requests=2000",  # a worker is replaced now and then, so no slow growth of memory lasts
        "--max-requests-jitter=200",
        "--access-logfile=-",
        f"--access-logformat={ACCESS_LOG_FORMAT}",
        "--error-logfile=-",
        "--no-control-socket",  # several servers on one machine would share its one path; signals do the same
    ]


class Command(BaseCommand):
    help = (
        "Serve the app in production: gunicorn with DEBUG off, one synchronous worker per core, static files "
        "through WhiteNoise. Refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and SITE_URL, or "
        "before `nps collectstatic`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address and port to listen on.")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 2, help="Worker processes; one per core by default."
        )
        parser.add_argument("--timeout", type=int, default=60, help="Seconds before a silent worker is restarted.")

    def handle(self, *args: object, bind: str, workers: int, timeout: int, **options: object) -> None:
        missing = missing_variables(dict(os.environ))
        if missing:
            raise CommandError(
                f"nps serve needs these environment variables, which are not set: {', '.join(missing)}. "
                "See docs/deploy.md."
            )
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            raise CommandError(f"No static files at {settings.STATIC_ROOT}: run `nps collectstatic --no-input` first.")
        arguments = gunicorn_arguments(bind=bind, workers=workers, timeout=timeout)
        self.stdout.write(f"Serving at {bind} with {workers} workers; DEBUG is off.")
        self.stdout.flush()
        # The process becomes gunicorn, so a service manager's signals reach it directly.
        os.execve(sys.executable, [sys.executable, "-m", "gunicorn", *arguments], {**os.environ, "DEBUG": "false"})
