"""Each email address chooses whether it gets emails about connection requests, through the signed link in them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nps.community.forms import PreferencesForm
from nps.community.notifications import email_from_token, set_connection_emails, wants_connection_emails


def email_preferences(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the signed token in the email's link says whose choice it is. Only a POST changes it."""
    email = email_from_token(token)
    if email is None:
        raise Http404("No such link")
    current = "yes" if wants_connection_emails(email) else "no"
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial={"connection_emails": current})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["connection_emails"]
        set_connection_emails(email, wanted)
        messages.success(request, "We will email you about connection requests." if wanted else "We will not.")
        return redirect("community:email_preferences", token)
    return render(request, "community/email_preferences.html", {"email": email, "form": form})
