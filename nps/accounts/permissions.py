"""Every view and API endpoint looks organisation data up through these helpers.

A person who may not see an organisation's data gets a 404, never a 403: they cannot learn what exists.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from nps.accounts.models import Membership, Role, User
from nps.organisations.models import Organisation

COUNCIL_ROLES = {Role.EDITOR, Role.APPROVER, Role.VIEWER}
EDITING_ROLES = {Role.EDITOR, Role.APPROVER, Role.GROUP_LEAD}
VIEWING_ROLES = {*COUNCIL_ROLES, Role.GROUP_LEAD}  # not a respondent, whose role grants only what they are asked


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind login_required."""

    user: User


def role_at(user: User, organisation: Organisation) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def can_view(user: User, organisation: Organisation) -> bool:
    """May this person read the organisation's own (unpublished) data?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_national_admin or role_at(user, organisation) in VIEWING_ROLES


def can_edit(user: User, organisation: Organisation) -> bool:
    """May this person change the organisation's own data?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return role_at(user, organisation) in EDITING_ROLES


def can_sign_off(user: User, organisation: Organisation) -> bool:
    """May this person sign the organisation's return off, which submits it?"""
    return bool(user.is_authenticated and user.is_active and role_at(user, organisation) == Role.APPROVER)


def can_manage_people(user: User, organisation: Organisation) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_national_admin or can_edit(user, organisation)))


def get_organisation_for_user(user: User, gss_code: str, *, edit: bool = False) -> Organisation:
    """The organisation, if this person may see (or, with edit=True, change) its data; otherwise 404."""
    organisation = Organisation.objects.filter(gss_code=gss_code).select_related("region").first()
    if organisation is None:
        raise Http404("No such organisation")
    require_access(user, organisation, edit=edit)
    return organisation


def require_access(user: User, organisation: Organisation, *, edit: bool = False) -> None:
    """404 unless this person may see (or, with edit=True, change) the organisation's data."""
    if not can_view(user, organisation):
        raise Http404("No such organisation")
    if edit and not can_edit(user, organisation):
        raise Http404("No such organisation")


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The organisations whose own data this person may read."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_national_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=VIEWING_ROLES).distinct()


def require_national_admin(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.is_national_admin):
        raise Http404("Not found")


def get_group_for_lead(user: User, gss_code: str) -> Organisation:
    """A group (combined authority, fire authority or procurement group) its lead, or the national team, may see."""
    group = Organisation.objects.groups().filter(gss_code=gss_code).first()
    if group is None or not user.is_authenticated or not user.is_active:
        raise Http404("No such group")
    if not (user.is_national_admin or role_at(user, group) == Role.GROUP_LEAD):
        raise Http404("No such group")
    return group
