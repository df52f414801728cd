"""The check page, where a return is checked answer by answer, then submitted, sent for sign-off, signed off or sent
back to the editors; and confirming, on the answer page, that a prefilled answer is still right."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nps.accounts.models import Membership, Role, User
from nps.accounts.permissions import AuthenticatedRequest, can_edit
from nps.assessments.answers import (
    IncompleteReturn,
    ReturnLocked,
    StepRefused,
    confirm_answer,
    return_problems,
    statement_answers,
    submit_return,
)
from nps.assessments.checks import Problem, StatementAnswer
from nps.assessments.forms import AnswerForm, SendBackForm
from nps.assessments.models import Answer, Return
from nps.assessments.queries import answers_with_indices, get_answer, get_return_for_user, get_return_to_sign_off
from nps.assessments.signoff import can_sign_off_now, send_back, send_for_sign_off, sign_off
from nps.core.templatetags.govuk import first_input_id
from nps.organisations.models import Organisation

Step = Callable[..., None]


@dataclass(frozen=True)
class Card:
    """One index on the check page: its answer, its statements' levels and a link to each field on the answer page."""

    answer: Answer
    statements: list[tuple[StatementAnswer, str]]
    links: dict[str, str]
    evidence: str


def field_links(council_return: Return, answer: Answer) -> dict[str, str]:
    """Where each field of the answer is changed: the answer page, at the field's first input."""
    page = reverse(
        "assessments:answer", args=[council_return.organisation.gss_code, council_return.round_id, answer.index.code]
    )
    form = AnswerForm(index=answer.index)
    links = {field: f"{page}#{first_input_id(form[field])}" for field in form.fields if field != "version"}
    return {**links, "needs_review": f"{page}#confirm-answer", "files": f"{page}#id_file"}


def evidence_count(answer: Answer) -> str:
    """How much evidence an answer has, in words: "Written evidence, 2 links and 1 file"."""
    links, files = len(answer.evidence_links.split()), len(answer.files.all())
    parts = [
        *(["Written evidence"] if answer.evidence.strip() else []),
        *([f"{links} link{'s' if links != 1 else ''}"] if links else []),
        *([f"{files} file{'s' if files != 1 else ''}"] if files else []),
    ]
    if not parts:
        return "None"
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def card(council_return: Return, answer: Answer) -> Card:
    links = field_links(council_return, answer)
    statements = [(statement, links[statement.field]) for statement in statement_answers(answer.index, answer)]
    return Card(answer, statements, links, evidence_count(answer))


def grouped_cards(council_return: Return) -> list[tuple[str, list[Card]]]:
    """Every index's card, under its theme's title, enablers last, in the framework's order."""
    answers = answers_with_indices(council_return)
    prefetch_related_objects(answers, "files")
    cards = [card(council_return, answer) for answer in answers]
    groups = itertools.groupby(cards, key=lambda c: c.answer.index.theme.title if c.answer.index.theme else "Enablers")
    return [(heading, list(group)) for heading, group in groups]


def problem_links(problems: list[Problem], groups: list[tuple[str, list[Card]]]) -> list[tuple[Problem, str]]:
    links = {card.answer.index.code: card.links for _, cards in groups for card in cards}
    return [(problem, links.get(problem.index_code, {}).get(problem.field, "")) for problem in problems]


def approver_names(organisation: Organisation) -> list[str]:
    approvers = Membership.objects.filter(organisation=organisation, role=Role.APPROVER, user__is_active=True)
    return sorted(str(membership.user) for membership in approvers.select_related("user"))


def check_context(user: User, council_return: Return, refusal: str = "") -> dict[str, object]:
    organisation = council_return.organisation
    may_act = council_return.round.is_open and (council_return.is_editable or council_return.is_awaiting_sign_off)
    problems = return_problems(council_return) if may_act else []
    groups = grouped_cards(council_return)
    return {
        "council_return": council_return,
        "groups": groups,
        "problems": problem_links(problems, groups),
        "refusal": refusal,
        "can_edit": council_return.is_editable and can_edit(user, organisation),
        "can_sign_off": can_sign_off_now(user, council_return),
        "approvers": approver_names(organisation),
        "scale": council_return.round.framework_version.scale,
    }


@login_required
def check(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """Check your answers before submitting; a POST submits, where the round needs no sign-off."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    if request.method == "POST":
        return take_step(request, council_return, submit_return, "Your return to {round} is submitted.")
    return render(request, "assessments/check.html", check_context(request.user, council_return))


def take_step(request: AuthenticatedRequest, council_return: Return, step: Step, success: str) -> HttpResponse:
    """Take the step, then show the return; or show the check page again with why the step was refused."""
    refusal = ""
    try:
        step(council_return, by=request.user)
    except IncompleteReturn:
        pass  # the check page lists every problem
    except (StepRefused, ReturnLocked) as error:
        refusal = str(error)
    else:
        messages.success(request, success.format(round=council_return.round.name))
        return redirect("assessments:overview", council_return.organisation.gss_code, council_return.round_id)
    council_return.refresh_from_db()
    return render(request, "assessments/check.html", check_context(request.user, council_return, refusal))


@login_required
@require_POST
def send(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    return take_step(request, council_return, send_for_sign_off, "Your return to {round} is waiting for sign-off.")


@login_required
@require_POST
def approve(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    council_return = get_return_to_sign_off(request.user, gss_code, round_id)
    return take_step(request, council_return, sign_off, "You signed off the return to {round}: it is submitted.")


@login_required
def send_back_page(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """Send the return back to its editors, saying what needs changing."""
    council_return = get_return_to_sign_off(request.user, gss_code, round_id)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            send_back(council_return, comment=form.cleaned_data["comment"], by=request.user)
        except (StepRefused, ReturnLocked) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The return is back with the editors, with your comment.")
            return redirect("assessments:overview", gss_code, round_id)
    return render(request, "assessments/send_back.html", {"council_return": council_return, "form": form})


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    try:
        confirm_answer(answer, by=request.user)
    except (StepRefused, ReturnLocked) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Confirmed your answer for {answer.index.title}: it counts as checked this round.")
    return redirect("assessments:answer", gss_code, round_id, index_code)
