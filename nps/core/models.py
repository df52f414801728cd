from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from nps.lib.caching import renew


class AuditEvent(models.Model):
    """A record of who did what, and when, for changes that matter to an organisation or the national team."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    action = models.CharField(max_length=60)
    description = models.TextField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.description}"


def record(action: str, description: str, *, by: Any, organisation: Any = None) -> AuditEvent:
    """The audit record of a change; a change to an organisation's data also renews what is cached from it."""
    if organisation is not None:
        organisation_changed(organisation.pk)
    return AuditEvent.objects.create(action=action, description=description, actor=by, organisation=organisation)


def organisation_scope(organisation_id: int) -> str:
    """The generation (nps.lib.caching) of everything an organisation records: its returns, answers and actions."""
    return f"organisation:{organisation_id}"


def organisation_changed(organisation_id: int) -> None:
    renew(organisation_scope(organisation_id))


class EmailStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingEmail(models.Model):
    """One email in the outbox (nps.core.outbox): written in the transaction of the change it tells of, sent by the
    `nps send_email` worker, and kept with what happened to it."""

    to = models.JSONField(help_text="The addresses it goes to.")
    subject = models.CharField(max_length=998)
    body = models.TextField()
    from_email = models.CharField(max_length=254)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The worker asks for what is waiting and due, oldest first.
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)}: {self.get_status_display()}"
