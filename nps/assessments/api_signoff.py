"""The API of sign-off and of confirming prefilled answers: the same permission helpers and services as the check
page and the answer page. Only the council's approvers may sign off or send back; anyone else gets 404, the national
team included."""

from typing import Any

from ninja import Router, Status

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.answers import ReturnLocked, StepRefused, confirm_answer
from nps.assessments.api import ANSWER, RETURN, return_out, take_step
from nps.assessments.api_schemas import AnswerOut, IncompleteOut, ReturnOut
from nps.assessments.forms import SendBackForm
from nps.assessments.models import Answer
from nps.assessments.queries import get_answer, get_return_for_user, get_return_to_sign_off
from nps.assessments.signoff import send_back, send_for_sign_off, sign_off
from nps.lib.api import Detail, Id, Input, form_data, refused, validated

router = Router(tags=["Assessments"])


class SendBackIn(Input):
    comment: str


@router.post(
    RETURN + "/send-for-sign-off",
    response={200: ReturnOut, 400: IncompleteOut},
    summary="Send the return to the council's approvers for sign-off",
)
def post_send_for_sign_off(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> Status[dict[str, Any]]:
    """For rounds that need sign-off; nobody can change the return while it waits. 400 with everything still to put
    right, or why the step does not apply (already sent, submitted, no approver at the council)."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    return take_step(request, council_return, send_for_sign_off)


@router.post(
    RETURN + "/sign-off",
    response={200: ReturnOut, 400: IncompleteOut},
    summary="Sign the return off, which submits it (the council's approvers)",
)
def post_sign_off(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> Status[dict[str, Any]]:
    """400 if the return is no longer waiting for sign-off (it was sent back, reopened or already submitted)."""
    return take_step(request, get_return_to_sign_off(request.user, gss_code, round_id), sign_off)


@router.post(
    RETURN + "/send-back",
    response={200: ReturnOut, 400: Detail},
    summary="Send the return back to its editors with a comment (the council's approvers)",
)
def post_send_back(request: AuthenticatedRequest, gss_code: str, round_id: Id, payload: SendBackIn) -> dict[str, Any]:
    council_return = get_return_to_sign_off(request.user, gss_code, round_id)
    cleaned = validated(SendBackForm(form_data(payload.dict())))
    with refused(StepRefused, ReturnLocked):
        send_back(council_return, comment=cleaned["comment"], by=request.user)
    return return_out(get_return_for_user(request.user, gss_code, round_id), request.user)


@router.post(
    ANSWER + "/confirm",
    response={200: AnswerOut, 400: Detail},
    summary="Confirm a prefilled answer is still right, without changing it",
)
def post_confirm(request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str) -> Answer:
    """400 if the answer needs no confirming (it was saved or confirmed in this round) or the return is locked."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    with refused(StepRefused, ReturnLocked):
        confirm_answer(get_answer(council_return, index_code), by=request.user)
    return get_answer(council_return, index_code)
