"""Published results, for anyone: national and regional aggregates once the embargo has passed, and open data."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from nps.assessments.models import Round
from nps.insights import charts
from nps.insights.exports import csv_pieces, in_blocks, json_pieces
from nps.insights.figures import reports_depend_on, round_figures
from nps.insights.opendata import FIELDS, figures_export
from nps.insights.publication import results_rounds_for
from nps.insights.reports import covered, published_reports, withheld_summary
from nps.insights.views.exports import CSV, JSON, attachment
from nps.lib.caching import cached_page
from nps.settings import PACKAGE_DIR

RESULTS_SCHEMA = PACKAGE_DIR / "insights" / "schemas" / "results.schema.json"


def results_list(request: HttpRequest) -> HttpResponse:
    rounds = results_rounds_for(request.user).order_by("-opens_on")
    return render(request, "insights/results_list.html", {"rounds": rounds})


def results(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(results_rounds_for(request.user), pk=round_id)
    return cached_page(
        request, "results", reports_depend_on(), "insights/results.html", lambda: results_context(round_)
    )


def results_context(round_: Round) -> dict[str, object]:
    reports = published_reports(round_)
    chart = charts.distributions(
        f"Levels per index, {covered(round_)}, {round_.name}",
        [(r.index.title, r.overall) for r in reports],
        demonstration=round_.is_demo,
        scale=round_.framework_version.scale,
    )
    return {
        "round": round_,
        "covered": covered(round_),
        "figures": round_figures(round_),
        "scale": round_.framework_version.scale,
        "reports": reports,
        "chart": chart,
        "demonstration": round_.is_demo,
        "minimum": settings.MINIMUM_GROUP_SIZE,
        "withheld": withheld_summary(reports),
        "licence": settings.OPEN_DATA_LICENCE,
    }


def results_csv(request: HttpRequest, round_id: int) -> StreamingHttpResponse:
    round_ = get_object_or_404(results_rounds_for(request.user), pk=round_id)
    export = figures_export(round_, request.build_absolute_uri("/results/schema.json"))
    return attachment(in_blocks(csv_pieces(export.table("figures"))), CSV, f"{export.filename}.csv")


def results_json(request: HttpRequest, round_id: int) -> StreamingHttpResponse:
    round_ = get_object_or_404(results_rounds_for(request.user), pk=round_id)
    export = figures_export(round_, request.build_absolute_uri("/results/schema.json"))
    return attachment(in_blocks(json_pieces(export)), JSON, f"{export.filename}.json")


def schema(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insights/results_schema.html",
        {"fields": FIELDS, "licence": settings.OPEN_DATA_LICENCE, "minimum": settings.MINIMUM_GROUP_SIZE},
    )


def schema_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(RESULTS_SCHEMA.read_bytes(), content_type="application/schema+json")
