"""Back-office forms for districts: import from GeoJSON, edit one district."""

import json
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from carte import geometry
from carte.forms.rows import RowFormMixin
from carte.models import District

MAX_GEOJSON_BYTES = 1024 * 1024  # 1 MB: a commune's districts fit in far less
GEOJSON_EXTENSIONS = (".geojson", ".json")


class DistrictImportForm(forms.Form):
    """Paste a GeoJSON FeatureCollection, or upload it as a file."""

    geojson = forms.CharField(
        label=_("Paste the GeoJSON"),
        required=False,
        max_length=MAX_GEOJSON_BYTES,
        strip=True,
        help_text=_(
            "A FeatureCollection with one feature per district: a “name” property, "
            "an optional “code” property and a Polygon or MultiPolygon geometry "
            "(longitude, then latitude)."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Or choose a file"),
        required=False,
        help_text=_(
            "A .geojson or .json file of 1 MB at most, for example exported from "
            "QGIS or geojson.io."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
        ),
    )

    def clean_file(self) -> str | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if Path(upload.name).suffix.lower() not in GEOJSON_EXTENSIONS:
            raise forms.ValidationError(
                _("Choose a file ending in .geojson or .json."), code="extension"
            )
        if upload.size > MAX_GEOJSON_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB. Simplify the outlines and retry."),
                code="too_large",
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Export it again as GeoJSON."),
                code="encoding",
            ) from error

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("geojson"), cleaned.get("file")
        if self.errors:
            return cleaned
        if text and upload:
            raise forms.ValidationError(
                _(
                    "Either paste the GeoJSON or choose a file, not both. Empty "
                    "the text box to use the file."
                ),
                code="both",
            )
        if not text and not upload:
            raise forms.ValidationError(
                _("Paste the GeoJSON or choose a file."), code="missing"
            )
        cleaned["content"] = upload or text
        return cleaned


class DistrictForm(RowFormMixin, forms.Form):
    """A district's name, code and outline as GeoJSON text."""

    name = forms.CharField(
        label=_("Name"),
        max_length=District._meta.get_field("name").max_length,
        help_text=_("As residents say it, for example “Les Tilleuls”."),
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=District._meta.get_field("code").max_length,
        help_text=_(
            "Lower-case letters, digits and dashes, for example “les-tilleuls”. "
            "Imports use it to recognise the district."
        ),
    )
    outline = forms.CharField(
        label=_("Outline (GeoJSON)"),
        required=False,
        max_length=MAX_GEOJSON_BYTES,
        help_text=_(
            "A Polygon or MultiPolygon, longitude then latitude; a Feature is "
            "accepted. Leave empty for a district without an outline."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    row_attributes = {"name": "name", "code": "code"}

    @classmethod
    def initial_for(cls, district: District) -> dict:
        outline = json.dumps(district.outline, indent=2) if district.outline else ""
        return super().initial_for(district) | {"outline": outline}

    def clean_outline(self) -> dict | None:
        text = self.cleaned_data["outline"]
        if not text:
            return None
        try:
            # Unwrap a Feature; District.clean() checks the polygon itself.
            return dict(geometry.load_geojson(text))
        except geometry.GeometryError as error:
            message = District.GEOMETRY_MESSAGES.get(error.code, _("Invalid outline."))
            raise forms.ValidationError(message, code=error.code) from error
