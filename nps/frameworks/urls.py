from django.urls import path

from nps.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:code>/", views.index_detail, name="index"),
]
