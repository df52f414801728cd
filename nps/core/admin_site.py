from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class NationalAdminSite(AdminSite):
    site_header = "NPS toolkit administration"
    site_title = "NPS toolkit administration"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The service's own sign-in page, which limits attempts and asks for the second factor."""
        from django.contrib.auth.views import redirect_to_login  # not at import: it needs the apps loaded

        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_national_admin", False))


class NationalAdminConfig(AdminConfig):
    """The Django admin, open to national admins only."""

    default_site = "nps.core.admin_site.NationalAdminSite"
