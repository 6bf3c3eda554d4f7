"""Test-only pages, routed when settings.AGORA_TESTING_URLS is true (never in
production): a sandbox exercising the map and the point picker in a browser."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from carte import geocoding
from carte.http import organisation_or_404
from carte.maps import PointForm, map_context, point_picker_context

# The items of the sandbox's list, as the proposal pages give them.
SANDBOX_FEATURES = {
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


def map_sandbox(request: HttpRequest) -> HttpResponse:
    """Both includes on one page; POST echoes the point, geocoding the address
    when no coordinates were typed (the no-JavaScript path). With ?source=url
    the map fetches its items from sandbox_points instead of the page."""
    organisation = organisation_or_404(request)
    form = PointForm(request.POST or None)
    point = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        point = (data["latitude"], data["longitude"], data["address"])
        if data["latitude"] is None and data["address"]:
            found = geocoding.geocode_first(organisation, data["address"])
            if found:
                point = (found.latitude, found.longitude, found.label)
    source = (
        {"features_url": reverse("testing:map-sandbox-points")}
        if request.GET.get("source") == "url"
        else {"features": SANDBOX_FEATURES}
    )
    return render(
        request,
        "carte/testing/map_sandbox.html",
        {
            "form": form,
            "point": point,
            "map": map_context(organisation, list_anchor="liste", **source),
            "picker": point_picker_context(organisation),
        },
    )


def sandbox_points(request: HttpRequest) -> JsonResponse:
    """The sandbox's items as a GeoJSON endpoint, like the proposals' one."""
    return JsonResponse(SANDBOX_FEATURES, content_type="application/geo+json")
