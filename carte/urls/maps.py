"""Public map services, under /carte/ (the back office: carte.urls.backoffice)."""

from django.urls import path

from carte.views import maps

app_name = "maps"
urlpatterns = [
    path("adresses/", maps.address_search, name="address-search"),
]
