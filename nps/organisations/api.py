import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nps.lib.api import Pages
from nps.organisations.models import Organisation

router = Router(tags=["Organisations"])


class OrganisationSummary(Schema):
    gss_code: str
    name: str
    welsh_name: str
    official_name: str
    kind: str
    kind_name: str
    nation: str
    region: str | None
    is_current: bool
    is_provisional: bool = Field(description="The code is the national team's own, until ONS issues a GSS code.")

    @staticmethod
    def resolve_kind_name(organisation: Organisation) -> str:
        return organisation.get_kind_display()

    @staticmethod
    def resolve_region(organisation: Organisation) -> str | None:
        return organisation.region.name if organisation.region else None


class SuccessionOut(Schema):
    gss_code: str
    name: str
    part: str = Field(description="For a split: which part of the predecessor the successor takes, where known.")


class OrganisationOut(OrganisationSummary):
    parent_county: str | None
    start_date: datetime.date | None
    end_date: datetime.date | None = Field(description="The last day it existed.")
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]
    groups: list[OrganisationSummary]
    members: list[OrganisationSummary]

    @staticmethod
    def resolve_parent_county(organisation: Organisation) -> str | None:
        return organisation.parent_county.gss_code if organisation.parent_county else None

    @staticmethod
    def resolve_successors(organisation: Organisation) -> list[dict[str, str]]:
        links = organisation.successor_links.select_related("successor")
        return [{"gss_code": link.successor.gss_code, "name": link.successor.name, "part": link.part} for link in links]

    @staticmethod
    def resolve_predecessors(organisation: Organisation) -> list[dict[str, str]]:
        links = organisation.predecessor_links.select_related("predecessor")
        return [
            {"gss_code": link.predecessor.gss_code, "name": link.predecessor.name, "part": link.part} for link in links
        ]

    @staticmethod
    def resolve_groups(organisation: Organisation) -> QuerySet[Organisation]:
        return organisation.groups.select_related("region")

    @staticmethod
    def resolve_members(organisation: Organisation) -> QuerySet[Organisation]:
        return organisation.members.select_related("region")


class DirectoryFilters(Schema):
    q: str = ""
    nation: str = Field("", description="`england` or `wales`; empty for both.")
    kind: str = ""
    region: str = ""
    status: str = "current"


@router.get("/", response=list[OrganisationSummary], auth=None, summary="Search the directory of organisations")
@paginate(Pages)
def list_organisations(request: HttpRequest, filters: Query[DirectoryFilters]) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("region").search(filters.q)
    if filters.nation:
        organisations = organisations.in_nation(filters.nation)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.region:
        organisations = organisations.filter(region__code=filters.region)
    if filters.status == "former":
        return organisations.former()
    return organisations if filters.status == "all" else organisations.current()


@router.get("/{gss_code}", response=OrganisationOut, auth=None, summary="One organisation with its groups and members")
def organisation_detail(request: HttpRequest, gss_code: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("region", "parent_county"), gss_code=gss_code)
