import datetime
from typing import Any

from django import forms
from django.utils import timezone

from nps.core.forms import DateField, GovukForm

EMBARGO_TIME = datetime.time(9, 30)


class PublishForm(GovukForm):
    embargo_date = DateField(
        label="Embargo: public from (optional)",
        required=False,
        help_text="The results become public at 9:30am on this day. Leave it blank to publish them now.",
    )

    def clean_embargo_date(self) -> datetime.date | None:
        day = self.cleaned_data.get("embargo_date")
        if day and embargo_at(day) <= timezone.now():
            raise forms.ValidationError(
                f"The embargo must be in the future: 9:30am on {day:%-d %B %Y} has passed. "
                "Leave it blank to publish now"
            )
        return day

    def embargo_until(self) -> datetime.datetime | None:
        day = self.cleaned_data["embargo_date"]
        return embargo_at(day) if day else None


def embargo_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, EMBARGO_TIME))


class CompareForm(GovukForm):
    compare = forms.TypedChoiceField(label="Compare with", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = [("", "No earlier round"), *[(r.pk, r.name) for r in rounds]]  # type: ignore[attr-defined]
