"""Test-only pages, routed when settings.AGORA_TESTING_URLS is true (never in
production): a sandbox exercising the map and the point picker in a browser."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from carte import geocoding
from carte.maps import map_context, point_picker_context


class SandboxPointForm(forms.Form):
    """The fields the proposal form offers: address, then optional coordinates."""

    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        required=False,
        help_text=_("For example: 1 place de la Mairie."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text=_("Optional. For example: 46.8."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text=_("Optional. For example: 1.7."),
    )


def map_sandbox(request: HttpRequest) -> HttpResponse:
    """Both includes on one page; POST echoes the point, geocoding the address
    when no coordinates were typed (the no-JavaScript path)."""
    organisation = request.organisation
    if organisation is None:
        raise Http404
    form = SandboxPointForm(request.POST or None)
    point = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        point = (data["latitude"], data["longitude"], data["address"])
        if data["latitude"] is None and data["address"]:
            found = geocoding.geocode_first(organisation, data["address"])
            if found:
                point = (found.latitude, found.longitude, found.label)
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [1.7, 46.8]},
                "properties": {
                    "title": "Un banc devant la mairie",
                    "url": "#idee-1",
                    "status": "Publiée",
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [1.721, 46.806]},
                "properties": {
                    "title": "Des arbres avenue des Tilleuls",
                    "url": "#idee-2",
                    "status": "Publiée",
                },
            },
        ],
    }
    return render(
        request,
        "carte/testing/map_sandbox.html",
        {
            "form": form,
            "point": point,
            "map": map_context(organisation, features=features, list_anchor="liste"),
            "picker": point_picker_context(organisation),
        },
    )


urlpatterns = [path("carte/", map_sandbox, name="map-sandbox")]
