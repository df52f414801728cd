from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from nps.frameworks.loader import load_framework_file
from nps.frameworks.management.files import load_file


class Command(BaseCommand):
    help = "Validate a framework file (YAML) and load it as a new framework version, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The framework file to load.")

    def handle(self, *args: object, path: Path, **options: object) -> None:
        version = load_file(path, load_framework_file)
        self.stdout.write(
            f"Loaded {version} ({version.get_status_display().lower()}, {version.indices.count()} indices)."
        )
        version.framework.refresh_from_db()
        if version.is_published and version.framework.current_version_id != version.pk:
            self.stdout.write(
                f"The current version is still {version.framework.current_version}: make {version} "
                "current on the versions page (/strategy/versions/) when it should be used."
            )
