"""The API of national validation and queries: the national team validates a submitted return's answers and asks the
council about them; the council's editors and approvers answer. The same lookups, forms and services as the pages."""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.api_schemas import AnswerOut
from nps.assessments.forms import QueryForm, QueryResponseForm, ValidationForm
from nps.assessments.models import Answer, Query
from nps.assessments.queries import get_answer, get_return_for_user
from nps.assessments.validation import (
    QueryRefused,
    ValidationRefused,
    answer_query,
    answers_for_validation,
    ask_query,
    get_return_for_national_team,
    validate_answers,
    validate_return,
)
from nps.lib.api import Detail, Id, Input, form_data, refused, validated

router = Router(tags=["Assessments"])

FOR_NATIONAL_TEAM = "/rounds/{round_id}/returns/{gss_code}"
RETURN = "/organisations/{gss_code}/rounds/{round_id}"


class ValidationIn(Input):
    indices: list[str] = Field([], description="Codes of the indices to validate.")
    whole_return: bool = Field(False, description="Validate every index not validated yet; `indices` is then ignored.")
    note: str = Field("", description="Optional: what you checked. The council sees it in its email and history.")


class QueryIn(Input):
    question: str


class ResponseIn(Input):
    response: str


class QueryOut(Schema):
    id: int
    index: str
    title: str
    question: str
    asked_by: str | None
    asked_at: datetime.datetime
    is_open: bool = Field(description="The council has not answered it yet.")
    response: str
    answered_by: str | None
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_index(query: Query) -> str:
        return query.answer.index.code

    @staticmethod
    def resolve_title(query: Query) -> str:
        return query.answer.index.title

    @staticmethod
    def resolve_asked_by(query: Query) -> str | None:
        return str(query.asked_by) if query.asked_by else None

    @staticmethod
    def resolve_answered_by(query: Query) -> str | None:
        return str(query.answered_by) if query.answered_by else None


def fetched(query: Query) -> Query:
    return Query.objects.select_related("answer__index", "asked_by", "answered_by").get(pk=query.pk)


@router.post(
    FOR_NATIONAL_TEAM + "/validate",
    response={200: list[AnswerOut], 400: Detail},
    summary="Validate some or all answers of a submitted return (national team)",
)
def post_validate(request: AuthenticatedRequest, round_id: Id, gss_code: str, payload: ValidationIn) -> list[Answer]:
    """Each answer validated reads `Validated by the national team` until it changes; all or none. 400 if the return
    is not submitted, an index is already validated, or has a query the council has not answered."""
    council_return = get_return_for_national_team(request.user, round_id, gss_code)
    form = ValidationForm(form_data(payload.dict()), answers=answers_for_validation(council_return))
    cleaned = validated(form)
    with refused(ValidationRefused):
        if cleaned["whole_return"]:
            chosen = validate_return(council_return, note=cleaned["note"], by=request.user)
        else:
            chosen = validate_answers(council_return, cleaned["indices"], note=cleaned["note"], by=request.user)
    return [get_answer(council_return, answer.index.code) for answer in chosen]


@router.post(
    FOR_NATIONAL_TEAM + "/answers/{index_code}/queries",
    response={201: QueryOut, 400: Detail},
    summary="Ask the council a question about one answer of its submitted return (national team)",
)
def post_query(
    request: AuthenticatedRequest, round_id: Id, gss_code: str, index_code: str, payload: QueryIn
) -> Status[Query]:
    council_return = get_return_for_national_team(request.user, round_id, gss_code)
    answer = get_answer(council_return, index_code)
    cleaned = validated(QueryForm(form_data(payload.dict())))
    with refused(QueryRefused):
        query = ask_query(answer, question=cleaned["question"], by=request.user)
    return Status(201, fetched(query))


@router.get(RETURN + "/queries", response=list[QueryOut], summary="The national team's questions about a return")
def get_queries(request: AuthenticatedRequest, gss_code: str, round_id: Id) -> QuerySet[Query]:
    """Every question, open or answered, in the framework's order: for the council's people and the national team."""
    council_return = get_return_for_user(request.user, gss_code, round_id)
    return (
        Query.objects.filter(answer__council_return=council_return)
        .select_related("answer__index", "asked_by", "answered_by")
        .order_by("answer__index__position", "asked_at", "pk")
    )


@router.post(
    RETURN + "/answers/{index_code}/queries/{query_id}/response",
    response={200: QueryOut, 400: Detail},
    summary="Answer the national team's question (council editors and approvers)",
)
def post_response(
    request: AuthenticatedRequest, gss_code: str, round_id: Id, index_code: str, query_id: Id, payload: ResponseIn
) -> Query:
    """Allowed whatever the state of the return, since it changes no answer; 400 if the query is answered already."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    query = get_object_or_404(get_answer(council_return, index_code).queries, pk=query_id)
    cleaned = validated(QueryResponseForm(form_data(payload.dict())))
    with refused(QueryRefused):
        return fetched(answer_query(query, response=cleaned["response"], by=request.user))
