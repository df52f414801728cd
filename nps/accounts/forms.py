from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nps.accounts import throttling, two_factor
from nps.accounts.models import Role, User
from nps.core.forms import GovukForm, NamesRequiredFields
from nps.core.outbox import queue
from nps.lib.client_address import client_address


class SignInForm(NamesRequiredFields, AuthenticationForm):
    """Sign in with an email address; refused for a while after repeated failures (see throttling)."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter your email address"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
        "locked": "Too many failed attempts to sign in. Wait {minutes} and try again, or reset your password.",
    }

    def clean(self) -> dict:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (email and password):
            return self.cleaned_data  # the fields' own errors say what is missing; no password was checked
        address = client_address(self.request) if self.request else ""
        if not throttling.start_sign_in(email, address):
            wait = throttling.minutes(settings.LOGIN_FAILURE_WINDOW_SECONDS)
            raise forms.ValidationError(self.error_messages["locked"].format(minutes=wait), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttling.sign_in_failed(email, address)
            raise
        throttling.sign_in_succeeded(email, address)
        return cleaned


class ResetPasswordForm(NamesRequiredFields, PasswordResetForm):
    """Sends the email only within the limits per email address and per client address. The page answers the same
    whether or not an email went, so nobody learns from it whether an account exists or a limit was reached."""

    def save(self, **options: Any) -> None:  # type: ignore[override]
        request: HttpRequest | None = options.get("request")
        address = client_address(request) if request else ""
        if throttling.password_reset_email_allowed(self.cleaned_data["email"], address):
            super().save(**options)

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox, like every email."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        queue(EmailMessage(subject, render_to_string(email_template_name, context), from_email, [to_email]))


class ChangePasswordForm(NamesRequiredFields, PasswordChangeForm):
    """Changing the password while signed in."""


class NewPasswordForm(NamesRequiredFields, SetPasswordForm):
    """The new password chosen from an emailed reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class InvitePersonForm(GovukForm):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args: object, roles: list[Role], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = [(role.value, role.label) for role in roles]  # type: ignore[attr-defined]
        self.fields["role"].choice_hints = {  # type: ignore[attr-defined]
            Role.EDITOR: "Sets targets, answers, plans actions and submits returns, or sends them for sign-off.",
            Role.APPROVER: "Signs returns off, which submits them (a head of procurement or director); can also edit.",
            Role.VIEWER: "Reads everything of the council and changes nothing (councillors, senior managers).",
            Role.GROUP_LEAD: "Sees the group's members' aggregated results and runs the group's strategy.",
        }
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value


class CreateAccountForm(GovukForm):
    """The name and password of the account an invitation was sent to."""

    first_name = forms.CharField(
        label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password = forms.CharField(
        label="Create a password",
        error_messages={"required": "Enter a password"},
        help_text="At least 10 characters. Avoid common passwords.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        candidate = User(email=self.email, first_name=self.data.get("first_name", ""))
        password_validation.validate_password(password, candidate)
        return password


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Token name", max_length=100, help_text="For example, the name of the system that will use it."
    )


class EmailPreferencesForm(GovukForm):
    """One checkbox per kind of optional email; none ticked is a valid choice (stop them all)."""

    emails = forms.MultipleChoiceField(
        label="Which emails do you want?",
        help_text="Select all that apply. Untick one to stop those emails.",
        choices=[
            ("round_reminders", "Reminders before a diagnostic round's deadline"),
            ("connection_emails", "News about exemplar connection requests"),
            ("assurance_emails", "News about your council's returns: sign-off, peer reviews, validation and queries"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["emails"].choice_hints = {  # type: ignore[attr-defined]
            "round_reminders": "Sent to editors of organisations that have not submitted their return yet.",
            "connection_emails": "When a council asks to be connected with an exemplar, and when the national team "
            "connects, declines or closes a request.",
            "assurance_emails": "When a return is sent for sign-off, signed off or sent back, when another council "
            "is asked to review it or finishes, and when the national team validates or queries an answer.",
        }


def code_widget(*, numeric: bool) -> forms.TextInput:
    attributes = {"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
    return forms.TextInput(attrs={**attributes, "inputmode": "numeric"} if numeric else attributes)


class TwoFactorCodeForm(GovukForm):
    """The code from the authenticator app, checked against the person's app (which refuses each code a second time,
    and every code for a while after wrong ones)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        help_text="The 6-digit code the app shows for the NPS toolkit now.",
        widget=code_widget(numeric=True),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args: Any, device: TOTPDevice | StaticDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        problem = two_factor.verify(self.device, code)
        if problem:
            raise forms.ValidationError(problem)
        return code


class RecoveryCodeForm(TwoFactorCodeForm):
    """One of the ten recovery codes, when the authenticator app is not at hand; each works once."""

    code = forms.CharField(
        label="Recovery code",
        max_length=40,
        help_text="One of the 8-character codes you saved when you set up two-factor authentication.",
        widget=code_widget(numeric=False),
        error_messages={"required": "Enter a recovery code"},
    )


class SetUpTwoFactorForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        help_text="After adding the NPS toolkit to the app, enter the 6-digit code it shows.",
        widget=code_widget(numeric=True),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args: Any, secret: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secret

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not two_factor.code_matches(self.secret, code):
            raise forms.ValidationError(
                "The code is not right. Check the app shows the NPS toolkit, then enter the code it shows now"
            )
        return code
