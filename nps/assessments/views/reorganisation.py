"""The national team records reorganisations of local government and renames provisional codes to ONS's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from nps.accounts.permissions import AuthenticatedRequest, require_national_admin
from nps.assessments.reorganisation import record_reorganisation
from nps.organisations.forms import RenameCodeForm, ReorganisationForm
from nps.organisations.models import PROVISIONAL_PREFIX, Organisation, Succession
from nps.organisations.reorganisation import ReorganisationError, rename_code

RECENT = 100  # successions listed on the page, latest first


@login_required
def reorganisations(request: AuthenticatedRequest) -> HttpResponse:
    """Checking the CSV shows what will change and asks first; recording it cannot be undone."""
    require_national_admin(request.user)
    form = ReorganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.cleaned_data["changes"]
        if not form.cleaned_data["confirmed"]:
            context = {"changes": changes, "text": request.POST["changes"]}
            return render(request, "assessments/reorganisation_confirm.html", context)
        predecessors = record_reorganisation(changes, by=request.user)
        messages.success(request, f"Recorded the reorganisation of {len(predecessors)} organisations.")
        return redirect("assessments:reorganisations")
    successions = Succession.objects.select_related("predecessor", "successor").order_by(
        "-predecessor__end_date", "predecessor__name"
    )[:RECENT]
    provisional = Organisation.objects.filter(gss_code__startswith=PROVISIONAL_PREFIX).order_by("name")
    context = {"form": form, "successions": successions, "provisional": provisional, "rename_form": RenameCodeForm()}
    return render(request, "assessments/reorganisations.html", context)


@login_required
def rename(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    form = RenameCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.filter(gss_code=form.cleaned_data["gss_code"].strip()).first()
        if organisation is None:
            form.add_error("gss_code", "There is no organisation with this code")
        else:
            try:
                rename_code(organisation, form.cleaned_data["new_gss_code"], by=request.user)
            except ReorganisationError as error:
                form.add_error("new_gss_code", error.errors[0])
            else:
                messages.success(request, f"{organisation.name} is now {organisation.gss_code}.")
                return redirect("organisations:detail", organisation.gss_code)
    return render(request, "assessments/rename_code.html", {"form": form})
