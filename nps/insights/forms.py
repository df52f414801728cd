import datetime
from typing import Any

from django import forms
from django.utils import timezone

from nps.core.forms import DateField


class PublishForm(forms.Form):
    embargo_date = DateField(label="Public from", help_text="The results become public at 9:30am on this day.")

    def embargo_until(self) -> datetime.datetime:
        day = self.cleaned_data["embargo_date"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


class CompareForm(forms.Form):
    compare = forms.TypedChoiceField(label="Compare with", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = [("", "No earlier round"), *[(r.pk, r.name) for r in rounds]]  # type: ignore[attr-defined]
