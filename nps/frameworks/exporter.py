"""Writes a framework version in the framework file format; loading the result gives back an equivalent version."""

from typing import Any

import yaml

from nps.frameworks.levels import NPS_SCALE, Scale
from nps.frameworks.lineage import successors_of
from nps.frameworks.models import FrameworkVersion, IndexKind
from nps.frameworks.schema import FORMAT, IndexData, StatementData
from nps.frameworks.snapshots import same_content, version_indices


def export_framework(version: FrameworkVersion) -> str:
    indices = version_indices(version)
    parent = version_indices(version.parent) if version.parent and version.framework.owner_id else {}
    export = {code: export_index(data, parent.get(code), version.scale) for code, data in indices.items()}
    document: dict[str, Any] = {
        "format": FORMAT,
        "framework": framework_header(version),
        "version": version_header(version),
        "levels": [{"code": level.code, "name": level.name} for level in version.scale.levels],
        "themes": [
            {
                "code": theme.code,
                "title": theme.title,
                "key_areas": [export[code] for code, data in indices.items() if data.theme_code == theme.code],
            }
            for theme in version.themes.all()
        ],
        "enablers": [export[code] for code, data in indices.items() if data.kind == IndexKind.ENABLER],
        "replacements": [
            {"retired": retired, "replaced_by": successors}
            for retired, successors in successors_of(
                version.replacements.values_list("retired_code", "successor_code")
            ).items()
        ],
    }
    for optional in ("enablers", "replacements"):
        if not document[optional]:
            del document[optional]
    if version.scale == NPS_SCALE:
        del document["levels"]  # a file that names no levels has the five NPS levels
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, ten times faster, where PyYAML has it
    return yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def framework_header(version: FrameworkVersion) -> dict[str, Any]:
    header = {"code": version.framework.code, "title": version.framework.title}
    if version.framework.owner:
        header["owner"] = version.framework.owner.gss_code
    return header


def version_header(version: FrameworkVersion) -> dict[str, Any]:
    header: dict[str, Any] = {
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
    }
    if version.parent:
        key = "derives_from" if version.framework.owner_id else "follows"
        header[key] = {"framework": version.parent.framework.code, "version": version.parent.code}
    elif version.framework.versions.filter(created_at__lt=version.created_at).exists():
        header["fresh_start"] = True
    return header


def export_index(data: IndexData, parent: IndexData | None, scale: Scale) -> dict[str, Any]:
    if parent is not None and same_content(data, parent):
        return {"code": data.code, "inherit": True, **({"priority": True} if data.priority else {})}
    item: dict[str, Any] = {
        "code": data.code,
        "title": data.title,
        "description": data.description,
        "what_it_is": data.what_it_is,
        "why_it_is_important": data.why_it_is_important,
    }
    reconstructed = list(data.reconstructed)
    if data.has_statements:
        item["statements"] = [export_statement(statement, scale) for statement in data.statements]
    else:
        item["levels"] = export_levels(data.statements[0], scale)
        reconstructed += data.statements[0].reconstructed
    if reconstructed:
        item["reconstructed"] = reconstructed
    if data.priority:
        item["priority"] = True
    return item


def export_levels(statement: StatementData, scale: Scale) -> dict[str, str]:
    return {scale.code(level): text for level, text in sorted(statement.levels.items())}


def export_statement(statement: StatementData, scale: Scale) -> dict[str, Any]:
    item: dict[str, Any] = {"code": statement.code, "text": statement.text, "levels": export_levels(statement, scale)}
    if statement.reconstructed:
        item["reconstructed"] = statement.reconstructed
    return item
