import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nps.accounts.models import User
from nps.assessments.demo import create_demo_rounds, demo_round_summaries
from nps.assessments.demo_scale import ScaleError, add_synthetic_councils, requested_scale
from nps.community.demo import create_demo_community
from nps.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts, no_email
from nps.frameworks.models import FrameworkVersion
from nps.organisations.models import Organisation


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(f"must be at least 1, not {number}")
    return number


class Command(BaseCommand):
    help = (
        "Create or refresh the demonstration accounts (one per role) and create the demonstration rounds "
        "(three closed, one open) once; everything is labelled as demonstration data. With --organisations and "
        "--rounds, make the data at a larger scale (for benchmarks) in a fresh database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--organisations",
            type=positive,
            metavar="N",
            help="Add synthetic councils (labelled as synthetic, GSS codes X00000001 on) until N current councils, "
            "real ones included, take part in the rounds. Default: the real councils only.",
        )
        parser.add_argument(
            "--rounds",
            type=positive,
            metavar="R",
            help="Make R closed past rounds: 2018, 2021 and 2025, after one a year before 2018 when R is more than 3. "
            "Default: 3.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not Organisation.objects.exists():
            raise CommandError("Load the organisations first: nps setup")
        if not FrameworkVersion.objects.filter(framework__code="nps", code="2018").exists():
            raise CommandError("Load the NPS 2018 framework first: nps setup")
        started = time.monotonic()
        with no_email(), transaction.atomic():
            try:
                scale = requested_scale(options["organisations"], options["rounds"])
            except ScaleError as error:
                raise CommandError(str(error)) from error
            added = add_synthetic_councils(scale.councils)
            self.write_accounts()
            created = create_demo_rounds(past_round_count=scale.past_rounds)
            community = create_demo_community()
        cache.clear()  # the demonstration data is written in bulk, past the services that renew cached pages
        if added:
            self.stdout.write(f"Added {added} synthetic councils: {scale.councils} councils take part in the rounds.")
        self.write_rounds(created_count=len(created))
        self.stdout.write(
            f"Demonstration exemplars and case studies: {community.offers} exemplar offers, {community.requests} "
            f"connection requests, {community.case_studies} case studies."
        )
        if created:
            self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")

    def write_accounts(self) -> None:
        self.stdout.write(f"Demonstration accounts (password for all: {DEMO_PASSWORD}):")
        for account, user, organisation in create_demo_accounts():
            where = f" at {organisation.name}" if organisation else ""
            self.stdout.write(f"  {account.name + where:<45} {user.email}")

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
