from django.urls import path

from nps.core import views

pages_urlpatterns = [
    path("accessibility/", views.page("core/accessibility.html"), name="accessibility"),
    path("cookies/", views.page("core/cookies.html"), name="cookies"),
    path("privacy/", views.page("core/privacy.html"), name="privacy"),
    path("feedback/", views.page("core/feedback.html"), name="feedback"),
]
