"""The national team's exemplar pages: every connection request and its decision, support per index, and marks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.permissions import AuthenticatedRequest, require_national_admin
from nps.community import queries
from nps.community.connections import RequestRefused, decide_connection
from nps.community.exemplars import mark_exemplary, remove_mark
from nps.community.forms import DecisionForm, MarkForm
from nps.community.models import ConnectionStatus, ExemplaryMark


@login_required
def connections(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    status = request.GET.get("status", "")
    found, counts = queries.connection_requests(), queries.status_counts()
    if status in ConnectionStatus.values:
        found = found.filter(status=status)
    context = {
        "rows": queries.request_rows(list(found), queries.index_titles()),
        "status": status,
        "statuses": [(value, label, counts[value]) for value, label in ConnectionStatus.choices],
    }
    return render(request, "community/connections.html", context)


@login_required
def connection(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    found = queries.get_connection_for_admin(request.user, request_id)
    form = DecisionForm(request.POST if request.method == "POST" else None, status=found.status)
    if request.method == "POST" and found.is_open and form.is_valid():
        try:
            decided = decide_connection(
                found, form.cleaned_data["decision"], note=form.cleaned_data["note"], by=request.user
            )
        except RequestRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The request is now {decided.get_status_display().lower()}.")
            return redirect("community:connection", request_id)
    context = {
        "connection": found,
        "title": queries.index_titles([found.index_code]).get(found.index_code, found.index_code),
        "offer": found.exemplar.exemplar_offers.filter(index_code=found.index_code).first(),
        "form": form,
    }
    return render(request, "community/connection.html", context)


@login_required
def support(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    return render(request, "community/support.html", {"rows": queries.support_by_index()})


@login_required
def marks(request: AuthenticatedRequest) -> HttpResponse:
    """Councils the national team has marked exemplary, per index, and marking another."""
    require_national_admin(request.user)
    form = MarkForm(request.POST if request.method == "POST" else None, indices=queries.current_indices())
    if request.method == "POST" and form.is_valid():
        organisation, code = form.cleaned_data["gss_code"], form.cleaned_data["index"]
        mark_exemplary(organisation, code, by=request.user)
        messages.success(request, f"Marked {organisation.name} exemplary in {queries.index_titles([code])[code]}.")
        return redirect("community:marks")
    titles = queries.index_titles()
    rows = [(mark, titles.get(mark.index_code, mark.index_code)) for mark in queries.exemplary_marks()]
    return render(request, "community/marks.html", {"form": form, "rows": rows})


@login_required
@require_POST
def remove(request: AuthenticatedRequest, mark_id: int) -> HttpResponse:
    require_national_admin(request.user)
    mark = get_object_or_404(ExemplaryMark.objects.select_related("organisation"), pk=mark_id)
    remove_mark(mark, by=request.user)
    messages.success(request, f"Removed the mark of {mark.organisation.name}.")
    return redirect("community:marks")
