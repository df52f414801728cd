from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nps.accounts.permissions import can_view
from nps.lib.prose import render_markdown
from nps.organisations.forms import DirectoryFilterForm
from nps.organisations.loader import DATA_DIR
from nps.organisations.models import Kind, Organisation, OrganisationQuerySet

PAGE_SIZE = 50
COMBINED_KINDS = {Kind.COMBINED_AUTHORITY, Kind.STRATEGIC_AUTHORITY}


def filtered_organisations(form: DirectoryFilterForm) -> OrganisationQuerySet:
    organisations = Organisation.objects.select_related("region")
    if not form.is_valid():
        return organisations.current()
    data = form.cleaned_data
    organisations = organisations.search(data["q"])
    if data["nation"]:
        organisations = organisations.in_nation(data["nation"])
    if data["kind"]:
        organisations = organisations.filter(kind=data["kind"])
    if data["region"]:
        organisations = organisations.filter(region__code=data["region"])
    if data["status"] == "former":
        return organisations.former()
    return organisations if data["status"] == "all" else organisations.current()


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    page = Paginator(filtered_organisations(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organisations/directory.html", {"form": form, "page": page, "query": query.urlencode()})


def detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("region", "parent_county"), gss_code=gss_code)
    groups = list(organisation.groups.order_by("name"))
    context = {
        "organisation": organisation,
        "combined_authorities": [group for group in groups if group.kind in COMBINED_KINDS],
        "fire_authorities": [group for group in groups if group.kind == Kind.FIRE_AUTHORITY],
        "other_groups": [group for group in groups if group.kind == Kind.PROCUREMENT_GROUP],
        "members": organisation.members.order_by("name"),
        "districts": organisation.districts.order_by("name"),
        "successions": organisation.successor_links.select_related("successor").order_by("successor__name"),
        "predecessions": organisation.predecessor_links.select_related("predecessor").order_by("predecessor__name"),
        "can_see_people": can_view(request.user, organisation),  # type: ignore[arg-type]
    }
    return render(request, "organisations/detail.html", context)


def about_data(request: HttpRequest) -> HttpResponse:
    source = render_markdown((DATA_DIR / "SOURCE.md").read_text(encoding="utf-8"))
    return render(request, "organisations/about_data.html", {"source": source})
