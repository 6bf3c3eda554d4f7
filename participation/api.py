"""The map's data: proposals as GeoJSON inside a bounding box (public fields only)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from carte.formats import parse_id
from carte.geometry import BBox
from participation.permissions.proposals import visible_statuses
from participation.selectors import proposals as selectors


class ProposalGeoJsonErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField())


class ProposalFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    features = serializers.ListField(child=serializers.DictField())
    truncated = serializers.BooleanField()


def parse_bbox(text: str) -> BBox:
    """ "west,south,east,north" in degrees, or a translated ValidationError."""
    message = _(
        "Give bbox as four numbers west,south,east,north in degrees, "
        "for example bbox=1.64,46.76,1.76,46.84."
    )
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise ValidationError({"bbox": [message]}) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError({"bbox": [message]})
    return BBox(west, south, east, north)


class ProposalGeoJsonApi(APIView):
    """Visible proposals with a point inside ?bbox=, as a GeoJSON FeatureCollection.

    Coordinates are [longitude, latitude]; properties are id, title, status and
    url only; at most 500 features, the most supported first ("truncated" says
    when more exist). The list's filters (district, theme, status, q) apply.
    """

    @extend_schema(
        operation_id="proposals_geojson",
        parameters=[
            OpenApiParameter(
                "bbox", OpenApiTypes.STR, required=True, description="w,s,e,n"
            ),
            OpenApiParameter("district", OpenApiTypes.INT),
            OpenApiParameter("cycle", OpenApiTypes.INT),
            OpenApiParameter("theme", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("q", OpenApiTypes.STR),
        ],
        responses={
            200: ProposalFeatureCollectionSerializer,
            400: OpenApiResponse(ProposalGeoJsonErrorSerializer),
            404: OpenApiResponse(ProposalGeoJsonErrorSerializer),
        },
    )
    def get(self, request):
        organisation = request.organisation
        if organisation is None:
            raise Http404
        bbox = parse_bbox(request.query_params.get("bbox", ""))
        statuses = visible_statuses(request.actor, organisation)

        def number(name):
            return parse_id(request.query_params.get(name, ""))

        filters = selectors.ProposalFilters(
            district=number("district"),
            cycle=number("cycle"),
            theme=number("theme"),
            status=request.query_params.get("status") or None,
            q=request.query_params.get("q", "")[:100].strip(),
        )
        rows = selectors.proposals_for_map(
            organisation=organisation,
            statuses=statuses,
            filters=filters,
            bbox=bbox,
            limit=selectors.MAP_LIMIT + 1,
        )
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {
                    "id": row["pk"],
                    "title": row["title"],
                    "status": row["status"],
                    "url": reverse("participation:proposal-detail", args=[row["pk"]]),
                },
            }
            for row in rows[: selectors.MAP_LIMIT]
        ]
        return Response(
            {
                "type": "FeatureCollection",
                "features": features,
                "truncated": len(rows) > selectors.MAP_LIMIT,
            },
            content_type="application/geo+json",
        )
