"""Diagnostic rounds: the national team's (create, open, extend, close, and reopen a council's return) and a group's
round for its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead, require_national_admin
from nps.assessments.answers import ReturnLocked, reopen_refusal, reopen_return
from nps.assessments.forms import CloseRoundForm, DeadlineForm, ReopenForm, ReturnFilterForm, RoundForm
from nps.assessments.models import Return, ReturnStatus, Round
from nps.assessments.queries import counts_by_round, get_round_for_admin, returns_matching
from nps.assessments.rounds import (
    RoundError,
    close_round,
    create_round,
    extend_deadline,
    open_round,
    round_versions,
    share_early,
    who_is_invited,
)


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    rounds = list(Round.objects.select_related("framework_version").order_by("-opens_on", "-pk"))
    counts = counts_by_round(rounds)
    rows = [(round_, counts[round_.pk]) for round_ in rounds]
    return render(request, "assessments/round_list.html", {"rows": rows})


@login_required
def new_round(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    form = RoundForm(request.POST or None, versions=round_versions(None), rounds=Round.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            round_ = create_round(by=request.user, **form.cleaned_data)
        except RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Created {round_.name}. Open it when you are ready to invite organisations.")
            return redirect("assessments:round", round_.pk)
    return render(request, "assessments/round_form.html", {"form": form})


@login_required
def new_group_round(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    """A round for the group's member councils on one of the group's published strategies, opened at once."""
    group = get_group_for_lead(request.user, gss_code)
    versions = round_versions(group)
    form = RoundForm(request.POST or None, versions=versions, rounds=Round.objects.filter(run_by=group), group=group)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = create_round(run_by=group, by=request.user, **form.cleaned_data)
            invited = open_round(round_, by=request.user)
        except RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Opened {round_.name}: {invited} member councils invited.")
            return redirect("insights:group_rounds", gss_code)
    context = {"group": group, "form": form, "has_strategy": versions.exists()}
    return render(request, "assessments/group_round_form.html", context)


RETURNS_PER_PAGE = 50


def status_counts(round_: Round) -> dict[str, int]:
    """How many of the round's returns are in each status, every status present."""
    counts = dict(round_.returns.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ReturnStatus.values}


@login_required
def round_detail(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    form = ReturnFilterForm(request.GET, kinds=round_.invited_kinds)
    page = Paginator(returns_matching(round_, form.filters()), RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = status_counts(round_)
    context = {
        "round": round_,
        "counts": counts,
        "invited": sum(counts.values()),
        "invited_words": who_is_invited(round_),
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "deadline_form": DeadlineForm(initial={"deadline": round_.deadline}),
    }
    return render(request, "assessments/round_detail.html", context)


def round_action(request: AuthenticatedRequest, round_id: int, change: object, success: str) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    try:
        change(round_)  # type: ignore[operator]
    except RoundError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success.format(round=round_))
    return redirect("assessments:round", round_id)


@login_required
def close(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """Closing asks first, saying what will happen: who can no longer submit, and who sees the peer figures."""
    round_ = get_round_for_admin(request.user, round_id)
    form = CloseRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        share = form.cleaned_data["share_early"]
        return round_action(
            request, round_id, lambda r: close_round(r, share_early=share, by=request.user), "{round} is closed."
        )
    counts = status_counts(round_)
    context = {
        "round": round_,
        "form": form,
        "submitted": counts[ReturnStatus.SUBMITTED],
        "awaiting_sign_off": counts[ReturnStatus.AWAITING_SIGN_OFF],
        "unsubmitted": sum(counts.values()) - counts[ReturnStatus.SUBMITTED],
        "today": timezone.localdate(),
    }
    return render(request, "assessments/round_close.html", context)


@login_required
@require_POST
def share_early_setting(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    share = request.POST.get("share_early") == "1"
    message = "Councils that submitted now see the peer figures." if share else "Peer figures wait for publication."
    return round_action(request, round_id, lambda r: share_early(r, share, by=request.user), message)


@login_required
@require_POST
def deadline(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        get_round_for_admin(request.user, round_id)
        messages.error(request, "Enter the new deadline as a real date, for example 31 3 2027.")
        return redirect("assessments:round", round_id)
    new_deadline = form.cleaned_data["deadline"]
    return round_action(
        request,
        round_id,
        lambda r: extend_deadline(r, new_deadline, by=request.user),
        f"The deadline is now {new_deadline:%-d %B %Y}.",
    )


@login_required
def reopen(request: AuthenticatedRequest, round_id: int, gss_code: str) -> HttpResponse:
    """Reopening asks first, saying what happens to the return; a return that cannot be reopened is only explained."""
    round_ = get_round_for_admin(request.user, round_id)
    council_return = get_object_or_404(
        Return.objects.select_related("organisation", "round", "signed_off_by"),
        round=round_,
        organisation__gss_code=gss_code,
    )
    refusal = reopen_refusal(council_return)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            reopen_return(council_return, reason=form.cleaned_data["reason"], by=request.user)
        except ReturnLocked as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{council_return.organisation.name} can change its return again.")
            return redirect("assessments:round", round_id)
    context = {"council_return": council_return, "form": form, "refusal": refusal}
    return render(request, "assessments/reopen.html", context)
