"""Publishing a round's anonymised results, from an embargo time onwards, and who may see peer figures before then.

Peer figures (England, region, council type and group distributions) never appear while a round is open: figures
that moved with each submission would let someone who knows who submitted when work out that council's answers. Once
it has closed, those running the round see them at once; everyone else sees them when the results are published and
the embargo has passed, except that the national team may share them early with the councils that submitted.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from nps.accounts.models import Membership, User
from nps.assessments.models import Return, Round, RoundStatus
from nps.core.models import record
from nps.organisations.models import Organisation

EMBARGO_PASSED = (
    "The embargo must be in the future: {when:%-d %B %Y %H:%M} has passed. To publish now, give no embargo."
)


class PublicationError(Exception):
    pass


@transaction.atomic
def publish_results(round_: Round, *, embargo_until: datetime.datetime | None, by: User) -> None:
    """Publish a closed round's results, public from `embargo_until`, or at once when it is None."""
    if round_.status != RoundStatus.CLOSED:
        raise PublicationError("Close the round before publishing its results.")
    now = timezone.now()
    if embargo_until is not None and embargo_until <= now:
        raise PublicationError(EMBARGO_PASSED.format(when=timezone.localtime(embargo_until)))
    Round.objects.filter(pk=round_.pk).update(published_at=now, embargo_until=embargo_until)
    public_from = f"{timezone.localtime(embargo_until):%-d %B %Y %H:%M}" if embargo_until else "now"
    audience = "public" if round_.run_by is None or round_.results_public else f"{round_.run_by.name}'s members see it"
    record("results_published", f"Published {round_.name}, {audience} from {public_from}", by=by)


@transaction.atomic
def withdraw_results(round_: Round, *, by: User) -> None:
    if round_.published_at is None:
        raise PublicationError(f"The results of {round_.name} are not published.")
    Round.objects.filter(pk=round_.pk).update(published_at=None, embargo_until=None)
    record("results_withdrawn", f"Withdrew the published results of {round_.name}", by=by)


def released_rounds(now: datetime.datetime | None = None) -> QuerySet[Round]:
    """Rounds whose results are out: published, and past their embargo."""
    now = now or timezone.now()
    past_embargo = Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    return Round.objects.filter(past_embargo, published_at__isnull=False).select_related("framework_version", "run_by")


def public_rounds(now: datetime.datetime | None = None) -> QuerySet[Round]:
    """Rounds whose results anyone may see: the national rounds released, and groups' rounds the group made public."""
    return released_rounds(now).filter(Q(run_by__isnull=True) | Q(results_public=True))


def results_rounds_for(user: User | AnonymousUser) -> QuerySet[Round]:
    """Rounds whose results this person may see: the public ones, and the released rounds of the groups their
    organisations belong to (or are), under the group's name."""
    if not user.is_authenticated:
        return public_rounds()
    theirs = Membership.objects.filter(user=user).values("organisation")
    members = Q(run_by__in=theirs) | Q(run_by__in=Organisation.objects.filter(members__in=theirs).values("pk"))
    return released_rounds().filter(Q(run_by__isnull=True) | Q(results_public=True) | members)


def peers_visible(council_return: Return, user: User) -> bool:
    """Whether this person may see other councils' figures beside this return."""
    round_ = council_return.round
    if round_.status != RoundStatus.CLOSED:
        return False
    if user.is_national_admin or round_.is_released():
        return True
    return round_.share_early and council_return.is_submitted


def group_figures_visible(round_: Round, group: Organisation, user: User) -> bool:
    """Whether this person, who may see the group, may see its members' figures in this round: the national team and
    the group running its own round once it has closed; anyone else once the results are out."""
    if round_.status != RoundStatus.CLOSED:
        return False
    return user.is_national_admin or round_.run_by_id == group.pk or round_.is_released()


def peers_note(council_return: Return) -> str:
    """Why a council does not see its peers' figures yet, in its own terms."""
    round_ = council_return.round
    if round_.status != RoundStatus.CLOSED:
        return "Comparisons with other councils appear once the round has closed and its results are published."
    if round_.share_early and not council_return.is_submitted:
        return (
            "The national team has shared comparisons early with the councils that submitted a return; for yours "
            f"they appear when the results of {round_.name} are published."
        )
    return f"Comparisons with other councils appear when the results of {round_.name} are published."


def members_note(round_: Round) -> str:
    """Why a group's lead does not see its members' figures yet."""
    if round_.status != RoundStatus.CLOSED:
        return (
            "The members' levels appear once the round has closed: figures that moved with every submission could "
            "give a member's answers away."
        )
    return f"The members' levels appear when the results of {round_.name} are published."
