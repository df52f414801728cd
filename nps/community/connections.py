"""Named changes to connection requests; each runs in a transaction, writes the audit trail and, once committed,
emails both sides (and, for a new request, the national team)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from nps.accounts.models import User
from nps.community.models import ConnectionRequest, ConnectionStatus, ExemplarOffer
from nps.community.notifications import decision_notices, requested_notices, send_notices
from nps.core.models import record
from nps.organisations.models import Organisation

DECISIONS = {
    "connect": ConnectionStatus.CONNECTED,
    "decline": ConnectionStatus.DECLINED,
    "close": ConnectionStatus.CLOSED,
}
ALLOWED = {
    ConnectionStatus.REQUESTED: {ConnectionStatus.CONNECTED, ConnectionStatus.DECLINED, ConnectionStatus.CLOSED},
    ConnectionStatus.CONNECTED: {ConnectionStatus.CLOSED},
}


class RequestRefused(Exception):
    """A connection request, or a decision on one, that is not possible in its current state."""


@transaction.atomic
def request_connection(
    requester: Organisation, offer: ExemplarOffer, *, message: str, by: User | None
) -> ConnectionRequest:
    """Ask the national team to connect the council with an exemplar that offers help in the index."""
    if not offer.active:
        raise RequestRefused(f"{offer.organisation.name} no longer offers help in this index.")
    if offer.organisation_id == requester.pk:
        raise RequestRefused("A council cannot ask to be connected with itself.")
    already = ConnectionRequest.objects.filter(
        requester=requester, exemplar=offer.organisation, index_code=offer.index_code, status__in=ALLOWED
    )
    if already.exists():
        raise RequestRefused(f"You have already asked to be connected with {offer.organisation.name} in this index.")
    try:
        with transaction.atomic():
            request = ConnectionRequest.objects.create(
                requester=requester,
                exemplar=offer.organisation,
                index_code=offer.index_code,
                message=message,
                created_by=by,
            )
    except IntegrityError as error:  # someone at the council asked at the same moment
        raise RequestRefused(f"You have already asked to be connected with {offer.organisation.name}.") from error
    record(
        "connection_requested",
        f"Asked to be connected with {offer.organisation.name} in {offer.index_code}",
        by=by,
        organisation=requester,
    )
    send_notices(requested_notices(request))
    return request


@transaction.atomic
def decide_connection(request: ConnectionRequest, decision: str, *, note: str, by: User) -> ConnectionRequest:
    """The national team connects, declines or closes a request."""
    request = ConnectionRequest.objects.select_for_update().select_related("requester", "exemplar").get(pk=request.pk)
    status = DECISIONS.get(decision)
    if status is None:
        raise RequestRefused("Choose whether to connect, decline or close the request.")
    if status not in ALLOWED.get(ConnectionStatus(request.status), set()):
        current, wanted = request.get_status_display().lower(), status.label.lower()
        raise RequestRefused(f"This request is {current}: it cannot be marked {wanted}.")
    request.status, request.note, request.decided_by, request.decided_at = status, note, by, timezone.now()
    request.save(update_fields=["status", "note", "decided_by", "decided_at"])
    record(
        f"connection_{status}",
        f"{request.get_status_display()}: {request.requester.name} and {request.exemplar.name} in {request.index_code}",
        by=by,
        organisation=request.requester,
    )
    send_notices(decision_notices(request))
    return request
