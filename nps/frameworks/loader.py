"""Saves a validated framework file as a new framework version, all or nothing.

The file's own rules are checked by nps.frameworks.schema; the rules that need the database (the version it follows
or derives from, the owning group, inherited indices, replacements) are checked here, before anything is saved.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from nps.core.models import record
from nps.frameworks.models import (
    Framework,
    FrameworkVersion,
    Index,
    LevelDescriptor,
    Replacement,
    Statement,
    Theme,
    VersionStatus,
)
from nps.frameworks.schema import FrameworkData, FrameworkFileError, IndexData, Problem, ThemeData, read_framework
from nps.frameworks.snapshots import version_indices
from nps.organisations.models import Organisation


@dataclass
class References:
    """What a file points at in the database, once checked."""

    framework: Framework | None = None
    owner: Organisation | None = None
    parent: FrameworkVersion | None = None
    parent_indices: dict[str, IndexData] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def find_parent(data: FrameworkData, references: References) -> None:
    key, reference = ("follows", data.follows) if data.follows else ("derives_from", data.derives_from)
    if reference is None:
        return
    framework_code, version_code = reference
    parent = (
        FrameworkVersion.objects.filter(framework__code=framework_code, code=version_code)
        .select_related("framework")
        .first()
    )
    place = f"version.{key}"
    if parent is None:
        references.problems.append(Problem(place, f"there is no version {version_code!r} of {framework_code!r}"))
    elif not parent.is_published:
        references.problems.append(
            Problem(
                place,
                f"{parent} is not published: only a published version can be "
                f"{'followed' if key == 'follows' else 'derived from'}",
            )
        )
    elif key == "follows" and framework_code != data.framework_code:
        references.problems.append(Problem(place, "a version follows a version of its own framework"))
    elif key == "derives_from" and parent.framework.owner_id is not None:
        references.problems.append(Problem(place, "a regional strategy derives from a national framework version"))
    elif parent.scale != data.scale:
        references.problems.append(
            Problem("levels", f"must be the levels of {parent}, which this version {key}: {parent.scale.describe()}")
        )
    else:
        references.parent = parent
        references.parent_indices = version_indices(parent)


def find_framework(data: FrameworkData, references: References) -> None:
    framework = Framework.objects.filter(code=data.framework_code).select_related("owner").first()
    if framework and framework.versions.filter(code=data.version_code).exists():
        references.problems.append(
            Problem("version.code", f"version {data.version_code!r} of {data.framework_code!r} already exists")
        )
    if data.owner:
        references.owner = Organisation.objects.groups().filter(gss_code=data.owner).first()
        if references.owner is None:
            references.problems.append(Problem("framework.owner", f"there is no group with GSS code {data.owner!r}"))
    owner_code = framework.owner.gss_code if framework and framework.owner else ""
    if framework and owner_code != data.owner:
        references.problems.append(
            Problem("framework.owner", f"{data.framework_code!r} belongs to {owner_code or 'the national team'}")
        )
    if framework and not (data.follows or data.derives_from or data.fresh_start):
        references.problems.append(Problem("version.follows", missing_follows(framework)))
    references.framework = framework


def missing_follows(framework: Framework) -> str:
    codes = list(framework.versions.filter(status=VersionStatus.PUBLISHED).values_list("code", flat=True))
    example = f'follows: {{framework: {framework.code}, version: "{codes[0]}"}}' if codes else "follows"
    return (
        f"is missing: {framework.code!r} already has versions ({', '.join(repr(code) for code in codes) or 'drafts'}), "
        f"so say which one this version follows ({example}), or start afresh with fresh_start: true "
        "(a fresh start does not become the current version)"
    )


def check_indices(data: FrameworkData, references: References) -> None:
    """Inherited indices exist in the parent; every index the followed version had is kept or accounted for."""
    if references.parent is None:
        return
    for index in data.indices:
        if index.inherit and index.code not in references.parent_indices:
            references.problems.append(
                Problem(f"index {index.code}", f"inherit: {index.code!r} is not an index of {references.parent}")
            )
    if data.follows:
        codes = {index.code for index in data.indices}
        accounted = {retired for retired, _ in data.replacements}
        for code in references.parent_indices:
            if code not in codes and code not in accounted:
                references.problems.append(
                    Problem(
                        "replacements",
                        f"{code!r} of {references.parent} is not in this "
                        f"version: say what replaces it (or replaced_by: [])",
                    )
                )
        for retired in accounted - set(references.parent_indices):
            references.problems.append(
                Problem(f"replacements ({retired})", f"{retired!r} is not an index of {references.parent}")
            )


def check_references(data: FrameworkData) -> References:
    references = References()
    find_framework(data, references)
    find_parent(data, references)
    check_indices(data, references)
    if references.problems:
        raise FrameworkFileError(references.problems)
    return references


def resolved(data: FrameworkData, references: References) -> list[IndexData]:
    """The file's indices with inherited ones filled in from the parent, keeping the file's place and priority."""
    return [
        replace(references.parent_indices[index.code], theme_code=index.theme_code, priority=index.priority)
        if index.inherit
        else index
        for index in data.indices
    ]


@transaction.atomic
def load_framework_file(text: str, *, as_draft: bool = False, by: Any = None) -> FrameworkVersion:
    """Validate the file and save it whole as a new version; raise FrameworkFileError and save nothing if bad.
    With as_draft, the version is a draft whatever the file says, to be checked and published in the browser.
    `by` is the person loading it; None for the command line."""
    data = read_framework(text)
    references = check_references(data)
    published = data.status == VersionStatus.PUBLISHED and not as_draft
    framework = references.framework or Framework.objects.create(
        code=data.framework_code, title=data.framework_title, owner=references.owner
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        code=data.version_code,
        title=data.version_title,
        summary=data.summary,
        source=data.source,
        published_on=data.published_on or (timezone.localdate() if published else None),
        parent=references.parent,
        levels=data.scale.stored(),
    )
    own = {index.code for index in data.indices if not index.inherit} if data.derives_from else set()
    save_contents(version, data.themes, resolved(data, references), own)
    Replacement.objects.bulk_create(
        [
            Replacement(version=version, retired_code=retired, successor_code=successor)
            for retired, successor in data.replacements
        ]
    )
    if published:
        FrameworkVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
        version.refresh_from_db()
        if framework.current_version_id is None:  # a framework's first published version is its current one
            Framework.objects.filter(pk=framework.pk).update(current_version=version)
    state = "published" if published else "as a draft"
    record("framework_loaded", f"Loaded {framework.title} {version.title} from a file, {state}", by=by)
    return version


def save_contents(
    version: FrameworkVersion, themes_data: list[ThemeData], indices_data: list[IndexData], own: set[str]
) -> None:
    """Themes, indices, statements and descriptors in four bulk inserts (the version must be a fresh draft)."""
    themes = {
        theme.code: theme
        for theme in Theme.objects.bulk_create(
            [
                Theme(version=version, code=theme.code, title=theme.title, position=n)
                for n, theme in enumerate(themes_data)
            ]
        )
    }
    save_indices(version, themes, indices_data, own)


def save_indices(
    version: FrameworkVersion,
    themes: dict[str, Theme],
    indices_data: list[IndexData],
    own: set[str],
    first_position: int = 0,
) -> None:
    """Indices with their statements and descriptors, in three bulk inserts, numbered from first_position."""
    indices = Index.objects.bulk_create(
        [
            Index(
                version=version,
                theme=themes.get(item.theme_code or ""),
                kind=item.kind,
                code=item.code,
                title=item.title,
                description=item.description,
                what_it_is=item.what_it_is,
                why_it_is_important=item.why_it_is_important,
                position=first_position + n,
                is_priority=item.priority,
                is_own=item.code in own,
                reconstructed=item.reconstructed,
            )
            for n, item in enumerate(indices_data)
        ]
    )
    statements, descriptors = [], []
    for index, item in zip(indices, indices_data, strict=True):
        for position, statement_data in enumerate(item.statements):
            statement = Statement(
                index=index,
                code=statement_data.code,
                text=statement_data.text,
                position=position,
                text_reconstructed="text" in statement_data.reconstructed,
            )
            statements.append(statement)
            descriptors += [
                LevelDescriptor(
                    statement=statement,
                    level=level,
                    text=text,
                    reconstructed=f"levels.{version.scale.code(level)}" in statement_data.reconstructed,
                )
                for level, text in statement_data.levels.items()
            ]
    Statement.objects.bulk_create(statements)
    LevelDescriptor.objects.bulk_create(descriptors)
