from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from nps.organisations.models import Contact, Organisation, Region


class NationalTeamManages:
    """Every national admin may manage contacts, without the model permissions a superuser has."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(getattr(request.user, "is_national_admin", False))

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ContactInline(NationalTeamManages, admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "email"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "kind", "nation", "region", "end_date", "is_synthetic"]
    list_filter = ["nation", "kind", "region", "is_synthetic"]
    search_fields = ["name", "welsh_name", "official_name", "gss_code"]
    autocomplete_fields = ["parent_county", "members"]
    inlines = [ContactInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Contact)
class ContactAdmin(NationalTeamManages, admin.ModelAdmin):
    """Contacts are emailed about rounds only while their organisation has no editor."""

    list_display = ["name", "email", "organisation"]
    search_fields = ["name", "email", "organisation__name", "organisation__gss_code"]
    list_select_related = ["organisation"]
