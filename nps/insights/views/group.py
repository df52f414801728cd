"""A group lead's view of its members: who has submitted, and aggregated levels (never one member's answers)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead
from nps.assessments.models import Return, Round, RoundStatus
from nps.insights import charts
from nps.insights.pdf import pdf_response
from nps.insights.reports import group_figures, index_reports
from nps.organisations.models import Organisation


def group_context(group: Organisation, round_: Round) -> dict[str, object]:
    members = (
        Return.objects.filter(round=round_, organisation__groups=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    closed = round_.status == RoundStatus.CLOSED  # see nps.insights.dashboard.council_dashboard for why
    figures = group_figures(round_, group.gss_code)
    reports = index_reports(figures, suppress=True, overall=("Group", group.name)) if closed else []
    chart = charts.distributions(
        f"Levels per index among {group.name}'s members, {round_.name}",
        [(r.index.title, r.overall) for r in reports],
        demonstration=round_.is_demo,
    )
    return {
        "group": group,
        "round": round_,
        "members": members,
        "reports": reports,
        "chart": chart,
        "demonstration": round_.is_demo,
    }


def group_round(request: AuthenticatedRequest, gss_code: str, round_id: int) -> tuple[Organisation, Round]:
    group = get_group_for_lead(request.user, gss_code)
    rounds = Round.objects.filter(returns__organisation__groups=group).distinct().select_related("framework_version")
    round_ = get_object_or_404(rounds, pk=round_id)
    return group, round_


@login_required
def group_rounds(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    group = get_group_for_lead(request.user, gss_code)
    rounds = Round.objects.filter(returns__organisation__groups=group).distinct().order_by("-opens_on")
    return render(request, "insights/group_rounds.html", {"group": group, "rounds": rounds})


@login_required
def group_report(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    group, round_ = group_round(request, gss_code, round_id)
    return render(request, "insights/group_report.html", group_context(group, round_))


@login_required
def group_report_pdf(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    group, round_ = group_round(request, gss_code, round_id)
    return pdf_response(
        request,
        "insights/group_report_document.html",
        group_context(group, round_),
        f"{group.name} {round_.name} regional report",
    )
