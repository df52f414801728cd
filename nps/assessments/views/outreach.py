"""The national team's emails about a round: open it and invite, invite those not yet invited, and see who was
invited and reminded, and when."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.forms import OutreachFilterForm
from nps.assessments.outreach import (
    NOBODY,
    NOT_INVITED,
    Report,
    delivery_counts,
    outreach_counts,
    reaching,
    reminder_days,
    resend_failed,
    round_outreach,
    send_invitations,
)
from nps.assessments.queries import get_round_for_admin, returns_matching
from nps.assessments.rounds import RoundError, open_round

ORGANISATIONS_PER_PAGE = 50


@login_required
def round_invitations(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """The round's invitations and reminders: totals for the whole round, then its organisations a page at a time."""
    round_ = get_round_for_admin(request.user, round_id)
    form = OutreachFilterForm(request.GET, kinds=round_.invited_kinds)
    filters = form.filters()
    returns = reaching(round_, returns_matching(round_, filters), filters.get("reach", ""))
    page = Paginator(returns, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": round_,
        "counts": outreach_counts(round_),
        "delivery": delivery_counts(round_),
        "filter_form": form,
        "page": page,
        "organisations": round_outreach(round_, list(page.object_list)),
        "query": query.urlencode(),
        "nobody": NOBODY,
        "not_invited": NOT_INVITED,
        "schedule": reminder_days(round_),
        "invitation_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "assessments/round_invitations.html", context)


@login_required
@require_POST
def send_round_invitations(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    try:
        report = send_invitations(round_, by=request.user)
    except RoundError as error:
        messages.error(request, str(error))
    else:
        announce(request, report)
    return redirect("assessments:round_invitations", round_id)


@login_required
@require_POST
def resend_round_emails(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    count = resend_failed(round_, by=request.user)
    messages.success(request, f"{counted(count, 'email', 'emails')} put back in the outbox to be sent again.")
    return redirect("assessments:round_invitations", round_id)


@login_required
@require_POST
def open_and_invite(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """The round page's Open button: open the round, then email the invitations."""
    round_ = get_round_for_admin(request.user, round_id)
    try:
        open_round(round_, by=request.user)
    except RoundError as error:
        messages.error(request, str(error))
        return redirect("assessments:round", round_id)
    report = send_invitations(round_, by=request.user)
    announce(request, report, opened=round_.name)
    return redirect("assessments:round", round_id)


def announce(request: AuthenticatedRequest, report: Report, opened: str = "") -> None:
    sent = f"Invitations sent to {counted(len(report.sent), 'person', 'people')}." if report.sent else ""
    messages.success(request, f"{opened} is open. {sent}".strip() if opened else sent or "No new invitations to send.")
    if report.nobody:
        organisations = counted(len(report.nobody), "organisation has", "organisations have")
        messages.warning(request, f"{organisations} nobody to send to: add a contact, then send the invitations again.")


def counted(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
