"""Reading exemplars, eligibility, connection requests and support per index: the small query layer that feeds the
pure matching and the pages and API."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from nps.accounts.models import User
from nps.accounts.permissions import can_edit, require_national_admin
from nps.assessments.models import Answer, Return, ReturnStatus
from nps.assessments.queries import rounds_state
from nps.community import matching
from nps.community.models import (
    OPEN_STATUSES,
    ConnectionRequest,
    ConnectionStatus,
    ExemplarOffer,
    ExemplaryMark,
)
from nps.frameworks.levels import Level
from nps.frameworks.models import Index
from nps.frameworks.queries import current_national_version
from nps.lib.caching import cached
from nps.organisations.models import Kind, Organisation, not_ended

EXEMPLARY_LEVELS = {Level.LEADER, Level.INNOVATOR}
OFFERS = "exemplar-offers"  # the generation (nps.lib.caching) of the offers suggested to every council


@dataclass(frozen=True)
class LatestAnswer:
    """An organisation's latest submitted answer to one index code, across national rounds."""

    current_level: int | None
    target_level: int | None
    not_applicable: bool

    @property
    def wants_to_improve(self) -> bool:
        return (
            not self.not_applicable
            and self.current_level is not None
            and self.target_level is not None
            and self.target_level > self.current_level
        )


@dataclass(frozen=True)
class Eligibility:
    """Whether an organisation may offer help in an index, and why (shown to the organisation itself only)."""

    index_code: str
    latest_level: int | None
    marked: bool

    @property
    def eligible(self) -> bool:
        return self.marked or self.latest_level in EXEMPLARY_LEVELS

    @property
    def explanation(self) -> str:
        if self.marked:
            return "Marked exemplary by the national team"
        if self.latest_level is None:
            return "No submitted level yet"
        return f"Latest submitted level: {Level(self.latest_level).label}"


# Indices -------------------------------------------------------------------------------------------------------------


def current_indices() -> list[Index]:
    """The indices of the current national strategy, in order: those an exemplar can offer help in."""
    version = current_national_version()
    return list(version.indices.order_by("position")) if version else []


def index_titles(codes: Iterable[str] | None = None) -> dict[str, str]:
    """Index code → title in the most recent national version that has it (codes are stable across versions)."""
    indices = Index.objects.filter(version__framework__owner__isnull=True)
    if codes is not None:
        indices = indices.filter(code__in=set(codes))
    rows = indices.order_by("version__published_on", "version__created_at").values_list("code", "title")
    return dict(rows)


# Eligibility ---------------------------------------------------------------------------------------------------------


def latest_submitted_answers(organisation_ids: Iterable[int] | None = None) -> dict[tuple[int, str], LatestAnswer]:
    """(organisation id, index code) → the latest submitted answer there, across national rounds."""
    answers = Answer.objects.filter(
        council_return__status=ReturnStatus.SUBMITTED, council_return__round__run_by__isnull=True
    )
    if organisation_ids is not None:
        answers = answers.filter(council_return__organisation_id__in=list(organisation_ids))
    rows = answers.order_by("council_return__round__opens_on", "council_return__round_id").values_list(
        "council_return__organisation_id", "index__code", "current_level", "target_level", "not_applicable"
    )
    return {
        (organisation, code): LatestAnswer(current, target, not_applicable)
        for organisation, code, current, target, not_applicable in rows
    }


def eligibility(organisation: Organisation, index_codes: Iterable[str]) -> dict[str, Eligibility]:
    latest = latest_submitted_answers([organisation.pk])
    marked = set(ExemplaryMark.objects.filter(organisation=organisation).values_list("index_code", flat=True))
    result = {}
    for code in index_codes:
        answer = latest.get((organisation.pk, code))
        level = None if answer is None or answer.not_applicable else answer.current_level
        result[code] = Eligibility(code, level, code in marked)
    return result


# Matching ------------------------------------------------------------------------------------------------------------


def council_of(organisation: Organisation) -> matching.Council:
    return matching.Council(
        id=organisation.pk,
        gss_code=organisation.gss_code,
        name=organisation.name,
        kind=organisation.kind,
        kind_label=Kind(organisation.kind).label if organisation.kind in Kind.values else organisation.kind,
        region=organisation.region.name if organisation.region else None,
    )


def active_offers(index_codes: Iterable[str]) -> QuerySet[ExemplarOffer]:
    """Active offers of current organisations in these indices."""
    return ExemplarOffer.objects.filter(
        not_ended("organisation__"), active=True, index_code__in=list(index_codes)
    ).select_related("organisation__region")


def shared(offer: ExemplarOffer) -> matching.Offer:
    """The offer as plain data holding only what the exemplar shared: the matching sees nothing else."""
    return matching.Offer(
        offer.pk, council_of(offer.organisation), offer.index_code, offer.contact_name, offer.note, offer.is_demo
    )


def gaps_of(answers: Iterable[Answer]) -> dict[str, str]:
    """Code → title of the indices where the target is above the current level, in the order given."""
    return {answer.index.code: answer.index.title for answer in answers if (answer.gap or 0) > 0}


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: matching.Suggestion
    request_status: str | None  # of the council's open request to this exemplar in this index, if any


@dataclass(frozen=True)
class IndexExemplars:
    index_code: str
    title: str
    rows: list[SuggestionRow]
    gap: int = 0  # levels between the current level and the target


@dataclass(frozen=True)
class ExemplarSection:
    """The exemplar suggestions for a return's gaps, with the requests the council already made."""

    organisation: Organisation
    indices: list[IndexExemplars]
    can_ask: bool
    return_id: int = 0
    gaps: int = 0  # indices where the target is above the current level, with suggestions or not

    @property
    def suggestions(self) -> int:
        return sum(len(item.rows) for item in self.indices)

    def most_useful(self, indices: int = 3, per_index: int = 1) -> "ExemplarSection":
        """The first few suggestions for the biggest gaps that have any: what a dashboard has room for."""
        helpful = sorted((item for item in self.indices if item.rows), key=lambda item: -item.gap)[:indices]
        trimmed = [IndexExemplars(i.index_code, i.title, i.rows[:per_index], i.gap) for i in helpful]
        return ExemplarSection(self.organisation, trimmed, self.can_ask, self.return_id, self.gaps)


def exemplars_for_return(council_return: Return, user: User, answers: list[Answer] | None = None) -> ExemplarSection:
    """Suggestions for each gap of the return. The dashboard passes the answers it loaded (with their indices), so
    that this adds one query, or two where there is something to ask for."""
    organisation = council_return.organisation
    if answers is None:
        answers = list(council_return.answers.select_related("index").order_by("index__position"))
    gaps = gaps_of(answers)
    sizes = {answer.index.code: answer.gap or 0 for answer in answers}
    if not gaps:
        return ExemplarSection(organisation, [], can_ask=False, return_id=council_return.round_id)
    open_request = ConnectionRequest.objects.filter(
        requester=organisation,
        exemplar=OuterRef("organisation"),
        index_code=OuterRef("index_code"),
        status__in=OPEN_STATUSES,
    )
    offers = list(active_offers(gaps).annotate(request_status=Subquery(open_request.values("status")[:1])))
    statuses = {offer.pk: offer.request_status for offer in offers}
    suggested = matching.suggest(council_of(organisation), gaps, [shared(offer) for offer in offers])
    indices = [
        IndexExemplars(
            item.index_code,
            gaps[item.index_code],
            [SuggestionRow(suggestion, statuses[suggestion.offer.id]) for suggestion in item.suggestions],
            sizes[item.index_code],
        )
        for item in suggested
    ]
    can_ask = bool(offers) and can_edit(user, organisation)
    return ExemplarSection(organisation, indices, can_ask, return_id=council_return.round_id, gaps=len(gaps))


def get_active_offer(gss_code: str, index_code: str, requester: Organisation) -> ExemplarOffer:
    """An active offer another current organisation made in the index; 404 for any other."""
    return get_object_or_404(
        ExemplarOffer.objects.select_related("organisation__region").exclude(organisation=requester),
        not_ended("organisation__"),
        organisation__gss_code=gss_code,
        index_code=index_code,
        active=True,
    )


# Connection requests -------------------------------------------------------------------------------------------------


def connection_requests() -> QuerySet[ConnectionRequest]:
    return ConnectionRequest.objects.select_related("requester", "exemplar", "created_by", "decided_by")


def requests_made(organisation: Organisation) -> list[ConnectionRequest]:
    return list(connection_requests().filter(requester=organisation))


def requests_received(organisation: Organisation) -> list[ConnectionRequest]:
    return list(connection_requests().filter(exemplar=organisation))


def status_counts() -> dict[str, int]:
    counts = Counter(ConnectionRequest.objects.values_list("status", flat=True))
    return {status: counts.get(status, 0) for status in ConnectionStatus.values}


# Support per index ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRow:
    index_code: str
    title: str
    wanting_to_improve: int
    exemplars: int
    open_requests: int

    @property
    def unsupported(self) -> bool:
        return self.wanting_to_improve > 0 and self.exemplars == 0


def support_by_index() -> list[SupportRow]:
    """Per index of the current strategy: councils whose latest submitted target is above their level, active
    exemplars, and open connection requests. Counts only: no council is named."""
    wanting = cached("councils-wanting-to-improve", [rounds_state()], councils_wanting_to_improve)
    exemplars = Counter(
        ExemplarOffer.objects.filter(not_ended("organisation__"), active=True).values_list("index_code", flat=True)
    )
    requests = Counter(ConnectionRequest.objects.filter(status__in=OPEN_STATUSES).values_list("index_code", flat=True))
    return [
        SupportRow(index.code, index.title, wanting[index.code], exemplars[index.code], requests[index.code])
        for index in current_indices()
    ]


def councils_wanting_to_improve() -> Counter[str]:
    """Per index code, the councils whose latest submitted target is above their level (reads every answer)."""
    latest = latest_submitted_answers()
    return Counter(code for (_, code), answer in latest.items() if answer.wants_to_improve)


def get_connection_for_admin(user: User, request_id: int) -> ConnectionRequest:
    require_national_admin(user)
    return get_object_or_404(connection_requests(), pk=request_id)


def latest_return(organisation: Organisation) -> Return | None:
    """The organisation's return to the most recent national round, for a link to its dashboard."""
    return (
        organisation.returns.filter(round__run_by__isnull=True, round__status__in=["open", "closed"])
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
        .first()
    )


@dataclass(frozen=True)
class RequestRow:
    request: ConnectionRequest
    title: str
    contact: ExemplarOffer | None = None  # the exemplar's contact, shared with the council once connected


def request_rows(
    requests: list[ConnectionRequest], titles: dict[str, str], *, with_contacts: bool = False
) -> list[RequestRow]:
    connected = [item for item in requests if item.status == ConnectionStatus.CONNECTED] if with_contacts else []
    offers = ExemplarOffer.objects.filter(organisation_id__in={item.exemplar_id for item in connected})
    contacts = {(offer.organisation_id, offer.index_code): offer for offer in offers}
    return [
        RequestRow(
            item,
            titles.get(item.index_code, item.index_code),
            contacts.get((item.exemplar_id, item.index_code)) if item in connected else None,
        )
        for item in requests
    ]


def exemplary_marks() -> QuerySet[ExemplaryMark]:
    return ExemplaryMark.objects.select_related("organisation", "marked_by")
