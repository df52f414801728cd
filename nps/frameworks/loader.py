"""Saves a validated framework file as a framework version, and exports a version back to the same format."""

from typing import Any

import yaml
from django.db import transaction

from nps.frameworks.levels import LEVEL_KEYS
from nps.frameworks.models import (
    Framework,
    FrameworkVersion,
    Index,
    IndexKind,
    LevelDescriptor,
    Statement,
    Theme,
    VersionStatus,
)
from nps.frameworks.schema import FORMAT, FrameworkData, FrameworkFileError, Problem, read_framework


@transaction.atomic
def load_framework_file(text: str) -> FrameworkVersion:
    """Validate the file and save it whole as a new version; raise FrameworkFileError and save nothing if bad."""
    data = read_framework(text)
    framework, _ = Framework.objects.get_or_create(code=data.framework_code, defaults={"title": data.framework_title})
    if framework.versions.filter(code=data.version_code).exists():
        raise FrameworkFileError(
            [Problem("version.code", f"version {data.version_code!r} of {framework.code!r} already exists")]
        )
    version = FrameworkVersion.objects.create(
        framework=framework,
        code=data.version_code,
        title=data.version_title,
        summary=data.summary,
        source=data.source,
        published_on=data.published_on,
    )
    save_contents(version, data)
    if data.status == VersionStatus.PUBLISHED:
        version.status = VersionStatus.PUBLISHED
        FrameworkVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    return version


def save_contents(version: FrameworkVersion, data: FrameworkData) -> None:
    themes = {
        theme.code: theme
        for theme in Theme.objects.bulk_create(
            [
                Theme(version=version, code=theme.code, title=theme.title, position=n)
                for n, theme in enumerate(data.themes)
            ]
        )
    }
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
                position=n,
                is_priority=item.priority,
                reconstructed=item.reconstructed,
            )
            for n, item in enumerate(data.indices)
        ]
    )
    statements, descriptors = [], []
    for index, item in zip(indices, data.indices, strict=True):
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
                    reconstructed=f"levels.{LEVEL_KEYS[level]}" in statement_data.reconstructed,
                )
                for level, text in statement_data.levels.items()
            ]
    Statement.objects.bulk_create(statements)
    LevelDescriptor.objects.bulk_create(descriptors)


def export_framework(version: FrameworkVersion) -> str:
    """The version in the framework file format: loading the result gives back an equivalent version."""
    indices = list(version.indices.prefetch_related("statements__descriptors"))
    document: dict[str, Any] = {
        "format": FORMAT,
        "framework": {"code": version.framework.code, "title": version.framework.title},
        "version": {
            key: value
            for key, value in {
                "code": version.code,
                "title": version.title,
                "status": str(version.status),
                "published_on": version.published_on,
                "summary": version.summary,
                "source": version.source,
            }.items()
            if value
        },
        "themes": [
            {
                "code": theme.code,
                "title": theme.title,
                "key_areas": [export_index(index) for index in indices if index.theme_id == theme.pk],
            }
            for theme in version.themes.all()
        ],
        "enablers": [export_index(index) for index in indices if index.kind == IndexKind.ENABLER],
    }
    if not document["enablers"]:
        del document["enablers"]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def export_levels(statement: Statement) -> dict[str, str]:
    return {LEVEL_KEYS[descriptor.level]: descriptor.text for descriptor in statement.descriptors.all()}


def reconstructed_levels(statement: Statement) -> list[str]:
    return [f"levels.{LEVEL_KEYS[d.level]}" for d in statement.descriptors.all() if d.reconstructed]


def export_index(index: Index) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": index.code,
        "title": index.title,
        "description": index.description,
        "what_it_is": index.what_it_is,
        "why_it_is_important": index.why_it_is_important,
    }
    statements = list(index.statements.all())
    reconstructed = list(index.reconstructed)
    if len(statements) == 1 and statements[0].code == index.code and not statements[0].text:
        item["levels"] = export_levels(statements[0])
        reconstructed += reconstructed_levels(statements[0])
    else:
        item["statements"] = [export_statement(statement) for statement in statements]
    if reconstructed:
        item["reconstructed"] = reconstructed
    if index.is_priority:
        item["priority"] = True
    return item


def export_statement(statement: Statement) -> dict[str, Any]:
    item: dict[str, Any] = {"code": statement.code, "text": statement.text, "levels": export_levels(statement)}
    reconstructed = (["text"] if statement.text_reconstructed else []) + reconstructed_levels(statement)
    if reconstructed:
        item["reconstructed"] = reconstructed
    return item
