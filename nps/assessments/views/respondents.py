"""Colleagues' own views: the editor asks for them and compares them; each respondent answers their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from nps.accounts.permissions import AuthenticatedRequest, can_edit
from nps.accounts.services import InvitationNotSent
from nps.assessments.forms import RespondentForm, ViewForm
from nps.assessments.models import RespondentAnswer
from nps.assessments.queries import comparison, get_respondent_for_user, get_return_for_user
from nps.assessments.respondents import invite_respondent, save_view


@login_required
def respondents(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """Who was asked for their view, the invitation form, and everyone's views side by side with the spread."""
    council_return = get_return_for_user(request.user, gss_code, round_id, edit=request.method == "POST")
    indices = council_return.round.framework_version.indices.all()
    form = RespondentForm(request.POST or None, indices=indices, initial={"indices": [index.pk for index in indices]})
    if request.method == "POST" and form.is_valid() and council_return.is_editable:
        try:
            invite_respondent(
                council_return, form.cleaned_data["email"], list(form.cleaned_data["indices"]), by=request.user
            )
        except InvitationNotSent as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Asked {form.cleaned_data['email']} for their view.")
            return redirect("assessments:respondents", gss_code, round_id)
    return render(
        request,
        "assessments/respondents.html",
        {
            "council_return": council_return,
            "form": form,
            "rows": comparison(council_return),
            "respondents": list(council_return.respondents.select_related("user").prefetch_related("indices")),
            "can_edit": council_return.is_editable and can_edit(request.user, council_return.organisation),
        },
    )


@login_required
def my_view(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    respondent = get_respondent_for_user(request.user, gss_code, round_id)
    views = {view.index_id: view for view in respondent.answers.all()}
    indices = [(index, views.get(index.pk)) for index in respondent.indices.order_by("position")]
    return render(request, "assessments/my_view.html", {"respondent": respondent, "indices": indices})


@login_required
def my_view_index(request: AuthenticatedRequest, gss_code: str, round_id: int, index_code: str) -> HttpResponse:
    respondent = get_respondent_for_user(request.user, gss_code, round_id)
    index = get_object_or_404(respondent.indices.prefetch_related("statements__descriptors"), code=index_code)
    view = RespondentAnswer.objects.filter(respondent=respondent, index=index).first()
    initial = (
        {"current_level": view.current_level, "not_applicable": view.not_applicable, "comment": view.comment}
        if view
        else {}
    )
    form = ViewForm(request.POST or None, index=index, initial=initial)
    editable = respondent.council_return.is_editable
    if request.method == "POST" and editable and form.is_valid():
        save_view(respondent, index, **form.cleaned_data)
        messages.success(request, f"Saved your view of {index.title}.")
        return redirect("assessments:my_view", gss_code, round_id)
    return render(
        request,
        "assessments/my_view_index.html",
        {"respondent": respondent, "index": index, "form": form, "editable": editable},
    )
