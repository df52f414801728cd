"""Diagnostic rounds, councils' returns, answers per index, evidence, colleagues' views and action plans.

Answers are rows (return × index), never JSON blobs, so that every figure is a SQL aggregate.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from nps.frameworks.levels import Level
from nps.frameworks.models import FrameworkVersion, Index, Statement
from nps.organisations.models import Organisation, Region


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Not yet open"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Round(models.Model):
    """A diagnostic round: the national team (or a group) asks organisations to submit a return by a deadline."""

    name = models.CharField(max_length=200)
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField()
    deadline = models.DateField()
    invited_kinds = models.JSONField(default=list, help_text="Organisation types invited when the round opens.")
    invited_nations = models.JSONField(
        default=list, blank=True, help_text="With types: only organisations in these nations (England, Wales)."
    )
    invited_regions = models.ManyToManyField(
        Region, blank=True, related_name="+", help_text="With types: only organisations in these regions."
    )
    invited_groups = models.ManyToManyField(
        Organisation, blank=True, related_name="+", help_text="With types: only members of these groups."
    )
    invited_councils = models.ManyToManyField(
        Organisation, blank=True, related_name="+", help_text="Invited by name, whatever their type or region."
    )
    prefill_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Answers start from each organisation's return in this earlier round.",
    )
    run_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds_run",
        help_text="The group running the round; empty for national rounds.",
    )
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    results_public = models.BooleanField(
        default=False,
        help_text="A group's round: once published, its results are public under the group's name, not only shown "
        "to its members.",
    )
    is_demo = models.BooleanField(default=False, help_text="Demonstration data, labelled wherever it appears.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, help_text="When the results were published.")
    embargo_until = models.DateTimeField(null=True, blank=True, help_text="Published results are public from then.")
    share_early = models.BooleanField(
        default=False,
        help_text="Before publication, councils that submitted may compare themselves with their peers.",
    )
    results_version = models.PositiveIntegerField(
        default=0, help_text="Increases whenever a return is submitted or reopened; cached figures follow it."
    )
    requires_sign_off = models.BooleanField(
        default=True, help_text="A council approver signs each return off, which submits it; editors cannot submit."
    )
    allow_unconfirmed_prefill = models.BooleanField(
        default=False,
        help_text="Returns may be submitted with prefilled answers nobody has confirmed this round.",
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def is_released(self, now: datetime.datetime | None = None) -> bool:
        """Published, and past its embargo: the aggregate results are out, to the public for a national round and to
        the group's members for a group's round."""
        now = now or timezone.now()
        return self.published_at is not None and (self.embargo_until is None or self.embargo_until <= now)

    def is_public(self, now: datetime.datetime | None = None) -> bool:
        """Anyone may see the aggregate results, without signing in."""
        return (self.run_by_id is None or self.results_public) and self.is_released(now)


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
    SUBMITTED = "submitted", "Submitted"


class Return(models.Model):
    """One organisation's return to one round: its consolidated answers, submitted once complete."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="returns")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_for_sign_off_at = models.DateTimeField(null=True, blank=True)
    sent_for_sign_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True, help_text="When an approver signed it off.")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    closed_because = models.TextField(
        blank=True, help_text="Why the return was closed unsubmitted, such as its council's abolition."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="one_return_per_round")]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.round.name}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    @property
    def is_awaiting_sign_off(self) -> bool:
        return self.status == ReturnStatus.AWAITING_SIGN_OFF

    @property
    def is_editable(self) -> bool:
        """Editors may change it: the round is open, the return is neither submitted nor with an approver, and it was
        not closed (because its council was abolished)."""
        return (
            self.round.is_open
            and self.status in {ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS}
            and not self.closed_because
        )


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Assurance(models.TextChoices):
    """How far an answer can be trusted: the council's own view, agreed by another council, or checked by the
    national team. Only a completed peer review or the national team sets the last two; never the council."""

    SELF_ASSESSED = "self_assessed", "Self-assessed"
    PEER_REVIEWED = "peer_reviewed", "Peer-reviewed"
    VALIDATED = "validated", "Validated by the national team"


CARRIED_ACROSS = "Carried across from"
# The council's own answer, field by field in the order the answer page asks for it, each with its name in sentences
# (the change history, the workbook's headings). The one list of answer fields: the form, the workbook, its upload, the
# carrying forward of answers and the exports read it. Assurance is never the council's to give.
ANSWER_FIELD_LABELS = {
    "current_level": "current level",
    "confidence": "confidence",
    "evidence": "evidence",
    "evidence_links": "links to evidence",
    "not_applicable": "not applicable",
    "not_applicable_reason": "reason it does not apply",
    "target_level": "target level",
    "target_date": "target date",
    "rationale": "why this target",
}
ANSWER_FIELDS = list(ANSWER_FIELD_LABELS)


class Answer(models.Model):
    """The council's consolidated answer for one index in one return: where it stands and where it aims to be."""

    council_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="answers")
    index = models.ForeignKey(Index, on_delete=models.PROTECT, related_name="answers")
    current_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    evidence = models.TextField(blank=True)
    evidence_links = models.TextField(blank=True, help_text="One web address per line.")
    not_applicable = models.BooleanField(default=False)
    not_applicable_reason = models.TextField(blank=True)
    target_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    assurance = models.CharField(max_length=20, choices=Assurance.choices, default=Assurance.SELF_ASSESSED)
    assured_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The council whose peer review agreed the answer.",
    )
    assured_at = models.DateTimeField(null=True, blank=True)
    needs_review = models.BooleanField(default=False, help_text="Prefilled from an earlier round and not yet saved.")
    review_note = models.CharField(max_length=200, blank=True, help_text="Why a prefilled answer needs checking.")
    version = models.PositiveIntegerField(default=0, help_text="Increases on every save; refuses lost updates.")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council_return", "index"], name="one_answer_per_index")]
        indexes = [models.Index(fields=["index", "current_level"])]

    def __str__(self) -> str:
        return f"{self.council_return}: {self.index.code}"

    @property
    def gap(self) -> int | None:
        if self.not_applicable or self.current_level is None or self.target_level is None:
            return None
        return self.target_level - self.current_level

    @property
    def carried_across(self) -> bool:
        """Prefilled from a return on another framework (nps.assessments.carry), whose note says which."""
        return self.review_note.startswith(CARRIED_ACROSS)

    @property
    def assurance_label(self) -> str:
        """ "Self-assessed", "Peer-reviewed by Wigan Council", "Validated by the national team"."""
        return assurance_label(self.assurance, self.assured_by)


def assurance_label(assurance: str, assured_by: Organisation | str | None) -> str:
    if assurance == Assurance.PEER_REVIEWED and assured_by is not None:
        return f"Peer-reviewed by {assured_by}"
    return Assurance(assurance).label if assurance in Assurance.values else assurance


class StatementLevel(models.Model):
    """The current level for one statement, where an index holds several."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="statement_levels")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "statement"], name="one_level_per_statement")]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.level}"


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    return f"evidence/{instance.answer.council_return.organisation.gss_code}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class EvidenceFile(models.Model):
    """A file attached as evidence, stored through Django's storage API and served only to those who may see it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


FIELD_LABELS = {**ANSWER_FIELD_LABELS, "assurance": "assurance"}


class AnswerChange(models.Model):
    """One field of an answer changed: who, when, from what, to what."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value!r} → {self.new_value!r}"

    @property
    def label(self) -> str:
        if self.field.startswith("statement:"):
            return f"statement {self.field.removeprefix('statement:')}"
        return FIELD_LABELS.get(self.field, self.field.replace("_", " "))


class Respondent(models.Model):
    """A colleague invited to give their own view of some or all indices of a return."""

    council_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="respondents")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="respondents"
    )
    indices = models.ManyToManyField(Index, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council_return", "email"], name="one_respondent_per_email")]
        ordering = ["email"]

    def __str__(self) -> str:
        return str(self.user) if self.user else self.email


class RespondentAnswer(models.Model):
    """One colleague's own view of one index; never submitted, but shown beside the others'."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    index = models.ForeignKey(Index, on_delete=models.PROTECT, related_name="+")
    current_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["respondent", "index"], name="one_view_per_index")]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.index_id}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """A step in the council's plan to close a gap between its current and target level."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=250)
    owner = models.CharField(max_length=150)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    aim_level = models.PositiveSmallIntegerField(choices=Level.choices, help_text="The level this action works toward.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status != ActionStatus.DONE and self.due_date < (today or timezone.localdate())


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"


class RoundMessage(models.Model):
    """One email about a round to one person at one invited organisation: the log that shows the national team who
    heard what and when, and whose unique constraints stop the same message going twice, even from concurrent runs.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="round_messages")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    days_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a reminder: its place in the schedule, in days before the deadline."
    )
    invitation = models.ForeignKey(
        "accounts.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The sign-up link sent to a contact who has no account.",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for reminders sent on schedule.",
    )
    outgoing_email = models.ForeignKey(
        "core.OutgoingEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The email in the outbox, which says whether it was sent; empty for messages sent before the outbox.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "email"],
                condition=models.Q(kind="invitation"),
                name="one_invitation_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation", "email", "days_before"],
                condition=models.Q(kind="reminder"),
                name="one_reminder_per_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invitation") | models.Q(days_before__isnull=False),
                name="reminder_has_its_day",
            ),
        ]
        # The invitations page counts a round's messages of each kind, and the organisations invited, from this alone.
        indexes = [models.Index(fields=["round", "kind", "organisation"])]
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label} to {self.email}: {self.round}"

    @property
    def label(self) -> str:
        return message_label(self.days_before)

    @property
    def delivery(self) -> str:
        """Whether its email was sent, waits in the outbox or failed; a message from before the outbox was sent."""
        return self.outgoing_email.status if self.outgoing_email else "sent"


def message_label(days_before: int | None) -> str:
    """What a message is, in words: an invitation, or which reminder (for example 7 days before the deadline)."""
    if days_before is None:
        return "Invitation"
    if days_before == 0:
        return "Reminder on the deadline day"
    return f"Reminder {days_before} day{'' if days_before == 1 else 's'} before the deadline"


class EventKind(models.TextChoices):
    SENT_FOR_SIGN_OFF = "sent_for_sign_off", "Sent for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SENT_BACK = "sent_back", "Sent back"
    SUBMITTED = "submitted", "Submitted"
    REOPENED = "reopened", "Reopened"
    CONFIRMED = "confirmed", "Prefilled answer confirmed"
    REVIEW_REQUESTED = "review_requested", "Peer review requested"
    REVIEW_COMPLETED = "review_completed", "Peer review completed"
    REVIEW_WITHDRAWN = "review_withdrawn", "Peer review withdrawn"
    COMMENT_RESOLVED = "comment_resolved", "Reviewer's comment resolved"
    VALIDATED = "validated", "Validated"
    QUERIED = "queried", "Queried"
    QUERY_ANSWERED = "query_answered", "Query answered"
    ASSURANCE_DROPPED = "assurance_dropped", "Back to self-assessed"


class ReturnEvent(models.Model):
    """A step in a return's life, in words: sent for sign-off, signed off, reviewed, validated, queried. Events about
    one answer name it; the others are about the whole return. The readable history of an answer shows its own events
    and the return's beside the changes to its fields."""

    council_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="events")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    description = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["council_return", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class ReviewStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PeerReview(models.Model):
    """Another council asked to review some indices of a return. Its reviewer reads those answers, their evidence and
    files while the review is requested, and nothing else of the council; after completion or withdrawal, nothing."""

    council_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="peer_reviews")
    reviewing_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reviews_given")
    reviewer_email = models.EmailField()
    indices = models.ManyToManyField(Index, related_name="+")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it was completed or withdrawn.")
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Peer review of {self.council_return} by {self.reviewing_organisation}"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.REQUESTED


class Verdict(models.TextChoices):
    AGREE = "agree", "Agree"
    DIFFERENT_LEVEL = "different_level", "Suggest a different level"


class ReviewFinding(models.Model):
    """The reviewer's view of one index: agree, or a different level with a comment for the council's editors."""

    review = models.ForeignKey(PeerReview, on_delete=models.CASCADE, related_name="findings")
    index = models.ForeignKey(Index, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    suggested_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    comment = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="When the council's editors resolved it.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="What the council did about a suggested level.")
    answer_version = models.PositiveIntegerField(
        default=0, help_text="The version of the answer the reviewer read; an agreement holds for that version only."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "index"], name="one_finding_per_index")]

    def __str__(self) -> str:
        return f"{self.review}: {self.index_id} {self.verdict}"


class Query(models.Model):
    """A question the national team asks about one answer; the council answers it on the answer page."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name_plural = "queries"

    def __str__(self) -> str:
        return f"Query on {self.answer}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
