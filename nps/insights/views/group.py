"""A group lead's view of its members: who has submitted, and aggregated levels (never one member's answers)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead
from nps.assessments.models import Return, Round
from nps.insights import charts
from nps.insights.pdf import pdf_response
from nps.insights.publication import group_figures_visible, members_note
from nps.insights.reports import IndexReport, group_figures, group_reports, withheld_summary
from nps.insights.suppression import withholding
from nps.organisations.models import Organisation


def members_figures(group: Organisation, round_: Round, user: User) -> list[IndexReport]:
    """The members' figures per index, withheld as everywhere else; none until this person may see them."""
    if not group_figures_visible(round_, group, user):
        return []
    return group_reports(group_figures(round_, group.gss_code), group, withholding(round_))


def group_context(group: Organisation, round_: Round, user: User) -> dict[str, object]:
    members = (
        Return.objects.filter(round=round_, organisation__groups=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    reports = members_figures(group, round_, user)
    chart = charts.distributions(
        f"Levels per index among {group.name}'s members, {round_.name}",
        [(r.index.title, r.overall) for r in reports],
        demonstration=round_.is_demo,
        scale=round_.framework_version.scale,
    )
    return {
        "group": group,
        "round": round_,
        "scale": round_.framework_version.scale,
        "members": members,
        "reports": reports,
        "chart": chart,
        "demonstration": round_.is_demo,
        "figures_note": members_note(round_),
        "withheld": withheld_summary(reports),
        "minimum": settings.MINIMUM_GROUP_SIZE,
    }


def rounds_of(group: Organisation) -> QuerySet[Round]:
    """The rounds the group runs, and those any of its members was invited to."""
    members_invited = Round.objects.filter(returns__organisation__groups=group).values("pk")
    return Round.objects.filter(Q(run_by=group) | Q(pk__in=members_invited)).select_related(
        "framework_version", "run_by"
    )


def group_round(request: AuthenticatedRequest, gss_code: str, round_id: int) -> tuple[Organisation, Round]:
    group = get_group_for_lead(request.user, gss_code)
    return group, get_object_or_404(rounds_of(group), pk=round_id)


@login_required
def group_rounds(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    group = get_group_for_lead(request.user, gss_code)
    rounds = rounds_of(group).order_by("-opens_on", "-pk")
    return render(request, "insights/group_rounds.html", {"group": group, "rounds": rounds})


@login_required
def group_report(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    group, round_ = group_round(request, gss_code, round_id)
    return render(request, "insights/group_report.html", group_context(group, round_, request.user))


@login_required
def group_report_pdf(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    group, round_ = group_round(request, gss_code, round_id)
    return pdf_response(
        request,
        "insights/group_report_document.html",
        group_context(group, round_, request.user),
        f"{group.name} {round_.name} regional report",
    )
