from django.core.management.base import BaseCommand, CommandError, CommandParser

from nps.frameworks.exporter import export_framework
from nps.frameworks.models import FrameworkVersion


class Command(BaseCommand):
    help = "Write a framework version to standard output in the framework file format (YAML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework", help='The framework code, for example "nps".')
        parser.add_argument("version", help='The version code, for example "2018".')

    def handle(self, *args: object, framework: str, version: str, **options: object) -> None:
        found = FrameworkVersion.objects.filter(framework__code=framework, code=version).first()
        if found is None:
            raise CommandError(f"There is no version {version!r} of framework {framework!r}.")
        self.stdout.write(export_framework(found), ending="")
