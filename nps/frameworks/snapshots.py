"""Framework versions as plain data (the same dataclasses a framework file is read into), for export and comparison."""

from nps.frameworks.levels import Scale
from nps.frameworks.models import FrameworkVersion, Index, Statement
from nps.frameworks.schema import IndexData, StatementData


def is_implicit(statements: list[Statement], index: Index) -> bool:
    """An index written with `levels` holds one statement with the index's code and no text."""
    return len(statements) == 1 and statements[0].code == index.code and not statements[0].text


def statement_data(statement: Statement, scale: Scale, *, implicit: bool) -> StatementData:
    levels = {descriptor.level: descriptor.text for descriptor in statement.descriptors.all()}
    reconstructed = [] if implicit or not statement.text_reconstructed else ["text"]
    reconstructed += [f"levels.{scale.code(d.level)}" for d in statement.descriptors.all() if d.reconstructed]
    return StatementData(statement.code, statement.text, levels, reconstructed)


def index_data(index: Index) -> IndexData:
    """The index as a file would describe it (needs statements and descriptors prefetched)."""
    statements = list(index.statements.all())
    implicit = is_implicit(statements, index)
    return IndexData(
        code=index.code,
        title=index.title,
        kind=index.kind,
        theme_code=index.theme.code if index.theme else None,
        description=index.description,
        what_it_is=index.what_it_is,
        why_it_is_important=index.why_it_is_important,
        statements=[statement_data(statement, index.version.scale, implicit=implicit) for statement in statements],
        reconstructed=list(index.reconstructed),
        priority=index.is_priority,
        has_statements=not implicit,
    )


def version_indices(version: FrameworkVersion) -> dict[str, IndexData]:
    indices = version.indices.select_related("theme", "version").prefetch_related("statements__descriptors")
    return {index.code: index_data(index) for index in indices}


def same_content(first: IndexData, second: IndexData) -> bool:
    """Equal but for priority and place, which a regional strategy may set for itself."""
    return (
        first.title,
        first.description,
        first.what_it_is,
        first.why_it_is_important,
        first.statements,
        first.reconstructed,
        first.kind,
    ) == (
        second.title,
        second.description,
        second.what_it_is,
        second.why_it_is_important,
        second.statements,
        second.reconstructed,
        second.kind,
    )
