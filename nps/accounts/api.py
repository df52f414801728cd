from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from nps.accounts.models import ApiToken, User, hash_token
from nps.lib.api import anyone

router = Router(tags=["Account"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token from the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


# Where the public may call an operation too: a token or session, when given, adds what its holder may see.
OPTIONAL_AUTH = [TokenAuth(), django_auth, anyone]


class MembershipOut(Schema):
    organisation_gss_code: str
    organisation_name: str
    role: str


class MeOut(Schema):
    email: str
    name: str
    is_national_admin: bool
    is_demo: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The signed-in person and their roles")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    memberships = [
        MembershipOut(organisation_gss_code=m.organisation.gss_code, organisation_name=m.organisation.name, role=m.role)
        for m in user.memberships.select_related("organisation")
    ]
    return MeOut(
        email=user.email,
        name=user.get_full_name(),
        is_national_admin=user.is_national_admin,
        is_demo=user.is_demo,
        memberships=memberships,
    )
