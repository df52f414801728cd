"""The forms of peer review, shared by its web pages and its API: asking, the reviewer's finding, resolving one."""

from typing import Any

from django import forms
from django.db.models import Q

from nps.assessments.forms import descriptors_of, level_field
from nps.assessments.models import Answer, PeerReview, Verdict
from nps.assessments.reviews import CHOOSE_A_LEVEL, OWN_COUNCIL, SAY_WHY, reviewing_councils, similar_councils
from nps.core.forms import GovukForm
from nps.frameworks.models import Index
from nps.organisations.models import Organisation

COMMENT_LENGTH = 2000


WHICH_COUNCIL = "Which council should review your return"
CHOOSE_A_COUNCIL = "Choose the council that should review your return"
ENTER_A_COUNCIL = "Enter the name or GSS code of the council that should review your return"
NOT_YOUR_OWN = "Choose a current council other than your own"
ANOTHER_COUNCIL = "another"
MATCHES_NAMED = 5


class ReviewerForm(GovukForm):
    """The reviewer's email address and the indices they review: what asking for a review takes besides the council."""

    email = forms.EmailField(
        label="Reviewer's email address",
        max_length=PeerReview._meta.get_field("reviewer_email").max_length,
        help_text="Someone at that council. If they do not use the toolkit yet, they get an invitation to join.",
        error_messages={"required": "Enter the reviewer's email address"},
    )
    indices = forms.ModelMultipleChoiceField(
        label="Which indices should they review",
        queryset=Index.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only answered indices can be reviewed.",
        error_messages={"required": "Choose at least one index"},
    )

    def __init__(self, *args: Any, indices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indices"].queryset = indices  # type: ignore[attr-defined]


class ReviewRequestForm(ReviewerForm):
    """Asking for a review through the API: the reviewing council by its GSS code."""

    reviewing_organisation = forms.ModelChoiceField(
        label=WHICH_COUNCIL,
        queryset=Organisation.objects.none(),
        to_field_name="gss_code",
        error_messages={"required": CHOOSE_A_COUNCIL, "invalid_choice": NOT_YOUR_OWN},
    )
    field_order = ["reviewing_organisation", "email", "indices"]

    def __init__(self, *args: Any, organisation: Organisation, indices: Any, **kwargs: Any) -> None:
        super().__init__(*args, indices=indices, **kwargs)
        self.fields["reviewing_organisation"].queryset = reviewing_councils(organisation)  # type: ignore[attr-defined]


class AskForReviewForm(ReviewerForm):
    """Asking for a review on the web page: one of a few councils like this one, or any other current council by its
    name or GSS code. Typing a name chooses another council, so the form works the same without JavaScript; a GSS
    code sent as the choice is looked up like a typed one, so a council suggested a moment ago still counts."""

    reviewing_organisation = forms.CharField(
        label=WHICH_COUNCIL,
        widget=forms.RadioSelect,
        help_text="Councils like yours: the same type, in the same region, nearest in population.",
        error_messages={"required": CHOOSE_A_COUNCIL},
    )
    council = forms.CharField(
        label="The council's name or GSS code",
        required=False,
        max_length=250,
        help_text="For example, Wigan or E08000010.",
    )
    field_order = ["reviewing_organisation", "council", "email", "indices"]

    def __init__(self, data: Any = None, *, organisation: Organisation, indices: Any, **kwargs: Any) -> None:
        if data is not None and str(data.get("council", "")).strip() and not data.get("reviewing_organisation"):
            data = data.copy()
            data["reviewing_organisation"] = ANOTHER_COUNCIL
        super().__init__(data, indices=indices, **kwargs)
        self.organisation = organisation
        self.suggestions = similar_councils(organisation)
        choices = [(council.gss_code, council.name) for council in self.suggestions]
        self.fields["reviewing_organisation"].widget.choices = [*choices, (ANOTHER_COUNCIL, "Another council")]  # type: ignore[attr-defined]
        if not self.suggestions:  # the name or code is the only way to choose, and the page shows only its box
            self.fields["reviewing_organisation"].required = False
            self.fields["council"].label = WHICH_COUNCIL

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reviewing_organisation" in self.errors or "council" in self.errors:
            return data
        choice = data.get("reviewing_organisation") or ANOTHER_COUNCIL
        typed = choice == ANOTHER_COUNCIL
        try:
            data["reviewing_organisation"] = council_called(self.organisation, data["council"] if typed else choice)
        except forms.ValidationError as error:
            self.add_error("council" if typed else "reviewing_organisation", error)
        return data


def council_called(organisation: Organisation, text: str) -> Organisation:
    """The current council other than the organisation whose GSS code or name this is: in full, or failing that in
    part. A ValidationError says when that is the organisation itself, no council, or more than one."""
    text = text.strip()
    if not text:
        raise forms.ValidationError(ENTER_A_COUNCIL)
    councils, itself = reviewing_councils(organisation), Organisation.objects.filter(pk=organisation.pk)
    in_full = Q(gss_code__iexact=text) | Q(name__iexact=text) | Q(official_name__iexact=text)
    for matching in [councils.filter(in_full), itself.filter(in_full), councils.search(text), itself.search(text)]:
        found = list(matching[: MATCHES_NAMED + 1])
        if found:
            return only_council(organisation, text, found)
    raise forms.ValidationError(f"No current council has the name or GSS code “{text}”: check the spelling")


def only_council(organisation: Organisation, text: str, found: list[Organisation]) -> Organisation:
    if found[0] == organisation:
        raise forms.ValidationError(OWN_COUNCIL)
    if len(found) == 1:
        return found[0]
    named = ", ".join(f"{council.name} ({council.gss_code})" for council in found[:MATCHES_NAMED])
    others = " and others" if len(found) > MATCHES_NAMED else ""
    raise forms.ValidationError(
        f"More than one council matches “{text}”: {named}{others}. Enter the full name or the GSS code"
    )


class FindingForm(GovukForm):
    """The reviewer's finding on one index: agree, or a different level and why."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label="Do you agree with the council's current level?",
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you agree with the council's current level"},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you suggest a different level: what the council should look at. The council's editors "
        "read it.",
    )

    def __init__(self, *args: Any, answer: Answer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.fields["suggested_level"] = level_field(
            "The level you suggest",
            descriptors_of(answer.index.statements.all()[0]),
            help_text="Only if you suggest a different level.",
            choices=answer.index.version.scale.choices(),
        )
        self.order_fields(["version", "verdict", "suggested_level", "comment"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") != Verdict.DIFFERENT_LEVEL:
            data["suggested_level"] = None
            return data
        level = data.get("suggested_level")
        if level is None:
            self.add_error("suggested_level", CHOOSE_A_LEVEL)
        elif level == self.answer.current_level and not self.answer.not_applicable:
            current = self.answer.index.version.scale.name(level)
            self.add_error("suggested_level", f"The council's level is {current}: choose another, or agree with it")
        if not data.get("comment", "").strip():
            self.add_error("comment", SAY_WHY)
        return data


class ResolutionForm(GovukForm):
    resolution = forms.CharField(
        label="What did the council do about this suggestion?",
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, “Changed the level to Leader” or why the council kept its level.",
        error_messages={"required": "Say what the council did about this suggestion"},
    )
