"""The council's action plan: steps that close the gap between current and target levels."""

import datetime

from django.db import transaction

from nps.accounts.models import User
from nps.assessments.models import Action, Answer
from nps.core.models import record


@transaction.atomic
def plan_action(answer: Answer, *, title: str, owner: str, due_date: datetime.date, aim_level: int, by: User) -> Action:
    action = Action.objects.create(
        answer=answer, title=title, owner=owner, due_date=due_date, aim_level=aim_level, created_by=by
    )
    record(
        "action_planned",
        f"Planned “{title}” for {answer.index.title}",
        by=by,
        organisation=answer.council_return.organisation,
    )
    return action


@transaction.atomic
def update_action(action: Action, *, by: User, **values: object) -> Action:
    changed = [
        f"{field}: {getattr(action, field)} → {value}"
        for field, value in values.items()
        if getattr(action, field) != value
    ]
    for field, value in values.items():
        setattr(action, field, value)
    action.save()
    if changed:
        record(
            "action_updated",
            f"Updated “{action.title}”: {'; '.join(changed)}",
            by=by,
            organisation=action.answer.council_return.organisation,
        )
    return action
