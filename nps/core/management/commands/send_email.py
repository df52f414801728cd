import time

from django.core.management.base import BaseCommand, CommandParser

from nps.core.outbox import send_due


class Command(BaseCommand):
    help = (
        "Send the emails waiting in the outbox, oldest first, and record each one's delivery or error; an email that "
        "fails is tried again later, waiting twice as long each time, until EMAIL_MAX_ATTEMPTS. Run it from cron "
        "every minute, or keep it running with --every."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="Keep running, looking for emails to send every SECONDS."
        )

    def handle(self, *args: object, every: int | None, **options: object) -> None:
        while True:
            outcomes = send_due()
            if outcomes or every is None:
                self.stdout.write(
                    f"{outcomes['sent']} sent, {outcomes['retry']} to be tried again, {outcomes['failed']} failed."
                )
            if every is None:
                return
            time.sleep(every)
