"""Emails about connection requests.

Every email is plain text, put in the outbox (nps.core.outbox) in the change's transaction, and carries a link to
the recipient's own email preferences page in accounts (signed, so it works without signing in, also for exemplar
contacts who have no account) and the same link as a List-Unsubscribe header. Each address's choice to receive them
is kept there too (nps.accounts.preferences), as "connection_emails".
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from nps.accounts.models import User
from nps.accounts.preferences import normalised, preferences_url, without
from nps.community.models import ConnectionRequest, ConnectionStatus, ExemplarOffer
from nps.community.queries import index_titles
from nps.core.outbox import queue


@dataclass(frozen=True)
class Notice:
    """One email to one address: the template under community/email/ and what it needs."""

    to: str
    subject: str
    template: str
    context: dict[str, object] = field(default_factory=dict)


# Sending -------------------------------------------------------------------------------------------------------------


def message_for(notice: Notice) -> EmailMessage:
    unsubscribe = preferences_url(notice.to)
    context = {**notice.context, "preferences_url": unsubscribe, "site_url": settings.SITE_URL}
    return EmailMessage(
        subject=notice.subject,
        body=render_to_string(f"community/email/{notice.template}", context),
        to=[notice.to],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )


def send_notices(notices: list[Notice]) -> None:
    """Put in the outbox each notice whose address still wants these emails."""
    opted_out = without([notice.to for notice in notices], "connection_emails")
    for notice in notices:
        if normalised(notice.to) not in opted_out:
            queue(message_for(notice))


# What each change says to whom ---------------------------------------------------------------------------------------


def request_context(request: ConnectionRequest) -> dict[str, object]:
    offer = ExemplarOffer.objects.filter(organisation=request.exemplar, index_code=request.index_code).first()
    return {
        "request": request,
        "offer": offer,
        "index_title": index_titles([request.index_code]).get(request.index_code, request.index_code),
        "requester_user": request.created_by,
        "requests_url": settings.SITE_URL + reverse("community:council", args=[request.requester.gss_code]),
        "exemplar_url": settings.SITE_URL + reverse("community:council", args=[request.exemplar.gss_code]),
        "connection_url": settings.SITE_URL + reverse("community:connection", args=[request.pk]),
    }


def requester_address(request: ConnectionRequest) -> str | None:
    return request.created_by.email if request.created_by else None


def contact_address(context: dict[str, object]) -> str | None:
    offer = context["offer"]
    return offer.contact_email if isinstance(offer, ExemplarOffer) else None


def national_addresses() -> list[str]:
    return list(User.objects.filter(is_national_admin=True, is_active=True).values_list("email", flat=True))


def requested_notices(request: ConnectionRequest) -> list[Notice]:
    """Both sides and the national team hear of a new request."""
    context = request_context(request)
    about = f"{request.requester.name} and {request.exemplar.name}"
    notices = [
        Notice(address, f"Request to connect {about}", "connection_national.txt", context)
        for address in national_addresses()
    ]
    if exemplar := contact_address(context):
        subject = f"{request.requester.name} would like to learn from you"
        notices.append(Notice(exemplar, subject, "connection_exemplar.txt", context))
    if requester := requester_address(request):
        subject = f"You asked to be connected with {request.exemplar.name}"
        notices.append(Notice(requester, subject, "connection_requester.txt", context))
    return notices


def decision_notices(request: ConnectionRequest) -> list[Notice]:
    """Connected and closed requests are told to both sides; a declined one to the council that asked."""
    context = request_context(request)
    pair = f"{request.requester.name} and {request.exemplar.name}"
    subject = {
        ConnectionStatus.CONNECTED: f"You are connected: {pair}",
        ConnectionStatus.DECLINED: f"Your request to be connected with {request.exemplar.name} was declined",
    }.get(ConnectionStatus(request.status), f"Request closed: {pair}")
    addresses = [requester_address(request)]
    if request.status != ConnectionStatus.DECLINED:
        addresses.append(contact_address(context))
    template = f"connection_{request.status}.txt"
    return [Notice(address, subject, template, context) for address in addresses if address]
