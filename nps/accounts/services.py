"""Named changes to people and roles; each runs in a transaction and writes the audit trail."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nps.accounts.models import ApiToken, Invitation, Membership, Role, User, hash_token, new_token
from nps.core.models import record
from nps.organisations.models import Organisation


def roles_for(organisation: Organisation) -> list[Role]:
    return [Role.GROUP_LEAD] if organisation.is_group else [Role.EDITOR, Role.VIEWER]


@transaction.atomic
def invite_person(organisation: Organisation, email: str, role: str, *, by: User) -> Invitation:
    """Create a single-use invitation and email its link."""
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email.strip().lower(), role=role, token_hash=hash_token(token), invited_by=by
    )
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    context = {"invitation": invitation, "link": link, "site_url": settings.SITE_URL}
    send_mail(
        subject=f"You are invited to the NPS toolkit for {organisation.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    record(
        "invitation_sent",
        f"Invited {invitation.email} as {invitation.get_role_display()}",
        by=by,
        organisation=organisation,
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def accept_invitation(invitation: Invitation, *, by: User) -> Membership:
    """Give the person the invited role; the link cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError("This invitation has already been used or has expired.")
    membership = Membership.objects.filter(user=by, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=by, organisation=invitation.organisation, role=invitation.role)
    elif invitation.role != Role.RESPONDENT:  # being asked for a view never takes a role away
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        "invitation_accepted",
        f"{by.email} joined as {membership.get_role_display()}",
        by=by,
        organisation=invitation.organisation,
    )
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, by: User) -> None:
    record(
        "member_removed",
        f"Removed {membership.user.email} ({membership.get_role_display()})",
        by=by,
        organisation=membership.organisation,
    )
    membership.delete()


def create_api_token(user: User, name: str) -> str:
    """Create a token and return it: this is the only time its value is shown."""
    token = new_token()
    ApiToken.objects.create(user=user, name=name, token_hash=hash_token(token), prefix=token[:8])
    return token
