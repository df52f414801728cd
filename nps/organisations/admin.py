from django.contrib import admin

from nps.organisations.models import Organisation, Region


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "kind", "region", "end_date", "is_synthetic"]
    list_filter = ["kind", "region", "is_synthetic"]
    search_fields = ["name", "official_name", "gss_code"]
    autocomplete_fields = ["parent_county", "members"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
