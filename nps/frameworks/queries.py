from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from nps.accounts.models import Role, User
from nps.frameworks.lineage import one_to_one
from nps.frameworks.models import Framework, FrameworkVersion, Index, IndexKind, VersionStatus

NATIONAL_FRAMEWORK_CODE = "nps"


def current_national_version() -> FrameworkVersion | None:
    """The version of the national strategy the national team chose as current."""
    return (
        FrameworkVersion.objects.filter(
            framework__code=NATIONAL_FRAMEWORK_CODE, framework__owner__isnull=True, framework__current_version=F("pk")
        )
        .select_related("framework")
        .first()
    )


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


def can_manage(user: User | AnonymousUser, framework: Framework) -> bool:
    """The national team manages the national strategy; a group's lead (or the national team) its regional one."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_national_admin:
        return True
    return (
        framework.owner_id is not None
        and user.memberships.filter(organisation_id=framework.owner_id, role=Role.GROUP_LEAD).exists()
    )


def visible_versions(user: User | AnonymousUser) -> QuerySet[FrameworkVersion]:
    """Published versions for everyone; drafts only for whoever manages their framework."""
    versions = FrameworkVersion.objects.select_related("framework__owner", "parent__framework")
    if not isinstance(user, User) or not user.is_active:
        return versions.filter(status=VersionStatus.PUBLISHED)
    if user.is_national_admin:
        return versions
    led = user.memberships.filter(role=Role.GROUP_LEAD).values("organisation_id")
    return versions.filter(Q(status=VersionStatus.PUBLISHED) | Q(framework__owner__in=led))


def get_version(user: User | AnonymousUser, framework_code: str, version_code: str) -> FrameworkVersion:
    """A version this person may read (drafts: its managers only); otherwise 404."""
    version = visible_versions(user).filter(framework__code=framework_code, code=version_code).first()
    if version is None:
        raise Http404("No such version")
    return version


def get_version_to_manage(user: User | AnonymousUser, framework_code: str, version_code: str) -> FrameworkVersion:
    """A version this person manages; otherwise 404."""
    version = get_version(user, framework_code, version_code)
    if not can_manage(user, version.framework):
        raise Http404("No such version")
    return version
