"""The REST API under /api/v1/: the same permissions and services as the web pages."""

from django.http import HttpRequest, HttpResponse
from ninja.security import django_auth

from nps.accounts.api import TokenAuth
from nps.accounts.api import router as accounts_router
from nps.accounts.services import InvitationLimitReached
from nps.assessments.api import router as assessments_router
from nps.assessments.api_reorganisation import router as reorganisation_router
from nps.assessments.api_reviews import router as reviews_router
from nps.assessments.api_signoff import router as signoff_router
from nps.assessments.api_validation import router as validation_router
from nps.community.api import router as community_router
from nps.frameworks.api import groups_router as strategy_groups_router
from nps.frameworks.api import router as frameworks_router
from nps.insights.api import router as insights_router
from nps.lib.api_errors import Api
from nps.organisations.api import router as organisations_router

api = Api(
    title="NPS toolkit API",
    version="1",
    description=(
        "The National Procurement Strategy toolkit's API. Authenticate with a personal token from your account "
        "page (`Authorization: Bearer <token>`). Reference data (frameworks, organisations) is open."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", accounts_router)
api.add_router("/", assessments_router)
api.add_router("/", validation_router)
api.add_router("/", reviews_router)
api.add_router("/", reorganisation_router)
api.add_router("/", signoff_router)
api.add_router("/", insights_router)
api.add_router("/community", community_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/groups", strategy_groups_router)
api.add_router("/organisations", organisations_router)


@api.exception_handler(InvitationLimitReached)
def invitation_not_sent(request: HttpRequest, error: InvitationLimitReached) -> HttpResponse:
    """Any operation that invites someone (asking a colleague's view does) answers why it could not."""
    return api.create_response(request, {"detail": str(error)}, status=429)
