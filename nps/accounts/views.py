from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts import services, single_sign_on, throttling, two_factor
from nps.accounts.forms import (
    ApiTokenForm,
    CreateAccountForm,
    EmailPreferencesForm,
    InvitePersonForm,
    NewPasswordForm,
    SignInForm,
)
from nps.accounts.models import Invitation, Membership, User
from nps.accounts.permissions import AuthenticatedRequest, can_manage_people, get_organisation_for_user
from nps.accounts.preferences import choices, email_from_token, set_preferences
from nps.lib.client_address import client_address


class SignInView(LoginView):
    """The password; then, for someone who has set up a second factor, the code page signs them in."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **single_sign_on.offered()}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.is_set_up(user):
            return super().form_valid(form)
        two_factor.wait_for_code(self.request, user, self.get_success_url())
        return redirect("accounts:sign_in_code")


class ChooseNewPasswordView(PasswordResetConfirmView):
    """The page an emailed reset link opens; a new password lifts any refusal to sign in from here."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        throttling.password_changed(form.user.email, client_address(self.request))
        return super().form_valid(form)


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/account.html", {"memberships": memberships})


@login_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if form.is_valid():
        new_token = services.create_api_token(request.user, form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def revoke_api_token(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    services.revoke_api_token(token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:api_tokens")


@login_required
def team(request: AuthenticatedRequest, gss_code: str) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code)
    manager = can_manage_people(request.user, organisation)
    form = InvitePersonForm(request.POST or None, roles=services.roles_for(organisation))
    if request.method == "POST" and manager and form.is_valid():
        try:
            services.invite_person(organisation, form.cleaned_data["email"], form.cleaned_data["role"], by=request.user)
        except services.InvitationNotSent as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("accounts:team", gss_code=gss_code)
    context = {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("user"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True).select_related("invited_by"),
        "form": form if manager else None,
        "can_manage": manager,
    }
    return render(request, "accounts/team.html", context)


@login_required
@require_POST
def remove_member(request: AuthenticatedRequest, gss_code: str, membership_id: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, gss_code)
    if not can_manage_people(request.user, organisation):
        return redirect("accounts:team", gss_code=gss_code)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    services.remove_member(membership, by=request.user)
    messages.success(request, f"{membership.user} no longer has access to {organisation.name}.")
    return redirect("accounts:team", gss_code=gss_code)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_invitation(token)
    if found is None or not found.is_usable:
        return render(request, "accounts/invitation_unusable.html", {"invitation": found}, status=410 if found else 404)
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=found.email).exists()
    form = CreateAccountForm(request.POST or None, email=found.email) if user is None and not existing else None
    try:
        if request.method == "POST" and user is not None:
            services.accept_invitation(found, by=user)
            return joined(request, found)
        if form is not None and form.is_valid():
            user = services.create_account_from_invitation(found, **form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return joined(request, found)
    except services.InvitationUnusable:
        return redirect(request.path)  # someone used it a moment ago: the page now says what happened
    context = {"invitation": found, "form": form, "existing": existing, **single_sign_on.offered()}
    return render(request, "accounts/invitation.html", context)


def joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, f"You now have access to {invitation.organisation.name}.")
    return redirect("home")


def email_preferences(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the signed token in the email's link says whose choice it is."""
    email = email_from_token(token)
    if email is None:
        raise Http404("No such link")
    return preferences_page(request, email, by=None)


@login_required
def account_email_preferences(request: AuthenticatedRequest) -> HttpResponse:
    return preferences_page(request, request.user.email, by=request.user)


def saved_message(*, reminders: bool, connections: bool, assurance: bool) -> str:
    reminding = "will" if reminders else "will not"
    emailing = "will" if connections else "will not"
    returns = "will" if assurance else "will not"
    return (
        f"We {reminding} remind you before deadlines. We {emailing} email you about connection requests. "
        f"We {returns} email you about your returns' sign-off, reviews, validation and queries."
    )


def preferences_page(request: HttpRequest, email: str, *, by: User | None) -> HttpResponse:
    """Reading the page changes nothing; a POST saves every choice, and one with nothing ticked stops them all (so it
    is bound on the method: an empty POST is falsy)."""
    initial = {"emails": [kind for kind, wanted in choices(email).items() if wanted]}
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ticked = set(form.cleaned_data["emails"])
        reminders, connections = "round_reminders" in ticked, "connection_emails" in ticked
        assurance = "assurance_emails" in ticked
        set_preferences(
            email, round_reminders=reminders, connection_emails=connections, assurance_emails=assurance, by=by
        )
        messages.success(request, saved_message(reminders=reminders, connections=connections, assurance=assurance))
        return redirect(request.path)
    return render(request, "accounts/email_preferences.html", {"email": email, "form": form})
