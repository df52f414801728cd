from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nps.frameworks.models import FrameworkVersion
from nps.frameworks.queries import current_national_version, indices_with_levels, strategy_outline


def current_version_or_404() -> FrameworkVersion:
    version = current_national_version()
    if version is None:
        raise Http404("The strategy has not been loaded yet.")
    return version


def overview(request: HttpRequest) -> HttpResponse:
    version = current_version_or_404()
    return render(request, "frameworks/overview.html", {"version": version, **strategy_outline(version)})


def index_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = current_version_or_404()
    index = get_object_or_404(indices_with_levels(version), code=code)
    return render(request, "frameworks/index_detail.html", {"version": version, "index": index})
