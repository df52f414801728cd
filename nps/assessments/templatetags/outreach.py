"""The invitations page's list of messages sent, written here rather than in a template: a page lists 50
organisations, each with every invitation and reminder sent to it."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from nps.assessments.models import RoundMessage

register = template.Library()


@register.simple_tag
def messages_sent(messages: list[RoundMessage]) -> SafeString | str:
    """What went to whom and when, one message a line, whether it is still waiting or failed, and when a contact
    joined through their sign-up link."""
    if not messages:
        return "Nothing yet"
    lines = (
        (message.label, message.email, moment(message.sent_at), DELIVERY_NOTES[message.delivery], joined(message))
        for message in messages
    )
    return format_html_join(mark_safe("<br>"), "{} to {}, {}{}{}", lines)


DELIVERY_NOTES = {"sent": "", "waiting": " (waiting to be sent)", "failed": " (failed: not sent)"}


def moment(at: datetime.datetime) -> str:
    """As the template's date filter with "j M Y H:i" writes it, in the site's time zone."""
    local = timezone.localtime(at)
    return f"{local.day} {local:%b %Y %H:%M}"


def joined(message: RoundMessage) -> str:
    if message.invitation is None or message.invitation.accepted_at is None:
        return ""
    day = timezone.localtime(message.invitation.accepted_at)
    return f" (joined {day.day} {day:%b %Y})"
