"""What peer reviews say about a return or an answer, for the panels the return, answer and returns pages include.

The pages that include them have already checked that the person may see the return."""

from django import template

from nps.accounts.models import User
from nps.assessments.models import Answer, PeerReview, Return, ReviewStatus
from nps.assessments.reviews import council_findings, reviews_for, unresolved

register = template.Library()


@register.simple_tag
def answer_reviews(answer: Answer) -> dict[str, object]:
    """The reviews under way that cover the answer, and what completed ones found about it."""
    under_way = PeerReview.objects.filter(
        council_return_id=answer.council_return_id, indices=answer.index_id, status=ReviewStatus.REQUESTED
    ).select_related("reviewing_organisation")
    findings = council_findings(answer.council_return).filter(index_id=answer.index_id)
    return {"under_way": list(under_way), "findings": list(findings)}


@register.simple_tag
def return_reviews_summary(council_return: Return) -> dict[str, object]:
    reviews = council_return.peer_reviews.all()
    return {
        "under_way": reviews.filter(status=ReviewStatus.REQUESTED).count(),
        "completed": reviews.filter(status=ReviewStatus.COMPLETED).count(),
        "unresolved": list(unresolved(council_findings(council_return))),
    }


@register.simple_tag
def reviews_waiting(user: User) -> list[PeerReview]:
    return list(reviews_for(user))
