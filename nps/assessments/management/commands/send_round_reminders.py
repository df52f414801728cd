from django.core.management.base import BaseCommand, CommandParser

from nps.assessments.outreach import describe, due_reminders, send_due_reminders


class Command(BaseCommand):
    help = (
        "Email the reminders due today to organisations that have not submitted their return to an open round, "
        "on the days before the deadline set by ROUND_REMINDER_DAYS. Never sends the same reminder twice: run it "
        "daily, or more often, from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the reminders due without sending them.")

    def handle(self, *args: object, dry_run: bool, **options: object) -> None:
        if dry_run:
            due = due_reminders()
            for reminder in due:
                self.stdout.write(f"Due: {reminder}")
            self.stdout.write(f"{len(due)} reminders due; none sent (dry run).")
            return
        report = send_due_reminders()
        for message in report.sent:
            self.stdout.write(
                f"Queued: {describe(message.email, message.organisation, message.round, message.days_before)}"
            )
        self.stdout.write(f"{len(report.sent)} reminders put in the outbox, which `nps send_email` sends.")
