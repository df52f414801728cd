"""`nps round`: the national team's routine work on rounds, for scripts and cron. Each subcommand is a thin front to
the services the pages and the API call, acting as the national admin named by --by, so the audit trail says who.

Exit codes: 0 done; 1 refused by a rule of the service (the message says why, as the page would); 2 bad arguments,
or a round, person or group that does not exist.
"""

import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from nps.accounts.models import User
from nps.assessments.models import ReturnStatus, Round
from nps.assessments.outreach import resend_failed, send_invitations
from nps.assessments.rounds import RoundError, close_round, create_round, open_round
from nps.frameworks.models import FrameworkVersion
from nps.insights.exports import csv_pieces, json_pieces, round_export, write_workbook
from nps.insights.pdf import render_pdf
from nps.insights.publication import PublicationError, publish_results
from nps.insights.views.group import group_context
from nps.insights.views.national import national_context
from nps.organisations.models import GROUP_KINDS, Kind, Organisation

NOT_FOUND = 2  # as argparse's own usage errors
KINDS = ", ".join(Kind.values)


def acting(email: str) -> User:
    user = User.objects.filter(email__iexact=email, is_active=True, is_national_admin=True).first()
    if user is None:
        raise CommandError(f"{email} is not an active national admin: name one with --by.", returncode=NOT_FOUND)
    return user


def find_round(round_id: int) -> Round:
    round_ = Round.objects.select_related("framework_version").filter(pk=round_id).first()
    if round_ is None:
        raise CommandError(f"There is no round {round_id}: `nps round list` lists them.", returncode=NOT_FOUND)
    return round_


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class Command(BaseCommand):
    help = "The national team's routine work on rounds: list, create, open, close, publish, invite, list returns, "
    help += "write exports and reports to files. `nps round SUBCOMMAND --help` shows each one's options."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, parser_class=ArgumentParser)
        commands.add_parser("list", help="Every round, newest first: id, status, dates and name.")
        create = commands.add_parser("create", help="Create a round, not yet open; prints its id.")
        create.add_argument("--name", required=True)
        create.add_argument("--framework", required=True, help="FRAMEWORK/VERSION, for example nps/2018.")
        create.add_argument("--opens-on", type=day, required=True, help="YYYY-MM-DD")
        create.add_argument("--deadline", type=day, required=True, help="YYYY-MM-DD")
        create.add_argument("--kinds", required=True, help=f"Organisation types invited, comma-separated: {KINDS}.")
        create.add_argument("--prefill-from", type=int, help="The id of the round whose answers prefill this one.")
        create.add_argument("--no-sign-off", action="store_true", help="Editors submit without an approver.")
        opening = commands.add_parser("open", help="Open a round: every invited organisation gets a return.")
        opening.add_argument("--invite", action="store_true", help="Then email the invitations, as the page does.")
        closing = commands.add_parser("close", help="Close a round: its returns can no longer change.")
        closing.add_argument("--share-early", action="store_true", help="Show peers to councils that submitted.")
        publish = commands.add_parser("publish", help="Publish a closed round's results.")
        publish.add_argument("--embargo-until", type=datetime.datetime.fromisoformat, help="YYYY-MM-DDTHH:MM")
        invite = commands.add_parser("invite", help="Email the invitations not sent yet, and send failed ones again.")
        returns = commands.add_parser("returns", help="The round's returns: status, GSS code, organisation.")
        returns.add_argument("--status", choices=ReturnStatus.values, help="Only returns in this state.")
        export = commands.add_parser("export", help="Write every submitted return to a file, as the page's export.")
        export.add_argument("--format", choices=["csv", "xlsx", "json"], required=True)
        report = commands.add_parser("report", help="Write the national report, or a group's regional report.")
        report.add_argument("--format", choices=["html", "pdf"], required=True)
        report.add_argument("--group", metavar="GSS_CODE", help="The group (a combined authority or region).")
        for command in (opening, closing, publish, invite, returns, export, report):
            command.add_argument("round_id", type=int, metavar="ROUND")
        for command in (create, opening, closing, publish, invite, report):
            command.add_argument("--by", required=True, metavar="EMAIL", help="The national admin acting.")
        for command in (export, report):
            command.add_argument("--output", type=Path, required=True, help="The file to write.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{subcommand}")(**options)
        except (RoundError, PublicationError) as error:
            raise CommandError(str(error), returncode=1) from error

    def do_list(self, **options: Any) -> None:
        for round_ in Round.objects.order_by("-opens_on", "-pk"):
            self.stdout.write(f"{round_.pk}\t{round_.status}\t{round_.opens_on}\t{round_.deadline}\t{round_.name}")

    def do_create(self, *, name: str, framework: str, by: str, **options: Any) -> None:
        framework_code, _, version_code = framework.partition("/")
        version = FrameworkVersion.objects.filter(framework__code=framework_code, code=version_code).first()
        if version is None:
            raise CommandError(f"There is no framework version {framework}.", returncode=NOT_FOUND)
        kinds = [kind.strip() for kind in options["kinds"].split(",") if kind.strip()]
        if not kinds or set(kinds) - set(Kind.values):
            raise CommandError(f"--kinds must be some of: {KINDS}.", returncode=NOT_FOUND)
        prefill = find_round(options["prefill_from"]) if options["prefill_from"] else None
        round_ = create_round(
            name=name,
            framework_version=version,
            opens_on=options["opens_on"],
            deadline=options["deadline"],
            invited_kinds=kinds,
            prefill_from=prefill,
            requires_sign_off=not options["no_sign_off"],
            by=acting(by),
        )
        self.stdout.write(f"Created round {round_.pk}: {round_.name}.")

    def do_open(self, *, round_id: int, by: str, invite: bool, **options: Any) -> None:
        round_, user = find_round(round_id), acting(by)
        count = open_round(round_, by=user)
        self.stdout.write(f"Opened {round_.name}: {count} returns.")
        if invite:
            self.do_invite(round_id=round_id, by=by)

    def do_close(self, *, round_id: int, by: str, share_early: bool, **options: Any) -> None:
        round_ = find_round(round_id)
        close_round(round_, share_early=share_early, by=acting(by))
        self.stdout.write(f"Closed {round_.name}.")

    def do_publish(self, *, round_id: int, by: str, embargo_until: datetime.datetime | None, **options: Any) -> None:
        round_ = find_round(round_id)
        if embargo_until is not None and timezone.is_naive(embargo_until):
            embargo_until = timezone.make_aware(embargo_until)
        publish_results(round_, embargo_until=embargo_until, by=acting(by))
        self.stdout.write(f"Published {round_.name}; public from {embargo_until or 'now'}.")

    def do_invite(self, *, round_id: int, by: str, **options: Any) -> None:
        round_, user = find_round(round_id), acting(by)
        report = send_invitations(round_, by=user)
        resent = resend_failed(round_, by=user)
        self.stdout.write(f"{len(report.sent)} invitations put in the outbox; {resent} failed emails sent again.")
        for organisation in report.nobody:
            self.stdout.write(f"Nobody to send to: {organisation.gss_code} {organisation.name}")

    def do_returns(self, *, round_id: int, status: str | None, **options: Any) -> None:
        returns = find_round(round_id).returns.select_related("organisation").order_by("organisation__name")
        for council_return in returns.filter(status=status) if status else returns:
            organisation = council_return.organisation
            self.stdout.write(f"{council_return.status}\t{organisation.gss_code}\t{organisation.name}")

    def do_export(self, *, round_id: int, format: str, output: Path, **options: Any) -> None:
        export = round_export(find_round(round_id))
        if format == "xlsx":
            with output.open("wb") as file:
                write_workbook(export, file)
        else:
            pieces = csv_pieces(export.table("answers")) if format == "csv" else json_pieces(export)
            with output.open("w", encoding="utf-8", newline="") as file:
                file.writelines(pieces)
        self.stdout.write(f"Wrote {output}.")

    def do_report(
        self, *, round_id: int, by: str, format: str, output: Path, group: str | None, **options: Any
    ) -> None:
        round_, user = find_round(round_id), acting(by)
        request = RequestFactory().get("/")  # the pages' own context builders read the person and the query from it
        request.user = user
        if group:
            organisation = Organisation.objects.filter(gss_code=group, kind__in=GROUP_KINDS).first()
            if organisation is None:
                raise CommandError(f"There is no group {group}.", returncode=NOT_FOUND)
            template, context = "insights/group_report", group_context(organisation, round_, user)
        else:
            template, context = "insights/national_report", national_context(request, round_)  # type: ignore[arg-type]
        if format == "pdf":
            output.write_bytes(render_pdf(request, f"{template}_document.html", context))
        else:
            output.write_text(render_to_string(f"{template}_document.html", context, request=request), encoding="utf-8")
        self.stdout.write(f"Wrote {output}.")
