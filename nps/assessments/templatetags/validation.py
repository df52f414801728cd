"""Template helpers for the national team's queries, so that a page shows them without its view knowing."""

from django import template
from django.db.models import QuerySet

from nps.assessments import validation
from nps.assessments.models import Query, Return

register = template.Library()


@register.simple_tag
def open_queries(council_return: Return) -> QuerySet[Query]:
    """The questions about a return the council has still to answer."""
    return validation.open_queries(council_return)
