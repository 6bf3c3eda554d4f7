"""Public map services, under /carte/ (the back office lives in carte.urls)."""

from django.urls import path

from carte import views_maps

app_name = "maps"
urlpatterns = [
    path("adresses/", views_maps.address_search, name="address-search"),
]
