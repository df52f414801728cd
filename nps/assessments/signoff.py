"""Sign-off: where a round needs it, an editor sends the complete return to the council's approvers, and an approver
signs it off, which submits it, or sends it back to the editors with a comment.

Each step checks the return is in the state the step starts from, and refuses with a clear message when it is not
(signing off a return that was sent back or reopened, sending a return twice): two people acting on the same page at
once never both succeed.
"""

from django.db import transaction
from django.utils import timezone

from nps.accounts.models import User
from nps.accounts.permissions import can_sign_off
from nps.assessments.answers import ReturnLocked, StepRefused, lock_return, mark_submitted, require_ready
from nps.assessments.assurance_emails import approvers_of, editors_of, notify, site_link
from nps.assessments.models import EventKind, Return, ReturnStatus
from nps.assessments.timeline import record_event
from nps.core.models import record


@transaction.atomic
def send_for_sign_off(council_return: Return, *, by: User) -> None:
    """The complete return goes to the council's approvers; nobody can change it while it waits for them."""
    council_return = lock_return(council_return)
    require_open(council_return)
    if council_return.is_awaiting_sign_off:
        raise StepRefused("This return is already waiting for sign-off.")
    if council_return.is_submitted:
        raise StepRefused("This return is already submitted.")
    if not council_return.round.requires_sign_off:
        raise StepRefused("This round does not need sign-off: submit the return instead.")
    approvers = approvers_of(council_return.organisation)
    if not approvers:
        raise StepRefused(
            f"Nobody at {council_return.organisation.name} can sign the return off yet: "
            "invite an approver on your team page first."
        )
    require_ready(council_return)
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.AWAITING_SIGN_OFF, sent_for_sign_off_at=timezone.now(), sent_for_sign_off_by=by
    )
    log(council_return, EventKind.SENT_FOR_SIGN_OFF, "Sent the return for sign-off", by=by)
    notify(
        others(approvers, by),
        f"{council_return.organisation.name}'s return to {council_return.round.name} is waiting for your sign-off",
        "assessments/email/sent_for_sign_off.txt",
        email_context(council_return, by),
    )


@transaction.atomic
def sign_off(council_return: Return, *, by: User) -> None:
    """An approver signs the return off, which submits it."""
    council_return = lock_return(council_return)
    require_waiting(council_return, by)
    require_ready(council_return)
    mark_submitted(council_return, by=by, signed_off=True)
    log(council_return, EventKind.SIGNED_OFF, "Signed off and submitted the return", by=by)
    notify(
        others(editors_of(council_return.organisation), by),
        f"{council_return.organisation.name}'s return to {council_return.round.name} is signed off and submitted",
        "assessments/email/signed_off.txt",
        email_context(council_return, by),
    )


@transaction.atomic
def send_back(council_return: Return, *, comment: str, by: User) -> None:
    """An approver returns the return to its editors with what needs changing; they can change it again."""
    council_return = lock_return(council_return)
    require_waiting(council_return, by)
    Return.objects.filter(pk=council_return.pk).update(
        status=ReturnStatus.IN_PROGRESS, sent_for_sign_off_at=None, sent_for_sign_off_by=None
    )
    log(council_return, EventKind.SENT_BACK, f"Sent the return back: {comment}", by=by)
    notify(
        others(editors_of(council_return.organisation), by),
        f"{council_return.organisation.name}'s return to {council_return.round.name} was sent back",
        "assessments/email/sent_back.txt",
        {**email_context(council_return, by), "comment": comment},
    )


def can_sign_off_now(user: User, council_return: Return) -> bool:
    """May this person sign the return off, or send it back, as it stands?"""
    waiting = council_return.is_awaiting_sign_off and council_return.round.is_open
    return waiting and can_sign_off(user, council_return.organisation)


def require_open(council_return: Return) -> None:
    if not council_return.round.is_open:
        raise ReturnLocked(f"{council_return.round.name} is {council_return.round.get_status_display().lower()}.")


def require_waiting(council_return: Return, by: User) -> None:
    """Only an approver at the council acts on a return, and only while it waits for sign-off in an open round."""
    if not can_sign_off(by, council_return.organisation):
        raise StepRefused(f"Only an approver at {council_return.organisation.name} can sign its return off.")
    require_open(council_return)
    if council_return.is_submitted:
        raise StepRefused("This return is already submitted. If it needs changing, ask the national team to reopen it.")
    if not council_return.is_awaiting_sign_off:
        raise StepRefused("This return is no longer waiting for sign-off: it was sent back or reopened.")


def log(council_return: Return, kind: EventKind, description: str, *, by: User) -> None:
    """The step in the audit trail (action `return_<kind>`) and in the return's timeline."""
    record(
        f"return_{kind.value}",
        f"{council_return.round.name}: {description}",
        by=by,
        organisation=council_return.organisation,
    )
    record_event(council_return, kind, description, by=by)


def others(recipients: list[str], by: User) -> list[str]:
    """Everyone but the person who took the step: they know."""
    return [email for email in recipients if email.lower() != by.email.lower()]


def email_context(council_return: Return, by: User) -> dict[str, object]:
    gss_code, round_id = council_return.organisation.gss_code, council_return.round_id
    return {
        "organisation": council_return.organisation,
        "round": council_return.round,
        "by": str(by),
        "check_url": site_link("assessments:submit", gss_code, round_id),
        "return_url": site_link("assessments:overview", gss_code, round_id),
    }
