from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nps.organisations.loader import DATA_DIR, OrganisationDataError, load_organisations


class Command(BaseCommand):
    help = "Load or update the English and Welsh councils, combined authorities and fire and rescue authorities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="Folder holding the five reference CSV files."
        )

    def handle(self, *args: object, data_dir: Path, **options: object) -> None:
        try:
            report = load_organisations(data_dir)
        except OrganisationDataError as error:
            raise CommandError("Nothing was loaded:\n" + "\n".join(error.errors)) from None
        self.stdout.write(
            f"Organisations: {report.created} created, {report.updated} updated, "
            f"{report.memberships} group memberships, {report.successions} successions."
        )
