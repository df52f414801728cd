from django.urls import path

from nps.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("about-the-data/", views.about_data, name="about_data"),
    path("<str:gss_code>/", views.detail, name="detail"),
]
