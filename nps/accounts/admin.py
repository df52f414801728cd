from typing import cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nps.accounts import two_factor
from nps.accounts.models import ApiToken, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_national_admin", "is_demo", "is_active"]
    list_filter = ["is_national_admin", "is_demo", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["first_name", "last_name"]}),
        ("Roles", {"fields": ["is_active", "is_national_admin", "is_demo", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token_hash"]
    readonly_fields = ["accepted_at", "accepted_by", "invited_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    exclude = ["token_hash"]
    readonly_fields = ["prefix", "user"]


@admin.register(TOTPDevice, StaticDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """The national team turns two-factor authentication off for someone who has lost both their phone and their
    recovery codes, who then signs in with their password and sets it up again. Registered before django-otp's own
    admin, which would show the secrets."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    search_fields = ["user__email"]
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(getattr(request.user, "is_national_admin", False))

    has_delete_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TOTPDevice | StaticDevice) -> None:
        two_factor.turn_off(obj.user, by=cast(User, request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in User.objects.filter(pk__in=queryset.values("user")):
            two_factor.turn_off(user, by=cast(User, request.user))
