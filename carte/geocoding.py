"""Address search through a pluggable geocoder (setting GEOCODER_BACKEND).

The browser never calls the geocoder: the CSP allows `connect-src 'self'` only,
so our endpoint (carte.views.maps.address_search) and the no-JavaScript path of
the point picker (`geocode_first`) call it from the server.

Backends implement `search(query, *, area, limit) -> list[Address]`:

- `GeoplateformeGeocoder` (default when GEOCODER_URL is set): the French national
  address API, https://data.geopf.fr/geocodage/search, answering GeoJSON.
- `FakeGeocoder` (tests, and development when GEOCODER_URL is empty): a small
  gazetteer in code around the demo communes, no network.

Whatever the backend, results outside the organisation's map bounds are dropped,
and a failing backend gives no result and a logged warning, never an error page.
"""

import hashlib
import json
import logging
import unicodedata
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from carte.formats import search_text
from carte.geometry import BBox
from carte.models import Organisation

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 3
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Address:
    """One result: a label to show and the point, in degrees (WGS 84)."""

    label: str
    latitude: float
    longitude: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchArea:
    """Where to look: the point to favour and the box results must fall in."""

    latitude: float | None = None
    longitude: float | None = None
    bbox: BBox | None = None

    @classmethod
    def of(cls, organisation: Organisation | None) -> "SearchArea":
        if organisation is None:
            return cls()
        return cls(
            latitude=float(organisation.map_latitude),
            longitude=float(organisation.map_longitude),
            bbox=organisation.bbox,
        )

    def allows(self, address: Address) -> bool:
        return self.bbox is None or self.bbox.contains(
            address.longitude, address.latitude
        )


class Geocoder(Protocol):
    def search(self, query: str, *, area: SearchArea, limit: int) -> list[Address]:
        """Addresses matching `query`, best first; [] on any failure."""


class GeoplateformeGeocoder:
    """The French national address API (Base adresse nationale, Géoplateforme).

    GET {GEOCODER_URL}?q=...&limit=...&lat=...&lon=... answers a GeoJSON
    FeatureCollection of points whose `properties.label` is the full address.
    """

    timeout = 3  # seconds: the user waits for it
    max_bytes = 1024 * 1024

    def __init__(self, url: str | None = None) -> None:
        self.url = url if url is not None else settings.GEOCODER_URL

    def search(self, query: str, *, area: SearchArea, limit: int) -> list[Address]:
        parameters: dict[str, Any] = {"q": query, "limit": limit}
        if area.latitude is not None and area.longitude is not None:
            parameters |= {"lat": area.latitude, "lon": area.longitude}
        request = urllib.request.Request(
            f"{self.url}?{urlencode(parameters)}",
            headers={"Accept": "application/json", "User-Agent": "Agora"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read(self.max_bytes))
        except (OSError, ValueError) as error:  # URLError, timeouts, bad JSON
            logger.warning("Geocoder failed for %s: %s", self.url, error)
            return []
        return self.parse(payload)

    @staticmethod
    def parse(payload: Any) -> list[Address]:
        """The usable points of a GeoJSON answer; malformed features are skipped."""
        features = payload.get("features") if isinstance(payload, dict) else None
        if not isinstance(features, list):
            logger.warning("Geocoder answered without features")
            return []
        addresses = []
        for feature in features:
            try:
                longitude, latitude = feature["geometry"]["coordinates"][:2]
                label = feature["properties"]["label"]
                address = Address(str(label), float(latitude), float(longitude))
            except (KeyError, TypeError, ValueError):
                continue
            if -90 <= address.latitude <= 90 and -180 <= address.longitude <= 180:
                addresses.append(address)
        return addresses


# Fictional streets of the demo communes (cms.demo): Valbourg around 46.8 N,
# 1.7 E and Saint-Aubin-les-Prés around 46.9 N, 1.85 E.
GAZETTEER = (
    Address("1 Place de la Mairie 36100 Valbourg", 46.8, 1.7),
    Address("12 Rue de la Gare 36100 Valbourg", 46.792, 1.712),
    Address("Rue de la Gare 36100 Valbourg", 46.7935, 1.7105),
    Address("Chemin du Moulin 36100 Valbourg", 46.812, 1.684),
    Address("3 Avenue des Tilleuls 36100 Valbourg", 46.806, 1.721),
    Address("Rue de l'École 36100 Valbourg", 46.798, 1.695),
    Address("Parc des Sports 36100 Valbourg", 46.785, 1.668),
    Address("Place de l'Église 36230 Saint-Aubin-les-Prés", 46.9, 1.85),
    Address("Rue de la Gare 36230 Saint-Aubin-les-Prés", 46.905, 1.857),
)


def _fold(text: str) -> str:
    """Lower case without accents or apostrophes, for a forgiving match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("'", " ").replace("’", " ").split())


class FakeGeocoder:
    """A gazetteer in code: every word of the query must appear in the label."""

    def __init__(self, gazetteer: tuple[Address, ...] = GAZETTEER) -> None:
        self.gazetteer = gazetteer

    def search(self, query: str, *, area: SearchArea, limit: int) -> list[Address]:
        words = _fold(query).split()
        found = [a for a in self.gazetteer if all(w in _fold(a.label) for w in words)]
        return found[:limit] if words else []


@lru_cache(maxsize=8)
def _backend_class(path: str) -> type:
    return import_string(path)


def get_geocoder() -> Geocoder:
    """The configured backend: GEOCODER_BACKEND, else the national address API
    when GEOCODER_URL is set, else the offline gazetteer."""
    path = getattr(settings, "GEOCODER_BACKEND", "")
    if not path:
        path = (
            "carte.geocoding.GeoplateformeGeocoder"
            if settings.GEOCODER_URL
            else "carte.geocoding.FakeGeocoder"
        )
    return _backend_class(path)()


def clean_query(query: str) -> str:
    return search_text(query, MAX_QUERY_LENGTH)


def address_search(
    *, organisation: Organisation | None, query: str, limit: int = 5
) -> list[Address]:
    """Addresses matching `query` inside the organisation's map bounds, best first.

    Answers are cached a day per organisation and query, which spares the
    national API and makes repeated searches instant. A query shorter than three
    characters gives nothing.
    """
    query = clean_query(query)
    if len(query) < MIN_QUERY_LENGTH:
        return []
    area = SearchArea.of(organisation)
    # The bounds are part of the key: moving them must not serve stale answers.
    scope = f"{area.bbox.as_list() if area.bbox else ''}:{limit}:{_fold(query)}"
    digest = hashlib.sha256(scope.encode()).hexdigest()[:32]
    key = f"geocoder:{organisation.pk if organisation else 0}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return [Address(**item) for item in cached]
    # Ask for more than needed: some answers may fall outside the bounds.
    found = get_geocoder().search(query, area=area, limit=min(limit * 2, 20))
    addresses = [a for a in found if area.allows(a)][:limit]
    if found:  # an empty answer may be a failure: do not keep it
        cache.set(key, [a.as_dict() for a in addresses], CACHE_SECONDS)
    return addresses


def geocode_first(organisation: Organisation | None, address: str) -> Address | None:
    """The best match for a typed address, or None (for forms without JavaScript)."""
    found = address_search(organisation=organisation, query=address, limit=1)
    return found[0] if found else None
