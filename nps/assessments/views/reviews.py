"""Peer review: the council's editors ask for reviews, withdraw them and resolve suggestions; the reviewer, at another
council, reads the chosen answers and records a finding on each. Reviewers reach nothing of the council but their open
reviews' answers and files: every lookup goes through nps.assessments.reviews, which answers 404 to anyone else."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from nps.accounts.permissions import AuthenticatedRequest, can_edit
from nps.accounts.services import InvitationNotSent
from nps.assessments.models import Answer, PeerReview, ReviewFinding
from nps.assessments.queries import get_return_for_user
from nps.assessments.review_forms import ANOTHER_COUNCIL, AskForReviewForm, FindingForm, ResolutionForm
from nps.assessments.reviews import (
    ReviewRefused,
    answered_indices,
    complete_review,
    evidence_download,
    finished_message,
    get_finding_for_council,
    get_review_for_council,
    get_review_for_reviewer,
    get_reviewed_answer,
    readings,
    request_review,
    resolve_finding,
    review_rows,
    reviews_for,
    save_finding,
    who,
    withdraw_review,
)

# The council's side -------------------------------------------------------------------------------------------------


@login_required
def return_reviews(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """Every review of the return: who reviews what, and what completed reviews found."""
    council_return = get_return_for_user(request.user, gss_code, round_id)
    findings = ReviewFinding.objects.select_related("index", "resolved_by").order_by("index__position")
    reviews = council_return.peer_reviews.select_related("reviewing_organisation", "requested_by").prefetch_related(
        "indices", Prefetch("findings", queryset=findings)
    )
    is_editor = can_edit(request.user, council_return.organisation)
    context = {
        "council_return": council_return,
        "reviews": reviews,
        "is_editor": is_editor,
        "can_ask": is_editor and council_return.is_editable,
    }
    return render(request, "assessments/reviews/return_reviews.html", context)


@login_required
def ask(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    form = AskForReviewForm(
        request.POST or None,
        organisation=council_return.organisation,
        indices=council_return.round.framework_version.indices.order_by("position"),
        initial={"indices": list(answered_indices(council_return))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_review(
                council_return, data["reviewing_organisation"], data["email"], list(data["indices"]), by=request.user
            )
        except InvitationNotSent as error:
            form.add_error("email", str(error))
        except ReviewRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Asked {data['email']} at {data['reviewing_organisation']} for a peer review.")
            return redirect("assessments:return_reviews", gss_code, round_id)
    context = {"council_return": council_return, "form": form, "another": ANOTHER_COUNCIL}
    return render(request, "assessments/reviews/ask.html", context)


@login_required
def withdraw(request: AuthenticatedRequest, gss_code: str, round_id: int, review_id: int) -> HttpResponse:
    review = get_review_for_council(request.user, gss_code, round_id, review_id, edit=True)
    if request.method == "POST":
        try:
            withdraw_review(review, by=request.user)
        except ReviewRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Withdrew the review by {who(review)}: they can no longer see your return.")
        return redirect("assessments:return_reviews", gss_code, round_id)
    context = {"review": review, "council_return": review.council_return, "indices": review.indices.all()}
    return render(request, "assessments/reviews/withdraw.html", context)


@login_required
def resolve(request: AuthenticatedRequest, gss_code: str, round_id: int, finding_id: int) -> HttpResponse:
    finding = get_finding_for_council(request.user, gss_code, round_id, finding_id, edit=True)
    form = ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolve_finding(finding, resolution=form.cleaned_data["resolution"], by=request.user)
        except ReviewRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Resolved the suggestion on {finding.index.title}.")
            return redirect("assessments:return_reviews", gss_code, round_id)
    context = {"finding": finding, "council_return": finding.review.council_return, "form": form}
    return render(request, "assessments/reviews/resolve.html", context)


# The reviewer's side ------------------------------------------------------------------------------------------------


@login_required
def my_reviews(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "assessments/reviews/my_reviews.html", {"reviews": reviews_for(request.user)})


@login_required
def review(request: AuthenticatedRequest, review_id: int) -> HttpResponse:
    """The reviewer's overview: each chosen index, the council's level and the reviewer's finding so far."""
    found = get_review_for_reviewer(request.user, review_id)
    return render(request, "assessments/reviews/review.html", {"review": found, "rows": review_rows(found)})


def finished(request: AuthenticatedRequest, review: PeerReview) -> HttpResponse:
    """A step on a review that was completed or withdrawn: say so, and show nothing of it."""
    messages.error(request, finished_message(review))
    return redirect("assessments:my_reviews")


@login_required
def review_index(request: AuthenticatedRequest, review_id: int, index_code: str) -> HttpResponse:
    """One answer, read-only, and the reviewer's finding on it, saved as they go."""
    found = get_review_for_reviewer(request.user, review_id, open_only=request.method != "POST")
    if not found.is_open:
        return finished(request, found)
    answer = get_reviewed_answer(found, index_code)
    finding = found.findings.filter(index=answer.index).first()
    form = FindingForm(request.POST or None, answer=answer, initial=finding_initial(answer, finding))
    if request.method == "POST" and form.is_valid():
        try:
            save_finding(found, answer.index, **finding_values(form), by=request.user)
        except ReviewRefused as error:
            found.refresh_from_db()
            if not found.is_open:  # withdrawn a moment ago
                return finished(request, found)
            answer = get_reviewed_answer(found, index_code)  # as it is now, which the reviewer must read again
            form = refused_form(request, answer, error)
        else:
            messages.success(request, f"Saved your finding on {answer.index.title}.")
            return redirect(*following(found, answer, "continue" in request.POST))
    context = {"review": found, "answer": answer, "readings": readings(answer), "finding": finding, "form": form}
    return render(request, "assessments/reviews/review_index.html", context)


def finding_initial(answer: Answer, finding: ReviewFinding | None) -> dict[str, object]:
    if finding is None:
        return {"version": answer.version}
    return {
        "version": answer.version,
        "verdict": finding.verdict,
        "suggested_level": finding.suggested_level,
        "comment": finding.comment,
    }


def finding_values(form: FindingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "verdict": data["verdict"],
        "suggested_level": data["suggested_level"],
        "comment": data["comment"],
        "answer_version": data["version"],
    }


def refused_form(request: AuthenticatedRequest, answer: Answer, error: ReviewRefused) -> FindingForm:
    """The reviewer's entries again, now against the answer's current version, with the refusal at the top."""
    data = request.POST.copy()
    data["version"] = str(answer.version)
    form = FindingForm(data, answer=answer)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def following(review: PeerReview, answer: Answer, onwards: bool) -> tuple[str, ...]:
    """Where to go after saving: the review's next index, or its overview."""
    later = review.indices.filter(position__gt=answer.index.position).order_by("position").first()
    if onwards and later is not None:
        return ("assessments:review_index", str(review.pk), later.code)
    return ("assessments:review", str(review.pk))


@login_required
def review_evidence(request: AuthenticatedRequest, review_id: int, index_code: str, file_id: int) -> FileResponse:
    found = get_review_for_reviewer(request.user, review_id)
    evidence = get_object_or_404(get_reviewed_answer(found, index_code).files, pk=file_id)
    return evidence_download(evidence)


@login_required
def complete(request: AuthenticatedRequest, review_id: int) -> HttpResponse:
    """Check every finding, then complete: agreed answers become peer-reviewed and the reviewer's access ends."""
    found = get_review_for_reviewer(request.user, review_id, open_only=request.method != "POST")
    if not found.is_open:
        return finished(request, found)
    problem = None
    if request.method == "POST":
        try:
            complete_review(found, by=request.user)
        except ReviewRefused as error:
            problem = str(error)
        else:
            council = found.council_return.organisation.name
            messages.success(request, f"Review completed. Thank you: {council}'s editors have your findings.")
            return redirect("assessments:my_reviews")
    context = {"review": found, "rows": review_rows(found), "problem": problem}
    return render(request, "assessments/reviews/complete.html", context)
