"""The case-study library: published case studies for everyone, and writing and publishing them for the national
team."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts.models import User
from nps.accounts.permissions import AuthenticatedRequest, require_national_admin
from nps.community import queries
from nps.community.case_studies import (
    CaseStudyError,
    case_studies,
    create_case_study,
    filter_case_studies,
    publish_case_study,
    published_case_studies,
    unpublish_case_study,
    update_case_study,
)
from nps.community.forms import CaseStudyForm, LibraryFilterForm
from nps.community.models import CaseStudy

PAGE_SIZE = 20


def library(request: HttpRequest) -> HttpResponse:
    """Published case studies, filtered by index, level reached, council type and region, or words."""
    form = LibraryFilterForm(request.GET, indices=queries.current_indices())
    found = published_case_studies()
    if form.is_valid():
        data = form.cleaned_data
        found = filter_case_studies(
            found,
            index_code=data["index"],
            level=data["level"],
            kind=data["kind"],
            region_code=data["region"],
            text=data["q"],
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    titles = queries.index_titles()
    rows = [(found, [titles.get(code, code) for code in found.index_codes]) for found in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "community/library.html", context)


def case_study(request: HttpRequest, slug: str) -> HttpResponse:
    """A published case study; the national team also previews drafts."""
    found = get_object_or_404(case_studies(), slug=slug)
    user = request.user
    if not found.is_published and not (isinstance(user, User) and user.is_active and user.is_national_admin):
        raise Http404("No such case study")
    titles = queries.index_titles(found.index_codes)
    context = {"case_study": found, "index_titles": [titles.get(code, code) for code in found.index_codes]}
    return render(request, "community/case_study.html", context)


@login_required
def manage(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    found = case_studies().order_by("status", "-updated_at")
    return render(request, "community/manage.html", {"case_studies": found})


@login_required
def new(request: AuthenticatedRequest) -> HttpResponse:
    require_national_admin(request.user)
    form = CaseStudyForm(request.POST if request.method == "POST" else None, indices=queries.current_indices())
    if request.method == "POST" and form.is_valid():
        created = create_case_study(form.cleaned_data, form.cleaned_data["indices"], by=request.user)
        messages.success(request, f"Saved “{created.title}” as a draft.")
        return redirect("community:edit_case_study", created.pk)
    return render(request, "community/case_study_form.html", {"form": form})


@login_required
def edit(request: AuthenticatedRequest, case_study_id: int) -> HttpResponse:
    require_national_admin(request.user)
    found = get_object_or_404(case_studies(), pk=case_study_id)
    form = CaseStudyForm(
        request.POST if request.method == "POST" else None, indices=queries.current_indices(), initial=initial(found)
    )
    if request.method == "POST" and form.is_valid():
        update_case_study(found, form.cleaned_data, form.cleaned_data["indices"], by=request.user)
        messages.success(request, f"Saved “{found.title}”.")
        return redirect("community:edit_case_study", found.pk)
    return render(request, "community/case_study_form.html", {"form": form, "case_study": found})


def initial(found: CaseStudy) -> dict[str, Any]:
    return {
        "title": found.title,
        "summary": found.summary,
        "body": found.body,
        "organisation": found.organisation.gss_code if found.organisation else "",
        "level_reached": found.level_reached,
        "links": found.links,
        "slug": found.slug,
        "indices": found.index_codes,
    }


@login_required
@require_POST
def publish(request: AuthenticatedRequest, case_study_id: int) -> HttpResponse:
    require_national_admin(request.user)
    found = get_object_or_404(CaseStudy, pk=case_study_id)
    change = unpublish_case_study if request.POST.get("action") == "unpublish" else publish_case_study
    try:
        change(found, by=request.user)
    except CaseStudyError as error:
        messages.error(request, str(error))
    else:
        state = "published: everyone can read it" if found.is_published else "back in draft"
        messages.success(request, f"“{found.title}” is {state}.")
    return redirect("community:edit_case_study", found.pk)
