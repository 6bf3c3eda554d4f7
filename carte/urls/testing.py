"""Test-only pages (carte.views.testing), routed when settings.AGORA_TESTING_URLS
is true: never in production."""

from django.urls import path

from carte.views import testing

app_name = "testing"
urlpatterns = [
    path("carte/", testing.map_sandbox, name="map-sandbox"),
    path("carte/points.geojson", testing.sandbox_points, name="map-sandbox-points"),
]
