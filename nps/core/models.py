from typing import Any

from django.conf import settings
from django.db import models

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
