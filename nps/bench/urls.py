"""The project's URLs and the benchmark's floor view: `make bench` serves the app with ROOT_URLCONF=nps.bench.urls."""

from django.urls import path

from nps.bench import views
from nps.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    *project_urlpatterns,
]
