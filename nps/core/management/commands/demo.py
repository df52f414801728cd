from django.core.management.base import BaseCommand, CommandError

from nps.core.demo import DEMO_PASSWORD, create_demo_accounts
from nps.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create or refresh the demonstration accounts (one per role), labelled as demonstration data."

    def handle(self, *args: object, **options: object) -> None:
        if not Organisation.objects.exists():
            raise CommandError("Load the organisations first: nps setup")
        self.stdout.write(f"Demonstration accounts (password for all: {DEMO_PASSWORD}):")
        for account, user, organisation in create_demo_accounts():
            where = f" at {organisation.name}" if organisation else ""
            self.stdout.write(f"  {account.name + where:<45} {user.email}")
