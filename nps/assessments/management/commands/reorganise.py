from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nps.assessments.reorganisation import carry_over_due, record_reorganisation
from nps.organisations.models import Organisation
from nps.organisations.reorganisation import COLUMNS, ReorganisationError, read_changes, rename_code


class Command(BaseCommand):
    help = (
        "Record a reorganisation of local government from a CSV file (columns: "
        f"{', '.join(COLUMNS)}), give an organisation the GSS code ONS issued in place of its provisional one, or "
        "finish the reorganisations whose effective date has come (run daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, help="CSV of the changes, one line per predecessor and successor."
        )
        parser.add_argument(
            "--rename", nargs=2, metavar=("OLD", "NEW"), help="Rename a provisional code to a GSS code."
        )
        parser.add_argument(
            "--carry-over", action="store_true", help="Move people and close returns of councils abolished by now."
        )

    def handle(
        self, *args: object, file: Path | None, rename: list[str] | None, carry_over: bool, **options: object
    ) -> None:
        try:
            if file is not None:
                predecessors = record_reorganisation(read_changes(file.read_text(encoding="utf-8")), by=None)
                self.stdout.write(f"Recorded the reorganisation of {len(predecessors)} organisations.")
            if rename:
                self.rename(*rename)
            if carry_over:
                finished = carry_over_due(by=None)
                self.stdout.write(f"Finished the reorganisation of {len(finished)} abolished organisations.")
        except ReorganisationError as error:
            raise CommandError("Nothing was changed:\n" + "\n".join(error.errors)) from None
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        if file is None and not rename and not carry_over:
            raise CommandError("Give a CSV file, --rename OLD NEW or --carry-over.")

    def rename(self, old: str, new: str) -> None:
        organisation = Organisation.objects.filter(gss_code=old).first()
        if organisation is None:
            raise ReorganisationError([f"There is no organisation {old}"])
        rename_code(organisation, new, by=None)
        self.stdout.write(f"{organisation.name} is now {organisation.gss_code}.")
