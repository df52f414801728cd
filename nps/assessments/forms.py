from typing import Any

from django import forms

from nps.assessments.models import ANSWER_FIELDS, Action, ActionStatus, Answer, Assurance, Confidence, ReturnStatus
from nps.assessments.outreach import REACH
from nps.assessments.rounds import NOBODY_INVITED
from nps.core.forms import DateField, GovukForm, GovukModelForm, WebAddressesField
from nps.frameworks.levels import LEVEL_CHOICES
from nps.frameworks.models import FrameworkVersion, Index, Statement
from nps.organisations.fields import OrganisationsField
from nps.organisations.models import COUNCIL_KINDS, GROUP_KINDS, Kind, Nation, Organisation, Region

EVIDENCE_MAX_LINKS = 20


def level_field(
    label: str,
    descriptors: dict[int, str],
    *,
    required: bool = False,
    help_text: str = "",
    choices: list[tuple[int, str]] = LEVEL_CHOICES,
) -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=help_text,
    )
    field.choice_hints = descriptors  # type: ignore[attr-defined]
    return field


def descriptors_of(statement: Statement) -> dict[int, str]:
    return {descriptor.level: descriptor.text for descriptor in statement.descriptors.all()}


def statement_field(statement: Statement) -> str:
    """The answer form's field for a statement's level, where an index has several statements."""
    return f"statement_{statement.pk}"


class AnswerForm(GovukForm):
    """The council's answer for one index. Every field may be left for later; submission checks completeness."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confidence = forms.ChoiceField(
        label="How confident are you in this level?",
        required=False,
        choices=Confidence.choices,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What shows the council is at this level: policies, reports, results.",
    )
    evidence_links = WebAddressesField(label="Links to evidence", required=False, limit=EVIDENCE_MAX_LINKS)
    not_applicable = forms.BooleanField(label="This index does not apply to our council", required=False)
    not_applicable_reason = forms.CharField(
        label="Why it does not apply", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_date = DateField(label="By when", required=False, help_text="For example, 31 3 2027")
    rationale = forms.CharField(
        label="Why this target",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, local priorities and the resources available.",
    )

    def __init__(self, *args: Any, index: Index, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = list(index.statements.all())
        choices = index.version.scale.choices()
        if len(self.statements) == 1:
            current = level_field("Current level", descriptors_of(self.statements[0]), choices=choices)
            self.fields["current_level"] = current
        else:
            for statement in self.statements:
                field = level_field(statement.text, descriptors_of(statement), choices=choices)
                self.fields[statement_field(statement)] = field
        self.fields["target_level"] = level_field("Target level", descriptors_of(self.statements[0]), choices=choices)
        self.order_fields(
            ["version", "current_level", *[statement_field(s) for s in self.statements], *ANSWER_FIELDS[1:]]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("not_applicable") and not data.get("not_applicable_reason", "").strip():
            self.add_error("not_applicable_reason", "Say why this index does not apply to your council")
        return data

    def answer_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {field: data[field] for field in ANSWER_FIELDS[1:]}
        if "current_level" in self.fields:
            values["current_level"] = data["current_level"]
        return values

    def statement_levels(self) -> dict[int, int]:
        return {
            s.pk: self.cleaned_data[statement_field(s)]
            for s in self.statements
            if len(self.statements) > 1 and self.cleaned_data.get(statement_field(s)) is not None
        }


def answer_initial(answer: Answer) -> dict[str, Any]:
    initial = {field: getattr(answer, field) for field in ["version", *ANSWER_FIELDS]}
    initial.update({f"statement_{level.statement_id}": level.level for level in answer.statement_levels.all()})
    return initial


class RoundForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, help_text="For example, 2027 diagnostic")
    framework_version = forms.ModelChoiceField(
        label="Framework version", queryset=FrameworkVersion.objects.none(), empty_label=None
    )
    opens_on = DateField(label="Opening date")
    deadline = DateField(label="Deadline")
    invited_kinds = forms.MultipleChoiceField(
        label="Which types of organisation are invited",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(kind.value, kind.label) for kind in Kind if kind in COUNCIL_KINDS or kind in GROUP_KINDS],
        initial=[kind.value for kind in COUNCIL_KINDS],
        help_text="Choose none to invite only the councils you name below.",
    )
    invited_nations = forms.MultipleChoiceField(
        label="Only those in these nations",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=Nation.choices,
        help_text="Choose none for both.",
    )
    invited_regions = forms.ModelMultipleChoiceField(
        label="Only those in these regions",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        queryset=Region.objects.all(),
        to_field_name="code",
        help_text="Choose none for every region.",
    )
    invited_groups = OrganisationsField(
        label="Only members of these groups",
        required=False,
        queryset=Organisation.objects.current().groups(),
        described="current group",
        help_text="One name or GSS code a line, for example Greater Manchester Combined Authority. Leave it empty for "
        "any.",
    )
    invited_councils = OrganisationsField(
        label="And these councils by name",
        required=False,
        queryset=Organisation.objects.current(),
        described="current council",
        help_text="One name or GSS code a line, for example Wigan or E08000010: each is invited whatever its type or "
        "region.",
    )
    prefill_from: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Start from answers given in",
        required=False,
        queryset=None,
        empty_label="Nothing: start blank",
        help_text="Each organisation's submitted answers, matched by index code.",
    )
    requires_sign_off = forms.BooleanField(
        label="Each return needs a council approver's sign-off",
        required=False,
        initial=True,
        help_text="An editor sends the return for sign-off and an approver at the council signs it off, which "
        "submits it. Otherwise editors submit it themselves.",
    )
    allow_unconfirmed_prefill = forms.BooleanField(
        label="Allow returns to be submitted with prefilled answers nobody has confirmed",
        required=False,
        help_text="Otherwise each answer started from the earlier round must be confirmed or changed before the "
        "return is submitted.",
    )

    results_public = forms.BooleanField(
        label="Publish the results publicly as well as to your members",
        required=False,
        help_text="Once published, anyone can see the members' figures under your group's name, with small groups "
        "withheld as in the national results. Otherwise only your members and the national team see them.",
    )

    def __init__(
        self, *args: Any, versions: Any, rounds: Any, group: Organisation | None = None, **kwargs: Any
    ) -> None:
        """A national round, or with `group` that group's round: only its members can be invited."""
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["prefill_from"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["prefill_from"].widget = forms.Select(choices=self.fields["prefill_from"].choices)  # type: ignore[attr-defined]
        if group is None:
            del self.fields["results_public"]
        else:
            del self.fields["invited_groups"]
            self.fields["invited_councils"].queryset = Organisation.objects.current().filter(groups=group)  # type: ignore[attr-defined]
            self.fields["invited_councils"].described = f"current member of {group.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("deadline") and data["deadline"] < data["opens_on"]:
            self.add_error("deadline", "The deadline must be on or after the opening date")
        if data.get("invited_kinds") == [] and data.get("invited_councils") == []:
            self.add_error("invited_kinds", NOBODY_INVITED.rstrip("."))
        return data


class DeadlineForm(GovukForm):
    deadline = DateField(label="New deadline")


SHARE_EARLY_LABEL = "Share the peer figures now with the councils that submitted"
SHARE_EARLY_HINT = (
    "They will see how they compare with councils of the same type, in the same region and in England before the "
    "results are published. Otherwise only the national team sees peer figures until then."
)


class CloseRoundForm(GovukForm):
    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    share_early = forms.BooleanField(label=SHARE_EARLY_LABEL, required=False, help_text=SHARE_EARLY_HINT)


class ReturnFilterForm(GovukForm):
    """The search and filters over a round's returns on the national team's round page. Every field may be blank;
    a value not offered gets an error, and the other filters still apply."""

    q = forms.CharField(
        label="Name or GSS code",
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter at most 100 characters of the name"},
    )
    status = forms.ChoiceField(
        label="Return status",
        required=False,
        choices=[("", "Any status"), *ReturnStatus.choices],
        error_messages={"invalid_choice": "Choose a return status from the list"},
    )
    region = forms.ChoiceField(
        label="Region", required=False, error_messages={"invalid_choice": "Choose a region from the list"}
    )
    kind = forms.ChoiceField(
        label="Type", required=False, error_messages={"invalid_choice": "Choose a type of organisation from the list"}
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.values_list("code", "name")
        self.fields["region"].choices = [("", "All regions"), *regions]  # type: ignore[attr-defined]
        offered = [(kind.value, kind.label) for kind in Kind if kind.value in kinds]
        self.fields["kind"].choices = [("", "All types"), *offered]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The filters given and valid: a bad value is left out, and its error shows on the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def applied(self) -> list[tuple[str, str]]:
        """The filters in force, each as its label and the value chosen, in words."""
        return [(str(self[name].label), self.value_label(name, value)) for name, value in self.filters().items()]

    def value_label(self, name: str, value: str) -> str:
        choices = dict(getattr(self.fields[name], "choices", []))
        return str(choices.get(value, f"“{value}”"))


class OutstandingFilterForm(ReturnFilterForm):
    """The round page's search and filters over the returns not submitted yet, on the progress page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status: Any = self.fields["status"]
        status.choices = [(value, label) for value, label in status.choices if value != ReturnStatus.SUBMITTED]


class OutreachFilterForm(ReturnFilterForm):
    """The round page's search and filters on the invitations page, and whether an organisation was invited."""

    reach = forms.ChoiceField(
        label="Invitations",
        required=False,
        choices=[("", "Any"), *REACH.items()],
        error_messages={"invalid_choice": "Choose which invitations from the list"},
    )


class ReopenForm(GovukForm):
    reason = forms.CharField(
        label="Why reopen this return",
        max_length=500,
        help_text="For example, the council asked to correct an answer.",
        error_messages={"required": "Say why you are reopening this return"},
    )


class SendBackForm(GovukForm):
    comment = forms.CharField(
        label="What needs changing",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The council's editors get this by email, with a link to the return.",
        error_messages={"required": "Say what needs changing before the return can be signed off"},
    )


class RespondentForm(GovukForm):
    email = forms.EmailField(label="Colleague's email address")
    indices = forms.ModelMultipleChoiceField(
        label="Which indices",
        queryset=Index.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one index"},
    )

    def __init__(self, *args: Any, indices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indices"].queryset = indices  # type: ignore[attr-defined]


class ViewForm(GovukForm):
    """One colleague's own view of an index."""

    not_applicable = forms.BooleanField(label="This index does not apply to our council", required=False)
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you base your view on.",
    )

    def __init__(self, *args: Any, index: Index, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statement = index.statements.all()[0]
        self.fields["current_level"] = level_field(
            "Where do you think the council is now?", descriptors_of(statement), choices=index.version.scale.choices()
        )
        self.order_fields(["current_level", "not_applicable", "comment"])


class ActionForm(GovukModelForm):
    due_date = DateField(label="Due date")

    class Meta:
        model = Action
        fields = ["title", "owner", "due_date", "status", "aim_level"]
        labels = {"title": "What will be done", "owner": "Who owns it", "aim_level": "Level it works toward"}
        widgets = {"status": forms.RadioSelect, "aim_level": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionStatus.choices  # type: ignore[attr-defined]
        self.fields["aim_level"].choices = LEVEL_CHOICES  # type: ignore[attr-defined]


# The national team's validation and queries (issue 9, part 4) ------------------------------------------------------

NOTE_MAX_LENGTH = 1000
QUESTION_MAX_LENGTH = 2000
RESPONSE_MAX_LENGTH = 5000


class ValidationForm(GovukForm):
    """The indices the national team validates, or the whole return, with an optional note. Only answers not yet
    validated are offered; an index validated since the page was loaded is still accepted here, so that the service
    refuses it with a message that says so."""

    indices = forms.MultipleChoiceField(
        label="Which indices do you validate?", required=False, widget=forms.CheckboxSelectMultiple
    )
    whole_return = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked. The council's editors see it in their email and in each answer's history.",
    )

    def __init__(self, *args: Any, answers: list[Answer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indices"]
        field.choices = [(answer.index.code, answer.index.title) for answer in answers]
        field.widget.choices = [
            (answer.index.code, answer.index.title) for answer in answers if answer.assurance != Assurance.VALIDATED
        ]
        field.choice_hints = {answer.index.code: validation_hint(answer) for answer in answers}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("whole_return") and not data.get("indices") and "indices" not in self.errors:
            self.add_error("indices", "Choose the indices to validate, or validate the whole return")
        return data

    def index_codes(self) -> list[str] | None:
        """The codes chosen, or None for the whole return."""
        return None if self.cleaned_data["whole_return"] else list(self.cleaned_data["indices"])


def validation_hint(answer: Answer) -> str:
    """What the national team sees beside an index it may validate: level, label, and any open query."""
    if answer.not_applicable:
        level = "Not applicable"
    else:
        level = answer.index.version.scale.name(answer.current_level, "No level")
    waiting = sum(query.is_open for query in answer.queries.all())
    queries = f" {waiting} open {'query' if waiting == 1 else 'queries'}." if waiting else ""
    return f"{level}. {answer.assurance_label}.{queries}"


class QueryForm(GovukForm):
    question = forms.CharField(
        label="Your question to the council",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your question to the council"},
    )

    def __init__(self, *args: Any, about: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if about:  # one form per index on a page: each label says which
            self.fields["question"].label = f"Your question to the council about {about}"


class QueryResponseForm(GovukForm):
    response = forms.CharField(
        label="Your answer to the national team",
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your answer to the national team"},
    )
