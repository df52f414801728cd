"""The national team's reports: round progress, the national report, and publishing results."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.forms import OutstandingFilterForm
from nps.assessments.models import ReturnStatus, Round, RoundStatus
from nps.assessments.queries import counts_by_region_and_kind, get_round_for_admin, returns_matching
from nps.insights import charts
from nps.insights.figures import (
    excluded_by_reorganisation,
    kind_label,
    movement_between,
    reports_depend_on,
    round_figures,
)
from nps.insights.forms import CompareForm, PublishForm
from nps.insights.pdf import cached_pdf_response
from nps.insights.publication import PublicationError, publish_results, withdraw_results
from nps.insights.reports import covered, full_reports, published_reports, withheld_summary
from nps.lib.caching import cached_page

OUTSTANDING_PER_PAGE = 50


@login_required
def progress(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """Who has responded: figures for the whole round, then the returns not yet submitted a page at a time."""
    round_ = get_round_for_admin(request.user, round_id)
    totals, by_region, by_kind = counts_by_region_and_kind(round_)
    for row in by_kind:
        row["name"] = kind_label(str(row["name"]))
    form = OutstandingFilterForm(request.GET, kinds=round_.invited_kinds)
    outstanding = returns_matching(round_, form.filters()).exclude(status=ReturnStatus.SUBMITTED)
    outstanding = outstanding.order_by("organisation__region__name", "organisation__name")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": round_,
        "by_region": by_region,
        "by_kind": by_kind,
        "totals": totals,
        "not_submitted": totals["invited"] - totals[ReturnStatus.SUBMITTED],
        "filter_form": form,
        "page": Paginator(outstanding, OUTSTANDING_PER_PAGE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
    return render(request, "insights/progress.html", context)


def national_context(request: AuthenticatedRequest, round_: Round) -> dict[str, object]:
    """The national team's own report on a round, every figure shown: on England, or on a group's members."""
    earlier_rounds = Round.objects.filter(opens_on__lt=round_.opens_on, run_by=round_.run_by).order_by("-opens_on")
    form = CompareForm(request.GET or None, rounds=earlier_rounds)
    compare = next((r for r in earlier_rounds if form.is_valid() and r.pk == form.cleaned_data["compare"]), None)
    figures = round_figures(round_)
    movement = movement_between(compare, round_) if compare else None
    reports = full_reports(round_, movement)
    published = published_reports(round_) if round_.status == RoundStatus.CLOSED else []
    chart = charts.distributions(
        f"Levels per index, {covered(round_)}, {round_.name}",
        [(r.index.title, r.overall) for r in reports],
        demonstration=round_.is_demo,
        scale=round_.framework_version.scale,
    )
    return {
        "round": round_,
        "covered": covered(round_),
        "title": report_title(round_),
        "scale": round_.framework_version.scale,
        "figures": figures,
        "reports": reports,
        "chart": chart,
        "form": form,
        "compare": compare,
        "demonstration": round_.is_demo,
        "movement_indices": len(movement or {}),
        "excluded_by_reorganisation": excluded_by_reorganisation(compare, round_) if compare else 0,
        "versions_differ": bool(compare and compare.framework_version_id != round_.framework_version_id),
        "withheld": withheld_summary(published),
        "minimum": settings.MINIMUM_GROUP_SIZE,
    }


@login_required
def national_report(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    return cached_page(
        request,
        "national-report",
        reports_depend_on(),
        "insights/national_report.html",
        lambda: national_context(request, round_),
    )


@login_required
def national_report_pdf(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = get_round_for_admin(request.user, round_id)
    return cached_pdf_response(
        request,
        "national-report-pdf",
        reports_depend_on(),
        "insights/national_report_document.html",
        lambda: national_context(request, round_),
        f"{round_.name} {report_title(round_).lower()}",
    )


def report_title(round_: Round) -> str:
    return f"Report on {covered(round_)}" if round_.run_by else "National report"


def published_message(embargo_until: datetime.datetime | None) -> str:
    if embargo_until is None:
        return "Published. The results are public now."
    return f"Published. The results are public from {timezone.localtime(embargo_until):%-d %B %Y %H:%M}."


@login_required
def publish(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """Two steps: choose the embargo, then confirm on a page that says who will see what, and from when."""
    round_ = get_round_for_admin(request.user, round_id)
    form = PublishForm(request.POST or None)
    publishable = round_.status == RoundStatus.CLOSED and round_.published_at is None
    if request.method == "POST" and publishable and form.is_valid():
        if "confirm" not in request.POST:
            context = {
                "round": round_,
                "embargo_date": form.cleaned_data["embargo_date"],
                "minimum": settings.MINIMUM_GROUP_SIZE,
            }
            return render(request, "insights/publish_confirm.html", context)
        try:
            publish_results(round_, embargo_until=form.embargo_until(), by=request.user)
        except PublicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, published_message(form.embargo_until()))
            return redirect("insights:publish", round_id)
    return render(request, "insights/publish.html", {"round": round_, "form": form})


@login_required
def withdraw(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """Withdrawing asks first, saying what disappears and for whom."""
    round_ = get_round_for_admin(request.user, round_id)
    if request.method == "POST":
        try:
            withdraw_results(round_, by=request.user)
        except PublicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The results of {round_.name} are no longer published.")
        return redirect("insights:publish", round_id)
    return render(request, "insights/withdraw.html", {"round": round_})
