"""The peer review API: the council's editors ask for reviews, withdraw them and resolve suggestions; the reviewer
reads the chosen answers, saves a finding on each and completes the review.

As on the web pages, every lookup goes through the permission helpers: the council's people reach its reviews
through its return (404 to anyone else, and to viewers for changes); a reviewer reaches only their own open reviews,
and a step on one that has since finished is refused (400) with what happened.
"""

import datetime
from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.api_schemas import AnswerOut
from nps.assessments.models import Answer, PeerReview, ReviewFinding, ReviewStatus
from nps.assessments.queries import get_return_for_user
from nps.assessments.review_forms import FindingForm, ResolutionForm, ReviewRequestForm
from nps.assessments.reviews import (
    ReviewRefused,
    answered_indices,
    complete_review,
    evidence_download,
    get_finding_for_council,
    get_review_for_council,
    get_review_for_reviewer,
    get_reviewed_answer,
    readings,
    request_review,
    require_open,
    resolve_finding,
    reviewed_answers,
    reviews_for,
    save_finding,
    withdraw_review,
)
from nps.lib.api import Detail, Id, Input, form_data, problem, refused, validated

router = Router(tags=["Assessments"])

RETURN_REVIEWS = "/organisations/{gss_code}/rounds/{round_id}/reviews"
REVIEW = "/reviews/{review_id}"


class FindingOut(Schema):
    id: int
    index: str
    title: str
    verdict: str = Field(description="`agree`, or `different_level` with a suggested level and a comment.")
    suggested_level: int | None
    comment: str
    answer_version: int = Field(description="The version of the answer the reviewer read.")
    answer_changed: bool = Field(description="The council changed the answer since the reviewer read it.")
    resolved_at: datetime.datetime | None = Field(description="When the council's editors resolved a suggestion.")
    resolved_by: str | None
    resolution: str


class ReviewOut(Schema):
    id: int
    organisation: str = Field(description="GSS code of the council whose return is reviewed.")
    organisation_name: str
    round_id: int
    round_name: str
    reviewing_organisation: str = Field(description="GSS code of the reviewing council.")
    reviewing_organisation_name: str
    reviewer_email: str
    indices: list[str] = Field(description="Codes of the indices to review.")
    status: str = Field(description="`requested` (under way), `completed` or `withdrawn`.")
    requested_by: str | None
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None = Field(description="When it was completed or withdrawn.")
    findings: list[FindingOut] = Field(
        description="The reviewer's findings: theirs to see while the review is under way, the council's once it "
        "is completed, nobody's once withdrawn."
    )


class ReadingOut(Schema):
    statement: str = Field(description="Statement code.")
    text: str
    level: int | None
    descriptor: str = Field(description="What the framework says of that level for this statement.")


class ReviewedAnswerOut(AnswerOut):
    readings: list[ReadingOut] = Field(description="Each statement at the council's level, with its descriptor.")

    @staticmethod
    def resolve_readings(answer: Answer) -> list[dict[str, Any]]:
        return [
            {"statement": r.statement.code, "text": r.statement.text, "level": r.level, "descriptor": r.descriptor}
            for r in readings(answer)
        ]


class ReviewDetailOut(ReviewOut):
    answers: list[ReviewedAnswerOut] = Field(description="The council's answers to the indices under review.")


class ReviewIn(Input):
    organisation: str = Field(description="GSS code of a current council other than yours.")
    email: str = Field(description="The reviewer's address; someone new to the toolkit gets a sign-up invitation.")
    indices: list[str] | None = Field(None, description="Index codes; every answered index if left out.")


class FindingIn(Input):
    verdict: str = Field(description="`agree` or `different_level`.")
    suggested_level: int | None = Field(None, description="1 to 5, with `different_level`.")
    comment: str = Field("", description="Needed with `different_level`.")
    version: int = Field(description="The answer's version you read: refused (400) if the council changed it since.")


class ResolutionIn(Input):
    resolution: str = Field(description="What the council did about the suggestion.")


# Helpers -----------------------------------------------------------------------------------------------------------


def review_out(review: PeerReview, *, findings: bool) -> dict[str, Any]:
    council_return = review.council_return
    return {
        "id": review.pk,
        "organisation": council_return.organisation.gss_code,
        "organisation_name": council_return.organisation.name,
        "round_id": council_return.round_id,
        "round_name": council_return.round.name,
        "reviewing_organisation": review.reviewing_organisation.gss_code,
        "reviewing_organisation_name": str(review.reviewing_organisation),
        "reviewer_email": review.reviewer_email,
        "indices": [index.code for index in review.indices.all()],
        "status": review.status,
        "requested_by": str(review.requested_by) if review.requested_by else None,
        "requested_at": review.requested_at,
        "finished_at": review.finished_at,
        "findings": findings_out(review) if findings else [],
    }


def findings_out(review: PeerReview) -> list[dict[str, Any]]:
    versions = dict(reviewed_answers(review).values_list("index_id", "version"))
    found = review.findings.select_related("index", "resolved_by").order_by("index__position")
    return [finding_out(finding, versions.get(finding.index_id)) for finding in found]


def finding_out(finding: ReviewFinding, answer_version: int | None) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "index": finding.index.code,
        "title": finding.index.title,
        "verdict": finding.verdict,
        "suggested_level": finding.suggested_level,
        "comment": finding.comment,
        "answer_version": finding.answer_version,
        "answer_changed": answer_version is not None and answer_version != finding.answer_version,
        "resolved_at": finding.resolved_at,
        "resolved_by": str(finding.resolved_by) if finding.resolved_by else None,
        "resolution": finding.resolution,
    }


def for_council(review: PeerReview) -> dict[str, Any]:
    return review_out(review, findings=review.status == ReviewStatus.COMPLETED)


def index_ids(codes: list[str], indices: Any) -> list[int]:
    """The ids of the round's indices with these codes; 422 naming any code the round does not have."""
    known = dict(indices.values_list("code", "pk"))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError([problem(("indices",), f"No such index in this round: {code}") for code in unknown])
    return [known[code] for code in codes]


# The council's side ------------------------------------------------------------------------------------------------


@router.get(RETURN_REVIEWS, response=list[ReviewOut], summary="A return's peer reviews, with completed ones' findings")
def list_return_reviews(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> list[dict[str, Any]]:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    reviews = council_return.peer_reviews.select_related("reviewing_organisation", "requested_by")
    return [for_council(review) for review in reviews.prefetch_related("indices")]


@router.post(
    RETURN_REVIEWS,
    response={201: ReviewOut, 400: Detail, 429: Detail, 503: Detail},
    summary="Ask another council for a peer review: 429 past the invitation limits, 503 when an invitation could not "
    "be sent",
)
def post_review(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, payload: ReviewIn
) -> Status[dict[str, Any]]:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    indices = council_return.round.framework_version.indices.all()
    codes = payload.indices if payload.indices is not None else [i.code for i in answered_indices(council_return)]
    values = {
        "reviewing_organisation": payload.organisation,
        "email": payload.email,
        "indices": index_ids(codes, indices),
    }
    form = ReviewRequestForm(form_data(values), organisation=council_return.organisation, indices=indices)
    data = validated(form, {"reviewing_organisation": ("organisation",)})
    with refused(ReviewRefused):
        review = request_review(
            council_return, data["reviewing_organisation"], data["email"], list(data["indices"]), by=request.user
        )
    return Status(201, for_council(review))


@router.post(
    RETURN_REVIEWS + "/{review_id}/withdraw",
    response={200: ReviewOut, 400: Detail},
    summary="Withdraw a peer review under way: the reviewer loses access",
)
def post_withdraw(request: AuthenticatedRequest, gss_code: str, round_id: Id, review_id: Id) -> dict[str, Any]:
    review = get_review_for_council(request.user, gss_code, round_id, review_id, edit=True)
    with refused(ReviewRefused):
        return for_council(withdraw_review(review, by=request.user))


@router.post(
    RETURN_REVIEWS + "/findings/{finding_id}/resolve",
    response={200: FindingOut, 400: Detail},
    summary="Resolve a reviewer's suggested level with a note",
)
def post_resolve(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, finding_id: Id, payload: ResolutionIn
) -> dict[str, Any]:
    finding = get_finding_for_council(request.user, gss_code, round_id, finding_id, edit=True)
    data = validated(ResolutionForm(form_data(payload.dict())))
    with refused(ReviewRefused):
        resolved = resolve_finding(finding, resolution=data["resolution"], by=request.user)
    answer = finding.review.council_return.answers.get(index_id=resolved.index_id)
    return finding_out(resolved, answer.version)


# The reviewer's side -----------------------------------------------------------------------------------------------


@router.get("/reviews", response=list[ReviewOut], summary="The peer reviews waiting for you, as a reviewer")
def list_my_reviews(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [review_out(review, findings=True) for review in reviews_for(request.user).prefetch_related("indices")]


@router.get(REVIEW, response=ReviewDetailOut, summary="A review waiting for you: the answers to review, your findings")
def get_review(request: AuthenticatedRequest, review_id: Id) -> dict[str, Any]:
    review = get_review_for_reviewer(request.user, review_id)
    return {**review_out(review, findings=True), "answers": list(reviewed_answers(review))}


@router.put(
    REVIEW + "/findings/{index_code}",
    response={200: FindingOut, 400: Detail},
    summary="Save your finding on one index: agree, or suggest a different level",
)
def put_finding(request: AuthenticatedRequest, review_id: Id, index_code: str, payload: FindingIn) -> dict[str, Any]:
    review = get_review_for_reviewer(request.user, review_id, open_only=False)
    with refused(ReviewRefused):
        require_open(review)
    answer = get_reviewed_answer(review, index_code)
    data = validated(FindingForm(form_data(payload.dict()), answer=answer))
    with refused(ReviewRefused):
        finding = save_finding(
            review,
            answer.index,
            verdict=data["verdict"],
            suggested_level=data["suggested_level"],
            comment=data["comment"],
            answer_version=data["version"],
            by=request.user,
        )
    return finding_out(finding, finding.answer_version)


@router.post(
    REVIEW + "/complete",
    response={200: ReviewOut, 400: Detail},
    summary="Complete the review: agreed answers become peer-reviewed, suggestions go to the council",
)
def post_complete(request: AuthenticatedRequest, review_id: Id) -> dict[str, Any]:
    review = get_review_for_reviewer(request.user, review_id, open_only=False)
    with refused(ReviewRefused):
        completed = complete_review(review, by=request.user)
    return review_out(completed, findings=True)


@router.get(REVIEW + "/answers/{index_code}/evidence/{file_id}", summary="Download an evidence file under review")
def get_review_evidence(request: AuthenticatedRequest, review_id: Id, index_code: str, file_id: Id) -> FileResponse:
    review = get_review_for_reviewer(request.user, review_id)
    return evidence_download(get_object_or_404(get_reviewed_answer(review, index_code).files, pk=file_id))
