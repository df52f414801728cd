from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class NationalAdminSite(AdminSite):
    site_header = "NPS toolkit administration"
    site_title = "NPS toolkit administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_national_admin", False))


class NationalAdminConfig(AdminConfig):
    """The Django admin, open to national admins only."""

    default_site = "nps.core.admin_site.NationalAdminSite"
