"""A council's dashboard and its printable report, for its own editors and viewers (and the national team)."""

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string

from nps.accounts.permissions import AuthenticatedRequest, can_edit
from nps.assessments.models import Return
from nps.assessments.queries import get_return_for_user, return_depends_on
from nps.community.queries import OFFERS, exemplars_for_return
from nps.insights import charts
from nps.insights.dashboard import IndexLine, action_summary, council_dashboard, summary
from nps.insights.pdf import cached_pdf_response
from nps.insights.publication import peers_note, peers_visible
from nps.lib.caching import cached_html, cached_page
from nps.organisations.models import DIRECTORY


def dashboard_context(council_return: Return, with_peers: bool) -> dict[str, object]:
    lines = council_dashboard(council_return, with_peers=with_peers)
    demonstration = council_return.is_demo or council_return.round.is_demo
    chart = charts.current_and_target(
        f"{council_return.organisation.name}: current level and target, {council_return.round.name}",
        [
            (line.answer.index.title, line.answer.current_level, line.answer.target_level, line.answer.not_applicable)
            for line in lines
        ],
        demonstration=demonstration,
        scale=council_return.round.framework_version.scale,
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
        "scale": council_return.round.framework_version.scale,
    }


def depends_on(council_return: Return, with_peers: bool) -> list[object]:
    """What a council's dashboard and report show: the return (nps.assessments.queries.return_depends_on), the
    exemplars' offers and the directory, whether peers' figures show and how they are withheld."""
    return [
        *return_depends_on(council_return, OFFERS, DIRECTORY),
        with_peers,
        council_return.round.is_released(),
        settings.MINIMUM_GROUP_SIZE,
    ]


def page_context(council_return: Return, body: str) -> dict[str, object]:
    demonstration = council_return.is_demo or council_return.round.is_demo
    return {"council_return": council_return, "body": body, "demonstration": demonstration}


@login_required
def dashboard(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """From the shared cache while nothing it shows has changed: the main part for everyone with the same view of it
    (whether they see peers' figures, whether they may ask exemplars for help), the whole page for each person."""
    council_return = get_return_for_user(request.user, gss_code, round_id)
    with_peers = peers_visible(council_return, request.user)
    shows = [*depends_on(council_return, with_peers), can_edit(request.user, council_return.organisation)]

    def body() -> str:
        context = dashboard_context(council_return, with_peers)
        answers = [line.answer for line in cast(list[IndexLine], context["lines"])]
        suggestions = exemplars_for_return(council_return, request.user, answers)
        context.update(exemplars=suggestions.most_useful(), all_suggestions=suggestions.suggestions)
        return render_to_string("insights/_dashboard_body.html", context)

    return cached_page(
        request,
        "dashboard",
        shows,
        "insights/dashboard.html",
        lambda: page_context(council_return, cached_html("dashboard-body", shows, body)),
    )


@login_required
def report(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    with_peers = peers_visible(council_return, request.user)

    def body() -> str:
        return render_to_string("insights/_council_report_page.html", dashboard_context(council_return, with_peers))

    shows = depends_on(council_return, with_peers)
    return cached_page(
        request,
        "council-report",
        shows,
        "insights/council_report.html",
        lambda: page_context(council_return, cached_html("council-report-body", shows, body)),
    )


@login_required
def report_pdf(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    with_peers = peers_visible(council_return, request.user)
    return cached_pdf_response(
        request,
        "council-report-pdf",
        depends_on(council_return, with_peers),
        "insights/council_report_document.html",
        lambda: dashboard_context(council_return, with_peers),
        f"{council_return.organisation.name} {council_return.round.name} report",
    )
