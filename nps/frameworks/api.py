import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from nps.frameworks.models import Framework, FrameworkVersion, Index, VersionStatus
from nps.frameworks.queries import indices_with_levels

router = Router(tags=["Frameworks"])


class VersionSummary(Schema):
    code: str
    title: str
    status: str
    published_on: datetime.date | None
    parent: str | None


class FrameworkOut(Schema):
    code: str
    title: str
    owner_gss_code: str | None
    versions: list[VersionSummary]


class LevelOut(Schema):
    level: int
    name: str
    text: str
    reconstructed: bool


class StatementOut(Schema):
    code: str
    text: str
    text_reconstructed: bool
    levels: list[LevelOut]


class IndexOut(Schema):
    code: str
    title: str
    kind: str
    theme: str | None
    description: str
    what_it_is: str
    why_it_is_important: str
    is_priority: bool
    reconstructed: list[str]
    statements: list[StatementOut]


class ThemeOut(Schema):
    code: str
    title: str
    indices: list[str]


class VersionOut(VersionSummary):
    framework: str
    summary: str
    source: str
    themes: list[ThemeOut]
    indices: list[IndexOut]


def visible_versions(request: HttpRequest) -> list[VersionStatus]:
    user = request.user
    return list(VersionStatus) if getattr(user, "is_national_admin", False) else [VersionStatus.PUBLISHED]


def version_summary(version: FrameworkVersion) -> VersionSummary:
    parent = f"{version.parent.framework.code}/{version.parent.code}" if version.parent else None
    return VersionSummary(
        code=version.code, title=version.title, status=version.status, published_on=version.published_on, parent=parent
    )


def index_out(index: Index) -> IndexOut:
    statements = [
        StatementOut(
            code=s.code,
            text=s.text,
            text_reconstructed=s.text_reconstructed,
            levels=[
                LevelOut(level=d.level, name=d.get_level_display(), text=d.text, reconstructed=d.reconstructed)
                for d in s.descriptors.all()
            ],
        )
        for s in index.statements.all()
    ]
    return IndexOut(
        code=index.code,
        title=index.title,
        kind=index.kind,
        theme=index.theme.code if index.theme else None,
        description=index.description,
        what_it_is=index.what_it_is,
        why_it_is_important=index.why_it_is_important,
        is_priority=index.is_priority,
        reconstructed=index.reconstructed,
        statements=statements,
    )


@router.get("/", response=list[FrameworkOut], auth=None, summary="List frameworks and their versions")
def list_frameworks(request: HttpRequest) -> list[FrameworkOut]:
    statuses = visible_versions(request)
    frameworks = Framework.objects.select_related("owner").prefetch_related("versions__parent__framework")
    return [
        FrameworkOut(
            code=framework.code,
            title=framework.title,
            owner_gss_code=framework.owner.gss_code if framework.owner else None,
            versions=[version_summary(v) for v in framework.versions.all() if v.status in statuses],
        )
        for framework in frameworks
    ]


def get_version(request: HttpRequest, framework: str, version: str) -> FrameworkVersion:
    return get_object_or_404(
        FrameworkVersion.objects.select_related("framework", "parent__framework"),
        framework__code=framework,
        code=version,
        status__in=visible_versions(request),
    )


@router.get("/{framework}/versions/{version}", response=VersionOut, auth=None, summary="A framework version in full")
def version_detail(request: HttpRequest, framework: str, version: str) -> VersionOut:
    found = get_version(request, framework, version)
    indices = list(indices_with_levels(found))
    themes = [
        ThemeOut(code=t.code, title=t.title, indices=[i.code for i in indices if i.theme_id == t.pk])
        for t in found.themes.all()
    ]
    return VersionOut(
        **version_summary(found).dict(),
        framework=found.framework.code,
        summary=found.summary,
        source=found.source,
        themes=themes,
        indices=[index_out(index) for index in indices],
    )


@router.get(
    "/{framework}/versions/{version}/indices/{index}",
    response=IndexOut,
    auth=None,
    summary="One index with its level descriptors",
)
def index_detail(request: HttpRequest, framework: str, version: str, index: str) -> IndexOut:
    found = get_version(request, framework, version)
    return index_out(get_object_or_404(indices_with_levels(found), code=index))
