"""A council's dashboard and its printable report, for its own editors and viewers (and the national team)."""

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.models import Return
from nps.assessments.queries import get_return_for_user
from nps.community.queries import exemplars_for_return
from nps.insights import charts
from nps.insights.dashboard import IndexLine, action_summary, council_dashboard, summary
from nps.insights.pdf import pdf_response
from nps.insights.publication import peers_note, peers_visible


def dashboard_context(council_return: Return, user: User) -> dict[str, object]:
    lines = council_dashboard(council_return, with_peers=peers_visible(council_return, user))
    demonstration = council_return.is_demo or council_return.round.is_demo
    chart = charts.current_and_target(
        f"{council_return.organisation.name}: current level and target, {council_return.round.name}",
        [
            (line.answer.index.title, line.answer.current_level, line.answer.target_level, line.answer.not_applicable)
            for line in lines
        ],
        demonstration=demonstration,
    )
    progress = charts.progress(
        f"{council_return.organisation.name}: level per index in each round, with the target",
        [
            (
                line.answer.index.title,
                [
                    *[((e.year, e.round_name), e.level, e.not_applicable) for e in line.earlier],
                    (
                        (council_return.round.opens_on.year, council_return.round.name),
                        line.answer.current_level,
                        line.answer.not_applicable,
                    ),
                ],
                None if line.answer.not_applicable else line.answer.target_level,
            )
            for line in lines
        ],
        demonstration=demonstration,
    )
    return {
        "council_return": council_return,
        "lines": lines,
        "summary": summary(lines),
        "actions": action_summary(council_return),
        "chart": chart,
        "progress_chart": progress,
        "demonstration": demonstration,
        "peers_note": peers_note(council_return),
        "minimum": settings.MINIMUM_GROUP_SIZE,
    }


@login_required
def dashboard(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    context = dashboard_context(council_return, request.user)
    answers = [line.answer for line in cast(list[IndexLine], context["lines"])]
    suggestions = exemplars_for_return(council_return, request.user, answers)
    context.update(exemplars=suggestions.most_useful(), all_suggestions=suggestions.suggestions)
    return render(request, "insights/dashboard.html", context)


@login_required
def report(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    return render(request, "insights/council_report.html", dashboard_context(council_return, request.user))


@login_required
def report_pdf(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    filename = f"{council_return.organisation.name} {council_return.round.name} report"
    return pdf_response(
        request, "insights/council_report_document.html", dashboard_context(council_return, request.user), filename
    )
