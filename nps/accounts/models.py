import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from nps.organisations.models import Organisation


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True, is_national_admin=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """Someone who signs in with their email address."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField("email address", unique=True)
    is_national_admin = models.BooleanField(
        "national admin", default=False, help_text="Manages the framework and rounds and reads every return."
    )
    is_demo = models.BooleanField("demonstration account", default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    EDITOR = "editor", "Council editor"
    APPROVER = "approver", "Council approver"
    VIEWER = "viewer", "Council viewer"
    GROUP_LEAD = "group_lead", "Group lead"
    RESPONDENT = "respondent", "Respondent"


class Membership(models.Model):
    """A person's role at one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_organisation")]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation.name}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An emailed, single-use, expiring link that gives someone a role at an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation.name}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class ApiToken(models.Model):
    """A personal API token; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class EmailPreference(models.Model):
    """Which optional emails an address wants: a person's, or a contact's who has no account yet.

    Kept by address, not by account, so that the signed link in an email works for anyone it was sent to. Service
    messages, such as the invitation to a round, go regardless."""

    email = models.EmailField(unique=True)
    round_reminders = models.BooleanField("reminders before a round's deadline", default=True)
    connection_emails = models.BooleanField("news about exemplar connection requests", default=True)
    assurance_emails = models.BooleanField(
        "news about returns: sign-off, peer reviews, validation and queries", default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        reminders = "on" if self.round_reminders else "off"
        connections = "on" if self.connection_emails else "off"
        assurance = "on" if self.assurance_emails else "off"
        return f"{self.email}: reminders {reminders}, connection emails {connections}, return news {assurance}"


class SignedInSession(models.Model):
    """Where someone is signed in: the browser and address of one session, so that they can see it and end it. Goes
    when the session does (signing out, ending it, or `clearsessions` after it expires). Pages name it by its own id:
    a session's key is what its cookie holds, and is never shown."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    user_agent = models.CharField("browser", max_length=500, blank=True)
    address = models.CharField("address", max_length=45, blank=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} at {self.address or 'an unknown address'}"
