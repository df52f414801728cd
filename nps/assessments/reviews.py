"""Peer review: a council asks someone at another council to review some of its answers.

The reviewer reads those answers, their evidence and files, and nothing else of the council; for each they agree or
suggest a different level, saving as they go, then complete the review. Completing makes every agreed answer
peer-reviewed, naming the reviewing council; each suggestion goes back to the council's editors, who resolve it with a
note. Completing or withdrawing the review ends the reviewer's access.

An agreement holds for the answer the reviewer read: each finding keeps the answer's version, and a review whose
answers changed since cannot be completed until the reviewer has read them again and saved their findings anew.

A council asks while its return is being worked on, so that it can act on the suggestions; a review asked for carries
on through sign-off and submission, since completing it changes assurance labels and never the answers.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Abs
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nps.accounts.models import Membership, Role, User
from nps.accounts.services import invite_person
from nps.assessments.assurance_emails import editors_of, notify, site_link
from nps.assessments.models import (
    Answer,
    Assurance,
    EventKind,
    EvidenceFile,
    PeerReview,
    Return,
    ReturnStatus,
    ReviewFinding,
    ReviewStatus,
    Round,
    Verdict,
)
from nps.assessments.queries import get_return_for_user
from nps.assessments.timeline import record_event
from nps.core.models import record
from nps.frameworks.levels import Level
from nps.frameworks.models import Index, Statement
from nps.organisations.models import Organisation, OrganisationQuerySet

NOT_BEING_WORKED_ON = (
    "You can ask for a peer review only while the return is being worked on: this one is waiting for sign-off, "
    "submitted, or its round is not open."
)
OWN_COUNCIL = "A council cannot review its own return: choose another council."
NOT_A_CURRENT_COUNCIL = "Only a current council can review a return: choose another council."
NO_INDICES = "Choose at least one index to review."
ANSWER_CHANGED = (
    "The council changed this answer while you were reading it. Read the answer as it is now, then record your "
    "finding again."
)
NOTHING_TO_AGREE_WITH = "The council has not answered this index, so there is nothing to agree with."
NOT_IN_REVIEW = "This index is not part of the review."
CHOOSE_A_LEVEL = "Choose the level you suggest"
SAY_WHY = "Say why you suggest a different level"


class ReviewRefused(Exception):
    """The step does not apply to the review, its return or the finding as they stand; the message says why."""


# Who may see what ---------------------------------------------------------------------------------------------------


def reviewing_councils(organisation: Organisation) -> OrganisationQuerySet:
    """The councils that may review the organisation's return: every current council but itself."""
    return Organisation.objects.councils().current().exclude(pk=organisation.pk).order_by("name")


def similar_councils(organisation: Organisation, number: int = 5) -> list[Organisation]:
    """Councils to suggest as the organisation's reviewer: current councils of its type in its region, nearest in
    population first."""
    councils = reviewing_councils(organisation).filter(kind=organisation.kind, region=organisation.region_id)
    if organisation.population:
        nearest = Abs(F("population") - organisation.population).asc(nulls_last=True)
        councils = councils.order_by(nearest, "name")
    return list(councils[:number])


def asked_of(user: User) -> QuerySet[PeerReview]:
    """Every review this person was asked for at a council they belong to (a sign-up invitation made them belong)."""
    if not (user.is_authenticated and user.is_active):
        return PeerReview.objects.none()
    return PeerReview.objects.filter(
        reviewer_email__iexact=user.email, reviewing_organisation__memberships__user=user
    ).select_related("council_return__round", "council_return__organisation", "reviewing_organisation", "requested_by")


def reviews_for(user: User) -> QuerySet[PeerReview]:
    """The reviews waiting for this person: the only part of another council's data a reviewer may read."""
    return asked_of(user).filter(status=ReviewStatus.REQUESTED)


def get_review_for_reviewer(user: User, review_id: int, *, open_only: bool = True) -> PeerReview:
    """The reviewer's open review, or 404. With open_only=False, a finished one too, only so that a step on it can be
    refused with a message saying what happened; nothing of the return is shown from it."""
    return get_object_or_404(reviews_for(user) if open_only else asked_of(user), pk=review_id)


def get_reviewed_answer(review: PeerReview, index_code: str) -> Answer:
    """One of the answers the review covers, with what the reviewer reads; 404 for every other index."""
    return get_object_or_404(reviewed_answers(review), index__code=index_code)


def reviewed_answers(review: PeerReview) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(council_return_id=review.council_return_id, index__in=review.indices.all())
        .select_related("index__theme", "assured_by", "updated_by")
        .prefetch_related("index__statements__descriptors", "statement_levels", "files")
        .order_by("index__position")
    )


def get_review_for_council(user: User, gss_code: str, round_id: int, review_id: int, *, edit: bool) -> PeerReview:
    """A review of the council's return, for those who may see (or, with edit=True, change) the return; else 404."""
    council_return = get_return_for_user(user, gss_code, round_id, edit=edit)
    return get_object_or_404(council_return.peer_reviews.select_related("reviewing_organisation"), pk=review_id)


def get_finding_for_council(user: User, gss_code: str, round_id: int, finding_id: int, *, edit: bool) -> ReviewFinding:
    """A finding of a completed review of the council's return; a reviewer's unfinished work stays theirs (404)."""
    council_return = get_return_for_user(user, gss_code, round_id, edit=edit)
    findings = ReviewFinding.objects.filter(
        review__council_return=council_return, review__status=ReviewStatus.COMPLETED
    ).select_related(
        "review__reviewing_organisation", "review__council_return__round", "review__council_return__organisation"
    )
    return get_object_or_404(findings.select_related("index", "resolved_by"), pk=finding_id)


def council_findings(council_return: Return) -> QuerySet[ReviewFinding]:
    """What completed reviews found, for the council's people: agreements and suggestions, resolved or not."""
    return (
        ReviewFinding.objects.filter(review__council_return=council_return, review__status=ReviewStatus.COMPLETED)
        .select_related("review__reviewing_organisation", "index", "resolved_by")
        .order_by("index__position", "review__finished_at")
    )


def unresolved(findings: QuerySet[ReviewFinding]) -> QuerySet[ReviewFinding]:
    return findings.filter(verdict=Verdict.DIFFERENT_LEVEL, resolved_at__isnull=True)


# What the reviewer reads --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementReading:
    """One statement of an index at the level the council gave it, with the words that describe that level."""

    statement: Statement
    level: int | None
    descriptor: str


def readings(answer: Answer) -> list[StatementReading]:
    """Each statement's level and descriptor: the answer's current level where the index has one statement."""
    statements = list(answer.index.statements.all())
    levels = {level.statement_id: level.level for level in answer.statement_levels.all()}
    if len(statements) == 1:
        levels = {statements[0].pk: answer.current_level} if answer.current_level is not None else {}
    return [
        StatementReading(statement, levels.get(statement.pk), descriptor_at(statement, levels.get(statement.pk)))
        for statement in statements
    ]


def descriptor_at(statement: Statement, level: int | None) -> str:
    return next((d.text for d in statement.descriptors.all() if d.level == level), "")


@dataclass(frozen=True)
class ReviewRow:
    """One index of a review: the council's answer and the reviewer's finding, if any."""

    answer: Answer
    finding: ReviewFinding | None

    @property
    def stale(self) -> bool:
        return is_stale(self.finding, self.answer)


def review_rows(review: PeerReview) -> list[ReviewRow]:
    findings = {finding.index_id: finding for finding in review.findings.all()}
    return [ReviewRow(answer, findings.get(answer.index_id)) for answer in reviewed_answers(review)]


def evidence_download(evidence: EvidenceFile) -> FileResponse:
    """The file, as an attachment nobody caches: it is served only after a permission check."""
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def is_answered(answer: Answer) -> bool:
    return answer.not_applicable or answer.current_level is not None


def is_stale(finding: ReviewFinding | None, answer: Answer) -> bool:
    """The council changed the answer after the reviewer recorded this finding."""
    return finding is not None and finding.answer_version != answer.version


# Asking -------------------------------------------------------------------------------------------------------------


@transaction.atomic
def request_review(
    council_return: Return, reviewing_organisation: Organisation, email: str, indices: list[Index], *, by: User
) -> PeerReview:
    """Ask someone at another council to review these indices; someone who does not belong to that council yet gets a
    sign-up invitation to it that grants nothing but the reviews they are asked for."""
    council_return = (
        Return.objects.select_for_update(of=("self",)).select_related("round", "organisation").get(pk=council_return.pk)
    )
    email = email.strip().lower()
    refuse_request(council_return, reviewing_organisation, email, indices)
    review = PeerReview.objects.create(
        council_return=council_return,
        reviewing_organisation=reviewing_organisation,
        reviewer_email=email,
        requested_by=by,
    )
    review.indices.set(indices)
    for answer in reviewed_answers(review):
        record_event(
            council_return, EventKind.REVIEW_REQUESTED, f"Peer review asked of {who(review)}", by=by, answer=answer
        )
    record(
        "peer_review_requested",
        f"Asked {who(review)} to review {len(indices)} indices of the return to {council_return.round.name}",
        by=by,
        organisation=council_return.organisation,
    )
    invited = not belongs(email, reviewing_organisation)
    if invited:  # last, as it sends its email at once: a refusal before it leaves nobody invited for nothing
        invite_person(reviewing_organisation, email, Role.RESPONDENT, by=by)
    notify(
        [email],
        review_subject("Please review", review),
        "assessments/email/review_requested.txt",
        {
            **email_context(review),
            "invited": invited,
            "requested_by": str(by),
            "indices": [i.title for i in indices],
        },
    )
    return review


def refuse_request(
    council_return: Return, reviewing_organisation: Organisation, email: str, indices: list[Index]
) -> None:
    if not council_return.is_editable:
        raise ReviewRefused(NOT_BEING_WORKED_ON)
    if reviewing_organisation.pk == council_return.organisation_id:
        raise ReviewRefused(OWN_COUNCIL)
    if not reviewing_councils(council_return.organisation).filter(pk=reviewing_organisation.pk).exists():
        raise ReviewRefused(NOT_A_CURRENT_COUNCIL)
    refuse_indices(council_return, indices)
    already = council_return.peer_reviews.filter(
        status=ReviewStatus.REQUESTED, reviewing_organisation=reviewing_organisation, reviewer_email=email
    )
    if already.exists():
        raise ReviewRefused(
            f"{email} at {reviewing_organisation} is already reviewing this return. Withdraw that review to ask again."
        )


def refuse_indices(council_return: Return, indices: list[Index]) -> None:
    if not indices:
        raise ReviewRefused(NO_INDICES)
    foreign = [index.title for index in indices if index.version_id != council_return.round.framework_version_id]
    if foreign:
        raise ReviewRefused(f"Not an index of this round: {', '.join(foreign)}.")
    answers = council_return.answers.filter(index__in=indices).select_related("index").order_by("index__position")
    unanswered = [answer.index.title for answer in answers if not is_answered(answer)]
    if unanswered:
        raise ReviewRefused(f"Answer these indices before asking for a review of them: {', '.join(unanswered)}.")


def belongs(email: str, organisation: Organisation) -> bool:
    return Membership.objects.filter(user__email__iexact=email, organisation=organisation).exists()


def answered_indices(council_return: Return) -> QuerySet[Index]:
    """What a council asks to be reviewed unless it chooses: every index it has answered or marked not applicable."""
    answers = council_return.answers.exclude(current_level__isnull=True, not_applicable=False)
    return Index.objects.filter(pk__in=answers.values("index_id")).order_by("position")


# Reviewing ----------------------------------------------------------------------------------------------------------


def require_open(review: PeerReview) -> None:
    """Refuse any step on a review that was completed or withdrawn, saying when."""
    if not review.is_open:
        raise ReviewRefused(finished_message(review))


def finished_message(review: PeerReview) -> str:
    finished = f"{timezone.localtime(review.finished_at):%-d %B %Y}" if review.finished_at else "earlier"
    return f"This review was {review.get_status_display().lower()} on {finished}: it can no longer change."


def locked(review: PeerReview) -> PeerReview:
    review = PeerReview.objects.select_for_update().get(pk=review.pk)
    require_open(review)
    return PeerReview.objects.select_related(
        "council_return__round", "council_return__organisation", "reviewing_organisation"
    ).get(pk=review.pk)


@transaction.atomic
def save_finding(
    review: PeerReview,
    index: Index,
    *,
    verdict: str,
    suggested_level: int | None,
    comment: str,
    answer_version: int,
    by: User,
) -> ReviewFinding:
    """Record or change the reviewer's finding on one index, for the version of the answer they read."""
    review = locked(review)
    answer = reviewed_answers(review).filter(index=index).first()
    refuse_finding(answer, answer_version, verdict, suggested_level, comment)
    finding, _ = ReviewFinding.objects.update_or_create(
        review=review,
        index=index,
        defaults={
            "verdict": verdict,
            "suggested_level": suggested_level if verdict == Verdict.DIFFERENT_LEVEL else None,
            "comment": comment.strip(),
            "answer_version": answer_version,
        },
    )
    return finding


def refuse_finding(
    answer: Answer | None, answer_version: int, verdict: str, suggested_level: int | None, comment: str
) -> None:
    if answer is None:
        raise ReviewRefused(NOT_IN_REVIEW)
    if answer.version != answer_version:
        raise ReviewRefused(ANSWER_CHANGED)
    if verdict == Verdict.AGREE and not is_answered(answer):
        raise ReviewRefused(NOTHING_TO_AGREE_WITH)
    if verdict == Verdict.DIFFERENT_LEVEL and suggested_level is None:
        raise ReviewRefused(CHOOSE_A_LEVEL)
    if verdict == Verdict.DIFFERENT_LEVEL and not comment.strip():
        raise ReviewRefused(SAY_WHY)


@transaction.atomic
def complete_review(review: PeerReview, *, by: User) -> PeerReview:
    """Make every agreed answer peer-reviewed and send the suggestions to the council's editors; the reviewer's
    access ends. Refused while an index has no finding or the council changed an answer since its finding."""
    review = locked(review)
    answers = list(reviewed_answers(review).select_for_update(of=("self",)))
    findings = {finding.index_id: finding for finding in review.findings.all()}
    refuse_completion(answers, findings)
    now = timezone.now()
    for answer in answers:
        finding = findings[answer.index_id]
        description = assure(answer, review, now) if finding.verdict == Verdict.AGREE else suggestion(finding)
        record_event(review.council_return, EventKind.REVIEW_COMPLETED, description, by=by, answer=answer)
    finish(review, ReviewStatus.COMPLETED, now, by)
    if review.council_return.status == ReturnStatus.SUBMITTED:  # its labels are part of the round's results
        Round.objects.filter(pk=review.council_return.round_id).update(results_version=F("results_version") + 1)
    description = f"{who(review)} completed the peer review of {len(answers)} indices"
    record("peer_review_completed", description, by=by, organisation=review.council_return.organisation)
    email_completion(review, answers, findings)
    return review


def refuse_completion(answers: list[Answer], findings: dict[int, ReviewFinding]) -> None:
    missing = [answer.index.title for answer in answers if answer.index_id not in findings]
    if missing:
        raise ReviewRefused(f"Record a finding for every index before completing the review: {', '.join(missing)}.")
    changed = [answer.index.title for answer in answers if is_stale(findings[answer.index_id], answer)]
    if changed:
        raise ReviewRefused(
            f"The council changed these answers after you recorded your findings: {', '.join(changed)}. "
            "Read them again and save your findings before completing the review."
        )


def assure(answer: Answer, review: PeerReview, now: datetime.datetime) -> str:
    """Mark the agreed answer peer-reviewed by the reviewing council; national validation, a stronger label, stays."""
    if answer.assurance == Assurance.VALIDATED:
        return f"{who(review)} agreed; the answer stays validated by the national team"
    Answer.objects.filter(pk=answer.pk).update(
        assurance=Assurance.PEER_REVIEWED, assured_by=review.reviewing_organisation, assured_at=now
    )
    return f"{who(review)} agreed: peer-reviewed by {review.reviewing_organisation}"


def suggestion(finding: ReviewFinding) -> str:
    """ "sam@wigan.example at Wigan Council suggested Leader: the strategy is adopted." """
    return f"{who(finding.review)} suggested {suggested_label(finding)}: {finding.comment}"


def suggested_label(finding: ReviewFinding) -> str:
    return Level(finding.suggested_level).label if finding.suggested_level else "another level"


def finish(review: PeerReview, status: ReviewStatus, now: datetime.datetime, by: User) -> None:
    PeerReview.objects.filter(pk=review.pk).update(status=status, finished_at=now, finished_by=by)
    review.refresh_from_db()


def email_completion(review: PeerReview, answers: list[Answer], findings: dict[int, ReviewFinding]) -> None:
    agreed = [answer.index.title for answer in answers if findings[answer.index_id].verdict == Verdict.AGREE]
    suggested = [
        {"index": answer.index.title, "level": suggested_label(finding), "comment": finding.comment}
        for answer in answers
        if (finding := findings[answer.index_id]).verdict == Verdict.DIFFERENT_LEVEL
    ]
    context = {**email_context(review), "agreed": agreed, "suggested": suggested, "link": return_reviews_link(review)}
    subject = review_subject("Peer review completed", review)
    notify(editors_of(review.council_return.organisation), subject, "assessments/email/review_completed.txt", context)


# Withdrawing and resolving ------------------------------------------------------------------------------------------


@transaction.atomic
def withdraw_review(review: PeerReview, *, by: User) -> PeerReview:
    """Stop an open review: the reviewer loses access at once, and what they recorded so far is set aside."""
    review = locked(review)
    for answer in reviewed_answers(review):
        record_event(
            review.council_return,
            EventKind.REVIEW_WITHDRAWN,
            f"Peer review by {who(review)} withdrawn",
            by=by,
            answer=answer,
        )
    finish(review, ReviewStatus.WITHDRAWN, timezone.now(), by)
    record(
        "peer_review_withdrawn",
        f"Withdrew the peer review by {who(review)}",
        by=by,
        organisation=review.council_return.organisation,
    )
    context = {**email_context(review), "withdrawn_by": str(by)}
    notify(
        [review.reviewer_email],
        review_subject("Review withdrawn", review),
        "assessments/email/review_withdrawn.txt",
        context,
    )
    return review


@transaction.atomic
def resolve_finding(finding: ReviewFinding, *, resolution: str, by: User) -> ReviewFinding:
    """The council's editors say what they did about a suggested level; it then counts as resolved."""
    finding = ReviewFinding.objects.select_for_update().get(pk=finding.pk)
    refuse_resolution(finding)
    finding.resolution, finding.resolved_at, finding.resolved_by = resolution.strip(), timezone.now(), by
    finding.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    finding = ReviewFinding.objects.select_related("review__council_return__organisation", "index").get(pk=finding.pk)
    council_return = finding.review.council_return
    answer = council_return.answers.get(index=finding.index)
    description = f"Resolved {who(finding.review)}'s suggestion: {finding.resolution}"
    record_event(council_return, EventKind.COMMENT_RESOLVED, description, by=by, answer=answer)
    record(
        "review_comment_resolved",
        f"{description} ({finding.index.title})",
        by=by,
        organisation=council_return.organisation,
    )
    return finding


def refuse_resolution(finding: ReviewFinding) -> None:
    if finding.review.status != ReviewStatus.COMPLETED:
        raise ReviewRefused("Only the suggestions of a completed review can be resolved.")
    if finding.verdict != Verdict.DIFFERENT_LEVEL:
        raise ReviewRefused("The reviewer agreed with this answer: there is nothing to resolve.")
    if finding.resolved_at is not None:
        when = f"{timezone.localtime(finding.resolved_at):%-d %B %Y}"
        raise ReviewRefused(
            f"This suggestion was already resolved by {finding.resolved_by or 'a former colleague'} on {when}."
        )


# Words and links ----------------------------------------------------------------------------------------------------


def who(review: PeerReview) -> str:
    """The reviewer, in words: "sam@wigan.example at Wigan Council"."""
    return f"{review.reviewer_email} at {review.reviewing_organisation}"


def review_subject(what: str, review: PeerReview) -> str:
    return f"{what}: {review.council_return.organisation.name}'s return to {review.council_return.round.name}"


def return_reviews_link(review: PeerReview) -> str:
    council_return = review.council_return
    return site_link("assessments:return_reviews", council_return.organisation.gss_code, council_return.round_id)


def email_context(review: PeerReview) -> dict[str, object]:
    """Plain values, as the email is written after the transaction commits."""
    return {
        "council": review.council_return.organisation.name,
        "round": review.council_return.round.name,
        "reviewing_council": str(review.reviewing_organisation),
        "reviewer": review.reviewer_email,
        "link": site_link("assessments:review", review.pk),
        "my_reviews": site_link("assessments:my_reviews"),
    }
