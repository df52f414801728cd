"""Answer once, carry across: a council's recent submitted answers on another framework, mapped to this round's by a
crosswalk (nps.frameworks.crosswalks). An index mapped as the same starts from that answer, to be confirmed like any
prefill; an index mapped otherwise shows the answer beside it as a hint."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from nps.assessments.models import ANSWER_FIELDS, CARRIED_ACROSS, Answer, Return, ReturnStatus, Round
from nps.frameworks.models import IndexMapping, Relation

NOTE_LENGTH = Answer._meta.get_field("review_note").max_length or 200
RECENT = datetime.timedelta(days=2 * 366)  # a return older than two years says little about a council today
CARRIED_NOTE = CARRIED_ACROSS + " your {round} return: {index}, in {framework}."


def carried_across(round_: Round, organisations: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """The organisations' latest answers, submitted in the two years before the round opens, to indices that a
    crosswalk maps as the same as this round's, by (organisation, this round's index code), with their origin."""
    mappings = {
        mapping.source_index_id: mapping
        for mapping in IndexMapping.objects.filter(
            crosswalk__target=round_.framework_version, relation=Relation.SAME
        ).select_related("source_index", "target_index", "crosswalk__source")
    }
    if not mappings:
        return {}
    answers = submitted_answers(round_, organisations, list(mappings)).values_list(
        "council_return__organisation", "index", "council_return__round__name", *ANSWER_FIELDS
    )
    carried: dict[tuple[int, str], dict[str, Any]] = {}
    for organisation, index, round_name, *values in answers.iterator():  # oldest first: the latest answer wins
        mapping = mappings[index]
        note = CARRIED_NOTE.format(
            round=round_name, framework=mapping.crosswalk.source.title, index=mapping.source_index.title
        )
        note = note if len(note) <= NOTE_LENGTH else note[: NOTE_LENGTH - 1] + "…"
        values = dict(zip(ANSWER_FIELDS, values, strict=True))
        carried[(organisation, mapping.target_index.code)] = {**values, "note": note}
    return carried


def submitted_answers(round_: Round, organisations: Any, indices: list[int]) -> Any:
    since = datetime.datetime.combine(round_.opens_on - RECENT, datetime.time.min, tzinfo=datetime.UTC)
    return Answer.objects.filter(
        council_return__organisation__in=organisations,
        council_return__status=ReturnStatus.SUBMITTED,
        council_return__submitted_at__gte=since,
        index__in=indices,
    ).order_by("council_return__submitted_at", "pk")


@dataclass(frozen=True)
class Hint:
    """An answer the council gave on another framework to an index mapped to this one otherwise than as the same."""

    round_name: str
    framework: str
    index: str
    relation: str
    level: str  # named on the other framework's levels; empty for none
    not_applicable: bool


def mapped_hints(council_return: Return, answer: Answer) -> list[Hint]:
    """The council's latest recent answers to the indices of other frameworks mapped to this answer's index as
    narrower, broader or related."""
    mappings = {
        mapping.source_index_id: mapping
        for mapping in IndexMapping.objects.filter(target_index=answer.index)
        .exclude(relation=Relation.SAME)
        .select_related("source_index", "crosswalk__source")
    }
    if not mappings:
        return []
    found = submitted_answers(council_return.round, [council_return.organisation_id], list(mappings))
    latest = {given.index_id: given for given in found.annotate(round_name=F("council_return__round__name"))}
    return [
        Hint(
            round_name=given.round_name,  # type: ignore[attr-defined]
            framework=mappings[index].crosswalk.source.title,
            index=mappings[index].source_index.title,
            relation=mappings[index].get_relation_display().lower(),
            level=mappings[index].crosswalk.source.scale.name(given.current_level),
            not_applicable=given.not_applicable,
        )
        for index, given in latest.items()
    ]
