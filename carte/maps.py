"""Context for the map includes (carte/includes/map.html and point_picker.html).

The scripts (static/carte/map.js, point_picker.js) read everything from a
`json_script` element: tile server, attribution, centre, zoom, bounds, district
outlines, the items to show and the translated labels. Nothing is inline, so the
CSP keeps forbidding inline scripts and styles.
"""

from typing import Any

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carte.models import District, Organisation


def districts_geojson(organisation: Organisation) -> dict[str, Any]:
    """The organisation's district outlines as a FeatureCollection (one query)."""
    rows = (
        District.objects.for_organisation(organisation)
        .filter(outline__isnull=False)
        .only("name", "code", "outline")
        .order_by("name", "pk")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": row.name, "code": row.code},
                "geometry": row.outline,
            }
            for row in rows
            if row.outline
        ],
    }


def _base_config(organisation: Organisation, *, districts: bool) -> dict[str, Any]:
    bbox = organisation.bbox
    return {
        "leaflet": {
            "js": static("leaflet/leaflet.js"),
            "css": static("leaflet/leaflet.css"),
            # File by file: the manifest storage hashes files, not folders.
            "icon": static("leaflet/images/marker-icon.png"),
            "iconRetina": static("leaflet/images/marker-icon-2x.png"),
            "shadow": static("leaflet/images/marker-shadow.png"),
        },
        "tiles": {
            "url": organisation.effective_tile_url,
            "attribution": organisation.effective_tile_attribution,
        },
        "centre": [float(organisation.map_latitude), float(organisation.map_longitude)],
        "zoom": organisation.map_zoom,
        # Leaflet wants [[south, west], [north, east]].
        "bounds": [[bbox.south, bbox.west], [bbox.north, bbox.east]] if bbox else None,
        "districts": districts_geojson(organisation) if districts else None,
        "labels": {
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "marker": _("Open the details of: %(title)s"),
            "close": _("Close"),
        },
    }


def map_context(
    organisation: Organisation,
    *,
    districts: bool = True,
    features_url: str | None = None,
    features: dict[str, Any] | None = None,
    list_anchor: str = "liste",
    title: str | None = None,
    map_id: str = "carte",
) -> dict[str, Any]:
    """The `map` variable of carte/includes/map.html.

    `features` is a GeoJSON FeatureCollection of points whose properties are
    {title, url, status} (public data only), or give `features_url` to fetch one
    (same origin: the CSP allows no other). `list_anchor` is the id of the list
    showing the same items on the page, which the "skip the map" link targets.
    """
    config = _base_config(organisation, districts=districts)
    config |= {"featuresUrl": features_url, "features": features}
    return {
        "id": map_id,
        "config_id": f"{map_id}-config",
        "title": title or _("Map"),
        "list_anchor": list_anchor,
        "config": config,
    }


def point_picker_context(
    organisation: Organisation, *, districts: bool = True, picker_id: str = "pointeur"
) -> dict[str, Any]:
    """The `picker` variable of carte/includes/point_picker.html."""
    config = _base_config(organisation, districts=districts)
    config |= {
        "searchUrl": reverse("maps:address-search"),
        "labels": config["labels"]
        | {
            "search": _("Search"),
            "searchLabel": _("Search for an address"),
            "searchHint": _(
                "Type at least 3 characters, then choose an address in the list."
            ),
            "searching": _("Searching…"),
            "noResult": _("No address found in the commune. Check the spelling."),
            "failed": _("The search is not available. Type the address instead."),
            "results": _("%(count)s address(es) found. Choose one:"),
            "chosen": _("Point placed: %(label)s."),
            "clicked": _(
                "Point placed on the map. Latitude %(latitude)s, "
                "longitude %(longitude)s."
            ),
            "outside": _(
                "This point is outside the commune. Place it inside the commune, "
                "or type the address."
            ),
            "mapLabel": _("Map: click or tap to place the point"),
            "marker": _("The chosen point"),
        },
    }
    return {
        "id": picker_id,
        "config_id": f"{picker_id}-config",
        "config": config,
    }


def coordinate_field(*, label: str, limit: int, help_text: str) -> forms.DecimalField:
    """An optional latitude (limit 90) or longitude (limit 180) in degrees, six
    decimals like the models, typed with a dot whatever the language (the
    picker's script writes it so)."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        help_text=help_text,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class PointForm(forms.Form):
    """The fields carte/includes/point_picker.html renders: an address, then
    optional coordinates. Forms placing something on the map inherit it and may
    say a field their own way in `POINT_TEXTS`: {name: (label, help text)}."""

    POINT_TEXTS: dict[str, tuple[str, str]] = {}

    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("For example: 1 place de la Mairie."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = coordinate_field(
        label=gettext_lazy("Latitude"),
        limit=90,
        help_text=gettext_lazy("Optional. For example: 46.8."),
    )
    longitude = coordinate_field(
        label=gettext_lazy("Longitude"),
        limit=180,
        help_text=gettext_lazy("Optional. For example: 1.7."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.POINT_TEXTS.items():
            self.fields[name].label, self.fields[name].help_text = label, help_text

    def coordinates_check(self, cleaned: dict, message: str) -> None:
        """Put `message` on the missing one of a latitude or longitude given alone."""
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error(
                "longitude" if cleaned.get("latitude") is not None else "latitude",
                message,
            )
