"""The strategy as data: frameworks, their versions, themes, indices, statements and level descriptors.

A published version is immutable. A derived version (a group's regional strategy) names the published
version it derives from as its parent; its indices are stored in full, keeping the parent's codes, so that
answers and comparisons always join on stable index codes.
"""

from django.db import models

from nps.frameworks.levels import Level, Scale, nps_levels
from nps.organisations.models import Organisation


class PublishedVersionError(Exception):
    """Raised on any attempt to change a published framework version."""


class Framework(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=250)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text="The group that owns a regional strategy; empty for the national strategy.",
    )
    current_version = models.ForeignKey(
        "FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The published version in use, chosen by whoever manages the framework (its first one at first).",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    code = models.CharField(max_length=40, help_text='For example "2018".')
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    source = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived_versions",
        help_text="The published version this one derives from (regional strategies) or follows (new versions).",
    )
    levels = models.JSONField(
        default=nps_levels,
        help_text='The maturity levels, lowest first: [{"code", "name"}], 3 to 7 of them (the five NPS levels unless '
        "the file names others).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_version_code")]
        ordering = ["framework__code", "-published_on", "code"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        stored = FrameworkVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED) if self.pk else None
        if stored is not None and stored.exists():
            raise PublishedVersionError(f"{self} is published and cannot change.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def scale(self) -> Scale:
        return Scale.of(self.levels)

    def assert_editable(self) -> None:
        if self.is_published:
            raise PublishedVersionError(f"{self} is published and cannot change.")


class VersionPart(models.Model):
    """Rows that belong to a framework version refuse to change once it is published."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.owning_version().assert_editable()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        self.owning_version().assert_editable()
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def owning_version(self) -> FrameworkVersion:
        raise NotImplementedError


class Theme(VersionPart):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=250)
    position = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_theme_code")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    def owning_version(self) -> FrameworkVersion:
        return self.version


class IndexKind(models.TextChoices):
    KEY_AREA = "key_area", "Key area"
    ENABLER = "enabler", "Enabler"


class Index(VersionPart):
    """A key area or an enabler: one thing a council assesses itself against, on the five-level scale."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="indices")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="indices")
    kind = models.CharField(max_length=20, choices=IndexKind.choices)
    code = models.SlugField(max_length=60, help_text="Stable across versions and regional variants.")
    title = models.CharField(max_length=250)
    description = models.TextField()
    what_it_is = models.TextField()
    why_it_is_important = models.TextField()
    position = models.PositiveIntegerField()
    is_priority = models.BooleanField(default=False, help_text="Marked as a priority by a regional strategy.")
    is_own = models.BooleanField(default=False, help_text="Added by a regional strategy, not in its parent.")
    reconstructed = models.JSONField(
        default=list, blank=True, help_text="Names of fields rebuilt from damaged source text."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_index_code")]
        ordering = ["position"]
        verbose_name_plural = "indices"

    def __str__(self) -> str:
        return self.title

    def owning_version(self) -> FrameworkVersion:
        return self.version

    @property
    def has_reconstructed_text(self) -> bool:
        """Whether any of its text was rebuilt from damaged source (uses prefetched statements and descriptors)."""
        return bool(self.reconstructed) or any(
            statement.text_reconstructed or any(descriptor.reconstructed for descriptor in statement.descriptors.all())
            for statement in self.statements.all()
        )


class Statement(VersionPart):
    """Something assessed within an index. An index from a file without statements has one, with no text."""

    index = models.ForeignKey(Index, on_delete=models.CASCADE, related_name="statements")
    code = models.SlugField(max_length=80)
    text = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    text_reconstructed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="unique_statement_code")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text or self.index.title

    def owning_version(self) -> FrameworkVersion:
        return self.index.version


class LevelDescriptor(VersionPart):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    text = models.TextField()
    reconstructed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "level"], name="unique_statement_level")]
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.text[:60]}"

    def owning_version(self) -> FrameworkVersion:
        return self.statement.index.version


class Replacement(VersionPart):
    """In `version`, the index `retired_code` of the version it follows was retired, replaced by `successor_code`.

    One row per (retired, successor) pair; a retired index with no successor has one row with an empty successor.
    Whether a replacement is one-to-one, a merge or a split follows from the rows (see nps.frameworks.lineage).
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="replacements")
    retired_code = models.SlugField(max_length=60)
    successor_code = models.SlugField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "retired_code", "successor_code"], name="unique_replacement")
        ]
        ordering = ["retired_code", "successor_code"]

    def __str__(self) -> str:
        return f"{self.retired_code} → {self.successor_code or 'nothing'}"

    def owning_version(self) -> FrameworkVersion:
        return self.version


class Relation(models.TextChoices):
    """How an index of one framework corresponds to an index of another (the first to the second)."""

    SAME = "same", "The same"
    NARROWER = "narrower", "Narrower"
    BROADER = "broader", "Broader"
    RELATED = "related", "Related"


class Crosswalk(models.Model):
    """How the indices of one framework version correspond to another's: loaded from a crosswalk file (format
    nps-crosswalk/1, docs/crosswalk-format.md). A council's answers to an index mapped as the same carry across."""

    source = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="crosswalks_out")
    target = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="crosswalks_in")
    title = models.CharField(max_length=250, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="one_crosswalk_per_pair")]
        ordering = ["source", "target"]

    def __str__(self) -> str:
        return self.title or f"{self.source} to {self.target}"


class IndexMapping(models.Model):
    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="mappings")
    source_index = models.ForeignKey(Index, on_delete=models.CASCADE, related_name="+")
    target_index = models.ForeignKey(Index, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crosswalk", "source_index", "target_index"], name="one_mapping_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.source_index.code} {self.relation} {self.target_index.code}"
