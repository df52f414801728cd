"""The exemplar and case-study API: what the web pages do, with the same permission helpers, forms and services.

A council's offers, suggestions and requests answer 404 to anyone who may not see the council; the national team's
endpoints answer 404 to everyone else; published case studies are open to all.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from nps.accounts.api import OPTIONAL_AUTH
from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest, get_organisation_for_user, require_national_admin
from nps.assessments.queries import get_return_for_user
from nps.community import queries
from nps.community.case_studies import (
    CaseStudyError,
    case_studies,
    create_case_study,
    filter_case_studies,
    publish_case_study,
    published_case_studies,
    unpublish_case_study,
    update_case_study,
)
from nps.community.connections import RequestRefused, decide_connection, request_connection
from nps.community.exemplars import mark_exemplary, opt_in, remove_mark, withdraw_offer
from nps.community.forms import CaseStudyForm, ConnectionRequestForm, DecisionForm, MarkForm, OfferForm
from nps.community.models import CaseStudy, ConnectionRequest, ConnectionStatus, ExemplarOffer, ExemplaryMark
from nps.frameworks.levels import Level
from nps.lib.api import Detail, Id, Input, form_data, validated

router = Router(tags=["Exemplars and case studies"])
COUNCIL = "/organisations/{gss_code}"


# Schemas -------------------------------------------------------------------------------------------------------------


class OfferOut(Schema):
    index: str
    contact_name: str
    contact_email: str
    note: str
    active: bool
    is_demo: bool

    @staticmethod
    def resolve_index(offer: ExemplarOffer) -> str:
        return offer.index_code


class OfferIn(Input):
    indices: list[str] = Field(description="Codes of the indices to offer help in.")
    contact_name: str
    contact_email: str
    note: str = Field(description="What the council can share.")


class ExemplarOut(Schema):
    """Only what the exemplar chose to share when it opted in; never its levels."""

    organisation: str
    organisation_name: str
    contact_name: str
    note: str
    reason: str
    is_demo: bool
    request_status: str | None = Field(description="The state of your open request to this exemplar, if any.")


class IndexExemplarsOut(Schema):
    index: str
    title: str
    exemplars: list[ExemplarOut]


class ContactOut(Schema):
    name: str
    email: str


class ConnectionOut(Schema):
    id: int
    requester: str
    requester_name: str
    exemplar: str
    exemplar_name: str
    index: str
    message: str
    status: str
    note: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    is_demo: bool
    requester_contact: ContactOut | None = Field(description="Shared once connected.")
    exemplar_contact: ContactOut | None = Field(description="Shared once connected.")


class ConnectionsOut(Schema):
    made: list[ConnectionOut]
    received: list[ConnectionOut]


class ConnectionIn(Input):
    exemplar: str = Field(description="The GSS code of the council that offers help.")
    index: str = Field(description="The index code it offers help in.")
    message: str = ""


class DecisionIn(Input):
    decision: str = Field(description="`connect`, `decline` or `close`.")
    note: str = ""


class SupportOut(Schema):
    index: str
    title: str
    wanting_to_improve: int
    exemplars: int
    open_requests: int


class MarkOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    index: str
    marked_at: datetime.datetime


class MarkIn(Input):
    organisation: str = Field(description="GSS code.")
    index: str


class CaseStudyOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    body: str
    organisation: str | None
    organisation_name: str | None
    indices: list[str]
    level_reached: int | None
    links: list[str]
    status: str
    published_at: datetime.datetime | None
    is_demo: bool


class CaseStudyIn(Input):
    title: str
    summary: str
    body: str = Field(description="Plain text; a blank line between paragraphs.")
    indices: list[str]
    organisation: str | None = Field(None, description="GSS code of the council it is about.")
    level_reached: int | None = None
    links: list[str] = []
    slug: str = ""


# Converters ----------------------------------------------------------------------------------------------------------


def contact(name: str, email: str) -> dict[str, str]:
    return {"name": name, "email": email}


def connection_out(item: ConnectionRequest) -> dict[str, Any]:
    connected = item.status == ConnectionStatus.CONNECTED
    offer = ExemplarOffer.objects.filter(organisation=item.exemplar, index_code=item.index_code).first()
    asker = item.created_by
    return {
        "id": item.pk,
        "requester": item.requester.gss_code,
        "requester_name": item.requester.name,
        "exemplar": item.exemplar.gss_code,
        "exemplar_name": item.exemplar.name,
        "index": item.index_code,
        "message": item.message,
        "status": item.status,
        "note": item.note,
        "created_at": item.created_at,
        "decided_at": item.decided_at,
        "is_demo": item.is_demo,
        "requester_contact": contact(str(asker), asker.email) if connected and asker else None,
        "exemplar_contact": contact(offer.contact_name, offer.contact_email) if connected and offer else None,
    }


def case_study_out(found: CaseStudy) -> dict[str, Any]:
    return {
        **{name: getattr(found, name) for name in ["id", "slug", "title", "summary", "body", "level_reached"]},
        **{name: getattr(found, name) for name in ["status", "published_at", "is_demo"]},
        "organisation": found.organisation.gss_code if found.organisation else None,
        "organisation_name": found.organisation.name if found.organisation else None,
        "indices": found.index_codes,
        "links": found.link_list,
    }


def case_study_values(payload: CaseStudyIn) -> dict[str, Any]:
    """The web form's cleaned data for the payload, or 422 with each error at its JSON field."""
    values = {**payload.dict(), "links": "\n".join(payload.links), "organisation": payload.organisation or ""}
    return validated(CaseStudyForm(form_data(values), indices=queries.current_indices()))


def is_admin(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.is_national_admin


# A council's offers, suggestions and requests ------------------------------------------------------------------------


@router.get(COUNCIL + "/offers", response=list[OfferOut], summary="The council's offers of help as an exemplar")
def list_offers(request: AuthenticatedRequest, gss_code: str) -> list[ExemplarOffer]:
    organisation = get_organisation_for_user(request.user, gss_code)
    return list(organisation.exemplar_offers.all())


@router.post(COUNCIL + "/offers", response={201: list[OfferOut]}, summary="Offer help as an exemplar (editors)")
def post_offers(request: AuthenticatedRequest, gss_code: str, payload: OfferIn) -> Status[list[ExemplarOffer]]:
    """Each index must be one where the council's latest submitted level is Leader or Innovator, or where the
    national team marked it exemplary; otherwise 422. Offering again updates the contact and note."""
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    indices = queries.current_indices()
    eligibility = queries.eligibility(organisation, [index.code for index in indices])
    cleaned = validated(OfferForm(form_data(payload.dict()), indices=indices, eligibility=eligibility))
    offers = opt_in(
        organisation,
        cleaned["indices"],
        contact_name=cleaned["contact_name"],
        contact_email=cleaned["contact_email"],
        note=cleaned["note"],
        by=request.user,
    )
    return Status(201, offers)


@router.post(COUNCIL + "/offers/{index_code}/withdraw", response=OfferOut, summary="Withdraw an offer (editors)")
def post_withdraw(request: AuthenticatedRequest, gss_code: str, index_code: str) -> ExemplarOffer:
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    offer = get_object_or_404(ExemplarOffer, organisation=organisation, index_code=index_code, active=True)
    withdraw_offer(offer, by=request.user)
    return offer


@router.get(
    COUNCIL + "/rounds/{round_id}/exemplars",
    response=list[IndexExemplarsOut],
    summary="Exemplars for each index where the return's target is above its current level",
)
def get_exemplars(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> list[dict[str, Any]]:
    section = queries.exemplars_for_return(get_return_for_user(request.user, gss_code, round_id), request.user)
    return [
        {
            "index": item.index_code,
            "title": item.title,
            "exemplars": [
                {
                    "organisation": row.suggestion.offer.council.gss_code,
                    "organisation_name": row.suggestion.offer.council.name,
                    "contact_name": row.suggestion.offer.contact_name,
                    "note": row.suggestion.offer.note,
                    "reason": row.suggestion.reason,
                    "is_demo": row.suggestion.offer.is_demo,
                    "request_status": row.request_status,
                }
                for row in item.rows
            ],
        }
        for item in section.indices
    ]


@router.get(COUNCIL + "/connections", response=ConnectionsOut, summary="The council's connection requests")
def list_council_connections(request: AuthenticatedRequest, gss_code: str) -> dict[str, Any]:
    organisation = get_organisation_for_user(request.user, gss_code)
    return {
        "made": [connection_out(item) for item in queries.requests_made(organisation)],
        "received": [connection_out(item) for item in queries.requests_received(organisation)],
    }


@router.post(
    COUNCIL + "/connections",
    response={201: ConnectionOut, 400: Detail},
    summary="Ask to be connected with an exemplar (editors)",
)
def post_connection(request: AuthenticatedRequest, gss_code: str, payload: ConnectionIn) -> Status[dict[str, Any]]:
    """Emails the exemplar's contact, the national team and you. 404 where the exemplar offers no help there."""
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    offer = queries.get_active_offer(payload.exemplar, payload.index, organisation)
    cleaned = validated(ConnectionRequestForm(form_data({"message": payload.message})))
    try:
        created = request_connection(organisation, offer, message=cleaned["message"], by=request.user)
    except RequestRefused as error:
        raise HttpError(400, str(error)) from error
    return Status(201, connection_out(created))


# The national team ---------------------------------------------------------------------------------------------------


@router.get(
    "/connections", response={200: list[ConnectionOut], 404: Detail}, summary="Every connection request (national team)"
)
def list_connections(request: AuthenticatedRequest, status: str = "") -> list[dict[str, Any]]:
    require_national_admin(request.user)
    found = queries.connection_requests()
    if status:
        found = found.filter(status=status)
    return [connection_out(item) for item in found]


@router.get("/connections/{request_id}", response=ConnectionOut, summary="A connection request (national team)")
def get_connection(request: AuthenticatedRequest, request_id: Id) -> dict[str, Any]:
    return connection_out(queries.get_connection_for_admin(request.user, request_id))


@router.post(
    "/connections/{request_id}/decision",
    response={200: ConnectionOut, 400: Detail},
    summary="Connect, decline or close a request (national team)",
)
def post_decision(request: AuthenticatedRequest, request_id: Id, payload: DecisionIn) -> dict[str, Any]:
    found = queries.get_connection_for_admin(request.user, request_id)
    if not found.is_open:
        raise HttpError(400, f"This request is {found.get_status_display().lower()}: it cannot change.")
    cleaned = validated(DecisionForm(form_data(payload.dict()), status=found.status))
    try:
        decided = decide_connection(found, cleaned["decision"], note=cleaned["note"], by=request.user)
    except RequestRefused as error:
        raise HttpError(400, str(error)) from error
    return connection_out(decided)


@router.get(
    "/support",
    response={200: list[SupportOut], 404: Detail},
    summary="Per index: wanting to improve, exemplars, requests",
)
def get_support(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    require_national_admin(request.user)
    return [
        {
            "index": row.index_code,
            "title": row.title,
            "wanting_to_improve": row.wanting_to_improve,
            "exemplars": row.exemplars,
            "open_requests": row.open_requests,
        }
        for row in queries.support_by_index()
    ]


def mark_out(mark: ExemplaryMark) -> dict[str, Any]:
    return {
        "id": mark.pk,
        "organisation": mark.organisation.gss_code,
        "organisation_name": mark.organisation.name,
        "index": mark.index_code,
        "marked_at": mark.marked_at,
    }


@router.get(
    "/exemplary-marks", response={200: list[MarkOut], 404: Detail}, summary="Councils marked exemplary (national team)"
)
def list_marks(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    require_national_admin(request.user)
    return [mark_out(mark) for mark in queries.exemplary_marks()]


@router.post(
    "/exemplary-marks", response={201: MarkOut, 404: Detail}, summary="Mark a council exemplary (national team)"
)
def post_mark(request: AuthenticatedRequest, payload: MarkIn) -> Status[dict[str, Any]]:
    require_national_admin(request.user)
    values = {"gss_code": payload.organisation, "index": payload.index}
    cleaned = validated(MarkForm(form_data(values), indices=queries.current_indices()), {"gss_code": ("organisation",)})
    return Status(201, mark_out(mark_exemplary(cleaned["gss_code"], cleaned["index"], by=request.user)))


@router.delete("/exemplary-marks/{mark_id}", response={204: None}, summary="Remove a mark (national team)")
def delete_mark(request: AuthenticatedRequest, mark_id: Id) -> Status[None]:
    require_national_admin(request.user)
    remove_mark(get_object_or_404(ExemplaryMark.objects.select_related("organisation"), pk=mark_id), by=request.user)
    return Status(204, None)


# Case studies --------------------------------------------------------------------------------------------------------


@router.get("/case-studies", response=list[CaseStudyOut], auth=OPTIONAL_AUTH, summary="Search the case studies")
def list_case_studies(
    request: HttpRequest,
    index: str = "",
    level: Level | None = None,
    kind: str = "",
    region: str = "",
    q: str = "",
    include_drafts: bool = False,
) -> list[dict[str, Any]]:
    """Published case studies for everyone, filtered by index code, level reached (1 to 5), council type, region
    code (for example E12000002) and words. The national team may ask for drafts too with include_drafts."""
    found = case_studies() if include_drafts and is_admin(request.user) else published_case_studies()
    found = filter_case_studies(found, index_code=index, level=level, kind=kind, region_code=region, text=q)
    return [case_study_out(item) for item in found]


@router.get("/case-studies/{slug}", response=CaseStudyOut, auth=OPTIONAL_AUTH, summary="A case study")
def get_case_study(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = get_object_or_404(case_studies(), slug=slug)
    if not found.is_published and not is_admin(request.user):
        raise HttpError(404, "No such case study")
    return case_study_out(found)


@router.post(
    "/case-studies", response={201: CaseStudyOut, 404: Detail}, summary="Write a case study, as a draft (national team)"
)
def post_case_study(request: AuthenticatedRequest, payload: CaseStudyIn) -> Status[dict[str, Any]]:
    require_national_admin(request.user)
    cleaned = case_study_values(payload)
    return Status(201, case_study_out(create_case_study(cleaned, cleaned["indices"], by=request.user)))


@router.put("/case-studies/{slug}", response=CaseStudyOut, summary="Edit a case study (national team)")
def put_case_study(request: AuthenticatedRequest, slug: str, payload: CaseStudyIn) -> dict[str, Any]:
    require_national_admin(request.user)
    found = get_object_or_404(case_studies(), slug=slug)
    cleaned = case_study_values(payload)
    update_case_study(found, cleaned, cleaned["indices"], by=request.user)
    return case_study_out(get_object_or_404(case_studies(), pk=found.pk))


@router.post(
    "/case-studies/{slug}/{change}",
    response={200: CaseStudyOut, 400: Detail},
    summary="Publish or unpublish a case study (national team): change is `publish` or `unpublish`",
)
def post_publication(request: AuthenticatedRequest, slug: str, change: str) -> dict[str, Any]:
    require_national_admin(request.user)
    found = get_object_or_404(case_studies(), slug=slug)
    action = {"publish": publish_case_study, "unpublish": unpublish_case_study}.get(change)
    if action is None:
        raise HttpError(404, "Not found")
    try:
        action(found, by=request.user)
    except CaseStudyError as error:
        raise HttpError(400, str(error)) from error
    return case_study_out(found)
