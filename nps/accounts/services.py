"""Named changes to people and roles; each runs in a transaction and writes the audit trail."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nps.accounts import throttling
from nps.accounts.models import ApiToken, Invitation, Membership, Role, User, hash_token, new_token
from nps.core.models import record
from nps.core.outbox import queue_mail
from nps.organisations.models import Organisation


class InvitationNotSent(Exception):
    """The invitation was refused, and nothing of it was kept; the message says why."""


class InvitationLimitReached(InvitationNotSent):
    """Too many invitations to the address, or from the sender, within the window (see throttling)."""


class InvitationUnusable(Exception):
    """The invitation cannot be used: it was accepted, or it expired, or its account was created, a moment ago."""


def roles_for(organisation: Organisation) -> list[Role]:
    return [Role.GROUP_LEAD] if organisation.is_group else [Role.EDITOR, Role.APPROVER, Role.VIEWER]


@transaction.atomic
def invite_person(organisation: Organisation, email: str, role: str, *, by: User) -> Invitation:
    """Create a single-use invitation and put the email with its link in the outbox."""
    email = email.strip().lower()
    refusal = throttling.count_invitation(email, organisation.pk, by.pk)
    if refusal:
        raise InvitationLimitReached(refusal)
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token_hash=hash_token(token), invited_by=by
    )
    record(
        "invitation_sent",
        f"Invited {invitation.email} as {invitation.get_role_display()}",
        by=by,
        organisation=organisation,
    )
    send_invitation_email(invitation, token)
    return invitation


def send_invitation_email(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    context = {"invitation": invitation, "link": link, "site_url": settings.SITE_URL}
    queue_mail(
        f"You are invited to the NPS toolkit for {invitation.organisation.name}",
        render_to_string("accounts/email/invitation.txt", context),
        invitation.email,
    )


def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def accept_invitation(invitation: Invitation, *, by: User) -> Membership:
    """Give the person the invited role; the link cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationUnusable("This invitation has already been used or has expired.")
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
def create_account_from_invitation(invitation: Invitation, *, first_name: str, last_name: str, password: str) -> User:
    """Create the account the invitation was sent to and accept the invitation with it: both, or neither."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
    except IntegrityError as error:
        raise InvitationUnusable(f"An account for {invitation.email} was created a moment ago.") from error
    record("account_created", f"Created the account {user.email}", by=user, organisation=invitation.organisation)
    accept_invitation(invitation, by=user)
    return user


@transaction.atomic
def remove_member(membership: Membership, *, by: User) -> None:
    record(
        "member_removed",
        f"Removed {membership.user.email} ({membership.get_role_display()})",
        by=by,
        organisation=membership.organisation,
    )
    membership.delete()


@transaction.atomic
def create_api_token(user: User, name: str) -> str:
    """Create a token for the person, who asked for it, and return it: this is the only time its value is shown."""
    token = new_token()
    created = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(token), prefix=token[:8])
    record("api_token_created", f"{user.email} created the API token {created}", by=user)
    return token


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: User) -> None:
    """The token stops working at once."""
    token.delete()
    record("api_token_revoked", f"{by.email} revoked the API token {token}", by=by)


@transaction.atomic
def carry_over_members(predecessor: Organisation, successors: list[Organisation], *, by: User | None) -> int:
    """After a reorganisation, everyone at the abolished predecessor moves to each successor in the same role (unless
    they already have one there), for the successor's editors to decide who keeps access; their API tokens stop
    working, since they acted for a council that no longer exists. Returns how many people moved."""
    memberships = list(Membership.objects.filter(organisation=predecessor).select_related("user"))
    for successor in successors:
        Membership.objects.bulk_create(
            [Membership(user=m.user, organisation=successor, role=m.role) for m in memberships],
            ignore_conflicts=True,
        )
    users = [membership.user for membership in memberships]
    revoked, _ = ApiToken.objects.filter(user__in=users).delete()
    Membership.objects.filter(organisation=predecessor).delete()
    if memberships:
        names = ", ".join(successor.name for successor in successors)
        record(
            "members_carried_over",
            f"{len(users)} people moved from {predecessor.name}, abolished, to {names}; {revoked} API tokens revoked",
            by=by,
            organisation=predecessor,
        )
    return len(users)


@transaction.atomic
def create_account_for_single_sign_on(email: str, invitation: Invitation, *, first_name: str, last_name: str) -> User:
    """The account an invitation was sent to, for someone whose organisation's identity provider vouched for the
    address: no password (they sign in through the provider), and no role until they accept the invitation."""
    user = User.objects.create_user(email, None, first_name=first_name[:150], last_name=last_name[:150])
    record(
        "account_created",
        f"Created the account {user.email} on signing in with the organisation's account",
        by=user,
        organisation=invitation.organisation,
    )
    return user
