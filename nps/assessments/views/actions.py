"""The council's action plan: every action, overdue ones flagged, and planning an action for a gap."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nps.accounts.permissions import AuthenticatedRequest, can_edit, get_organisation_for_user
from nps.assessments.actions import plan_action, update_action
from nps.assessments.forms import ActionForm
from nps.assessments.models import Action
from nps.assessments.queries import get_answer, get_return_for_user


@login_required
def action_list(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code)
    actions = Action.objects.filter(answer__council_return__organisation=organisation).select_related(
        "answer__index", "answer__council_return__round"
    )
    today = timezone.localdate()
    rows = [(action, action.is_overdue(today)) for action in actions]
    return render(
        request,
        "assessments/action_list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "overdue": sum(overdue for _, overdue in rows),
            "can_edit": can_edit(request.user, organisation),
        },
    )


@login_required
def new_action(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=True)
    answer = get_answer(council_return, index_code)
    aim = min((answer.current_level or 0) + 1, 5)
    form = ActionForm(request.POST or None, initial={"aim_level": aim, "status": "planned"})
    if request.method == "POST" and form.is_valid():
        plan_action(answer, by=request.user, **{k: v for k, v in form.cleaned_data.items() if k != "status"})
        messages.success(request, f"Planned “{form.cleaned_data['title']}”.")
        return redirect("assessments:answer", gss_code, round_id, index_code)
    descriptors = {d.level: d.text for s in answer.index.statements.all() for d in s.descriptors.all()}
    return render(
        request,
        "assessments/action_form.html",
        {
            "council_return": council_return,
            "answer": answer,
            "form": form,
            "aim_descriptor": descriptors.get(aim),
        },
    )


@login_required
def edit_action(request: AuthenticatedRequest, gss_code: str, action_id: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    action = get_object_or_404(
        Action.objects.select_related("answer__index", "answer__council_return__round"),
        pk=action_id,
        answer__council_return__organisation=organisation,
    )
    form = ActionForm(request.POST or None, instance=Action.objects.get(pk=action.pk))
    if request.method == "POST" and form.is_valid():
        update_action(action, by=request.user, **form.cleaned_data)
        messages.success(request, f"Updated “{action.title}”.")
        return redirect("assessments:actions", gss_code)
    return render(
        request,
        "assessments/action_form.html",
        {
            "organisation": organisation,
            "answer": action.answer,
            "action": action,
            "form": form,
            "council_return": action.answer.council_return,
        },
    )
