import pytest
from django.core import mail
from django.db import IntegrityError

from nps.accounts.models import EmailPreference, Role
from nps.assessments.answers import (
    IncompleteReturn,
    ReturnLocked,
    StepRefused,
    reopen_return,
    save_answer,
    submit_return,
)
from nps.assessments.models import Answer, EventKind, Return, ReturnEvent, ReturnStatus, Round
from nps.assessments.rounds import close_round
from nps.assessments.signoff import send_back, send_for_sign_off, sign_off
from nps.core.models import AuditEvent
from nps.testing import answer_everything, database_refuses, database_rows, make_user

pytestmark = pytest.mark.django_db


def fresh(council_return):
    return Return.objects.select_related("sent_for_sign_off_by", "signed_off_by").get(pk=council_return.pk)


def events(council_return):
    return [
        (event.kind, event.by) for event in ReturnEvent.objects.filter(council_return=council_return).order_by("pk")
    ]


@pytest.fixture
def complete(sign_off_return, editor, approver):
    answer_everything(sign_off_return, editor)
    return sign_off_return


@pytest.fixture
def waiting(complete, editor):
    send_for_sign_off(complete, by=editor)
    return complete


@pytest.fixture
def second_approver(council_a):
    return make_user("ada@alderley.example", organisation=council_a, role=Role.APPROVER, first_name="Ada")


# Sending for sign-off ----------------------------------------------------------------------------------------------


def test_sending_for_sign_off_locks_the_return_and_emails_the_approvers(
    complete, editor, approver, second_approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_for_sign_off(complete, by=editor)
    waiting = fresh(complete)
    assert (waiting.status, waiting.sent_for_sign_off_by) == (ReturnStatus.AWAITING_SIGN_OFF, editor)
    assert waiting.sent_for_sign_off_at is not None and not waiting.is_editable
    assert events(complete) == [(EventKind.SENT_FOR_SIGN_OFF, editor)]
    assert AuditEvent.objects.get(action="return_sent_for_sign_off").organisation == complete.organisation
    assert sorted(message.to[0] for message in mail.outbox) == ["abe@alderley.example", "ada@alderley.example"]
    message = mail.outbox[0]
    assert message.subject == "Alderley's return to 2026 diagnostic is waiting for your sign-off"
    assert "Alice sent Alderley's return to 2026 diagnostic for sign-off" in message.body
    url = f"http://127.0.0.1:8000/organisations/{complete.organisation.gss_code}/rounds/{complete.round_id}/submit/"
    assert url in message.body and "List-Unsubscribe" in message.extra_headers
    with pytest.raises(ReturnLocked):
        answer = Answer.objects.filter(council_return=complete).first()
        save_answer(answer, {"current_level": 5}, expected_version=answer.version, by=editor)


def test_an_approver_who_turned_off_news_of_returns_gets_no_email(
    complete, editor, approver, second_approver, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(email=second_approver.email, assurance_emails=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_for_sign_off(complete, by=editor)
    assert [message.to for message in mail.outbox] == [["abe@alderley.example"]]


def test_an_approver_sending_it_themselves_is_not_emailed(complete, approver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_for_sign_off(complete, by=approver)
    assert mail.outbox == []


def test_an_incomplete_return_cannot_be_sent(sign_off_return, editor, approver):
    with pytest.raises(IncompleteReturn) as error:
        send_for_sign_off(sign_off_return, by=editor)
    assert len(error.value.problems) == 28
    assert fresh(sign_off_return).status == ReturnStatus.NOT_STARTED


def test_prefilled_answers_must_be_confirmed_before_sending(prefilled_return, editor, approver):
    Round.objects.filter(pk=prefilled_return.round_id).update(requires_sign_off=True)
    with pytest.raises(IncompleteReturn) as error:
        send_for_sign_off(fresh(prefilled_return), by=editor)
    assert {problem.kind for problem in error.value.problems} == {"unconfirmed"}
    Round.objects.filter(pk=prefilled_return.round_id).update(allow_unconfirmed_prefill=True)
    send_for_sign_off(fresh(prefilled_return), by=editor)
    assert fresh(prefilled_return).is_awaiting_sign_off


REFUSALS = [
    ("sending twice", lambda waiting, approver: None, "This return is already waiting for sign-off."),
    ("sending a submitted return", lambda waiting, approver: sign_off(waiting, by=approver), "already submitted."),
]


@pytest.mark.parametrize(("case", "before", "message"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_sending_is_refused_once_the_return_was_sent(waiting, editor, approver, case, before, message):
    before(waiting, approver)
    rows = database_rows()
    with pytest.raises(StepRefused, match=message):
        send_for_sign_off(waiting, by=editor)
    assert database_rows() == rows


def test_a_round_without_sign_off_is_submitted_not_sent(council_return, editor, approver):
    answer_everything(council_return, editor)
    with pytest.raises(StepRefused, match="This round does not need sign-off: submit the return instead."):
        send_for_sign_off(council_return, by=editor)


def test_a_council_without_an_approver_is_told_to_invite_one(sign_off_return, editor):
    answer_everything(sign_off_return, editor)
    with pytest.raises(StepRefused, match="Nobody at Alderley can sign the return off yet"):
        send_for_sign_off(sign_off_return, by=editor)


# Signing off -------------------------------------------------------------------------------------------------------


def test_signing_off_submits_the_return_and_emails_the_editors(
    waiting, editor, approver, second_approver, viewer, django_capture_on_commit_callbacks
):
    version = waiting.round.results_version
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(waiting, by=approver)
    signed = fresh(waiting)
    assert (signed.status, signed.submitted_by, signed.signed_off_by) == (ReturnStatus.SUBMITTED, approver, approver)
    assert signed.signed_off_at == signed.submitted_at and signed.sent_for_sign_off_by == editor
    assert Round.objects.get(pk=waiting.round_id).results_version == version + 1
    assert events(waiting)[-1] == (EventKind.SIGNED_OFF, approver)
    assert AuditEvent.objects.filter(action="return_signed_off", actor=approver).exists()
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@alderley.example", "alice@alderley.example"]
    assert mail.outbox[0].subject == "Alderley's return to 2026 diagnostic is signed off and submitted"
    assert "Abe signed off Alderley's return" in mail.outbox[0].body


def test_an_editor_cannot_sign_off(waiting, editor):
    with pytest.raises(StepRefused, match="Only an approver at Alderley can sign its return off."):
        sign_off(waiting, by=editor)
    assert fresh(waiting).is_awaiting_sign_off


def test_nobody_submits_directly_when_the_round_needs_sign_off(complete, editor, approver):
    for person in (editor, approver):
        with pytest.raises(StepRefused, match="send it for sign-off instead"):
            submit_return(complete, by=person)
    assert fresh(complete).status == ReturnStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("case", "step", "message"),
    [
        ("signed off already", lambda r, a: sign_off(r, by=a), "already submitted"),
        ("sent back", lambda r, a: send_back(r, comment="No", by=a), "no longer waiting for sign-off"),
    ],
)
def test_signing_off_is_refused_once_the_return_has_moved_on(waiting, approver, case, step, message):
    step(waiting, approver)
    rows = database_rows()
    with pytest.raises(StepRefused, match=message):
        sign_off(waiting, by=approver)
    assert database_rows() == rows


def test_a_return_reopened_after_sign_off_needs_sending_and_signing_again(waiting, editor, approver, national_admin):
    sign_off(waiting, by=approver)
    reopen_return(waiting, reason="Council asked to correct", by=national_admin)
    reopened = fresh(waiting)
    assert reopened.status == ReturnStatus.IN_PROGRESS and reopened.is_editable
    assert (reopened.submitted_by, reopened.sent_for_sign_off_by, reopened.signed_off_by) == (None, None, None)
    assert events(waiting)[-1] == (EventKind.REOPENED, national_admin)
    with pytest.raises(StepRefused, match="no longer waiting for sign-off: it was sent back or reopened"):
        sign_off(waiting, by=approver)
    send_for_sign_off(waiting, by=editor)
    sign_off(waiting, by=approver)
    assert fresh(waiting).is_submitted


def test_a_return_waiting_when_the_round_closes_stays_unsubmitted(waiting, approver, national_admin):
    close_round(waiting.round, by=national_admin)
    with pytest.raises(ReturnLocked, match="2026 diagnostic is closed"):
        sign_off(waiting, by=approver)
    assert fresh(waiting).status == ReturnStatus.AWAITING_SIGN_OFF


def test_signing_off_is_all_or_nothing(waiting, approver, django_capture_on_commit_callbacks):
    rows = database_rows()
    with django_capture_on_commit_callbacks(execute=True), database_refuses("INSERT", ReturnEvent):
        with pytest.raises(IntegrityError):
            sign_off(waiting, by=approver)
    assert database_rows() == rows
    assert mail.outbox == []


# Sending back ------------------------------------------------------------------------------------------------------


def test_sending_back_reopens_the_return_to_its_editors_with_the_comment(
    waiting, editor, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_back(waiting, comment="The talent evidence is from 2019.", by=approver)
    back = fresh(waiting)
    assert (back.status, back.sent_for_sign_off_at, back.signed_off_by) == (ReturnStatus.IN_PROGRESS, None, None)
    event = ReturnEvent.objects.filter(council_return=waiting).latest("pk")
    assert (event.kind, event.description) == (
        EventKind.SENT_BACK,
        "Sent the return back: The talent evidence is from 2019.",
    )
    assert [message.to for message in mail.outbox] == [["alice@alderley.example"]]
    assert mail.outbox[0].subject == "Alderley's return to 2026 diagnostic was sent back"
    assert "The talent evidence is from 2019." in mail.outbox[0].body
    answer = Answer.objects.filter(council_return=waiting).first()
    save_answer(answer, {"current_level": 4, "target_level": 4}, expected_version=answer.version, by=editor)


def test_a_submitted_return_cannot_be_sent_back(waiting, approver):
    sign_off(waiting, by=approver)
    with pytest.raises(StepRefused, match="ask the national team to reopen it"):
        send_back(waiting, comment="Too late", by=approver)
    assert fresh(waiting).is_submitted


def test_sending_back_is_all_or_nothing(waiting, approver, django_capture_on_commit_callbacks):
    rows = database_rows()
    with django_capture_on_commit_callbacks(execute=True), database_refuses("INSERT", ReturnEvent):
        with pytest.raises(IntegrityError):
            send_back(waiting, comment="No", by=approver)
    assert database_rows() == rows and mail.outbox == []


def test_sending_for_sign_off_is_all_or_nothing(complete, editor, django_capture_on_commit_callbacks):
    rows = database_rows()
    with django_capture_on_commit_callbacks(execute=True), database_refuses("INSERT", AuditEvent):
        with pytest.raises(IntegrityError):
            send_for_sign_off(complete, by=editor)
    assert database_rows() == rows and mail.outbox == []
