"""Signing in with the account a person's organisation gives them (Microsoft Entra ID, Google and other OpenID Connect
identity providers), through mozilla-django-oidc. Off unless OIDC_CLIENT_ID is set (see docs/settings.md).

The provider vouches for an email address, nothing more: it signs in the account with that address, or, when an
invitation was sent to it, creates that account, without a role (the invitation's link then gives the role, as it
does to anyone). Nobody gains a role by signing in, and an address nobody invited gets no account."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from nps.accounts import services, two_factor
from nps.accounts.models import Invitation, User

NO_ACCOUNT = (
    "You could not be signed in with your organisation's account. If you have no account here, or your invitation "
    "was sent to another email address, ask your council's procurement lead or the national team for an invitation."
)


def offered() -> dict[str, Any]:
    """What the sign-in and invitation pages need to offer single sign-on, when it is on."""
    return {"single_sign_on": settings.SINGLE_SIGN_ON, "single_sign_on_name": settings.SINGLE_SIGN_ON_NAME}


class SingleSignOnBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """An email address is needed to find the account; one the provider says it has not verified is refused, and
        so is one outside OIDC_EMAIL_DOMAINS, when set: a provider may vouch only for its own organisations."""
        email = str(claims.get("email") or "").strip().lower()
        domains = settings.OIDC_EMAIL_DOMAINS
        allowed = not domains or email.rpartition("@")[2] in domains
        return bool(email) and allowed and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=claims["email"].strip())

    def create_user(self, claims: dict[str, Any]) -> User | None:
        email = claims["email"].strip().lower()
        invitation = Invitation.objects.filter(
            email__iexact=email, accepted_at=None, expires_at__gt=timezone.now()
        ).first()
        if invitation is None:
            return None
        names = {"first_name": claims.get("given_name", ""), "last_name": claims.get("family_name", "")}
        return services.create_account_for_single_sign_on(email, invitation, **names)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider."""


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back to. Someone who has set up a second factor is asked for it
    here too, as after a password."""

    def login_success(self) -> HttpResponse:
        if not two_factor.is_set_up(self.user):
            return super().login_success()
        two_factor.wait_for_code(self.request, self.user, self.success_url)
        return redirect("accounts:sign_in_code")

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, NO_ACCOUNT)
        return redirect("login")


def start(request: HttpRequest) -> HttpResponse:
    if not settings.SINGLE_SIGN_ON:
        raise Http404("Single sign-on is not turned on")
    return StartView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    if not settings.SINGLE_SIGN_ON:
        raise Http404("Single sign-on is not turned on")
    return CallbackView.as_view()(request)
