"""The strategy for everyone: the current version, earlier versions, and what changed between them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nps.frameworks.diff import diff_versions
from nps.frameworks.exporter import export_framework
from nps.frameworks.models import Crosswalk, FrameworkVersion
from nps.frameworks.queries import (
    can_manage,
    current_national_version,
    get_version,
    indices_with_levels,
    strategy_outline,
    visible_versions,
)
from nps.frameworks.snapshots import version_indices


def current_version_or_404() -> FrameworkVersion:
    version = current_national_version()
    if version is None:
        raise Http404("The strategy has not been loaded yet.")
    return version


def overview_context(request: HttpRequest, version: FrameworkVersion, *, current: bool) -> dict[str, object]:
    return {
        "version": version,
        "current": current,
        "can_manage": can_manage(request.user, version.framework),
        **strategy_outline(version),
    }


def overview(request: HttpRequest) -> HttpResponse:
    version = current_version_or_404()
    return render(request, "frameworks/overview.html", overview_context(request, version, current=True))


def index_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = current_version_or_404()
    index = get_object_or_404(indices_with_levels(version), code=code)
    return render(request, "frameworks/index_detail.html", {"version": version, "index": index, "current": True})


def version_list(request: HttpRequest) -> HttpResponse:
    versions = visible_versions(request.user).order_by(
        "framework__owner",
        "framework__code",
        "-published_on",
        "-created_at",
    )
    frameworks = {version.framework for version in versions}
    managed = {framework.pk for framework in frameworks if can_manage(request.user, framework)}
    return render(request, "frameworks/version_list.html", {"versions": versions, "managed": managed})


def crosswalks(request: HttpRequest) -> HttpResponse:
    """Every crosswalk between versions this person may see, with its mappings."""
    visible = visible_versions(request.user)
    found = (
        Crosswalk.objects.filter(source__in=visible, target__in=visible)
        .select_related("source", "target")
        .prefetch_related("mappings__source_index", "mappings__target_index")
    )
    return render(request, "frameworks/crosswalks.html", {"crosswalks": found})


def version_detail(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    found = get_version(request.user, framework, version)
    return render(request, "frameworks/overview.html", overview_context(request, found, current=False))


def version_index(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    found = get_version(request.user, framework, version)
    index = get_object_or_404(indices_with_levels(found), code=code)
    return render(request, "frameworks/index_detail.html", {"version": found, "index": index, "current": False})


def version_file(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    found = get_version(request.user, framework, version)
    response = HttpResponse(export_framework(found), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework}-{version}.yaml"'
    return response


def parse_reference(request: HttpRequest, name: str) -> FrameworkVersion | None:
    reference = request.GET.get(name, "")
    if "/" not in reference:
        return None
    framework, version = reference.split("/", 1)
    return get_version(request.user, framework, version)


def changes(request: HttpRequest) -> HttpResponse:
    """What changed between two versions (by default, the current version and the one it follows)."""
    later = parse_reference(request, "to") or current_version_or_404()
    earlier = parse_reference(request, "from") or later.parent
    if earlier is None:
        return render(request, "frameworks/changes_none.html", {"later": later})
    replacements = (
        list(later.replacements.values_list("retired_code", "successor_code")) if later.parent_id == earlier.pk else []
    )
    diff = diff_versions(version_indices(earlier), version_indices(later), replacements, later.scale)
    predecessors = {successor: retired for retired, successor in replacements if successor}
    return render(
        request,
        "frameworks/changes.html",
        {
            "earlier": earlier,
            "later": later,
            "diff": diff,
            "predecessors": predecessors,
            "versions": visible_versions(request.user),
        },
    )
