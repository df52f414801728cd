"""Where people are signed in: each person's own sessions, and the national team's way to end all of an account's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nps.accounts import sessions
from nps.accounts.models import SignedInSession, User
from nps.accounts.permissions import AuthenticatedRequest


@login_required
def signed_in_sessions(request: AuthenticatedRequest) -> HttpResponse:
    current = request.session.session_key
    found = [
        (signed_in, sessions.browser_name(signed_in.user_agent), signed_in.session_id == current)
        for signed_in in sessions.sessions_of(request.user)
    ]
    others = sum(1 for _, _, is_current in found if not is_current)
    return render(request, "accounts/sessions.html", {"sessions": found, "others": others})


@login_required
@require_POST
def sign_out_session(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    signed_in = get_object_or_404(SignedInSession, pk=session_id, user=request.user)
    if signed_in.session_id == request.session.session_key:
        return redirect("logout")  # not reached from the page, which offers signing out here through the header
    sessions.sign_out_session(signed_in, by=request.user)
    messages.success(request, f"Signed out of {sessions.browser_name(signed_in.user_agent)}.")
    return redirect("accounts:sessions")


@login_required
@require_POST
def sign_out_other_sessions(request: AuthenticatedRequest) -> HttpResponse:
    ended = sessions.sign_out_other_sessions(request.user, str(request.session.session_key), by=request.user)
    messages.success(request, f"Signed out of {sessions.counted(ended, 'other session')}.")
    return redirect("accounts:sessions")


@login_required
def end_sessions(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """The national team signs an account out everywhere and revokes its API tokens, as when it may be in the wrong
    hands. The page says what will happen first."""
    if not request.user.is_national_admin:
        raise Http404("No such page")
    person = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        ended, tokens = sessions.end_all_sessions(person, by=request.user)
        ended_sessions, revoked = sessions.counted(ended, "session"), sessions.counted(tokens, "API token")
        messages.success(request, f"{person.email} is signed out of {ended_sessions}; {revoked} revoked.")
        return redirect("accounts:end_sessions", user_id=person.pk)
    context = {"person": person, "sessions": sessions.sessions_of(person), "tokens": person.api_tokens.count()}
    return render(request, "accounts/end_sessions.html", context)
