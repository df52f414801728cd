import pytest
from django.core import mail
from django.db import IntegrityError

from nps.accounts.models import Invitation, Role
from nps.accounts.permissions import can_view, organisations_for
from nps.accounts.services import create_account_from_invitation, find_invitation
from nps.assessments.answers import save_answer, submit_return
from nps.assessments.models import (
    Answer,
    Assurance,
    EventKind,
    PeerReview,
    ReturnEvent,
    ReviewFinding,
    ReviewStatus,
    Round,
    Verdict,
)
from nps.assessments.reviews import (
    ReviewRefused,
    complete_review,
    request_review,
    resolve_finding,
    reviews_for,
    save_finding,
    withdraw_review,
)
from nps.core.models import AuditEvent, EmailStatus, OutgoingEmail
from nps.frameworks.levels import Level
from nps.frameworks.models import Index
from nps.organisations.models import Kind
from nps.testing import database_refuses, database_rows, emails_sent, make_organisation

pytestmark = pytest.mark.django_db

COUNCILLORS, PARTNERS = "engaging-councillors", "working-with-partners"


def indices(*codes):
    return list(Index.objects.filter(version__code="2018", code__in=codes))


def answer_to(review, code):
    return Answer.objects.get(council_return=review.council_return, index__code=code)


def find(review, code, verdict=Verdict.AGREE, *, level=None, comment="", by):
    answer = answer_to(review, code)
    return save_finding(
        review,
        answer.index,
        verdict=verdict,
        suggested_level=level,
        comment=comment,
        answer_version=answer.version,
        by=by,
    )


def submit(council_return, editor):
    """Submit as an editor may where the round needs no sign-off."""
    Round.objects.filter(pk=council_return.round_id).update(requires_sign_off=False)
    council_return.round.refresh_from_db()
    submit_return(council_return, by=editor)


def agree_with_one_and_suggest_for_the_other(review, reviewer):
    find(review, COUNCILLORS, by=reviewer)
    find(review, PARTNERS, Verdict.DIFFERENT_LEVEL, level=Level.LEADER, comment="Joint teams everywhere", by=reviewer)


# Asking ------------------------------------------------------------------------------------------------------------


def test_asking_records_the_review_for_each_answer_and_emails_the_reviewer(
    answered_return, council_c, reviewer, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = request_review(answered_return, council_c, " Rhea@Wigan.example ", indices(COUNCILLORS), by=editor)
    assert (review.reviewer_email, review.status, review.requested_by) == ("rhea@wigan.example", "requested", editor)
    [event] = ReturnEvent.objects.filter(kind=EventKind.REVIEW_REQUESTED)
    assert event.answer.index.code == COUNCILLORS and "rhea@wigan.example at Wigan Council" in event.description
    assert AuditEvent.objects.filter(action="peer_review_requested", organisation=answered_return.organisation).exists()
    [email] = mail.outbox
    assert email.to == ["rhea@wigan.example"] and f"/reviews/{review.pk}/" in email.body
    assert "Engaging councillors" in email.body and "invitation" not in email.body
    assert not Invitation.objects.exists()


def test_someone_without_an_account_gets_a_sign_up_invitation_that_grants_only_the_review(
    answered_return, council_a, council_c, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = request_review(answered_return, council_c, "new.reviewer@wigan.example", indices(PARTNERS), by=editor)
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (council_c, Role.RESPONDENT)
    invited, asked = mail.outbox
    assert "/invitations/" in invited.body and "separate email with an invitation" in asked.body
    token = invited.body.split("/invitations/")[1].split("/")[0]
    person = create_account_from_invitation(find_invitation(token), first_name="N", last_name="R", password="pw-12345")
    assert list(reviews_for(person)) == [review]
    assert not can_view(person, council_a) and not can_view(person, council_c)
    assert list(organisations_for(person)) == []


def test_a_council_cannot_ask_itself(answered_return, council_a, editor):
    with pytest.raises(ReviewRefused, match="cannot review its own return"):
        request_review(answered_return, council_a, "alice@alderley.example", indices(COUNCILLORS), by=editor)


@pytest.mark.parametrize(
    "organisation",
    [
        {"name": "Old Borough", "kind": Kind.DISTRICT_COUNCIL, "end_date": "2020-03-31"},
        {"name": "Ribble Procurement Group", "kind": Kind.PROCUREMENT_GROUP},
    ],
)
def test_only_a_current_council_can_review(answered_return, editor, organisation):
    reviewing = make_organisation(**organisation)
    with pytest.raises(ReviewRefused, match="Only a current council"):
        request_review(answered_return, reviewing, "someone@example.org", indices(COUNCILLORS), by=editor)


def test_a_submitted_return_cannot_be_put_up_for_review(answered_return, council_c, reviewer, editor):
    submit(answered_return, editor)
    with pytest.raises(ReviewRefused, match="only while the return is being worked on"):
        request_review(answered_return, council_c, reviewer.email, indices(COUNCILLORS), by=editor)


def test_only_answered_indices_can_be_reviewed(council_return, council_c, reviewer, editor):
    with pytest.raises(ReviewRefused, match="Answer these indices before.*Engaging councillors"):
        request_review(council_return, council_c, reviewer.email, indices(COUNCILLORS), by=editor)
    with pytest.raises(ReviewRefused, match="Choose at least one index"):
        request_review(council_return, council_c, reviewer.email, [], by=editor)


def test_the_same_person_cannot_be_asked_twice_while_their_review_is_open(review, council_c, reviewer, editor):
    before = database_rows()
    with pytest.raises(ReviewRefused, match="rhea@wigan.example at Wigan Council is already reviewing this return"):
        request_review(review.council_return, council_c, "RHEA@wigan.example", indices(PARTNERS), by=editor)
    assert database_rows() == before
    withdraw_review(review, by=editor)
    assert request_review(review.council_return, council_c, reviewer.email, indices(PARTNERS), by=editor).is_open


def test_asking_is_all_or_nothing(answered_return, council_c, editor, django_capture_on_commit_callbacks):
    before = database_rows()
    with database_refuses("INSERT", ReturnEvent), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(IntegrityError):
            request_review(answered_return, council_c, "new@wigan.example", indices(COUNCILLORS), by=editor)
    assert database_rows() == before
    assert mail.outbox == []


def test_a_review_is_asked_for_while_the_mail_server_is_down_and_its_invitation_waits_in_the_outbox(
    answered_return, council_c, editor, unreachable_mail_server
):
    review = request_review(answered_return, council_c, "new@wigan.example", indices(COUNCILLORS), by=editor)
    assert review.pk
    emails_sent()
    statuses = OutgoingEmail.objects.filter(to=["new@wigan.example"]).values_list("status", flat=True)
    assert statuses and set(statuses) == {EmailStatus.WAITING}


# Findings ----------------------------------------------------------------------------------------------------------


def test_a_finding_records_the_version_of_the_answer_read(review, reviewer):
    finding = find(review, PARTNERS, Verdict.DIFFERENT_LEVEL, level=Level.LEADER, comment=" Shared ", by=reviewer)
    assert (finding.verdict, finding.suggested_level, finding.comment) == ("different_level", 4, "Shared")
    assert finding.answer_version == answer_to(review, PARTNERS).version
    changed = find(review, PARTNERS, Verdict.AGREE, level=Level.LEADER, by=reviewer)
    assert (changed.pk, changed.verdict, changed.suggested_level) == (finding.pk, "agree", None)


def test_a_finding_on_an_answer_changed_since_it_was_read_is_refused(review, reviewer, editor):
    answer = answer_to(review, COUNCILLORS)
    save_answer(answer, {"current_level": 3}, expected_version=answer.version, by=editor)
    with pytest.raises(ReviewRefused, match="changed this answer while you were reading it"):
        save_finding(
            review, answer.index, verdict="agree", suggested_level=None, comment="", answer_version=1, by=reviewer
        )


@pytest.mark.parametrize(
    ("level", "comment", "message"),
    [(None, "Why", "Choose the level you suggest"), (Level.LEADER, " ", "Say why you suggest a different level")],
)
def test_a_suggestion_needs_a_level_and_a_reason(review, reviewer, level, comment, message):
    with pytest.raises(ReviewRefused, match=message):
        find(review, COUNCILLORS, Verdict.DIFFERENT_LEVEL, level=level, comment=comment, by=reviewer)


def test_a_finding_only_concerns_the_indices_under_review(review, reviewer):
    [other] = indices("engaging-senior-managers")
    with pytest.raises(ReviewRefused, match="not part of the review"):
        save_finding(review, other, verdict="agree", suggested_level=None, comment="", answer_version=1, by=reviewer)


# Completing --------------------------------------------------------------------------------------------------------


def test_completing_labels_agreed_answers_and_sends_suggestions_to_the_editors(
    review, reviewer, editor, approver, council_c, django_capture_on_commit_callbacks
):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        complete_review(review, by=reviewer)
    agreed, suggested = answer_to(review, COUNCILLORS), answer_to(review, PARTNERS)
    assert (agreed.assurance, agreed.assured_by, agreed.assured_at is not None) == ("peer_reviewed", council_c, True)
    assert agreed.assurance_label == "Peer-reviewed by Wigan Council"
    assert (suggested.assurance, suggested.assured_by) == (Assurance.SELF_ASSESSED, None)
    review.refresh_from_db()
    assert (review.status, review.finished_by) == (ReviewStatus.COMPLETED, reviewer)
    events = {event.answer.index.code: event for event in ReturnEvent.objects.filter(kind=EventKind.REVIEW_COMPLETED)}
    assert "peer-reviewed by Wigan Council" in events[COUNCILLORS].description
    assert "suggested Leader: Joint teams everywhere" in events[PARTNERS].description
    assert AuditEvent.objects.filter(action="peer_review_completed").exists()
    assert sorted(email.to[0] for email in mail.outbox) == [approver.email, editor.email]
    body = mail.outbox[0].body
    assert "Engaging councillors" in body and "Working with partners: Leader. Joint teams everywhere" in body
    assert list(reviews_for(reviewer)) == []


def test_a_review_is_completed_only_with_a_finding_on_every_index(review, reviewer):
    find(review, COUNCILLORS, by=reviewer)
    with pytest.raises(ReviewRefused, match="Record a finding for every index.*Working with partners"):
        complete_review(review, by=reviewer)
    assert PeerReview.objects.get().is_open


def test_an_agreement_with_an_answer_changed_since_does_not_label_the_new_answer(review, reviewer, editor):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    answer = answer_to(review, COUNCILLORS)
    save_answer(answer, {"current_level": 5}, expected_version=answer.version, by=editor)
    with pytest.raises(ReviewRefused, match="changed these answers after you recorded your findings: Engaging"):
        complete_review(review, by=reviewer)
    assert answer_to(review, COUNCILLORS).assurance == Assurance.SELF_ASSESSED
    find(review, COUNCILLORS, by=reviewer)  # read again, and still agreed
    complete_review(review, by=reviewer)
    assert answer_to(review, COUNCILLORS).assurance == Assurance.PEER_REVIEWED


def test_an_answer_the_national_team_validated_stays_validated(review, reviewer):
    Answer.objects.filter(pk=answer_to(review, COUNCILLORS).pk).update(assurance=Assurance.VALIDATED)
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    complete_review(review, by=reviewer)
    assert answer_to(review, COUNCILLORS).assurance == Assurance.VALIDATED
    assert (
        "stays validated"
        in ReturnEvent.objects.get(kind=EventKind.REVIEW_COMPLETED, answer__index__code=COUNCILLORS).description
    )


def test_a_review_asked_before_submission_can_still_be_completed_and_refreshes_the_results(review, reviewer, editor):
    submit(review.council_return, editor)
    results_version = Round.objects.get().results_version
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    complete_review(review, by=reviewer)
    assert answer_to(review, COUNCILLORS).assurance == Assurance.PEER_REVIEWED
    assert Round.objects.get().results_version == results_version + 1


def test_completing_is_all_or_nothing(review, reviewer, django_capture_on_commit_callbacks):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    before = database_rows()
    with database_refuses("INSERT", ReturnEvent), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(IntegrityError):
            complete_review(review, by=reviewer)
    assert database_rows() == before
    assert mail.outbox == []


# Steps that no longer apply ----------------------------------------------------------------------------------------


def test_withdrawing_ends_the_review_and_tells_the_reviewer(
    review, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_review(review, by=editor)
    review.refresh_from_db()
    assert (review.status, review.finished_by) == (ReviewStatus.WITHDRAWN, editor)
    assert ReturnEvent.objects.filter(kind=EventKind.REVIEW_WITHDRAWN).count() == 2
    assert AuditEvent.objects.filter(action="peer_review_withdrawn").exists()
    [email] = mail.outbox
    assert email.to == [reviewer.email] and "withdrawn" in email.body
    assert list(reviews_for(reviewer)) == []


def test_a_withdrawn_review_cannot_be_completed_changed_or_withdrawn_again(review, editor, reviewer):
    find(review, COUNCILLORS, by=reviewer)
    find(review, PARTNERS, by=reviewer)
    withdraw_review(review, by=editor)
    before = database_rows()
    for step in [
        lambda: complete_review(review, by=reviewer),
        lambda: find(review, COUNCILLORS, Verdict.DIFFERENT_LEVEL, level=1, comment="Late", by=reviewer),
        lambda: withdraw_review(review, by=editor),
    ]:
        with pytest.raises(ReviewRefused, match=r"This review was withdrawn on \d+ \w+ \d{4}: it can no longer change"):
            step()
    assert database_rows() == before


def test_a_completed_review_cannot_be_withdrawn_or_changed(review, editor, reviewer):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    complete_review(review, by=reviewer)
    for step in [lambda: withdraw_review(review, by=editor), lambda: find(review, PARTNERS, by=reviewer)]:
        with pytest.raises(ReviewRefused, match="This review was completed on"):
            step()


# Resolving ---------------------------------------------------------------------------------------------------------


def test_an_editor_resolves_a_suggestion_once(review, reviewer, editor):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    complete_review(review, by=reviewer)
    suggestion = ReviewFinding.objects.get(verdict=Verdict.DIFFERENT_LEVEL)
    resolved = resolve_finding(suggestion, resolution=" Kept ours: only two projects ", by=editor)
    assert (resolved.resolution, resolved.resolved_by) == ("Kept ours: only two projects", editor)
    event = ReturnEvent.objects.get(kind=EventKind.COMMENT_RESOLVED)
    assert event.answer.index.code == PARTNERS and "Kept ours" in event.description
    assert AuditEvent.objects.filter(action="review_comment_resolved").exists()
    with pytest.raises(ReviewRefused, match="already resolved by Alice on"):
        resolve_finding(suggestion, resolution="Again", by=editor)


def test_only_a_completed_reviews_suggestions_can_be_resolved(review, reviewer, editor):
    agree_with_one_and_suggest_for_the_other(review, reviewer)
    with pytest.raises(ReviewRefused, match="Only the suggestions of a completed review"):
        resolve_finding(ReviewFinding.objects.get(verdict=Verdict.DIFFERENT_LEVEL), resolution="Early", by=editor)
    complete_review(review, by=reviewer)
    with pytest.raises(ReviewRefused, match="nothing to resolve"):
        resolve_finding(ReviewFinding.objects.get(verdict=Verdict.AGREE), resolution="Thanks", by=editor)
