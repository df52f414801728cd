"""The national team records reorganisations and renames provisional codes through the API, as on the pages."""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from nps.accounts.permissions import AuthenticatedRequest, require_national_admin
from nps.assessments.reorganisation import carry_over_due, record_reorganisation
from nps.lib.api import Detail, Input
from nps.organisations.models import Organisation
from nps.organisations.reorganisation import Change, ReorganisationError, rename_code

router = Router(tags=["Reorganisations"])


class ChangeIn(Input):
    predecessor: str = Field(description="The code of the organisation that ends.")
    successor: str = Field(description="A GSS code, or a provisional code starting PROV- for a new council.")
    effective_date: datetime.date = Field(description="The successor's first day; the predecessor ends the day before.")
    successor_name: str = Field("", description="For a council not yet in the directory.")
    successor_type: str = Field("", description="For a council not yet in the directory, such as unitary_authority.")
    part: str = Field("", description="For a split: which part of the predecessor the successor takes.")


class ReorganisationIn(Input):
    changes: list[ChangeIn] = Field(min_length=1)


class ReorganisationOut(Schema):
    predecessors: list[str] = Field(description="The codes of the organisations that end.")
    finished: list[str] = Field(description="Those whose effective date has come: people moved, returns closed.")


class RenameIn(Input):
    new_gss_code: str


def refused(error: ReorganisationError) -> HttpError:
    return HttpError(400, "; ".join(error.errors))


@router.post(
    "/reorganisations",
    response={201: ReorganisationOut, 400: Detail, 404: Detail},
    summary="Record a reorganisation (national team)",
)
def post_reorganisation(request: AuthenticatedRequest, payload: ReorganisationIn) -> Status:
    """All or nothing: a 400 lists every problem. Where an effective date has passed, the reorganisation is finished
    at once; otherwise `POST /reorganisations/carry-over` (or `nps reorganise --carry-over`) finishes it then."""
    require_national_admin(request.user)
    changes = [
        Change(
            **{**change.dict(exclude={"effective_date"}), "effective": change.effective_date, "place": f"Change {n}"}
        )
        for n, change in enumerate(payload.changes, start=1)
    ]
    try:
        predecessors = record_reorganisation(changes, by=request.user)
    except ReorganisationError as error:
        raise refused(error) from error
    finished = [p.gss_code for p in predecessors if p.is_former]
    return Status(201, {"predecessors": [p.gss_code for p in predecessors], "finished": finished})


@router.post(
    "/reorganisations/carry-over",
    response={200: ReorganisationOut, 404: Detail},
    summary="Finish the reorganisations whose effective date has come (national team)",
)
def post_carry_over(request: AuthenticatedRequest) -> dict[str, list[str]]:
    require_national_admin(request.user)
    finished = [predecessor.gss_code for predecessor in carry_over_due(by=request.user)]
    return {"predecessors": finished, "finished": finished}


@router.post(
    "/reorganisations/codes/{gss_code}",
    response={200: dict[str, str], 400: Detail, 404: Detail},
    summary="Give an organisation the GSS code ONS issued in place of its provisional one (national team)",
)
def post_rename(request: AuthenticatedRequest, gss_code: str, payload: RenameIn) -> dict[str, str]:
    require_national_admin(request.user)
    organisation = Organisation.objects.filter(gss_code=gss_code).first()
    if organisation is None:
        raise HttpError(404, "Not found")
    try:
        rename_code(organisation, payload.new_gss_code, by=request.user)
    except ReorganisationError as error:
        raise refused(error) from error
    return {"gss_code": organisation.gss_code, "name": organisation.name}
