"""What changed between two framework versions: added, retired (and how replaced), reworded, side by side.

A pure function over plain index data, so any two versions (or a version and its regional variant) compare alike.
"""

from dataclasses import dataclass, field

from nps.frameworks.levels import NPS_SCALE, Scale
from nps.frameworks.lineage import ReplacementKind, classify, successors_of
from nps.frameworks.schema import IndexData

TEXT_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("what_it_is", "What it is"),
    ("why_it_is_important", "Why it is important"),
]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Retirement:
    code: str
    title: str
    kind: ReplacementKind
    successors: tuple[str, ...] = ()


@dataclass
class VersionDiff:
    added: list[IndexData] = field(default_factory=list)
    retired: list[Retirement] = field(default_factory=list)
    reworded: list[tuple[IndexData, list[FieldChange]]] = field(default_factory=list)
    unchanged: list[IndexData] = field(default_factory=list)

    @property
    def shared_codes(self) -> list[str]:
        return [index.code for index, _ in self.reworded] + [index.code for index in self.unchanged]


def level_texts(index: IndexData, scale: Scale) -> dict[str, str]:
    """Each statement's descriptor per level, labelled as a reader would name it."""
    texts = {}
    for statement in index.statements:
        prefix = f"{statement.text}: " if index.has_statements else ""
        for level, text in statement.levels.items():
            texts[f"{prefix}{scale.name(level)}"] = text
    return texts


def field_changes(before: IndexData, after: IndexData, scale: Scale) -> list[FieldChange]:
    changes = [
        FieldChange(label, getattr(before, name), getattr(after, name))
        for name, label in TEXT_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    if before.theme_code != after.theme_code:
        changes.append(FieldChange("Theme", before.theme_code or "Enablers", after.theme_code or "Enablers"))
    if before.priority != after.priority:
        changes.append(FieldChange("Priority", "Yes" if before.priority else "No", "Yes" if after.priority else "No"))
    old_levels, new_levels = level_texts(before, scale), level_texts(after, scale)
    changes += [
        FieldChange(f"Level: {label}", old_levels.get(label, ""), new_levels.get(label, ""))
        for label in dict.fromkeys([*old_levels, *new_levels])
        if old_levels.get(label) != new_levels.get(label)
    ]
    return changes


def diff_versions(
    before: dict[str, IndexData],
    after: dict[str, IndexData],
    replacements: list[tuple[str, str]],
    scale: Scale = NPS_SCALE,
) -> VersionDiff:
    """Compare by stable index code; retired indices are described by the later version's replacements."""
    diff = VersionDiff(added=[index for code, index in after.items() if code not in before])
    kinds, successors = classify(replacements), successors_of(replacements)
    for code, index in before.items():
        if code not in after:
            diff.retired.append(
                Retirement(code, index.title, kinds.get(code, ReplacementKind.RETIRED), tuple(successors.get(code, [])))
            )
        elif changes := field_changes(index, after[code], scale):
            diff.reworded.append((after[code], changes))
        else:
            diff.unchanged.append(after[code])
    return diff


def descriptors_changed(before: IndexData, after: IndexData) -> bool:
    """Whether a council's earlier level may no longer mean the same: any level descriptor differs."""
    return [(s.text, s.levels) for s in before.statements] != [(s.text, s.levels) for s in after.statements]
