from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from nps.community.models import ConnectionStatus
from nps.community.queries import Eligibility
from nps.core.forms import GovukForm, WebAddressesField
from nps.frameworks.levels import LEVEL_CHOICES
from nps.frameworks.models import Index
from nps.organisations.models import COUNCIL_KINDS, Organisation, Region

MAX_LINKS = 20


def index_field(label: str, indices: list[Index], **options: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=[(index.code, index.title) for index in indices],
        widget=forms.CheckboxSelectMultiple,
        **options,
    )


class OfferForm(GovukForm):
    """Offer help as an exemplar in the chosen indices: each must be Leader or Innovator, or marked exemplary. Only
    those are offered; any other index is still known to the field, so that choosing it is refused with a message
    that says why."""

    contact_name = forms.CharField(
        label="Contact's name", max_length=150, error_messages={"required": "Enter the contact's name"}
    )
    contact_email = forms.EmailField(
        label="Contact's email address",
        help_text="Councils you are connected with will write to this address.",
        error_messages={"required": "Enter the contact's email address"},
    )
    note = forms.CharField(
        label="What you can share",
        max_length=1000,
        error_messages={"required": "Say what you can share"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences that councils will see beside your name: what you did and what you can share.",
    )

    def __init__(self, *args: Any, indices: list[Index], eligibility: dict[str, Eligibility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eligibility = eligibility
        self.titles = {index.code: index.title for index in indices}
        field = index_field(
            "Indices you offer help in",
            indices,
            error_messages={"required": "Choose at least one index"},
            help_text="Only the indices where your latest submitted level is Leader or Innovator, or where the "
            "national team has marked your council exemplary, are listed.",
        )
        field.widget.choices = [(index.code, index.title) for index in self.eligible_indices(indices)]
        field.choice_hints = {code: item.explanation for code, item in eligibility.items()}  # type: ignore[attr-defined]
        self.fields["indices"] = field
        self.order_fields(["indices", "contact_name", "contact_email", "note"])

    def eligible_indices(self, indices: list[Index]) -> list[Index]:
        return [index for index in indices if self.eligibility[index.code].eligible]

    @property
    def can_offer(self) -> bool:
        return bool(self.fields["indices"].widget.choices)  # type: ignore[attr-defined]

    def clean_indices(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["indices"]
        ineligible = [self.titles[code] for code in chosen if not self.eligibility[code].eligible]
        if ineligible:
            raise ValidationError(
                f"You cannot offer help in {', '.join(ineligible)}: your latest submitted level there is not Leader "
                "or Innovator, and the national team has not marked your council exemplary"
            )
        return chosen


class ConnectionRequestForm(GovukForm):
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you would like to learn. The exemplar and the national team will read it.",
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[])
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both councils see this note in the email about your decision.",
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("connect", "Connect them"), ("decline", "Decline"), ("close", "Close")]
        if status == ConnectionStatus.CONNECTED:
            choices = [("close", "Close")]
        self.fields["decision"].choices = choices  # type: ignore[attr-defined]
        self.fields["decision"].error_messages["required"] = "Choose a decision"


class MarkForm(GovukForm):
    gss_code = forms.CharField(label="The council's GSS code", max_length=20, help_text="For example, E07000117")
    index = forms.ChoiceField(label="Index")

    def __init__(self, *args: Any, indices: list[Index], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["index"].choices = [(index.code, index.title) for index in indices]  # type: ignore[attr-defined]

    def clean_gss_code(self) -> Organisation:
        code = self.cleaned_data["gss_code"].strip().upper()
        organisation = Organisation.objects.filter(gss_code=code).first()
        if organisation is None:
            raise ValidationError("No organisation has this GSS code")
        return organisation


class CaseStudyForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary", max_length=600, widget=forms.Textarea(attrs={"rows": 3}), help_text="One or two sentences."
    )
    body = forms.CharField(
        label="The case study",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text. Leave a blank line between paragraphs.",
    )
    organisation = forms.CharField(
        label="Council's GSS code (optional)",
        required=False,
        max_length=20,
        help_text="The council the case study is about, for example E07000117. Its type and region are used to "
        "filter the library.",
    )
    level_reached = forms.TypedChoiceField(
        label="Level reached (optional)",
        choices=LEVEL_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    links = WebAddressesField(label="Links (optional)", required=False, limit=MAX_LINKS)
    slug = forms.SlugField(
        label="Web address name (optional)",
        required=False,
        max_length=180,
        help_text="Lower-case words joined by hyphens. Left empty, it is made from the title.",
    )

    def __init__(self, *args: Any, indices: list[Index], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indices"] = index_field(
            "Indices it is about", indices, error_messages={"required": "Choose at least one index"}
        )
        self.order_fields(["title", "summary", "body", "indices", "level_reached", "organisation", "links", "slug"])

    def clean_organisation(self) -> Organisation | None:
        code = self.cleaned_data["organisation"].strip().upper()
        if not code:
            return None
        organisation = Organisation.objects.filter(gss_code=code).first()
        if organisation is None:
            raise ValidationError("No organisation has this GSS code")
        return organisation


class LibraryFilterForm(GovukForm):
    q = forms.CharField(label="Words", required=False, max_length=100)
    index = forms.ChoiceField(label="Index", required=False)
    level = forms.TypedChoiceField(
        label="Level reached",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any level"), *LEVEL_CHOICES],
    )
    kind = forms.ChoiceField(
        label="Council type",
        required=False,
        choices=[("", "All types"), *[(kind.value, kind.label) for kind in COUNCIL_KINDS]],
    )
    region = forms.ChoiceField(label="Region", required=False)

    def __init__(self, *args: Any, indices: list[Index], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["index"].choices = [("", "All indices"), *[(i.code, i.title) for i in indices]]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", "All regions"), *Region.objects.values_list("code", "name")]  # type: ignore[attr-defined]
