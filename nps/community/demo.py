"""Demonstration exemplars, connection requests and case studies, all labelled as demonstration content.

Exemplars are councils whose latest submitted level in the demonstration rounds is Leader or Innovator, so run this
after `create_demo_rounds`. Rows are written as the services would have left them, without sending any email.
Nothing is created when demonstration content is already there.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nps.accounts.models import Membership, Role, User
from nps.community import matching
from nps.community.models import (
    CaseStudy,
    CaseStudyIndex,
    CaseStudyStatus,
    ConnectionRequest,
    ConnectionStatus,
    ExemplarOffer,
)
from nps.community.queries import (
    EXEMPLARY_LEVELS,
    council_of,
    current_indices,
    gaps_of,
    latest_return,
    latest_submitted_answers,
)
from nps.core.demo import DEMO_ACCOUNTS
from nps.frameworks.models import Index
from nps.organisations.models import Organisation

EXEMPLARS_PER_INDEX = 3
INDICES_WITHOUT_EXEMPLARS = 2  # the last indices get none, so the gaps in support show
NOTE = "Demonstration: we can share our approach to {title}, the documents we use and the lessons we learned."
CASE_STUDIES = [
    (
        "Demonstration: councillors who champion procurement",
        "A made-up story of a council whose cabinet now reviews every major contract.",
        True,
    ),
    (
        "Demonstration: social value in every tender",
        "A made-up story of a council that weighs social value in all tenders above £100,000.",
        True,
    ),
    (
        "Demonstration: a shared category team",
        "A made-up story of neighbouring councils that buy together through one category team.",
        True,
    ),
    (
        "Demonstration: contract management that pays",
        "A made-up draft: only the national team sees it until it is published.",
        False,
    ),
]
BODY = (
    "Demonstration content: this case study was written to show how the library works. It describes no real "
    "council's work.\n\nThe council set itself a target, planned actions for the gap and asked an exemplar council "
    "what had worked there.\n\nWithin two years it reached the level it aimed for."
)


@dataclass(frozen=True)
class DemoCommunity:
    offers: int
    requests: int
    case_studies: int
    created: bool


def demo_account(name: str) -> User | None:
    email = next(account.email for account in DEMO_ACCOUNTS if account.name == name)
    return User.objects.filter(email=email).first()


def organisation_of(user: User | None) -> Organisation | None:
    membership = Membership.objects.filter(user=user, role=Role.EDITOR).select_related("organisation__region").first()
    return membership.organisation if membership else None


def existing() -> DemoCommunity:
    return DemoCommunity(
        offers=ExemplarOffer.objects.filter(is_demo=True).count(),
        requests=ConnectionRequest.objects.filter(is_demo=True).count(),
        case_studies=CaseStudy.objects.filter(is_demo=True).count(),
        created=False,
    )


@transaction.atomic
def create_demo_community() -> DemoCommunity:
    """Opt a few councils in as exemplars, make connection requests and write case studies, once."""
    if existing() != DemoCommunity(0, 0, 0, False):
        return existing()
    editor, other_editor = demo_account("Council editor"), demo_account("Other council editor")
    home = organisation_of(editor)
    indices = current_indices()
    offers = create_offers(indices, home)
    requests = create_requests(offers, home, editor, organisation_of(other_editor), other_editor)
    studies = create_case_studies(offers, indices)
    return DemoCommunity(len(offers), requests, studies, created=True)


def chosen_exemplars(candidates: list[Organisation], home: Organisation | None) -> list[Organisation]:
    """Up to three exemplars of different similarity to the home council, so that the ordering shows."""
    if home is None:
        return candidates[:EXEMPLARS_PER_INDEX]
    council = council_of(home)
    similarity = {org.pk: matching.similarity(council, council_of(org)) for org in candidates}
    chosen: dict[int, Organisation] = {}
    for organisation in sorted(candidates, key=lambda org: (similarity[org.pk], org.gss_code)):
        chosen.setdefault(similarity[organisation.pk], organisation)
    return list(chosen.values())[:EXEMPLARS_PER_INDEX]


def create_offers(indices: list[Index], home: Organisation | None) -> list[ExemplarOffer]:
    councils = {org.pk: org for org in Organisation.objects.current().councils().select_related("region")}
    candidates: dict[str, list[Organisation]] = {}
    for (organisation_id, code), answer in latest_submitted_answers().items():
        if (
            organisation_id in councils
            and not answer.not_applicable
            and answer.current_level in EXEMPLARY_LEVELS
            and (home is None or organisation_id != home.pk)
        ):
            candidates.setdefault(code, []).append(councils[organisation_id])
    offers = []
    for index in indices[: max(len(indices) - INDICES_WITHOUT_EXEMPLARS, 0)]:
        offers += [
            ExemplarOffer(
                organisation=organisation,
                index_code=index.code,
                contact_name=f"Demonstration contact at {organisation.name}",
                contact_email=f"exemplar.{organisation.gss_code.lower()}@demo.example",
                note=NOTE.format(title=index.title),
                is_demo=True,
            )
            for organisation in chosen_exemplars(candidates.get(index.code, []), home)
        ]
    return ExemplarOffer.objects.bulk_create(offers)


def create_requests(
    offers: list[ExemplarOffer],
    home: Organisation | None,
    editor: User | None,
    other: Organisation | None,
    other_editor: User | None,
) -> int:
    """The home council asked one exemplar where it has a gap (waiting for the national team); another council was
    connected with one."""
    admin = demo_account("National admin")
    now = timezone.now()
    requests = []
    if home is not None and offers:
        home_return = latest_return(home)
        gaps = set(gaps_of(home_return.answers.select_related("index"))) if home_return else set()
        asked = next((offer for offer in offers if offer.index_code in gaps), offers[0])
        requests.append(demo_request(home, asked, editor, ConnectionStatus.REQUESTED, None))
    usable = [offer for offer in offers if other is not None and offer.organisation_id != other.pk]
    if other is not None and len(usable) > 1:
        requests.append(demo_request(other, usable[-1], other_editor, ConnectionStatus.CONNECTED, admin))
        requests[-1].decided_at = now
    return len(ConnectionRequest.objects.bulk_create(requests))


def demo_request(
    requester: Organisation, offer: ExemplarOffer, by: User | None, status: str, decided_by: User | None
) -> ConnectionRequest:
    return ConnectionRequest(
        requester=requester,
        exemplar=offer.organisation,
        index_code=offer.index_code,
        message="Demonstration: we would like to learn how you reached this level.",
        status=status,
        note="Demonstration: connected by the national team." if decided_by else "",
        created_by=by,
        decided_by=decided_by,
        is_demo=True,
    )


def create_case_studies(offers: list[ExemplarOffer], indices: list[Index]) -> int:
    """Case studies about some of the exemplars' indices, three published and one draft."""
    now = timezone.now()
    for number, (title, summary, published) in enumerate(CASE_STUDIES):
        offer = offers[number * EXEMPLARS_PER_INDEX] if number * EXEMPLARS_PER_INDEX < len(offers) else None
        study = CaseStudy.objects.create(
            title=title,
            slug=slugify(title),
            summary=summary,
            body=BODY,
            organisation=offer.organisation if offer else None,
            level_reached=4 if offer else None,
            links="https://www.local.gov.uk/our-support/procurement",
            status=CaseStudyStatus.PUBLISHED if published else CaseStudyStatus.DRAFT,
            published_at=now if published else None,
            is_demo=True,
        )
        code = offer.index_code if offer else (indices[number % len(indices)].code if indices else "")
        if code:
            CaseStudyIndex.objects.create(case_study=study, index_code=code)
    return len(CASE_STUDIES)
