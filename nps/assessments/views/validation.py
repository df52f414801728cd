"""The national team validates a submitted return and asks about its answers; the council answers their questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest
from nps.assessments.forms import QueryForm, QueryResponseForm, ValidationForm
from nps.assessments.models import Answer, Assurance, Return
from nps.assessments.queries import get_answer, get_return_for_user
from nps.assessments.validation import (
    QueryRefused,
    ValidationRefused,
    answer_query,
    answers_for_validation,
    ask_query,
    chosen_answers,
    count,
    get_return_for_national_team,
    validate_answers,
    validate_return,
)

# The national team ------------------------------------------------------------------------------------------------


@login_required
def return_validation(request: AuthenticatedRequest, round_id: int, gss_code: str) -> HttpResponse:
    """Every answer with its evidence, labels and queries; validating asks first, on a page that lists the choice."""
    council_return = get_return_for_national_team(request.user, round_id, gss_code)
    answers = answers_for_validation(council_return)
    form = ValidationForm(request.POST or None, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            if "confirmed" not in request.POST:
                chosen = chosen_answers(council_return, form.index_codes())
                context = {"council_return": council_return, "form": form, "chosen": chosen}
                return render(request, "assessments/validation/confirm.html", context)
            validated = validate(council_return, form, by=request.user)
        except ValidationRefused as error:
            form.add_error(None, str(error))
        else:
            name = council_return.organisation.name
            messages.success(request, f"Validated {count(len(validated), 'index', 'indices')} of {name}'s return.")
            return redirect("assessments:validation", round_id, gss_code)
    return validation_page(request, council_return, answers, form)


def validate(council_return: Return, form: ValidationForm, *, by: User) -> list[Answer]:
    codes, note = form.index_codes(), form.cleaned_data["note"]
    if codes is None:
        return validate_return(council_return, note=note, by=by)
    return validate_answers(council_return, codes, note=note, by=by)


@login_required
@require_POST
def ask(request: AuthenticatedRequest, round_id: int, gss_code: str, index_code: str) -> HttpResponse:
    council_return = get_return_for_national_team(request.user, round_id, gss_code)
    answer = get_answer(council_return, index_code)
    form = QueryForm(request.POST, prefix=index_code, about=answer.index.title)
    if form.is_valid():
        try:
            ask_query(answer, question=form.cleaned_data["question"], by=request.user)
        except QueryRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sent your question about {answer.index.title} to the council's editors.")
            return redirect(reverse("assessments:validation", args=[round_id, gss_code]) + f"#{index_code}")
    answers = answers_for_validation(council_return)
    return validation_page(request, council_return, answers, ValidationForm(answers=answers), asking=form)


def validation_page(
    request: AuthenticatedRequest,
    council_return: Return,
    answers: list[Answer],
    form: ValidationForm,
    asking: QueryForm | None = None,
) -> HttpResponse:
    """The page, with the question being asked (and its errors) in its index's card."""
    cards = [
        (
            answer,
            asking
            if asking and asking.prefix == answer.index.code
            else QueryForm(prefix=answer.index.code, about=answer.index.title),
        )
        for answer in answers
    ]
    context = {
        "council_return": council_return,
        "cards": cards,
        "form": form,
        "asking": asking,
        "validated": sum(answer.assurance == Assurance.VALIDATED for answer in answers),
        "open_queries": sum(query.is_open for answer in answers for query in answer.queries.all()),
    }
    return render(request, "assessments/validation/return.html", context)


# The council ------------------------------------------------------------------------------------------------------

NEXT_PAGES = {"overview": "assessments:overview"}  # where a response sent from another page goes back to


@login_required
def respond(
    request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str, query_id: int
) -> HttpResponse:
    """The council's editors and approvers answer a query, whatever the state of their return."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    query = get_object_or_404(answer.queries.select_related("asked_by", "answered_by"), pk=query_id)
    form = QueryResponseForm(request.POST or None)
    following = request.POST.get("next") or request.GET.get("next")
    following = following if following in NEXT_PAGES else ""
    if request.method == "POST" and form.is_valid():
        try:
            answer_query(query, response=form.cleaned_data["response"], by=request.user)
        except QueryRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sent your answer about {answer.index.title} to the national team.")
            if following in NEXT_PAGES:
                return redirect(NEXT_PAGES[following], gss_code, round_id)
            return redirect("assessments:answer", gss_code, round_id, index_code)
    context = {"council_return": council_return, "answer": answer, "query": query, "form": form, "next": following}
    return render(request, "assessments/validation/respond.html", context)
