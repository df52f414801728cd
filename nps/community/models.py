"""Exemplar councils, connection requests between councils, and the case-study library.

Everything is keyed by index code, which stays the same across versions of the strategy and regional variants.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from nps.frameworks.levels import Level
from nps.organisations.models import Organisation


class ExemplarOffer(models.Model):
    """A council offers to share what it does in one index with councils that want to improve there."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exemplar_offers")
    index_code = models.SlugField(max_length=60)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    note = models.TextField(max_length=1000, help_text="What the council can share, in its own words.")
    active = models.BooleanField(default=True, help_text="Withdrawn offers are kept for the record, never suggested.")
    is_demo = models.BooleanField(default=False, help_text="Demonstration data, labelled wherever it appears.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "index_code"], name="one_offer_per_index")]
        indexes = [models.Index(fields=["index_code", "active"])]
        ordering = ["organisation__name", "index_code"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.index_code}"


class ExemplaryMark(models.Model):
    """The national team marks a council as exemplary in an index, so it may offer help whatever its answers say."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exemplary_marks")
    index_code = models.SlugField(max_length=60)
    marked_at = models.DateTimeField(auto_now_add=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "index_code"], name="one_mark_per_index")]
        ordering = ["organisation__name", "index_code"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.index_code}"


class ConnectionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    CONNECTED = "connected", "Connected"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = [ConnectionStatus.REQUESTED, ConnectionStatus.CONNECTED]


class ConnectionRequest(models.Model):
    """A council asks the national team to connect it with an exemplar in one index."""

    requester = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="connection_requests_made")
    exemplar = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="connection_requests_received")
    index_code = models.SlugField(max_length=60)
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.REQUESTED)
    note = models.TextField(blank=True, help_text="The national team's note on its decision.")
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "exemplar", "index_code"],
                condition=Q(status__in=["requested", "connected"]),
                name="one_open_request_per_exemplar_and_index",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requester.name} → {self.exemplar.name}: {self.index_code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class CaseStudy(models.Model):
    """A story of how a council improved, written by the national team and published for everyone."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(max_length=600)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    level_reached = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    links = models.TextField(blank=True, help_text="One web address per line.")
    status = models.CharField(max_length=20, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CaseStudyStatus.PUBLISHED

    @property
    def index_codes(self) -> list[str]:
        return [row.index_code for row in self.indices.all()]

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]


class CaseStudyIndex(models.Model):
    """One index a case study is about."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="indices")
    index_code = models.SlugField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_study", "index_code"], name="one_row_per_case_index")]
        ordering = ["index_code"]

    def __str__(self) -> str:
        return self.index_code
