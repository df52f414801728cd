"""Published results, for anyone: national and regional aggregates once the embargo has passed, and open data."""

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from nps.insights import charts
from nps.insights.figures import NATIONAL, round_figures
from nps.insights.opendata import FIELDS, figure_rows
from nps.insights.publication import public_rounds
from nps.insights.reports import index_reports
from nps.settings import PACKAGE_DIR

RESULTS_SCHEMA = PACKAGE_DIR / "insights" / "schemas" / "results.schema.json"


def results_list(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/results_list.html", {"rounds": public_rounds().order_by("-opens_on")})


def results(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(public_rounds(), pk=round_id)
    figures = round_figures(round_)
    reports = index_reports(figures, suppress=True, with_kinds=True)
    chart = charts.distributions(
        f"Levels per index, {NATIONAL}, {round_.name}",
        [(r.index.title, r.overall) for r in reports],
        demonstration=round_.is_demo,
    )
    return render(
        request,
        "insights/results.html",
        {
            "round": round_,
            "figures": figures,
            "reports": reports,
            "chart": chart,
            "demonstration": round_.is_demo,
            "minimum": settings.MINIMUM_GROUP_SIZE,
            "licence": settings.OPEN_DATA_LICENCE,
        },
    )


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[dict[str, object]]) -> Iterator[str]:
    writer = csv.DictWriter(Echo(), fieldnames=FIELDS)  # type: ignore[arg-type]
    yield writer.writeheader()  # type: ignore[misc]
    for row in rows:
        yield writer.writerow(row)


def results_csv(request: HttpRequest, round_id: int) -> StreamingHttpResponse:
    round_ = get_object_or_404(public_rounds(), pk=round_id)
    response = StreamingHttpResponse(csv_lines(figure_rows(round_)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nps-results-{round_.pk}.csv"'
    return response


def results_json(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(public_rounds(), pk=round_id)
    document = {
        "round": round_.name,
        "framework_version": round_.framework_version.title,
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "demonstration_data": round_.is_demo,
        "licence": settings.OPEN_DATA_LICENCE,
        "minimum_group_size": settings.MINIMUM_GROUP_SIZE,
        "schema": request.build_absolute_uri("/results/schema.json"),
        "figures": list(figure_rows(round_)),
    }
    return HttpResponse(json.dumps(document, indent=1), content_type="application/json")


def schema(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insights/results_schema.html",
        {"fields": FIELDS, "licence": settings.OPEN_DATA_LICENCE, "minimum": settings.MINIMUM_GROUP_SIZE},
    )


def schema_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(RESULTS_SCHEMA.read_bytes(), content_type="application/schema+json")
