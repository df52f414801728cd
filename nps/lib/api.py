"""Helpers every API router shares: bounded input, form validation answered as Ninja answers its own 422s, and
refusals as 400."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, ConfigDict, field_validator

from nps.lib.bounds import LARGEST_INTEGER

Location = tuple[str | int, ...]

# A database id in a path or query: a bigger number than any id is bad input (422), never a database error.
Id = Annotated[int, Field(ge=1, le=LARGEST_INTEGER)]


class Detail(Schema):
    detail: str


class Problem(Schema):
    """One entry of a 422 answer: where in the request (`body`, `query`, `path`, then field names) and what is wrong."""

    type: str
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: list[Problem]


class Input(BaseModel):
    """A request body: a JSON object with only the documented fields; anything else is bad input (422). Not a Ninja
    Schema, which reads any value's attributes, so a list or a single value would pass as an object that gives none of
    the fields, and unknown fields would be ignored: a body of the wrong shape would change nothing and answer 200."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def times_in_utc(cls, value: Any) -> Any:
        return in_utc(value) if isinstance(value, datetime.datetime) else value

    def dict(self, **options: Any) -> dict[str, Any]:  # type: ignore[override]  # as Ninja's Schema has it
        return self.model_dump(**options)


def in_utc(moment: datetime.datetime) -> datetime.datetime:
    """A time as UTC, one without a UTC offset being UK time. Python allows offsets up to a day, PostgreSQL up to 16
    hours, and a time near year 1 or 9999 may not be one in UTC: either is bad input, never a database error."""
    try:
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)).astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("This time is too far from today to be saved") from None


class Pages(LimitOffsetPagination):
    """Ninja's limit and offset, each at most half the largest integer, so a page never ends past what the database
    can count: a bigger number is bad input (422)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=LARGEST_INTEGER // 2)
        offset: int = Field(0, ge=0, le=LARGEST_INTEGER // 2)


def anyone(request: HttpRequest) -> bool:
    """The last of an operation's authenticators where the public may call it too."""
    return True


def problem(location: Location, message: str, where: str = "body") -> dict[str, Any]:
    """One entry of a 422 answer, placed in the request as Ninja places its own."""
    return {"type": "value_error", "loc": [where, *(["payload"] if where == "body" else []), *location], "msg": message}


def validated(form: forms.BaseForm, locations: dict[str, Location] | None = None) -> dict[str, Any]:
    """The form's cleaned data, or a 422 listing each of its errors at the JSON field it came from."""
    if form.is_valid():
        return form.cleaned_data
    locations = {NON_FIELD_ERRORS: (), **(locations or {})}
    raise ValidationError(
        [
            problem(locations.get(field, (field,)), str(message))
            for field, messages in form.errors.items()
            for message in messages
        ]
    )


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """A web form's data from JSON values: null as an empty field, dates as the GOV.UK day, month and year boxes."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, datetime.date):
            data.update({f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year})
        else:
            data[name] = "" if value is None else value
    return data


@contextmanager
def refused(*errors: type[Exception]) -> Iterator[None]:
    """A service's refusal of a change the data is not in a state for becomes 400 with the service's message."""
    try:
        yield
    except errors as error:
        raise HttpError(400, str(error)) from error
