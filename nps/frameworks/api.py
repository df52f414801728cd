"""The strategy API: frameworks and their versions for everyone, and for their managers the drafts and every change
the editor pages make (new drafts, imports, index edits, retirements, publication, regional strategies).

Reads follow the pages: published versions for anyone, drafts for their managers only. A change looks its version up
through queries.get_version_to_manage (404 to anyone else), validates its input with the editor's own forms (422),
and changes data only through nps.frameworks.services, whose refusals become 400.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import HttpError, ValidationError

from nps.accounts.api import OPTIONAL_AUTH
from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest, get_group_for_lead, require_national_admin
from nps.frameworks import services
from nps.frameworks.api_schemas import (
    AddedOut,
    ChangesOut,
    DeriveIn,
    DraftIn,
    FieldChangeOut,
    FrameworkOut,
    ImportIn,
    IndexChanges,
    IndexIn,
    IndexOut,
    LevelIn,
    LevelOut,
    MoveIn,
    ProblemsOut,
    ReplacementOut,
    RetiredOut,
    RetireIn,
    RewordedOut,
    StatementIn,
    StatementOut,
    ThemeIn,
    ThemeOut,
    VersionOut,
    VersionSummary,
)
from nps.frameworks.diff import VersionDiff, diff_versions
from nps.frameworks.exporter import export_framework
from nps.frameworks.forms import ENABLERS, IndexForm, NewVersionForm, RetireForm, StatementForm, ThemeForm, corrected
from nps.frameworks.levels import Scale
from nps.frameworks.lineage import successors_of
from nps.frameworks.loader import load_framework_file
from nps.frameworks.models import Framework, FrameworkVersion, Index, IndexKind, PublishedVersionError
from nps.frameworks.queries import (
    current_national_version,
    get_version,
    get_version_to_manage,
    indices_with_levels,
    visible_versions,
)
from nps.frameworks.schema import MAX_FILE_BYTES, FrameworkFileError, IndexData, StatementData, decoded
from nps.frameworks.snapshots import index_data, version_indices
from nps.lib.api import Detail, form_data, problem, validated

router = Router(tags=["Frameworks"])
groups_router = Router(tags=["Frameworks"])  # mounted at /api/v1/groups: a group's own strategy

VERSION = "/{framework}/versions/{version}"
INDEX = VERSION + "/indices/{index}"
PUBLISHED = "This version is published, and published versions never change: start a new draft from it."

# Reads are open; a token or session, when given, adds the drafts its holder manages.
OPEN = OPTIONAL_AUTH
P = ParamSpec("P")
R = TypeVar("R")


# Answers -----------------------------------------------------------------------------------------------------------


def reference(version: FrameworkVersion) -> str:
    return f"{version.framework.code}/{version.code}"


def version_summary(version: FrameworkVersion) -> VersionSummary:
    parent = reference(version.parent) if version.parent else None
    return VersionSummary(
        code=version.code,
        title=version.title,
        status=version.status,
        published_on=version.published_on,
        parent=parent,
        is_current=version.framework.current_version_id == version.pk,
    )


def index_out(index: Index) -> IndexOut:
    scale = index.version.scale  # the version the index was fetched through: no query
    statements = [
        StatementOut(
            code=s.code,
            text=s.text,
            text_reconstructed=s.text_reconstructed,
            levels=[
                LevelOut(level=d.level, name=scale.name(d.level), text=d.text, reconstructed=d.reconstructed)
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


def version_out(version: FrameworkVersion) -> VersionOut:
    indices = list(indices_with_levels(version))
    themes = [
        ThemeOut(code=t.code, title=t.title, indices=[i.code for i in indices if i.theme_id == t.pk])
        for t in version.themes.all()
    ]
    pairs = version.replacements.values_list("retired_code", "successor_code")
    return VersionOut(
        **version_summary(version).dict(),
        framework=version.framework.code,
        summary=version.summary,
        source=version.source,
        themes=themes,
        indices=[index_out(index) for index in indices],
        replacements=[ReplacementOut(retired=code, replaced_by=codes) for code, codes in successors_of(pairs).items()],
    )


def changes_out(earlier: FrameworkVersion, later: FrameworkVersion, diff: VersionDiff) -> ChangesOut:
    return ChangesOut(
        earlier=reference(earlier),
        later=reference(later),
        added=[AddedOut(code=index.code, title=index.title) for index in diff.added],
        retired=[
            RetiredOut(code=r.code, title=r.title, kind=r.kind, successors=list(r.successors)) for r in diff.retired
        ],
        reworded=[
            RewordedOut(code=index.code, title=index.title, changes=[FieldChangeOut(**vars(c)) for c in changes])
            for index, changes in diff.reworded
        ],
        unchanged=[index.code for index in diff.unchanged],
    )


# Input, permissions and refusals -----------------------------------------------------------------------------------


def level_values(levels: list[LevelIn]) -> dict[str, str]:
    return {f"level_{level.level}": level.text for level in levels}


def level_locations(scale: Scale, *statement: str | int) -> dict[str, tuple[str | int, ...]]:
    return {f"level_{n}": (*statement, "levels", n) for n in scale.numbers}


def refusals_as_400(view: Callable[P, R]) -> Callable[P, R | Status[dict[str, Any]]]:
    """A change the version's state forbids answers 400: {"detail"} for a published version, {"detail", "problems"}
    where the services list what is wrong. The services run in transactions, so nothing was saved."""

    @functools.wraps(view)
    def answered(*args: P.args, **kwargs: P.kwargs) -> R | Status[dict[str, Any]]:
        try:
            return view(*args, **kwargs)
        except PublishedVersionError:
            raise HttpError(400, PUBLISHED) from None
        except FrameworkFileError as error:
            count = len(error.problems)
            detail = str(error.problems[0]) if count == 1 else f"{count} problems, each listed with its place."
            return Status(400, {"detail": f"Nothing was saved. {detail}", "problems": error.problems})

    return answered


@contextmanager
def taken_codes_are_invalid() -> Iterator[None]:
    """A code the version already uses is bad input (422), as on the editor's forms; other refusals stay 400."""
    try:
        yield
    except FrameworkFileError as error:
        if any(item.place != "code" for item in error.problems):
            raise
        raise ValidationError([problem(("code",), item.message) for item in error.problems]) from None


def draft_to_edit(user: User, framework: str, version: str) -> FrameworkVersion:
    """A version this person manages (404 for anyone else) that is still a draft (400 once published)."""
    found = get_version_to_manage(user, framework, version)
    found.assert_editable()
    return found


def get_index(version: FrameworkVersion, code: str) -> Index:
    return get_object_or_404(indices_with_levels(version), code=code)


def edited_index(version: FrameworkVersion, payload: IndexChanges, existing: IndexData | None) -> IndexData:
    """The index the editor's form would save from these fields (new when `existing` is None)."""
    code = existing.code if existing else getattr(payload, "code", "")
    if payload.kind is not None and payload.kind != (IndexKind.KEY_AREA if payload.theme else IndexKind.ENABLER):
        raise ValidationError([problem(("kind",), "A key area names its theme; an enabler has none (theme: null)")])
    values = {
        **payload.dict(include={"title", "description", "what_it_is", "why_it_is_important"}),
        "code": code,
        "place": payload.theme or ENABLERS,
        "priority": payload.is_priority,
    }
    if existing is None or not existing.has_statements:
        values.update(own_levels(code, payload.statements))
    form = IndexForm(form_data(values), version=version, existing=existing)
    validated(form, {"place": ("theme",), **level_locations(version.scale, "statements", 0)})
    data = form.index_data()
    if existing is None or not existing.has_statements:
        return data
    return replace(data, statements=reworded_statements(existing.statements, payload.statements, version.scale))


def own_levels(code: str, statements: list[StatementIn]) -> dict[str, str]:
    """The level texts of an index with levels of its own: one statement coded as the index, with no text."""
    if len(statements) != 1 or statements[0].code != code or statements[0].text:
        message = f"Give one statement coded {code!r}, with no text, holding the levels (add statements later)"
        raise ValidationError([problem(("statements",), message)])
    return level_values(statements[0].levels)


def reworded_statements(existing: list[StatementData], given: list[StatementIn], scale: Scale) -> list[StatementData]:
    if [statement.code for statement in given] != [statement.code for statement in existing]:
        message = "Give the index's statements in their order; add and remove statements with their own endpoints"
        raise ValidationError([problem(("statements",), message)])
    pairs = enumerate(zip(existing, given, strict=True))
    return [reworded_statement(old, new, number, scale) for number, (old, new) in pairs]


def reworded_statement(old: StatementData, new: StatementIn, number: int, scale: Scale) -> StatementData:
    """New text and levels; as on the index's own fields, changed text is no longer marked as reconstructed."""
    form = StatementForm(form_data({"code": new.code, "text": new.text, **level_values(new.levels)}), scale=scale)
    places = {"text": ("statements", number, "text"), **level_locations(scale, "statements", number)}
    text = validated(form, places)["text"]
    levels = corrected(old, form.statement_data().levels, scale)
    kept = [name for name in levels.reconstructed if name != "text" or old.text == text]
    return replace(levels, text=text, reconstructed=kept)


def import_text(request: HttpRequest, file: UploadedFile | None) -> str:
    if file is not None:
        return decoded(file.read(MAX_FILE_BYTES + 1))
    message = 'Send the file as the multipart field "file", or as JSON {"text": "..."}'
    if request.content_type != "application/json":
        raise ValidationError([problem(("file",), message)])
    try:
        return ImportIn.model_validate_json(request.body).text
    except ValueError:
        raise ValidationError([problem(("text",), message)]) from None


def version_by_reference(user: User | AnonymousUser, value: str, name: str) -> FrameworkVersion:
    framework, slash, version = value.partition("/")
    if not slash:
        raise ValidationError([problem((name,), "Give framework and version codes, for example nps/2018", "query")])
    return get_version(user, framework, version)


def national_version() -> FrameworkVersion:
    national = current_national_version()
    if national is None:
        raise HttpError(400, "The national strategy has not been loaded yet.")
    return national


# Reading -----------------------------------------------------------------------------------------------------------


@router.get("/", response=list[FrameworkOut], auth=OPEN, summary="List frameworks and the versions you may see")
def list_frameworks(request: HttpRequest) -> list[FrameworkOut]:
    newest_first = visible_versions(request.user).order_by(F("published_on").desc(nulls_first=True), "-created_at")
    versions = Prefetch("versions", queryset=newest_first, to_attr="visible")
    frameworks = Framework.objects.select_related("owner").prefetch_related(versions)
    return [
        FrameworkOut(
            code=framework.code,
            title=framework.title,
            owner_gss_code=framework.owner.gss_code if framework.owner else None,
            versions=[version_summary(v) for v in framework.visible],  # type: ignore[attr-defined]
        )
        for framework in frameworks
        if framework.visible  # type: ignore[attr-defined]
    ]


@router.get(VERSION, response=VersionOut, auth=OPEN, summary="A framework version in full")
def version_detail(request: HttpRequest, framework: str, version: str) -> VersionOut:
    return version_out(get_version(request.user, framework, version))


@router.get(INDEX, response=IndexOut, auth=OPEN, summary="One index with its level descriptors")
def index_detail(request: HttpRequest, framework: str, version: str, index: str) -> IndexOut:
    return index_out(get_index(get_version(request.user, framework, version), index))


@router.get(
    VERSION + "/file",
    auth=OPEN,
    summary="The version as a framework file (YAML), to download",
    openapi_extra={"responses": {200: {"description": "nps-framework/1", "content": {"application/yaml": {}}}}},
)
def version_file(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    found = get_version(request.user, framework, version)
    response = HttpResponse(export_framework(found), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.framework.code}-{found.code}.yaml"'
    return response


@router.get("/changes", response={200: ChangesOut, 404: Detail}, auth=OPEN, summary="What changed between two versions")
def changes(
    request: HttpRequest, earlier: str = Query("", alias="from"), later: str = Query("", alias="to")
) -> ChangesOut:
    """`from` and `to` are `framework/version`; by default, the current national version and the one it follows."""
    after = version_by_reference(request.user, later, "to") if later else current_national_version()
    if after is None:
        raise Http404("The strategy has not been loaded yet.")
    before = version_by_reference(request.user, earlier, "from") if earlier else after.parent
    if before is None:
        raise ValidationError([problem(("from",), f"{after} follows no other version: say which to compare", "query")])
    pairs = after.replacements.values_list("retired_code", "successor_code") if after.parent_id == before.pk else []
    return changes_out(
        before, after, diff_versions(version_indices(before), version_indices(after), list(pairs), after.scale)
    )


# Managing versions -------------------------------------------------------------------------------------------------


@router.post(VERSION + "/drafts", response={201: VersionOut, 400: ProblemsOut}, summary="Start a draft following it")
@refusals_as_400
def post_draft(request: AuthenticatedRequest, framework: str, version: str, payload: DraftIn) -> Status[VersionOut]:
    published = get_version_to_manage(request.user, framework, version)
    cleaned = validated(NewVersionForm(form_data(payload.dict())))
    with taken_codes_are_invalid():
        draft = services.create_draft(published, by=request.user, **cleaned)
    return Status(201, version_out(draft))


@router.post(
    "/import",
    response={201: VersionOut, 400: ProblemsOut, 404: Detail},
    summary="Import a framework file as a draft (national team)",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": ImportIn.model_json_schema()}}}},
)
@refusals_as_400
def post_import(request: AuthenticatedRequest, file: File[UploadedFile | None] = None) -> Status[VersionOut]:
    """Multipart field `file`, or JSON `{"text": "..."}`. A file with any problem saves nothing."""
    require_national_admin(request.user)
    return Status(201, version_out(load_framework_file(import_text(request, file), as_draft=True, by=request.user)))


@router.post(VERSION + "/publish", response={200: VersionOut, 400: ProblemsOut}, summary="Publish a draft")
@refusals_as_400
def post_publish(request: AuthenticatedRequest, framework: str, version: str) -> VersionOut:
    services.publish_version(draft_to_edit(request.user, framework, version), by=request.user)
    return version_out(get_version(request.user, framework, version))


@router.post(VERSION + "/make-current", response={200: VersionOut, 400: ProblemsOut}, summary="Make a version current")
@refusals_as_400
def post_make_current(request: AuthenticatedRequest, framework: str, version: str) -> VersionOut:
    services.make_current(get_version_to_manage(request.user, framework, version), by=request.user)
    return version_out(get_version(request.user, framework, version))


@router.post(VERSION + "/themes", response={201: ThemeOut, 400: ProblemsOut}, summary="Add a theme to a draft")
@refusals_as_400
def post_theme(request: AuthenticatedRequest, framework: str, version: str, payload: ThemeIn) -> Status[ThemeOut]:
    draft = draft_to_edit(request.user, framework, version)
    cleaned = validated(ThemeForm(form_data(payload.dict())))
    if draft.themes.filter(code=cleaned["code"]).exists():
        raise ValidationError([problem(("code",), "This version already has a theme with this code")])
    theme = services.add_theme(draft, by=request.user, **cleaned)
    return Status(201, ThemeOut(code=theme.code, title=theme.title, indices=[]))


# Managing indices --------------------------------------------------------------------------------------------------


@router.post(VERSION + "/indices", response={201: IndexOut, 400: ProblemsOut}, summary="Add an index to a draft")
@refusals_as_400
def post_index(request: AuthenticatedRequest, framework: str, version: str, payload: IndexIn) -> Status[IndexOut]:
    draft = draft_to_edit(request.user, framework, version)
    services.save_index(draft, edited_index(draft, payload, None), by=request.user)
    return Status(201, index_out(get_index(draft, payload.code)))


@router.put(INDEX, response={200: IndexOut, 400: ProblemsOut}, summary="Reword an index of a draft")
@refusals_as_400
def put_index(
    request: AuthenticatedRequest, framework: str, version: str, index: str, payload: IndexChanges
) -> IndexOut:
    draft = draft_to_edit(request.user, framework, version)
    found = get_index(draft, index)
    services.save_index(draft, edited_index(draft, payload, index_data(found)), replacing=found, by=request.user)
    return index_out(get_index(draft, index))


@router.delete(INDEX, response={204: None, 400: ProblemsOut}, summary="Retire an index, saying what replaces it")
@refusals_as_400
def delete_index(
    request: AuthenticatedRequest, framework: str, version: str, index: str, payload: RetireIn | None = None
) -> Status[None]:
    """Retire several indices into the same one to merge them; name several successors to split one."""
    draft = draft_to_edit(request.user, framework, version)
    found = get_index(draft, index)
    choices = [(other.code, other.title) for other in draft.indices.exclude(pk=found.pk)]
    successors = payload.replaced_by if payload else []
    form = RetireForm(form_data({"successors": successors}), choices=choices)
    services.retire_index(found, validated(form, {"successors": ("replaced_by",)})["successors"], by=request.user)
    return Status(204, None)


@router.post(INDEX + "/move", response={200: VersionOut, 400: ProblemsOut}, summary="Move an index up or down")
@refusals_as_400
def post_move(request: AuthenticatedRequest, framework: str, version: str, index: str, payload: MoveIn) -> VersionOut:
    """Within its theme, or among the enablers; the answer is the version, in its new order."""
    draft = draft_to_edit(request.user, framework, version)
    services.move_index(get_index(draft, index), -1 if payload.direction == "up" else 1, by=request.user)
    return version_out(draft)


@router.post(INDEX + "/statements", response={201: IndexOut, 400: ProblemsOut}, summary="Add a statement")
@refusals_as_400
def post_statement(
    request: AuthenticatedRequest, framework: str, version: str, index: str, payload: StatementIn
) -> Status[IndexOut]:
    """An index with levels of its own first turns them into its first statement."""
    draft = draft_to_edit(request.user, framework, version)
    found = get_index(draft, index)
    values = {"code": payload.code, "text": payload.text, **level_values(payload.levels)}
    form = StatementForm(form_data(values), scale=draft.scale)
    validated(form, level_locations(draft.scale))
    with taken_codes_are_invalid():
        services.add_statement(found, form.statement_data(), by=request.user)
    return Status(201, index_out(get_index(draft, index)))


@router.delete(
    INDEX + "/statements/{statement}", response={200: IndexOut, 400: ProblemsOut}, summary="Remove a statement"
)
@refusals_as_400
def delete_statement(
    request: AuthenticatedRequest, framework: str, version: str, index: str, statement: str
) -> IndexOut:
    """An index keeps at least one statement (400)."""
    draft = draft_to_edit(request.user, framework, version)
    found = get_index(draft, index)
    get_object_or_404(found.statements, code=statement)
    services.remove_statement(found, statement, by=request.user)
    return index_out(get_index(draft, index))


# A group's own strategy --------------------------------------------------------------------------------------------


@groups_router.post(
    "/{gss_code}/strategy", response={201: VersionOut, 400: ProblemsOut}, summary="Derive the group's own strategy"
)
@refusals_as_400
def post_strategy(request: AuthenticatedRequest, gss_code: str, payload: DeriveIn | None = None) -> Status[VersionOut]:
    """A draft that starts as the current national version, owned by the group (its lead, or the national team)."""
    group = get_group_for_lead(request.user, gss_code)
    title = (payload.title.strip() if payload else "") or f"{group.name} procurement strategy"
    draft = services.derive_strategy(group, national_version(), title=title[:250], by=request.user)
    return Status(201, version_out(draft))


@groups_router.post(
    "/{gss_code}/strategy/rebase",
    response={201: VersionOut, 400: ProblemsOut},
    summary="Rebase the group's strategy on the current national version",
)
@refusals_as_400
def post_rebase(request: AuthenticatedRequest, gss_code: str) -> Status[VersionOut]:
    """A new draft on the current national version, keeping the group's own indices, retirements and priorities."""
    group = get_group_for_lead(request.user, gss_code)
    national = national_version()
    latest = FrameworkVersion.objects.filter(framework__owner=group).order_by("-created_at").first()
    if latest is None:
        raise HttpError(400, "This group has no strategy yet: derive one first.")
    if latest.parent_id == national.pk:
        raise HttpError(400, f"The group's latest strategy already derives from {national}.")
    return Status(201, version_out(services.rebase_strategy(latest, national, by=request.user)))
