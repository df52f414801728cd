"""A council's return: the overview, one answer per index, and its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from nps.accounts.permissions import AuthenticatedRequest, can_edit, organisations_for
from nps.assessments.answers import AnswerConflict, ReturnLocked, progress, save_answer
from nps.assessments.carry import mapped_hints
from nps.assessments.checks import index_status
from nps.assessments.forms import AnswerForm, answer_initial
from nps.assessments.models import Answer, Respondent, RespondentAnswer, Return
from nps.assessments.queries import answers_with_indices, get_answer, get_return_for_user, respondent_requests
from nps.assessments.signoff import can_sign_off_now
from nps.assessments.spread import spread
from nps.assessments.timeline import answer_history


@login_required
def my_returns(request: AuthenticatedRequest) -> HttpResponse:
    """Every return of every organisation this person belongs to, and the returns where their view is asked."""
    if request.user.is_national_admin:
        return redirect("assessments:rounds")
    returns = (
        Return.objects.filter(organisation__in=organisations_for(request.user))
        .select_related("round", "organisation")
        .order_by("organisation__name", "-round__opens_on")
    )
    context = {"returns": returns, "requests": respondent_requests(request.user)}
    return render(request, "assessments/my_returns.html", context)


@login_required
def overview(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    answers = answers_with_indices(council_return)
    context = {
        "council_return": council_return,
        "rows": [(answer, index_status(answer)) for answer in answers],
        "progress": progress(answers),
        "can_edit": council_return.is_editable and can_edit(request.user, council_return.organisation),
        "is_editor": can_edit(request.user, council_return.organisation),
        "can_sign_off": can_sign_off_now(request.user, council_return),
        "scale": council_return.round.framework_version.scale,
    }
    return render(request, "assessments/return_overview.html", context)


def next_index_code(answer: Answer) -> str | None:
    later = Answer.objects.filter(
        council_return_id=answer.council_return_id, index__position__gt=answer.index.position
    ).order_by("index__position")
    return later.values_list("index__code", flat=True).first()


def colleagues_views(answer: Answer) -> dict[str, object]:
    # Through the return's respondents, so that the database reads their views by (respondent, index), rather than
    # every view of the index in the round.
    respondents = Respondent.objects.filter(council_return_id=answer.council_return_id)
    found = RespondentAnswer.objects.filter(respondent__in=respondents, index=answer.index)
    views = list(found.select_related("respondent__user"))
    return {"views": views, "spread": spread({str(view.respondent): view.current_level for view in views})}


@login_required
def answer(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    editing = request.method == "POST"
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=editing)
    answer = get_answer(council_return, index_code)
    form = AnswerForm(request.POST if editing else None, index=answer.index, initial=answer_initial(answer))
    conflict = None
    if editing and form.is_valid():
        try:
            save_answer(
                answer,
                form.answer_values(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                statement_levels=form.statement_levels(),
            )
        except AnswerConflict as error:
            conflict = error
            data = request.POST.copy()
            data["version"] = str(error.answer.version)
            form = AnswerForm(data, index=answer.index)
            form.is_valid()
        except ReturnLocked:
            messages.error(request, "This return can no longer change: it is submitted or its round has closed.")
            return redirect("assessments:overview", gss_code, round_id)
        else:
            messages.success(request, f"Saved your answer for {answer.index.title}.")
            following = next_index_code(answer) if "continue" in request.POST else index_code
            if following is None:
                return redirect("assessments:overview", gss_code, round_id)
            return redirect("assessments:answer", gss_code, round_id, following)
    return render(request, "assessments/answer.html", answer_context(request, council_return, answer, form, conflict))


def answer_context(
    request: AuthenticatedRequest,
    council_return: Return,
    answer: Answer,
    form: AnswerForm,
    conflict: AnswerConflict | None,
) -> dict[str, object]:
    scale = council_return.round.framework_version.scale
    next_level = answer.current_level + 1 if answer.current_level and not answer.not_applicable else None
    if next_level and next_level > scale.highest.number:
        next_level = None
    descriptors = {d.level: d for d in answer.index.statements.all()[0].descriptors.all()}
    return {
        "council_return": council_return,
        "answer": answer,
        "index": answer.index,
        "form": form,
        "conflict": conflict,
        "can_edit": council_return.is_editable and can_edit(request.user, council_return.organisation),
        "is_editor": can_edit(request.user, council_return.organisation),
        "scale": scale,
        "next_level": scale.levels[next_level - 1] if next_level else None,
        "next_descriptor": descriptors.get(next_level) if next_level else None,
        "status": index_status(answer),
        "hints": mapped_hints(council_return, answer),
        **colleagues_views(answer),
    }


@login_required
def history(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id)
    answer = get_answer(council_return, index_code)
    context = {"council_return": council_return, "answer": answer, "entries": answer_history(answer)}
    return render(request, "assessments/history.html", context)
