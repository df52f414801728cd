from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nps.home.tasks import sections_for


def home(request: HttpRequest) -> HttpResponse:
    """The public landing page; signed in, what waits for this person, the next step first."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    sections = sections_for(request.user)  # type: ignore[arg-type]
    return render(request, "home/home.html", {"next": sections[0] if sections else None, "rest": sections[1:]})
