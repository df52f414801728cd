from django.db.models import Prefetch, QuerySet

from nps.frameworks.lineage import one_to_one
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


def forward_codes(earlier: FrameworkVersion, later: FrameworkVersion) -> dict[str, str]:
    """Each index code of `earlier` → the code it carries into in `later`: the same code where the index is still
    there, or its one-to-one successor along the chain of versions between them. Merged, split and retired indices
    do not carry. Versions that are not on one line (e.g. two regional variants) share their common codes only."""
    later_codes = set(later.indices.values_list("code", flat=True))
    mapping = {code: code for code in earlier.indices.values_list("code", flat=True)}
    steps = []
    version: FrameworkVersion | None = later
    while version is not None and version.pk != earlier.pk:
        steps.append(version)
        version = version.parent
    if version is not None:  # `earlier` is an ancestor: follow each step's replacements, oldest first
        for step in reversed(steps):
            successors = one_to_one(step.replacements.values_list("retired_code", "successor_code"))
            retired = {retired for retired, _ in step.replacements.values_list("retired_code", "successor_code")}
            predecessors = {old: new for new, old in successors.items()}
            mapping = {
                code: predecessors.get(current, current)
                for code, current in mapping.items()
                if current not in retired or current in predecessors
            }
    return {code: current for code, current in mapping.items() if current in later_codes}
