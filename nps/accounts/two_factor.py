"""Signing in with a second factor: a code from an authenticator app (time-based one-time passwords, through
django-otp), or one of ten single-use recovery codes when the app is not at hand.

Someone who has set it up is not signed in by their password alone: the sign-in page remembers them in the session as
waiting for a code, and only the code page signs them in. The session then holds the device that verified them
(`django_otp.DEVICE_ID_SESSION_KEY`), which nps.accounts.middleware checks on every page."""

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as remember_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from nps.accounts.models import Role, User
from nps.core.models import record

RECOVERY_CODE_COUNT = 10
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 10 * 60  # how long the code page waits after the password was right
SETUP_KEY = "two_factor_secret"


def is_set_up(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user: User) -> bool:
    """The national team and group leads must use a second factor where TWO_FACTOR_REQUIRED is on (production)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.is_national_admin or user.memberships.filter(role=Role.GROUP_LEAD).exists()


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


# Setting up


def setup_secret(request: HttpRequest) -> str:
    """The secret the set-up page shows, kept in the session until a code proves the app has it, so that reloading the
    page shows the same one and nothing is saved before then."""
    if SETUP_KEY not in request.session:
        request.session[SETUP_KEY] = random_hex(20)
    return request.session[SETUP_KEY]


def secret_as_text(secret: str) -> str:
    """The secret as an authenticator app asks for it to be typed: base 32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(secret)).decode()
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def setup_link(user: User, secret: str) -> str:
    """The otpauth:// address the QR code holds: the secret, the account and the service's name."""
    return TOTPDevice(user=user, key=secret).config_url


def qr_code(link: str) -> str:
    """The link as a QR code: an SVG image drawn on the server, as a data address for an <img> (no JavaScript)."""
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def code_matches(secret: str, code: str) -> bool:
    """Whether the code is one the app would show now, or 30 seconds either side (the phone's clock may be off)."""
    if not code.isdigit():
        return False
    one_time_password = TOTP(bytes.fromhex(secret))
    one_time_password.time = time.time()
    return one_time_password.verify(int(code), tolerance=1)


def new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def turn_on(user: User, secret: str, *, by: User) -> tuple[TOTPDevice, list[str]]:
    """Keep the app's secret and make new recovery codes, replacing any from before; returns the codes, which are shown
    this once."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=secret, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = new_recovery_codes(recovery)
    record("two_factor_turned_on", f"{user.email} set up two-factor authentication", by=by)
    return device, codes


@transaction.atomic
def replace_recovery_codes(user: User, *, by: User) -> list[str]:
    recovery, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    codes = new_recovery_codes(recovery)
    record("recovery_codes_replaced", f"{user.email} made new recovery codes; the old ones no longer work", by=by)
    return codes


@transaction.atomic
def turn_off(user: User, *, by: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record("two_factor_turned_off", f"{by.email} turned two-factor authentication off for {user.email}", by=by)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# Signing in


def wait_for_code(request: HttpRequest, user: User, next_page: str) -> None:
    """The password was right: remember who is signing in until a code proves the rest."""
    backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
    request.session[PENDING_KEY] = {"user": user.pk, "backend": backend, "next": next_page, "since": time.time()}


def waiting_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """Who is part way through signing in, and where to then, unless they took too long."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user else None


def device_for(user: User, *, recovery: bool) -> TOTPDevice | StaticDevice | None:
    model = StaticDevice if recovery else TOTPDevice
    return model.objects.filter(user=user, confirmed=True).first()


def verify(device: TOTPDevice | StaticDevice, code: str) -> str | None:
    """Check the code against the device; None when it is right, or what is wrong. A device refuses codes for a
    while after wrong ones (1, 2, 4, 8 seconds and so on), and each code works only once."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return "Too many wrong codes. Wait a minute, then try again"
        if device.verify_token(code):
            return None
    if isinstance(device, StaticDevice):
        return "Enter a recovery code you have not used before"
    return "The code is not right or has expired. Enter the code your authenticator app shows now"


def finish_sign_in(request: HttpRequest, user: User, pending: dict[str, Any], device: TOTPDevice | StaticDevice) -> str:
    """Sign the person in, with the device that verified them; returns the page to go to."""
    del request.session[PENDING_KEY]
    login(request, user, backend=pending["backend"])
    remember_device(request, device)
    return pending["next"]
