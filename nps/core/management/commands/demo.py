from django.core.management.base import BaseCommand, CommandError

from nps.accounts.models import User
from nps.assessments.demo import create_demo_rounds, demo_round_summaries
from nps.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create or refresh the demonstration accounts (one per role) and create the demonstration rounds "
        "(three closed, one open) once; everything is labelled as demonstration data."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not Organisation.objects.exists():
            raise CommandError("Load the organisations first: nps setup")
        if not FrameworkVersion.objects.filter(framework__code="nps", code="2018").exists():
            raise CommandError("Load the NPS 2018 framework first: nps setup")
        self.stdout.write(f"Demonstration accounts (password for all: {DEMO_PASSWORD}):")
        for account, user, organisation in create_demo_accounts():
            where = f" at {organisation.name}" if organisation else ""
            self.stdout.write(f"  {account.name + where:<45} {user.email}")
        created = create_demo_rounds()
        self.write_rounds(created_count=len(created))

    def write_rounds(self, *, created_count: int) -> None:
        self.stdout.write("Demonstration rounds (synthetic returns, labelled as demonstration data wherever shown):")
        for summary in demo_round_summaries():
            state = f"open until {summary.round.deadline:%-d %B %Y}" if summary.round.is_open else "closed"
            returns = f"{summary.submitted} of {summary.returns} returns submitted"
            self.stdout.write(f"  {summary.round.name:<35} {state:<28} {returns}")
        others = User.objects.filter(is_demo=True).exclude(email__in=[account.email for account in DEMO_ACCOUNTS])
        self.stdout.write(
            f"  {others.count()} more demonstration accounts (an editor at every council, and colleagues who gave "
            "views) share the same password."
        )
        if created_count:
            self.stdout.write(f"Created {created_count} demonstration rounds.")
        else:
            self.stdout.write("The demonstration rounds were already there: nothing new was created.")
