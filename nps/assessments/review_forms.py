"""The forms of peer review, shared by its web pages and its API: asking, the reviewer's finding, resolving one."""

from typing import Any

from django import forms

from nps.assessments.forms import descriptors_of, level_field
from nps.assessments.models import Answer, PeerReview, Verdict
from nps.assessments.reviews import CHOOSE_A_LEVEL, SAY_WHY, reviewing_councils
from nps.core.forms import GovukForm
from nps.frameworks.levels import Level
from nps.frameworks.models import Index
from nps.organisations.models import Organisation

COMMENT_LENGTH = 2000


class ReviewRequestForm(GovukForm):
    reviewing_organisation = forms.ModelChoiceField(
        label="Which council should review your return",
        queryset=Organisation.objects.none(),
        to_field_name="gss_code",
        empty_label="Choose a council",
        error_messages={
            "required": "Choose the council that should review your return",
            "invalid_choice": "Choose a current council other than your own",
        },
    )
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

    def __init__(self, *args: Any, organisation: Organisation, indices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewing_organisation"].queryset = reviewing_councils(organisation)  # type: ignore[attr-defined]
        self.fields["indices"].queryset = indices  # type: ignore[attr-defined]


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
            current = Level(level).label
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
