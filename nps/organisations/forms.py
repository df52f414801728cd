from django import forms

from nps.core.forms import GovukForm
from nps.organisations.models import Kind, Nation, Region
from nps.organisations.reorganisation import COLUMNS, Change, ReorganisationError, checked, read_changes


class DirectoryFilterForm(GovukForm):
    q = forms.CharField(label="Name, Welsh name or GSS code", required=False, max_length=100)
    nation = forms.ChoiceField(label="Nation", required=False, choices=[("", "England and Wales"), *Nation.choices])
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "All types"), *Kind.choices])
    region = forms.ChoiceField(label="Region", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("current", "Current"), ("former", "Former (abolished)"), ("all", "Current and former")],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        regions = Region.objects.values_list("code", "name")
        self.fields["region"].choices = [("", "All regions"), *regions]  # type: ignore[attr-defined]


class ReorganisationForm(GovukForm):
    changes = forms.CharField(
        label="Changes, as CSV",
        help_text=f"A header line, then one line per predecessor and successor. Columns: {', '.join(COLUMNS)}.",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=100_000,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_changes(self) -> list[Change]:
        try:
            changes = read_changes(self.cleaned_data["changes"])
            checked(changes)
        except ReorganisationError as error:
            raise forms.ValidationError(error.errors) from None
        return changes


class RenameCodeForm(GovukForm):
    gss_code = forms.CharField(label="Provisional code", max_length=20)
    new_gss_code = forms.CharField(label="GSS code from ONS", max_length=20, help_text="For example, E06000099")
