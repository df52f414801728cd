import datetime
import re

from django.db import models
from django.db.models import Q
from django.utils import timezone

from nps.lib.caching import renew

# The generation (nps.lib.caching) of the reference data on organisations: names, types, regions, groups' members.
DIRECTORY = "directory"


def directory_changed(**_: object) -> None:
    """Connected to every save or deletion of an organisation and change of a group's members (apps.py); the loader's
    bulk changes call it themselves."""
    renew(DIRECTORY)


class Region(models.Model):
    """An English region (ONS RGN, E12 codes), or Wales, which has no regions, as a whole (its country code, W92)."""

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
    WELSH_UNITARY = "welsh_unitary", "Welsh unitary authority"
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
    Kind.WELSH_UNITARY: "Welsh unitary authorities",
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
    Kind.WELSH_UNITARY,
]
GROUP_KINDS = [Kind.COMBINED_AUTHORITY, Kind.STRATEGIC_AUTHORITY, Kind.FIRE_AUTHORITY, Kind.PROCUREMENT_GROUP]


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


# A GSS code as ONS issues it; anything else is provisional: a code the national team gives an organisation before ONS
# issues its own (a new council, or a body ONS gives no code), starting with PROVISIONAL_PREFIX, renamed later.
GSS_CODE = re.compile(r"[EWSNK]\d{8}")
PROVISIONAL_PREFIX = "PROV-"
PROVISIONAL_CODE = re.compile(re.escape(PROVISIONAL_PREFIX) + r"[A-Z0-9-]{1,15}")


def is_provisional_code(code: str) -> bool:
    return not GSS_CODE.fullmatch(code)


def existed_on(day: datetime.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def not_ended(prefix: str = "") -> Q:
    """Not abolished yet: no end date, or one still to come (a reorganisation recorded ahead of its date)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> "OrganisationQuerySet":
        """Organisations that exist today: not yet abolished, and not only recorded ahead of a reorganisation."""
        return self.filter(existed_on(timezone.localdate()))

    def former(self) -> "OrganisationQuerySet":
        return self.filter(end_date__lt=timezone.localdate())

    def existing_between(self, start: datetime.date, end: datetime.date) -> "OrganisationQuerySet":
        """Organisations that exist on every day from start to end, such as a round's whole open period."""
        return self.filter(existed_on(start) & existed_on(end))

    def in_nation(self, nation: str) -> "OrganisationQuerySet":
        return self.filter(nation=nation)

    def councils(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=COUNCIL_KINDS)

    def groups(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=GROUP_KINDS)

    def search(self, text: str) -> "OrganisationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(official_name__icontains=text)
            | Q(welsh_name__icontains=text)
            | Q(gss_code__iexact=text)
        )


class Organisation(models.Model):
    """A council, combined authority, fire and rescue authority or procurement group."""

    gss_code = models.CharField("GSS code", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField("Welsh name", max_length=200, blank=True)
    official_name = models.CharField(max_length=250, blank=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    nation = models.CharField(max_length=10, choices=Nation.choices, default=Nation.ENGLAND)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations")
    parent_county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )
    local_authority_code = models.CharField(max_length=10, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="The last day it existed")
    notes = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False, help_text="Generated for demonstrations or benchmarks")
    members = models.ManyToManyField("self", symmetrical=False, related_name="groups", blank=True)
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "region"]), models.Index(fields=["nation", "kind"])]

    def __str__(self) -> str:
        return self.official_name or self.name

    @property
    def is_current(self) -> bool:
        return self.existed_on(timezone.localdate())

    def existed_on(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)

    @property
    def is_former(self) -> bool:
        return self.end_date is not None and self.end_date < timezone.localdate()

    @property
    def is_provisional(self) -> bool:
        return is_provisional_code(self.gss_code)

    @property
    def is_council(self) -> bool:
        return self.kind in COUNCIL_KINDS

    @property
    def is_group(self) -> bool:
        return self.kind in GROUP_KINDS


class Succession(models.Model):
    """One successor of an organisation that ended: the day after its end date, the successor took over all of it,
    or for a split the part named."""

    predecessor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="predecessor_links")
    part = models.CharField(max_length=250, blank=True, help_text="For a split: which part the successor takes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="one_succession_per_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="no_self_succession"),
        ]
        ordering = ["predecessor__name", "successor__name"]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}"


def lineage(organisation_ids: list[int], *, backwards: bool) -> dict[int, list[int]]:
    """Each organisation's predecessors (backwards) or successors, and theirs in turn, nearest first: one query over
    the successions, which are few."""
    links: dict[int, list[int]] = {}
    for predecessor, successor in Succession.objects.values_list("predecessor_id", "successor_id"):
        start, end = (successor, predecessor) if backwards else (predecessor, successor)
        links.setdefault(start, []).append(end)
    found: dict[int, list[int]] = {}
    for organisation_id in organisation_ids:
        reached, queue = list[int](), list(links.get(organisation_id, []))
        while queue:
            next_id = queue.pop(0)
            if next_id not in reached and next_id != organisation_id:
                reached.append(next_id)
                queue += links.get(next_id, [])
        found[organisation_id] = reached
    return found


def current_successor_codes() -> dict[str, str]:
    """For every organisation that has ended, the codes of the current organisations that carry its work on now
    (through any chain of reorganisations), joined by ";"."""
    ended = list(Organisation.objects.filter(successor_links__isnull=False).values_list("pk", flat=True).distinct())
    reached = lineage(ended, backwards=False)
    organisations = Organisation.objects.in_bulk({pk for ids in reached.values() for pk in ids} | set(ended))
    return {
        organisations[pk].gss_code: ";".join(
            organisations[successor].gss_code for successor in ids if organisations[successor].is_current
        )
        for pk, ids in reached.items()
    }


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
