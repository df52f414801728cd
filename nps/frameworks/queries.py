from django.db.models import Prefetch, QuerySet

from nps.frameworks.models import FrameworkVersion, Index, IndexKind, VersionStatus

NATIONAL_FRAMEWORK_CODE = "nps"


def published_national_versions() -> QuerySet[FrameworkVersion]:
    return (
        FrameworkVersion.objects.filter(
            framework__code=NATIONAL_FRAMEWORK_CODE, framework__owner__isnull=True, status=VersionStatus.PUBLISHED
        )
        .select_related("framework")
        .order_by("-published_on", "-created_at")
    )


def current_national_version() -> FrameworkVersion | None:
    return published_national_versions().first()


def indices_with_levels(version: FrameworkVersion) -> QuerySet[Index]:
    return version.indices.select_related("theme").prefetch_related("statements__descriptors")


def strategy_outline(version: FrameworkVersion) -> dict[str, object]:
    """The themes with their key areas, and the enablers, in order."""
    indices = Index.objects.order_by("position").prefetch_related("statements__descriptors")
    themes = version.themes.prefetch_related(Prefetch("indices", queryset=indices))
    return {"themes": list(themes), "enablers": list(indices.filter(version=version, kind=IndexKind.ENABLER))}
