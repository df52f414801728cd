from django import forms

from nps.core.forms import GovukForm
from nps.organisations.models import Kind, Nation, Region


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
