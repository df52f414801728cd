"""Publishing a round's anonymised results, from an embargo date onwards."""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from nps.accounts.models import User
from nps.assessments.models import Round, RoundStatus
from nps.core.models import record


class PublicationError(Exception):
    pass


@transaction.atomic
def publish_results(round_: Round, *, embargo_until: datetime.datetime, by: User) -> None:
    if round_.status != RoundStatus.CLOSED:
        raise PublicationError("Close the round before publishing its results.")
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now(), embargo_until=embargo_until)
    record("results_published", f"Published {round_.name}, public from {embargo_until:%-d %B %Y %H:%M}", by=by)


@transaction.atomic
def withdraw_results(round_: Round, *, by: User) -> None:
    if round_.published_at is None:
        raise PublicationError(f"The results of {round_.name} are not published.")
    Round.objects.filter(pk=round_.pk).update(published_at=None, embargo_until=None)
    record("results_withdrawn", f"Withdrew the published results of {round_.name}", by=by)


def public_rounds(now: datetime.datetime | None = None) -> QuerySet[Round]:
    """Rounds whose results anyone may see: published, and past their embargo."""
    now = now or timezone.now()
    past_embargo = Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    return Round.objects.filter(past_embargo, published_at__isnull=False, run_by__isnull=True).select_related(
        "framework_version"
    )
