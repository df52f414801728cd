"""Helpers every API router shares: form validation answered as Ninja answers its own 422s, and refusals as 400."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from ninja import Schema
from ninja.errors import HttpError, ValidationError

Location = tuple[str | int, ...]


class Detail(Schema):
    detail: str


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
