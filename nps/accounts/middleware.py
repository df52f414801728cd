"""What every page checks of the person signed in: their second factor, and where they are signed in.

Neither touches requests with an API token: the API reads the token after the middleware, so such a request has no
signed-in user here, and integrations keep working whatever the account's second factor."""

from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from nps.accounts import sessions, two_factor

CHECKED_KEY = "two_factor_checked"


class TwoFactorMiddleware:
    """A session signed in without the second factor its person has set up (through a way in that does not ask for
    one) is signed out; someone who must use a second factor and has not set one up can reach only its set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or two_factor.is_verified(request):
            return self.get_response(request)
        if not request.session.get(CHECKED_KEY):
            if two_factor.is_set_up(user):  # type: ignore[arg-type]
                logout(request)
                return redirect_to_login(request.get_full_path())
            request.session[CHECKED_KEY] = True  # once a session: its person had no second factor to ask for
        allowed = {reverse("accounts:two_factor_setup"), reverse("logout")}
        if request.path not in allowed and two_factor.is_required(user):  # type: ignore[arg-type]
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)


class SignedInSessionMiddleware:
    """Notes each signed-in session's browser, address and time (at most once a minute), for the sessions page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            sessions.note_seen(request, request.user)  # type: ignore[arg-type]
        return self.get_response(request)
