"""The assessment API: rounds, returns, answers, evidence, colleagues' views and action plans.

Each endpoint does what its web page does: it looks data up through the same permission helpers (404 to anyone who
may not see or change it), validates input with the page's own form, so the rules live in one place, and changes
data only through the services.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError, ValidationError

from nps.accounts.models import User
from nps.accounts.permissions import (
    AuthenticatedRequest,
    can_edit,
    get_group_for_lead,
    get_organisation_for_user,
    organisations_for,
    require_national_admin,
)
from nps.assessments import answers as answer_services
from nps.assessments import rounds
from nps.assessments.actions import plan_action, update_action
from nps.assessments.answers import (
    AnswerConflict,
    IncompleteReturn,
    ReturnLocked,
    StepRefused,
    progress,
    reopen_return,
    return_problems,
    save_answer,
    submit_return,
)
from nps.assessments.api_schemas import (
    ActionChanges,
    ActionIn,
    ActionOut,
    AnswerIn,
    AnswerOut,
    ComparisonOut,
    ConflictOut,
    DeadlineIn,
    EvidenceFileOut,
    HistoryEntryOut,
    IncompleteOut,
    MissingOut,
    ReopenIn,
    RespondentIn,
    RespondentOut,
    ReturnOut,
    ReturnSummary,
    RoundDetail,
    RoundIn,
    RoundOut,
    ShareEarlyIn,
    ViewIn,
    ViewOut,
    return_summary,
)
from nps.assessments.checks import Problem
from nps.assessments.evidence import attach_evidence, remove_evidence
from nps.assessments.forms import (
    ActionForm,
    AnswerForm,
    ReopenForm,
    RespondentForm,
    RoundForm,
    ViewForm,
    answer_initial,
)
from nps.assessments.models import (
    Action,
    ActionStatus,
    Answer,
    EvidenceFile,
    Respondent,
    RespondentAnswer,
    Return,
    Round,
    RoundMessage,
)
from nps.assessments.outreach import OrganisationOutreach, round_outreach, send_invitations
from nps.assessments.queries import (
    answers_with_indices,
    comparison,
    counts_by_round,
    get_answer,
    get_respondent_for_user,
    get_return_for_user,
    get_round_for_admin,
    get_round_to_run,
)
from nps.assessments.respondents import invite_respondent, save_view
from nps.assessments.rounds import (
    RoundError,
    close_round,
    create_round,
    extend_deadline,
    open_round,
    round_versions,
)
from nps.assessments.signoff import can_sign_off_now
from nps.assessments.timeline import HistoryEntry, answer_history
from nps.frameworks.models import Index
from nps.lib.api import Detail, Id, Pages, form_data, problem, refused, validated

router = Router(tags=["Assessments"])

RETURN = "/organisations/{gss_code}/rounds/{round_id}"
ANSWER = RETURN + "/answers/{index_code}"
ACTION_FIELDS = ["title", "owner", "due_date", "status", "aim_level"]
CONFLICT = (
    "Someone else saved this answer since you loaded it, so nothing was saved. Their changes are listed: "
    "load the answer again, then save your changes on top of theirs."
)


# Helpers -----------------------------------------------------------------------------------------------------------


def require_editable(council_return: Return) -> None:
    """Refuse before validating the input, so a locked return answers 400 whatever was sent."""
    with refused(ReturnLocked):
        answer_services.require_editable(council_return)


INVITED = ["invited_regions", "invited_groups", "invited_councils"]  # RoundOut lists them and puts them in words


def rounds_with_counts(rounds: QuerySet[Round] | None = None) -> list[Round]:
    """The rounds, each carrying its counts of returns (invited and per status) for RoundOut."""
    rounds = Round.objects.all() if rounds is None else rounds
    found = list(rounds.select_related("framework_version__framework", "run_by").prefetch_related(*INVITED))
    counts = counts_by_round(found)
    for round_ in found:
        vars(round_).update(counts[round_.pk])
    return found


def counted(round_id: int) -> Round:
    [round_] = rounds_with_counts(Round.objects.filter(pk=round_id))
    return round_


def return_out(council_return: Return, user: User) -> dict[str, Any]:
    answers = answers_with_indices(council_return)
    prefetch_related_objects(answers, "files")
    done = progress(answers)
    return {
        **return_summary(council_return),
        "can_edit": council_return.is_editable and can_edit(user, council_return.organisation),
        "can_sign_off": can_sign_off_now(user, council_return),
        "progress": {"done": done.done, "total": done.total},
        "answers": answers,
    }


def take_step(request: AuthenticatedRequest, council_return: Return, step: Any) -> Status[dict[str, Any]]:
    """Submit, send for sign-off or sign off: the return afterwards, or 400 with why not and what to put right."""
    try:
        step(council_return, by=request.user)
    except IncompleteReturn as error:
        return Status(400, {"detail": str(error), "missing": error.problems})
    except (StepRefused, ReturnLocked) as error:
        return Status(400, {"detail": str(error), "missing": []})
    council_return = get_return_for_user(request.user, council_return.organisation.gss_code, council_return.round_id)
    return Status(200, return_out(council_return, request.user))


def answer_form(answer: Answer, payload: AnswerIn) -> AnswerForm:
    """The answer page's form, holding the current answer overlaid with the fields given; 422 where invalid."""
    given = payload.dict(exclude_unset=True)
    levels: dict[str, int] = given.pop("statement_levels", {})
    statements = {statement.code: statement.pk for statement in answer.index.statements.all()}
    if levels and len(statements) == 1:
        raise ValidationError([problem(("statement_levels",), "This index has one statement: give current_level")])
    if given.get("current_level") is not None and len(statements) > 1:
        message = f"This index has {len(statements)} statements: give each its level in statement_levels"
        raise ValidationError([problem(("current_level",), message)])
    unknown = [code for code in levels if code not in statements]
    if unknown:
        raise ValidationError(
            [problem(("statement_levels", code), "No such statement in this index") for code in unknown]
        )
    statement_fields = {f"statement_{statements[code]}": level for code, level in levels.items()}
    form = AnswerForm(form_data({**answer_initial(answer), **given, **statement_fields}), index=answer.index)
    validated(form, {f"statement_{pk}": ("statement_levels", code) for code, pk in statements.items()})
    return form


def view_out(respondent: Respondent, index: Index, view: RespondentAnswer | None) -> dict[str, Any]:
    return {
        "index": index.code,
        "title": index.title,
        "respondent": str(respondent),
        "current_level": view.current_level if view else None,
        "not_applicable": bool(view and view.not_applicable),
        "comment": view.comment if view else "",
    }


def comparison_row(row: dict[str, Any]) -> dict[str, Any]:
    answer: Answer = row["answer"]
    return {
        "index": answer.index.code,
        "title": answer.index.title,
        "council_level": answer.current_level,
        "views": [view_out(respondent, answer.index, view) for respondent, view in row["cells"] if view is not None],
        "spread": row["spread"],
    }


# Rounds: the national team -----------------------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut], summary="Rounds: every round for the national team, else yours")
def list_rounds(request: AuthenticatedRequest) -> list[Round] | QuerySet[Round]:
    """The national team sees every round with counts of returns; anyone else, the rounds their organisations
    have a return in."""
    if request.user.is_national_admin:
        return rounds_with_counts()
    return (
        Round.objects.filter(returns__organisation__in=organisations_for(request.user))
        .select_related("framework_version__framework", "run_by")
        .prefetch_related(*INVITED)
        .distinct()
    )


@router.post("/rounds", response={201: RoundOut, 400: Detail, 404: Detail}, summary="Create a round")
def post_round(request: AuthenticatedRequest, payload: RoundIn) -> Status[Round]:
    """A national round, by the national team; with `run_by`, a group's round for its members on its own published
    strategy, by the group's lead (it opens with `/rounds/{id}/open`, as a national round does)."""
    group = get_group_for_lead(request.user, payload.run_by) if payload.run_by else None
    if group is None:
        require_national_admin(request.user)
    versions = round_versions(group)
    framework, _, version = payload.framework_version.partition("/")
    version_id = versions.filter(framework__code=framework, code=version).values_list("pk", flat=True).first()
    values = {**payload.dict(exclude={"run_by"}), "framework_version": version_id or payload.framework_version}
    rounds = Round.objects.filter(run_by=group) if group else Round.objects.all()
    cleaned = validated(RoundForm(form_data(values), versions=versions, rounds=rounds, group=group))
    with refused(RoundError):
        round_ = create_round(run_by=group, by=request.user, **cleaned)
    return Status(201, counted(round_.pk) if group is None else round_)


@router.get(
    "/rounds/{round_id}",
    response=RoundDetail,
    summary="A round with its returns' states, a page at a time (national team)",
)
def get_round(request: AuthenticatedRequest, round_id: Id, page: Query[Pages.Input]) -> Round:
    """`returns` holds `limit` returns (100 unless told) from `offset`, by organisation name; `returns_count` all."""
    round_ = counted(get_round_for_admin(request.user, round_id).pk)
    returns = round_.returns.select_related(
        "organisation", "round", "submitted_by", "sent_for_sign_off_by", "signed_off_by"
    ).order_by("organisation__name")
    shown = returns[page.offset : page.offset + page.limit]
    round_.page_of_returns = [return_summary(council_return) for council_return in shown]  # type: ignore[attr-defined]
    return round_


@router.post("/rounds/{round_id}/open", response={200: RoundOut, 400: Detail}, summary="Open a round: invite")
def post_open(request: AuthenticatedRequest, round_id: Id) -> Round:
    round_ = get_round_to_run(request.user, round_id)
    with refused(RoundError):
        open_round(round_, by=request.user)
    return counted(round_id)


@router.post("/rounds/{round_id}/close", response={200: RoundOut, 400: Detail}, summary="Close a round")
def post_close(request: AuthenticatedRequest, round_id: Id, share_early: bool = False) -> Round:
    """Nobody can change a return afterwards. Peer figures stay with the national team until the results are
    published, unless `?share_early=true` shares them now with the councils that submitted."""
    round_ = get_round_to_run(request.user, round_id)
    with refused(RoundError):
        close_round(round_, share_early=share_early, by=request.user)
    return counted(round_id)


@router.post(
    "/rounds/{round_id}/share-early",
    response={200: RoundOut, 400: Detail},
    summary="Share a closed round's peer figures early with the councils that submitted, or stop",
)
def post_share_early(request: AuthenticatedRequest, round_id: Id, payload: ShareEarlyIn) -> Round:
    round_ = get_round_for_admin(request.user, round_id)
    with refused(RoundError):
        rounds.share_early(round_, payload.share_early, by=request.user)
    return counted(round_id)


@router.post("/rounds/{round_id}/deadline", response={200: RoundOut, 400: Detail}, summary="Extend the deadline")
def post_deadline(request: AuthenticatedRequest, round_id: Id, payload: DeadlineIn) -> Round:
    round_ = get_round_to_run(request.user, round_id)
    with refused(RoundError):
        extend_deadline(round_, payload.deadline, by=request.user)
    return counted(round_id)


@router.post(
    "/rounds/{round_id}/returns/{gss_code}/reopen",
    response={200: ReturnSummary, 400: Detail},
    summary="Reopen a submitted return (national team)",
)
def post_reopen(request: AuthenticatedRequest, round_id: Id, gss_code: str, payload: ReopenIn) -> dict[str, Any]:
    round_ = get_round_for_admin(request.user, round_id)
    council_return = get_object_or_404(
        Return.objects.select_related("organisation", "round"), round=round_, organisation__gss_code=gss_code
    )
    cleaned = validated(ReopenForm(form_data(payload.dict())))
    with refused(ReturnLocked):
        reopen_return(council_return, reason=cleaned["reason"], by=request.user)
    council_return.refresh_from_db()
    return return_summary(council_return)


# Returns and answers -----------------------------------------------------------------------------------------------


@router.get(RETURN + "/return", response=ReturnOut, summary="A return with every answer")
def get_return(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> dict[str, Any]:
    return return_out(get_return_for_user(request.user, gss_code, round_id), request.user)


@router.get(
    RETURN + "/missing",
    response=list[MissingOut],
    summary="What the return still needs before submission: unanswered, unconfirmed, reasons not given",
)
def get_missing(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> list[Problem]:
    """Empty when the return is ready to submit or send for sign-off. Prefilled answers nobody has confirmed are
    listed only where the round does not allow submitting them."""
    return return_problems(get_return_for_user(request.user, gss_code, round_id))


@router.post(
    RETURN + "/submit",
    response={200: ReturnOut, 400: IncompleteOut},
    summary="Submit the return, where the round needs no sign-off",
)
def post_submit(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> Status[dict[str, Any]]:
    """400 with everything still to put right; or, where the round needs sign-off, 400 saying to send the return for
    sign-off instead."""
    return take_step(request, get_return_for_user(request.user, gss_code, round_id, edit=True), submit_return)


@router.get(ANSWER, response=AnswerOut, summary="One answer")
def get_answer_detail(request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str) -> Answer:
    return get_answer(get_return_for_user(request.user, gss_code, round_id), index_code)


@router.put(
    ANSWER,
    response={200: AnswerOut, 400: Detail, 409: ConflictOut},
    summary="Save an answer, refused if someone else saved it since you loaded it",
)
def put_answer(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, payload: AnswerIn
) -> Status[Answer | dict[str, Any]]:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    form = answer_form(answer, payload)
    try:
        save_answer(
            answer,
            form.answer_values(),
            expected_version=form.cleaned_data["version"],
            by=request.user,
            statement_levels=form.statement_levels(),
        )
    except AnswerConflict as conflict:
        return Status(
            409, {"detail": CONFLICT, "current_version": conflict.answer.version, "changes": conflict.changes}
        )
    except ReturnLocked as error:
        raise HttpError(400, str(error)) from None
    return Status(200, get_answer(council_return, index_code))


@router.get(
    ANSWER + "/history",
    response=list[HistoryEntryOut],
    summary="Every change to an answer, and every step of its return, newest first, in the pages' words",
)
def get_history(request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str) -> list[HistoryEntry]:
    """The answer's history page as data: changes to its fields (`kind` `change`) and the steps about it or its
    whole return, such as sign-off, peer review, validation and queries."""
    answer = get_answer(get_return_for_user(request.user, gss_code, round_id), index_code)
    return answer_history(answer)


# Evidence files ----------------------------------------------------------------------------------------------------


@router.post(ANSWER + "/evidence", response={201: EvidenceFileOut, 400: Detail}, summary="Attach an evidence file")
def post_evidence(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, file: File[UploadedFile]
) -> Status[EvidenceFile]:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    require_editable(council_return)
    try:
        return Status(201, attach_evidence(answer, file, by=request.user))
    except DjangoValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None


@router.get(ANSWER + "/evidence/{file_id}", summary="Download an evidence file")
def get_evidence(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, file_id: Id
) -> FileResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    evidence = get_object_or_404(get_answer(council_return, index_code).files, pk=file_id)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(ANSWER + "/evidence/{file_id}", response={204: None, 400: Detail}, summary="Remove an evidence file")
def delete_evidence(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, file_id: Id
) -> Status[None]:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    evidence = get_object_or_404(get_answer(council_return, index_code).files, pk=file_id)
    require_editable(council_return)
    remove_evidence(evidence, by=request.user)
    return Status(204, None)


# Colleagues' views -------------------------------------------------------------------------------------------------


@router.get(RETURN + "/respondents", response=ComparisonOut, summary="Colleagues' views side by side, with spread")
def get_respondents(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> dict[str, Any]:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    return {
        "respondents": council_return.respondents.select_related("user").prefetch_related("indices"),
        "rows": [comparison_row(row) for row in comparison(council_return)],
    }


@router.post(
    RETURN + "/respondents",
    response={201: RespondentOut, 400: Detail, 429: Detail, 503: Detail},
    summary="Ask a colleague's view: 429 past the invitation limits, 503 when the email could not be sent",
)
def post_respondent(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, payload: RespondentIn
) -> Status[Respondent]:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    require_editable(council_return)
    indices = council_return.round.framework_version.indices.all()
    codes = dict(indices.values_list("code", "pk"))
    unknown = [code for code in payload.indices if code not in codes]
    if unknown:
        raise ValidationError([problem(("indices",), f"No such index in this round: {code}") for code in unknown])
    values = {"email": payload.email, "indices": [codes[code] for code in payload.indices]}
    cleaned = validated(RespondentForm(form_data(values), indices=indices))
    return Status(201, invite_respondent(council_return, cleaned["email"], list(cleaned["indices"]), by=request.user))


@router.get(RETURN + "/my-view", response=list[ViewOut], summary="Your own views, where a colleague asked for them")
def get_my_views(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> list[dict[str, Any]]:
    respondent = get_respondent_for_user(request.user, gss_code, round_id)
    views = {view.index_id: view for view in respondent.answers.all()}
    return [view_out(respondent, index, views.get(index.pk)) for index in respondent.indices.order_by("position")]


@router.get(RETURN + "/my-view/{index_code}", response=ViewOut, summary="Your own view of one index")
def get_my_view(request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str) -> dict[str, Any]:
    respondent = get_respondent_for_user(request.user, gss_code, round_id)
    index = get_object_or_404(respondent.indices, code=index_code)
    return view_out(respondent, index, respondent.answers.filter(index=index).first())


@router.put(RETURN + "/my-view/{index_code}", response={200: ViewOut, 400: Detail}, summary="Save your own view")
def put_my_view(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, payload: ViewIn
) -> dict[str, Any]:
    respondent = get_respondent_for_user(request.user, gss_code, round_id)
    index = get_object_or_404(respondent.indices.prefetch_related("statements__descriptors"), code=index_code)
    require_editable(respondent.council_return)
    cleaned = validated(ViewForm(form_data(payload.dict()), index=index))
    return view_out(respondent, index, save_view(respondent, index, **cleaned))


# Action plans ------------------------------------------------------------------------------------------------------


@router.get("/organisations/{gss_code}/actions", response=list[ActionOut], summary="The action plan, overdue flagged")
def list_actions(request: AuthenticatedRequest, gss_code: str) -> QuerySet[Action]:
    organisation = get_organisation_for_user(request.user, gss_code)
    return Action.objects.filter(answer__council_return__organisation=organisation).select_related(
        "answer__index", "answer__council_return"
    )


@router.post(ANSWER + "/actions", response={201: ActionOut}, summary="Plan an action for an answer's gap")
def post_action(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, payload: ActionIn
) -> Status[Action]:
    answer = get_answer(get_return_for_user(request.user, gss_code, round_id, edit=True), index_code)
    cleaned = validated(ActionForm(form_data({**payload.dict(), "status": ActionStatus.PLANNED})))
    cleaned.pop("status")
    return Status(201, plan_action(answer, by=request.user, **cleaned))


@router.patch("/organisations/{gss_code}/actions/{action_id}", response=ActionOut, summary="Change an action")
def patch_action(request: AuthenticatedRequest, gss_code: str, action_id: Id, payload: ActionChanges) -> Action:
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    action = get_object_or_404(
        Action.objects.select_related("answer__index", "answer__council_return"),
        pk=action_id,
        answer__council_return__organisation=organisation,
    )
    current = {field: getattr(action, field) for field in ACTION_FIELDS}
    cleaned = validated(ActionForm(form_data({**current, **payload.dict(exclude_unset=True)})))
    return update_action(action, by=request.user, **cleaned)


# Invitations and reminders --------------------------------------------------------------------------------------------


class RoundRecipientOut(Schema):
    email: str
    name: str
    kind: str = Field(description="`editor`, or `contact` for an organisation with no editor yet.")


class RoundMessageOut(Schema):
    kind: str = Field(description="`invitation` or `reminder`.")
    days_before: int | None = Field(description="For a reminder: days before the deadline it was scheduled for.")
    label: str
    email: str
    sent_at: datetime.datetime
    sent_by: str | None = Field(description="Who sent an invitation; null for reminders sent on schedule.")
    delivery: str = Field(description="`sent`, `waiting` in the outbox, or `failed` after every retry.")
    joined_at: datetime.datetime | None = Field(description="When a contact used the sign-up link in it.")

    @staticmethod
    def resolve_sent_by(message: RoundMessage) -> str | None:
        return str(message.sent_by) if message.sent_by else None

    @staticmethod
    def resolve_joined_at(message: RoundMessage) -> datetime.datetime | None:
        return message.invitation.accepted_at if message.invitation else None


class OrganisationInvitationsOut(Schema):
    organisation: str
    organisation_name: str
    return_status: str
    nobody_to_send_to: bool = Field(description="No editor and no contact: nobody hears about this round.")
    recipients: list[RoundRecipientOut] = Field(description="Who would hear about the round now.")
    messages: list[RoundMessageOut] = Field(description="Every invitation and reminder sent, oldest first.")

    @staticmethod
    def resolve_organisation(item: OrganisationOutreach) -> str:
        return item.organisation.gss_code

    @staticmethod
    def resolve_organisation_name(item: OrganisationOutreach) -> str:
        return item.organisation.name

    @staticmethod
    def resolve_return_status(item: OrganisationOutreach) -> str:
        return item.council_return.status


class InvitationsSentOut(Schema):
    sent: list[RoundMessageOut]
    nobody_to_send_to: list[str] = Field(description="GSS codes of organisations with no editor and no contact.")


@router.get(
    "/rounds/{round_id}/invitations",
    response=list[OrganisationInvitationsOut],
    summary="Who was invited and reminded, and when (national team)",
)
def get_invitations(
    request: AuthenticatedRequest, round_id: Id, page: Query[Pages.Input], response: HttpResponse
) -> list[OrganisationOutreach]:
    """A page of the round's organisations, by name: `limit` (100 unless told) from `offset`. The header
    `X-Total-Count` says how many there are in all."""
    round_ = get_round_for_admin(request.user, round_id)
    returns = round_.returns.select_related("organisation").order_by("organisation__name")
    response["X-Total-Count"] = str(returns.count())
    return round_outreach(round_, list(returns[page.offset : page.offset + page.limit]))


@router.post(
    "/rounds/{round_id}/invitations",
    response={200: InvitationsSentOut, 400: Detail},
    summary="Email the invitations not sent yet (national team)",
)
def post_invitations(request: AuthenticatedRequest, round_id: Id) -> dict[str, Any]:
    """Invites everyone who would hear about an organisation that has not submitted, except those invited already;
    the web page's Open button does this right after opening, the API's open endpoint does not."""
    round_ = get_round_for_admin(request.user, round_id)
    with refused(RoundError):
        report = send_invitations(round_, by=request.user)
    nobody = [organisation.gss_code for organisation in report.nobody]
    return {"sent": report.sent, "nobody_to_send_to": nobody}
