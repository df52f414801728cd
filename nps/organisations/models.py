from django.db import models
from django.db.models import Q

from nps.lib.caching import renew

# The generation (nps.lib.caching) of the reference data on organisations: names, types, regions, groups' members.
DIRECTORY = "directory"


def directory_changed(**_: object) -> None:
    """Connected to every save or deletion of an organisation and change of a group's members (apps.py); the loader's
    bulk changes call it themselves."""
    renew(DIRECTORY)


class Region(models.Model):
    """An English region (ONS RGN, E12 codes)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    COUNTY_COUNCIL = "county_council", "County council"
    DISTRICT_COUNCIL = "district_council", "District council"
    UNITARY_AUTHORITY = "unitary_authority", "Unitary authority"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    CITY_OF_LONDON = "city_of_london", "City of London"
    ISLES_OF_SCILLY = "isles_of_scilly", "Isles of Scilly"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic authority"
    FIRE_AUTHORITY = "fire_authority", "Fire and rescue authority"
    PROCUREMENT_GROUP = "procurement_group", "Procurement group"


KIND_PLURALS = {
    Kind.COUNTY_COUNCIL: "County councils",
    Kind.DISTRICT_COUNCIL: "District councils",
    Kind.UNITARY_AUTHORITY: "Unitary authorities",
    Kind.METROPOLITAN_DISTRICT: "Metropolitan districts",
    Kind.LONDON_BOROUGH: "London boroughs",
    Kind.CITY_OF_LONDON: "City of London",
    Kind.ISLES_OF_SCILLY: "Isles of Scilly",
    Kind.COMBINED_AUTHORITY: "Combined authorities",
    Kind.STRATEGIC_AUTHORITY: "Strategic authorities",
    Kind.FIRE_AUTHORITY: "Fire and rescue authorities",
    Kind.PROCUREMENT_GROUP: "Procurement groups",
}

COUNCIL_KINDS = [
    Kind.COUNTY_COUNCIL,
    Kind.DISTRICT_COUNCIL,
    Kind.UNITARY_AUTHORITY,
    Kind.METROPOLITAN_DISTRICT,
    Kind.LONDON_BOROUGH,
    Kind.CITY_OF_LONDON,
    Kind.ISLES_OF_SCILLY,
]
GROUP_KINDS = [Kind.COMBINED_AUTHORITY, Kind.STRATEGIC_AUTHORITY, Kind.FIRE_AUTHORITY, Kind.PROCUREMENT_GROUP]


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> "OrganisationQuerySet":
        return self.filter(end_date__isnull=True)

    def councils(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=COUNCIL_KINDS)

    def groups(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=GROUP_KINDS)

    def search(self, text: str) -> "OrganisationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(official_name__icontains=text) | Q(gss_code__iexact=text))


class Organisation(models.Model):
    """A council, combined authority, fire and rescue authority or procurement group."""

    gss_code = models.CharField("GSS code", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=250, blank=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations")
    parent_county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )
    local_authority_code = models.CharField(max_length=10, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    replaced_by = models.CharField(max_length=100, blank=True, help_text="GSS codes of successor organisations")
    notes = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False, help_text="Generated for demonstrations or benchmarks")
    members = models.ManyToManyField("self", symmetrical=False, related_name="groups", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.official_name or self.name

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def is_council(self) -> bool:
        return self.kind in COUNCIL_KINDS

    @property
    def is_group(self) -> bool:
        return self.kind in GROUP_KINDS


class Contact(models.Model):
    """Someone to email about diagnostic rounds at an organisation that has no editor in the toolkit yet.

    When a round opens, an organisation without editors is invited through its contacts: each gets a single-use,
    expiring link to create an account as the organisation's editor."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "email"], name="one_contact_per_email")]
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def clean(self) -> None:
        self.email = self.email.strip().lower()
