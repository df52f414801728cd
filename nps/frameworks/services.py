"""Named changes to the strategy as data: drafts, edits, retirements with their replacements, publication,
regional strategies and their rebasing. Each runs in a transaction and writes the audit trail.

Edits apply to draft versions only; a published version never changes (the models refuse it too).
"""

from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from nps.accounts.models import User
from nps.core.models import record
from nps.frameworks.exporter import export_framework
from nps.frameworks.loader import References, check_indices, save_contents, save_indices
from nps.frameworks.models import Framework, FrameworkVersion, Index, Replacement, Statement, Theme, VersionStatus
from nps.frameworks.schema import FrameworkFileError, IndexData, Problem, StatementData, ThemeData, read_framework
from nps.frameworks.snapshots import index_data, version_indices
from nps.organisations.models import Organisation


def themes_of(version: FrameworkVersion) -> list[ThemeData]:
    return [ThemeData(theme.code, theme.title) for theme in version.themes.all()]


def new_version(framework: Framework, parent: FrameworkVersion, *, code: str, title: str) -> FrameworkVersion:
    if framework.versions.filter(code=code).exists():
        raise FrameworkFileError([Problem("code", f"{framework.title} already has a version {code!r}")])
    return FrameworkVersion.objects.create(
        framework=framework,
        code=code,
        title=title,
        summary=parent.summary,
        source=parent.source,
        parent=parent,
        levels=parent.levels,
    )


@transaction.atomic
def create_draft(published: FrameworkVersion, *, code: str, title: str, by: User | None) -> FrameworkVersion:
    """A new draft version following a published one, starting as an exact copy of it."""
    if not published.is_published:
        raise FrameworkFileError([Problem("version", "a new version starts from a published one")])
    # A regional strategy's versions all derive from a national version; a national version follows its predecessor.
    parent = published.parent if published.framework.owner_id and published.parent else published
    draft = new_version(published.framework, parent, code=code, title=title)
    own = set(published.indices.filter(is_own=True).values_list("code", flat=True))
    save_contents(draft, themes_of(published), list(version_indices(published).values()), own)
    record(
        "framework_draft_created", f"Started {draft} from {published}", by=by, organisation=published.framework.owner
    )
    return draft


@transaction.atomic
def derive_strategy(
    group: Organisation, national: FrameworkVersion, *, title: str, by: User | None
) -> FrameworkVersion:
    """A group's regional strategy: a draft that starts as the published national version, owned by the group."""
    if not national.is_published or national.framework.owner_id is not None:
        raise FrameworkFileError([Problem("version", "a regional strategy derives from a published national version")])
    framework, _ = Framework.objects.get_or_create(
        owner=group, defaults={"code": slugify(f"{group.name} strategy")[:60], "title": title}
    )
    draft = new_version(framework, national, code=f"{national.code}-{framework.versions.count() + 1}", title=title)
    save_contents(draft, themes_of(national), list(version_indices(national).values()), set())
    record("strategy_derived", f"Derived {draft} from {national}", by=by, organisation=group)
    return draft


@transaction.atomic
def rebase_strategy(derived: FrameworkVersion, national: FrameworkVersion, *, by: User | None) -> FrameworkVersion:
    """A new draft of a regional strategy on a newer national version: the national indices the group had retired
    stay retired, its own indices and priorities are kept."""
    previous_national = version_indices(derived.parent) if derived.parent else {}
    current = version_indices(derived)
    retired_by_group = set(previous_national) - set(current)
    own_codes = set(derived.indices.filter(is_own=True).values_list("code", flat=True))
    own = {code: data for code, data in current.items() if code in own_codes}
    priorities = {code for code, data in current.items() if data.priority}
    indices = [
        replace(data, priority=data.code in priorities)
        for code, data in version_indices(national).items()
        if code not in retired_by_group and code not in own
    ]
    themes = themes_of(national) + [
        t for t in themes_of(derived) if t.code not in {n.code for n in themes_of(national)}
    ]
    theme_codes = {theme.code for theme in themes}
    indices += [
        replace(data, theme_code=data.theme_code if data.theme_code in theme_codes else None) for data in own.values()
    ]
    draft = new_version(
        derived.framework,
        national,
        code=f"{national.code}-{derived.framework.versions.count() + 1}",
        title=derived.title,
    )
    save_contents(draft, themes, indices, set(own))
    record(
        "strategy_rebased", f"Rebased {derived} on {national} as {draft}", by=by, organisation=derived.framework.owner
    )
    return draft


def require_draft(version: FrameworkVersion) -> None:
    version.assert_editable()


@transaction.atomic
def save_index(version: FrameworkVersion, data: IndexData, *, replacing: Index | None = None, by: User | None) -> Index:
    """Add an index to a draft, or reword one (its statements and descriptors are rewritten from `data`)."""
    require_draft(version)
    position = replacing.position if replacing else (version.indices.aggregate(last=Max("position"))["last"] or 0) + 1
    own = set()
    if version.framework.owner_id and (replacing is None or replacing.is_own):
        own = {data.code}
    if replacing is not None:
        replacing.delete()
    themes = {theme.code: theme for theme in version.themes.all()}
    save_indices(version, themes, [data], own, first_position=position)
    record(
        "index_saved",
        f"{'Reworded' if replacing else 'Added'} {data.title} in {version}",
        by=by,
        organisation=version.framework.owner,
    )
    return version.indices.get(code=data.code)


@transaction.atomic
def add_statement(index: Index, statement: StatementData, *, by: User | None) -> Index:
    """Add a statement to an index. An index with levels of its own first turns them into its first statement."""
    if Statement.objects.filter(index__version=index.version, code=statement.code).exists():
        raise FrameworkFileError([Problem("code", f"this version already has a statement {statement.code!r}")])
    data = index_data(index)
    statements = (
        data.statements
        if data.has_statements
        else [replace(data.statements[0], code=f"{data.code}.1", text=data.title)]
    )
    return save_index(
        index.version, replace(data, statements=[*statements, statement], has_statements=True), replacing=index, by=by
    )


@transaction.atomic
def remove_statement(index: Index, code: str, *, by: User | None) -> Index:
    data = index_data(index)
    remaining = [statement for statement in data.statements if statement.code != code]
    if not remaining:
        raise FrameworkFileError([Problem("statements", "an index keeps at least one statement")])
    return save_index(index.version, replace(data, statements=remaining), replacing=index, by=by)


@transaction.atomic
def move_statement(index: Index, code: str, offset: int, *, by: User | None) -> Index:
    """Move a statement up (-1) or down (+1) within its index."""
    data = index_data(index)
    statements = list(data.statements)
    place = next(n for n, statement in enumerate(statements) if statement.code == code)
    other = place + offset
    if not 0 <= other < len(statements):
        return index
    statements[place], statements[other] = statements[other], statements[place]
    return save_index(index.version, replace(data, statements=statements), replacing=index, by=by)


def followed_version_with(index: Index) -> FrameworkVersion | None:
    """The published version a national draft follows, if it has this index: then retiring the index records what
    replaces it. A regional strategy, or an index new in the draft, records nothing."""
    version = index.version
    if version.parent is None or version.framework.owner_id is not None:
        return None
    return version.parent if version.parent.indices.filter(code=index.code).exists() else None


@dataclass(frozen=True)
class Retirement:
    """What retiring an index from a draft will do, said before it is done."""

    index: Index
    followed: FrameworkVersion | None  # the version it follows, when that had the index
    successors: list[Index]
    merged_with: list[str]  # titles of indices already retired into the one successor

    @property
    def kind(self) -> str:
        if self.followed is None:
            return "removed"
        if len(self.successors) > 1:
            return "split"
        if self.successors:
            return "merged" if self.merged_with else "replaced"
        return "retired"


def retirement(index: Index, successors: list[str]) -> Retirement:
    version, followed = index.version, followed_version_with(index)
    merged_with: list[str] = []
    if followed is not None and len(successors) == 1:
        earlier = version.replacements.filter(successor_code=successors[0]).exclude(retired_code=index.code)
        merged_with = list(
            followed.indices.filter(code__in=earlier.values("retired_code")).values_list("title", flat=True)
        )
    successor_indices = list(version.indices.filter(code__in=successors).order_by("position"))
    return Retirement(index=index, followed=followed, successors=successor_indices, merged_with=merged_with)


@transaction.atomic
def retire_index(index: Index, successors: list[str], *, by: User | None) -> None:
    """Take an index out of a draft. If the version it follows had it, record what replaces it (nothing, one index,
    several for a split; several indices retired into the same successor make a merge)."""
    version = index.version
    require_draft(version)
    if followed_version_with(index) is not None:
        Replacement.objects.bulk_create(
            [Replacement(version=version, retired_code=index.code, successor_code=code) for code in successors]
            or [Replacement(version=version, retired_code=index.code, successor_code="")]
        )
    index.delete()
    record(
        "index_retired",
        f"Retired {index.title} from {version}" + (f", replaced by {', '.join(successors)}" if successors else ""),
        by=by,
        organisation=version.framework.owner,
    )


@transaction.atomic
def move_index(index: Index, offset: int, *, by: User | None) -> None:
    """Move an index up (-1) or down (+1) within its theme, or among the enablers."""
    require_draft(index.version)
    siblings = list(index.version.indices.filter(theme=index.theme, kind=index.kind).order_by("position"))
    place = siblings.index(index)
    other = place + offset
    if 0 <= other < len(siblings):
        neighbour = siblings[other]
        Index.objects.filter(pk=index.pk).update(position=neighbour.position)
        Index.objects.filter(pk=neighbour.pk).update(position=index.position)
        record(
            "index_moved",
            f"Moved {index.title} {'up' if offset < 0 else 'down'} in {index.version}",
            by=by,
            organisation=index.version.framework.owner,
        )


@transaction.atomic
def set_priority(index: Index, priority: bool, *, by: User | None) -> None:
    require_draft(index.version)
    Index.objects.filter(pk=index.pk).update(is_priority=priority)
    record(
        "index_priority",
        f"{'Marked' if priority else 'Unmarked'} {index.title} as a priority in {index.version}",
        by=by,
        organisation=index.version.framework.owner,
    )


@transaction.atomic
def add_theme(version: FrameworkVersion, *, code: str, title: str, by: User | None) -> Theme:
    require_draft(version)
    if version.themes.filter(code=code).exists():
        raise FrameworkFileError([Problem("code", f"this version already has a theme {code!r}")])
    position = (version.themes.aggregate(last=Max("position"))["last"] or 0) + 1
    record("theme_added", f"Added the theme {title} to {version}", by=by, organisation=version.framework.owner)
    return Theme.objects.create(version=version, code=code, title=title, position=position)


def publication_problems(version: FrameworkVersion) -> list[Problem]:
    """Everything that stops a draft being published: the same rules as a framework file."""
    try:
        data = read_framework(export_framework(version))
    except FrameworkFileError as error:
        return error.problems
    references = References(
        parent=version.parent, parent_indices=version_indices(version.parent) if version.parent else {}
    )
    check_indices(data, references)
    return references.problems


@transaction.atomic
def publish_version(version: FrameworkVersion, *, by: User | None) -> None:
    require_draft(version)
    problems = publication_problems(version)
    if problems:
        raise FrameworkFileError(problems)
    FrameworkVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_on=timezone.localdate()
    )
    # a framework's first published version is its current one; after that the choice is made_current's
    Framework.objects.filter(pk=version.framework_id, current_version__isnull=True).update(current_version=version)
    record("framework_published", f"Published {version}", by=by, organisation=version.framework.owner)


@transaction.atomic
def make_current(version: FrameworkVersion, *, by: User | None) -> None:
    """Make a published version the one in use: the strategy pages show it and regional strategies derive from it."""
    if not version.is_published:
        raise FrameworkFileError([Problem("version", f"{version} is a draft: publish it before making it current")])
    framework = Framework.objects.select_for_update().get(pk=version.framework_id)
    previous = framework.current_version
    Framework.objects.filter(pk=framework.pk).update(current_version=version)
    was = f" instead of {previous}" if previous and previous != version else ""
    record("framework_made_current", f"Made {version} the current version{was}", by=by, organisation=framework.owner)
