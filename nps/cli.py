"""The `nps` command: a thin front to the project's management commands (`nps help` lists them)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nps.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nps", *sys.argv[1:]])
