"""Crosswalk files (format nps-crosswalk/1, docs/crosswalk-format.md): how the indices of one framework version
correspond to another's. Read and checked whole, every problem with its place, then loaded in one transaction."""

from dataclasses import dataclass

from django.db import transaction

from nps.accounts.models import User
from nps.core.models import record
from nps.frameworks.models import Crosswalk, FrameworkVersion, Index, IndexMapping, Relation
from nps.frameworks.schema import FrameworkFileError, Reader, parse_yaml

FORMAT = "nps-crosswalk/1"
RELATIONS = ", ".join(Relation.values)


@dataclass(frozen=True)
class MappingData:
    source: Index
    target: Index
    relation: str
    note: str


def read_crosswalk(text: str) -> tuple[FrameworkVersion | None, FrameworkVersion | None, str, list[MappingData]]:
    """The file's two versions, title and mappings; FrameworkFileError lists every problem."""
    reader = Reader()
    document = reader.mapping(parse_yaml(text), "file", {"format", "from", "to", "title", "mappings"})
    if document and document.get("format") != FORMAT:
        reader.problem("format", f"must be {FORMAT!r}, not {document.get('format')!r}")
    source, target = version_at(reader, document, "from"), version_at(reader, document, "to")
    if source and source == target:
        reader.problem("to", "names the same version as from: a crosswalk maps one version to another")
    title = reader.text(document, "title", "file", required=False, model=Crosswalk)
    mappings = read_mappings(reader, document, source, target)
    if reader.problems:
        raise FrameworkFileError(reader.problems)
    return source, target, title, mappings


def version_at(reader: Reader, document: dict, key: str) -> FrameworkVersion | None:
    found = reader.mapping(document.get(key), key, {"framework", "version"})
    framework, version = reader.text(found, "framework", key), reader.text(found, "version", key)
    if not (framework and version):
        return None
    match = FrameworkVersion.objects.filter(framework__code=framework, code=version).first()
    if match is None:
        reader.problem(key, f"no framework version {framework}/{version} is loaded: load it first")
    return match


def read_mappings(
    reader: Reader, document: dict, source: FrameworkVersion | None, target: FrameworkVersion | None
) -> list[MappingData]:
    """Each mapping, its two codes found in their versions; a pair given twice, or one index of the second version
    the same as two of the first, is refused with both places."""
    indices = {version: {i.code: i for i in version.indices.all()} for version in [source, target] if version}
    sides = [("from", source), ("to", target)]
    mappings: list[MappingData] = []
    places: dict[tuple[str, ...], str] = {}
    for number, item in enumerate(reader.items(document, "mappings", "file")):
        place = f"mappings[{number}]"
        entry = reader.mapping(item, place, {"from", "to", "relation", "note"})
        found = [index_at(reader, entry, key, place, indices.get(v) if v else None) for key, v in sides]
        relation = reader.text(entry, "relation", place)
        if relation and relation not in Relation.values:
            reader.problem(f"{place}.relation", f"{relation!r} must be one of {RELATIONS}")
        note = reader.text(entry, "note", place, required=False)
        if relation == Relation.SAME and source and target and source.levels != target.levels:
            message = "can be same only between versions on the same levels, or answers would carry across to a "
            reader.problem(f"{place}.relation", message + "different scale: map it as related")
        if found[0] and found[1] and relation in Relation.values:
            keys: list[tuple[str, ...]] = [("pair", found[0].code, found[1].code)]
            if relation == Relation.SAME:
                keys.append(("same", found[1].code))
            for key in keys:
                if key in places:
                    reader.problem(place, repeated(key, places[key]))
                places.setdefault(key, place)
            mappings.append(MappingData(found[0], found[1], relation, note))
    return mappings


def index_at(reader: Reader, entry: dict, key: str, place: str, indices: dict[str, Index] | None) -> Index | None:
    code = reader.text(entry, key, place)
    if not code or indices is None:
        return None
    if code not in indices:
        reader.problem(f"{place}.{key}", f"no index {code!r} in the version named at {key}")
    return indices.get(code)


def repeated(key: tuple[str, ...], first: str) -> str:
    if key[0] == "pair":
        return f"maps {key[1]} to {key[2]} a second time (first at {first})"
    return f"makes {key[1]} the same as a second index (first at {first}): answers could carry across only from one"


@transaction.atomic
def load_crosswalk_file(text: str, *, by: User | None = None) -> Crosswalk:
    """Load a crosswalk, all or nothing, replacing any earlier one between the same two versions."""
    source, target, title, mappings = read_crosswalk(text)
    assert source is not None and target is not None  # read_crosswalk refuses a file without them
    crosswalk, created = Crosswalk.objects.update_or_create(source=source, target=target, defaults={"title": title})
    crosswalk.mappings.all().delete()
    IndexMapping.objects.bulk_create(
        IndexMapping(
            crosswalk=crosswalk, source_index=m.source, target_index=m.target, relation=m.relation, note=m.note
        )
        for m in mappings
    )
    change = "Loaded" if created else "Replaced"
    record("crosswalk_loaded", f"{change} the crosswalk {crosswalk}: {len(mappings)} mappings", by=by)
    return crosswalk
