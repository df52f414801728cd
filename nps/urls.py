from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from nps.accounts.forms import ChangePasswordForm, ResetPasswordForm
from nps.accounts.views import ChooseNewPasswordView, SignInView
from nps.api import api
from nps.core import views as core_views
from nps.core.urls import pages_urlpatterns
from nps.home.views import home

auth_urlpatterns = [
    path("account/sign-in/", SignInView.as_view(), name="login"),
    path("account/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ResetPasswordForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        ChooseNewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            form_class=ChangePasswordForm,
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:account"),
        ),
        name="password_change",
    ),
]

urlpatterns = [
    path("", home, name="home"),
    path("", include((pages_urlpatterns, "pages"))),
    path("", include(auth_urlpatterns)),
    path("", include("nps.accounts.urls")),
    path("", include("nps.assessments.urls")),
    path("", include("nps.insights.urls")),
    path("", include("nps.community.urls")),
    path("strategy/", include("nps.frameworks.urls")),
    path("organisations/", include("nps.organisations.urls")),
    path("api/v1/docs/", core_views.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler404 = core_views.page_not_found
handler500 = core_views.server_error
