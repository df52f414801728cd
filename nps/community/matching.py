"""Which exemplars to suggest to a council for its gaps: a pure function over plain data.

Only councils that opted in are ever suggested, and nothing about their levels goes in or comes out: the order
follows the councils' type and region alone (same type, then same region, then the rest), then their names.
"""

from collections.abc import Iterable
from dataclasses import dataclass

PROPER_NOUN_KINDS = {"London borough", "City of London", "Isles of Scilly"}


@dataclass(frozen=True)
class Council:
    id: int
    gss_code: str
    name: str
    kind: str
    kind_label: str
    region: str | None

    @property
    def kind_phrase(self) -> str:
        """The type as it reads inside a sentence: "district council", but "London borough"."""
        label = self.kind_label
        return label if label in PROPER_NOUN_KINDS else label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Offer:
    """What an exemplar chose to share when it opted in: nothing more reaches the suggestions."""

    id: int
    council: Council
    index_code: str
    contact_name: str
    note: str
    is_demo: bool = False


@dataclass(frozen=True)
class Suggestion:
    offer: Offer
    similarity: int  # 0 same type and region, 1 same type, 2 same region, 3 neither
    reason: str


@dataclass(frozen=True)
class IndexSuggestions:
    index_code: str
    suggestions: list[Suggestion]


def similarity(council: Council, exemplar: Council) -> int:
    same_kind = council.kind == exemplar.kind
    same_region = council.region is not None and council.region == exemplar.region
    if same_kind and same_region:
        return 0
    if same_kind:
        return 1
    return 2 if same_region else 3


def reason(council: Council, exemplar: Council) -> str:
    """Why this exemplar is suggested, in words: "Same type (district council) and same region (North West)"."""
    kind, region = f"type ({exemplar.kind_phrase})", f"region ({exemplar.region})"
    rank = similarity(council, exemplar)
    if rank == 0:
        return f"Same {kind} and same {region}"
    if rank == 1:
        return f"Same {kind}"
    if rank == 2:
        return f"Same {region}"
    where = f", {exemplar.region}" if exemplar.region else ""
    return f"Opted in for this index ({exemplar.kind_phrase}{where})"


def suggestion(council: Council, offer: Offer) -> Suggestion:
    return Suggestion(offer, similarity(council, offer.council), reason(council, offer.council))


def suggest(council: Council, gaps: Iterable[str], offers: Iterable[Offer]) -> list[IndexSuggestions]:
    """For each index code in gaps (in the order given), the offers for that index from other councils, most
    similar first. An index with no offer is still listed, with no suggestions, so the gap in support shows."""
    by_index: dict[str, list[Suggestion]] = {}
    for offer in offers:
        if offer.council.id != council.id:
            by_index.setdefault(offer.index_code, []).append(suggestion(council, offer))
    return [
        IndexSuggestions(code, sorted(by_index.get(code, []), key=lambda s: (s.similarity, s.offer.council.name)))
        for code in dict.fromkeys(gaps)
    ]
