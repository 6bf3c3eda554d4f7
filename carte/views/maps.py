"""Map services for the browser: address search through our own server."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from carte import geocoding
from carte.ratelimit import rate_limited

SEARCHES_PER_MINUTE = 30


@require_GET
def address_search(request: HttpRequest) -> JsonResponse:
    """GET ?q=...: a JSON list of {label, latitude, longitude}, in the commune.

    400 when the query is shorter than three characters, 429 past 30 searches a
    minute from one address. A failing geocoder answers an empty list.
    """
    query = geocoding.clean_query(request.GET.get("q", ""))
    if len(query) < geocoding.MIN_QUERY_LENGTH:
        return JsonResponse(
            {"message": _("Type at least 3 characters of the address.")}, status=400
        )
    if rate_limited(request, action="geocode", per_minute=SEARCHES_PER_MINUTE):
        response = JsonResponse(
            {"message": _("Too many searches. Wait a minute and try again.")},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    addresses = geocoding.address_search(organisation=request.organisation, query=query)
    response = JsonResponse([a.as_dict() for a in addresses], safe=False)
    response["Cache-Control"] = "private, max-age=300"
    return response
