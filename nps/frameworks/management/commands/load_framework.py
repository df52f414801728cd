from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nps.frameworks.loader import load_framework_file
from nps.frameworks.schema import MAX_FILE_BYTES, FrameworkFileError, decoded


class Command(BaseCommand):
    help = "Validate a framework file (YAML) and load it as a new framework version, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The framework file to load.")

    def handle(self, *args: object, path: Path, **options: object) -> None:
        try:
            with path.open("rb") as file:
                version = load_framework_file(decoded(file.read(MAX_FILE_BYTES + 1)))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}") from None
        except FrameworkFileError as error:
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"{path} was not loaded; {len(error.problems)} problem(s):\n{lines}") from None
        self.stdout.write(
            f"Loaded {version} ({version.get_status_display().lower()}, {version.indices.count()} indices)."
        )
