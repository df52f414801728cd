from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from nps.frameworks.crosswalks import load_crosswalk_file
from nps.frameworks.management.files import load_file


class Command(BaseCommand):
    help = "Validate a crosswalk file (YAML) between two loaded framework versions and load it, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The crosswalk file to load.")

    def handle(self, *args: object, path: Path, **options: object) -> None:
        crosswalk = load_file(path, load_crosswalk_file)
        self.stdout.write(f"Loaded {crosswalk} ({crosswalk.mappings.count()} mappings).")
