"""The reminder schedule as a pure function: which reminder is due on a day, if any."""

import datetime
import os
import subprocess
import sys

import pytest

from nps.assessments.outreach import due_reminder
from nps.settings import BASE_DIR

SCHEDULE = [14, 7, 1]
DEADLINE = datetime.date(2027, 1, 31)
INVITED = datetime.date(2026, 11, 2)


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2027 if month < 6 else 2026, month, number)


@pytest.mark.parametrize(
    ("today", "invited_on", "due"),
    [
        (day(11, 2), INVITED, None),  # the day of the invitation
        (day(1, 16), INVITED, None),  # the day before the first reminder
        (day(1, 17), INVITED, 14),  # 14 days before the deadline
        (day(1, 23), INVITED, 14),  # still the latest due: sent once, late if the scheduler was down
        (day(1, 24), INVITED, 7),  # 7 overtakes 14: a missed 14-day reminder is never sent after this
        (day(1, 30), INVITED, 1),
        (day(1, 31), INVITED, 1),  # the deadline day: the 1-day reminder, late, since the deadline has not passed
        (day(2, 1), INVITED, None),  # the deadline has passed: nothing, however late
        (day(1, 20), day(1, 20), None),  # invited on the 20th: the 14-day reminder's day came before that
        (day(1, 24), day(1, 20), 7),
        (day(1, 24), day(1, 24), None),  # invited on a reminder's own day: no reminder the same day
        (day(1, 25), day(1, 24), None),
        (day(1, 30), day(1, 24), 1),
    ],
)
def test_the_latest_reminder_whose_day_has_come_is_due(today, invited_on, due):
    assert due_reminder(SCHEDULE, DEADLINE, today, invited_on) == due


@pytest.mark.parametrize(
    ("schedule", "today", "due"),
    [
        ([], day(1, 30), None),  # an empty schedule turns reminders off
        ([0], day(1, 30), None),
        ([0], day(1, 31), 0),  # a reminder on the deadline day itself
        ([30, 2], day(1, 1), 30),
        ([30, 2], day(1, 28), 30),
        ([30, 2], day(1, 29), 2),
    ],
)
def test_any_schedule_of_days_works(schedule, today, due):
    assert due_reminder(schedule, DEADLINE, today, INVITED) == due


def settings_with(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROUND_REMINDER_DAYS": value}
    command = [sys.executable, "-c", "from nps import settings; print(settings.ROUND_REMINDER_DAYS)"]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=BASE_DIR, check=False)


def test_the_schedule_is_read_from_the_environment_longest_first():
    assert settings_with("1, 14,7,7").stdout.strip() == "[14, 7, 1]"
    assert settings_with("").stdout.strip() == "[]"


@pytest.mark.parametrize("value", ["fourteen", "7,-1", "1.5"])
def test_a_bad_schedule_fails_loudly(value):
    result = settings_with(value)
    assert result.returncode != 0
    assert "ROUND_REMINDER_DAYS must be whole numbers of days" in result.stderr
