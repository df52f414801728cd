"""A council's own exemplar pages: its offers of help, asking to be connected, and the state of its requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, can_edit, get_organisation_for_user, organisations_for
from nps.assessments.queries import get_return_for_user
from nps.community import matching, queries
from nps.community.connections import RequestRefused, request_connection
from nps.community.exemplars import opt_in, withdraw_offer
from nps.community.forms import ConnectionRequestForm, OfferForm
from nps.community.models import ExemplarOffer
from nps.organisations.models import Organisation


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Where each person's exemplar work starts: their organisations' pages, or the national team's tools."""
    context = {
        "organisations": organisations_for(request.user).order_by("name") if not request.user.is_national_admin else [],
        "status_counts": queries.status_counts() if request.user.is_national_admin else {},
    }
    return render(request, "community/home.html", context)


@login_required
def council(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code)
    offers = list(organisation.exemplar_offers.filter(active=True))
    titles = queries.index_titles()
    indices = queries.current_indices()
    offered = {offer.index_code for offer in offers}
    eligible = queries.eligibility(organisation, [index.code for index in indices])
    context = {
        "organisation": organisation,
        "offers": [(offer, titles.get(offer.index_code, offer.index_code)) for offer in offers],
        "eligible": [index for index in indices if eligible[index.code].eligible and index.code not in offered],
        "made": queries.request_rows(queries.requests_made(organisation), titles, with_contacts=True),
        "received": queries.request_rows(queries.requests_received(organisation), titles),
        "latest_return": queries.latest_return(organisation),
        "can_edit": can_edit(request.user, organisation),
    }
    return render(request, "community/council.html", context)


@login_required
def suggestions(request: AuthenticatedRequest, gss_code: str, round_id: int) -> HttpResponse:
    """Every exemplar suggestion for a return's gaps; the dashboard shows the few most useful."""
    council_return = get_return_for_user(request.user, gss_code, round_id)
    exemplars = queries.exemplars_for_return(council_return, request.user)
    return render(request, "community/suggestions.html", {"council_return": council_return, "exemplars": exemplars})


@login_required
def offer(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    """Opt in as an exemplar for the chosen indices, with a contact and a note (or update them)."""
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    indices = queries.current_indices()
    eligibility = queries.eligibility(organisation, [index.code for index in indices])
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        indices=indices,
        eligibility=eligibility,
        initial=offer_initial(request, organisation),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opt_in(
            organisation,
            data["indices"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            note=data["note"],
            by=request.user,
        )
        titles = queries.index_titles(data["indices"])
        offered = ", ".join(titles.get(code, code) for code in data["indices"])
        messages.success(request, f"{organisation.name} now offers help in {offered}.")
        return redirect("community:council", gss_code)
    return render(request, "community/offer_form.html", {"organisation": organisation, "form": form})


def offer_initial(request: AuthenticatedRequest, organisation: Organisation) -> dict[str, object]:
    """The offer asked to change (?index=code), else the latest offer's contact, else the person's own."""
    offers = organisation.exemplar_offers.order_by("-updated_at")
    chosen = offers.filter(index_code=request.GET.get("index", "")).first()
    latest = chosen or offers.first()
    if latest is None:
        return {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    initial: dict[str, object] = {"contact_name": latest.contact_name, "contact_email": latest.contact_email}
    return {**initial, "note": chosen.note, "indices": [chosen.index_code]} if chosen else initial


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, gss_code: str, index_code: str) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    found = get_object_or_404(ExemplarOffer, organisation=organisation, index_code=index_code, active=True)
    withdraw_offer(found, by=request.user)
    title = queries.index_titles([index_code]).get(index_code, index_code)
    messages.success(request, f"{organisation.name} no longer offers help in {title}.")
    return redirect("community:council", gss_code)


@login_required
def connect(request: AuthenticatedRequest, gss_code: str, exemplar_gss_code: str, index_code: str) -> HttpResponse:
    """Ask the national team to connect the council with an exemplar that offers help in the index."""
    organisation = get_organisation_for_user(request.user, gss_code, edit=True)
    found = queries.get_active_offer(exemplar_gss_code, index_code, organisation)
    form = ConnectionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            request_connection(organisation, found, message=form.cleaned_data["message"], by=request.user)
        except RequestRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You asked to be connected with {found.organisation.name}.")
            return redirect("community:council", gss_code)
    context = {
        "organisation": organisation,
        "offer": found,
        "title": queries.index_titles([index_code]).get(index_code, index_code),
        "reason": matching.reason(queries.council_of(organisation), queries.council_of(found.organisation)),
        "form": form,
    }
    return render(request, "community/connect.html", context)
