"""The pages of the second factor: entering a code while signing in, and setting it up, renewing recovery codes and
turning it off from the account (see nps.accounts.two_factor)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nps.accounts import two_factor
from nps.accounts.forms import RecoveryCodeForm, SetUpTwoFactorForm, TwoFactorCodeForm
from nps.accounts.permissions import AuthenticatedRequest


def sign_in_code(request: HttpRequest) -> HttpResponse:
    return code_page(request, recovery=False)


def sign_in_recovery_code(request: HttpRequest) -> HttpResponse:
    return code_page(request, recovery=True)


def code_page(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    """The second step of signing in, open only to someone whose password was right a few minutes ago."""
    waiting = two_factor.waiting_user(request)
    device = waiting and two_factor.device_for(waiting[0], recovery=recovery)
    if not waiting or not device:
        messages.info(request, "Sign in again: it has been more than 10 minutes since you entered your password.")
        return redirect("login")
    form_class = RecoveryCodeForm if recovery else TwoFactorCodeForm
    form = form_class(request.POST if request.method == "POST" else None, device=device)
    if form.is_valid():
        user, pending = waiting
        return redirect(two_factor.finish_sign_in(request, user, pending, device))
    template = "accounts/sign_in_recovery_code.html" if recovery else "accounts/sign_in_code.html"
    return render(request, template, {"form": form})


@login_required
def two_factor_status(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "is_set_up": two_factor.is_set_up(request.user),
        "is_required": two_factor.is_required(request.user),
        "codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Scan the QR code, or type the secret shown beside it, then prove the app has it with a code."""
    secret = two_factor.setup_secret(request)
    form = SetUpTwoFactorForm(request.POST if request.method == "POST" else None, secret=secret)
    if form.is_valid():
        device, codes = two_factor.turn_on(request.user, secret, by=request.user)
        two_factor.remember_device(request, device)
        del request.session[two_factor.SETUP_KEY]
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
    link = two_factor.setup_link(request.user, secret)
    context = {
        "form": form,
        "secret": two_factor.secret_as_text(secret),
        "qr_code": two_factor.qr_code(link),
        "is_required": two_factor.is_required(request.user) and not two_factor.is_set_up(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def new_recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    if not two_factor.is_set_up(request.user):
        return redirect("accounts:two_factor")
    codes = two_factor.replace_recovery_codes(request.user, by=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})


@login_required
@require_POST
def turn_off_two_factor(request: AuthenticatedRequest) -> HttpResponse:
    if two_factor.is_required(request.user):
        messages.error(request, "Your role needs two-factor authentication: it cannot be turned off.")
    elif two_factor.is_set_up(request.user):
        two_factor.turn_off(request.user, by=request.user)
        messages.success(request, "Two-factor authentication is off. You sign in with your password alone.")
    return redirect("accounts:two_factor")
