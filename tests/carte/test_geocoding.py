"""Address search: the pluggable geocoder, its endpoint and the no-JS helper."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from carte import geocoding, maps
from carte.geocoding import (
    Address,
    FakeGeocoder,
    GeoplateformeGeocoder,
    SearchArea,
)
from carte.geometry import BBox
from tests.conftest import client_for
from tests.factories import DistrictFactory, with_map

VALBOURG_BOUNDS = [1.64, 46.76, 1.76, 46.84]


def fr(message: str) -> str:
    """The French catalogue's wording (its owner may improve it), translated."""
    with translation.override("fr"):
        text = translation.gettext(message)
    assert text != message, f"not translated: {message}"
    return text


@pytest.fixture
def valbourg(organisation):
    return with_map(organisation, VALBOURG_BOUNDS)


def point(label, longitude, latitude):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {"label": label, "score": 0.9},
    }


class FakeAddressApi(BaseHTTPRequestHandler):
    """The national address API's answers, served locally."""

    answer: object = {"type": "FeatureCollection", "features": []}
    status = 200
    delay = 0.0
    requests: list[dict] = []

    def do_GET(self):
        type(self).requests.append(parse_qs(urlsplit(self.path).query))
        time.sleep(self.delay)
        body = (
            self.answer if isinstance(self.answer, bytes) else json.dumps(self.answer)
        )
        body = body.encode() if isinstance(body, str) else body
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def address_api():
    """(handler class, url): set `answer`, `status` or `delay` on the class."""

    class Handler(FakeAddressApi):
        requests = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_port}/geocodage/search"
    server.shutdown()
    server.server_close()


# The national address API backend, against a local fake server


def test_the_national_api_is_asked_with_the_query_and_the_commune_centre(
    address_api,
):
    handler, url = address_api
    handler.answer = {
        "type": "FeatureCollection",
        "features": [point("12 Rue de la Gare 36100 Valbourg", 1.712, 46.792)],
    }
    area = SearchArea(latitude=46.8, longitude=1.7, bbox=None)
    found = GeoplateformeGeocoder(url).search("rue de la gare", area=area, limit=5)
    assert found == [Address("12 Rue de la Gare 36100 Valbourg", 46.792, 1.712)]
    [query] = handler.requests
    assert query == {
        "q": ["rue de la gare"],
        "limit": ["5"],
        "lat": ["46.8"],
        "lon": ["1.7"],
    }


def test_without_a_centre_no_bias_is_sent(address_api):
    handler, url = address_api
    GeoplateformeGeocoder(url).search("mairie", area=SearchArea(), limit=3)
    assert set(handler.requests[0]) == {"q", "limit"}


def test_malformed_features_are_skipped(address_api):
    handler, url = address_api
    handler.answer = {
        "features": [
            {"geometry": None, "properties": {"label": "Sans point"}},
            {"geometry": {"coordinates": [1.7, 46.8]}, "properties": {}},
            point("Hors limites", 500, 46.8),
            {"geometry": {"coordinates": ["x", 46.8]}, "properties": {"label": "X"}},
            point("La Mairie", 1.7, 46.8),
        ]
    }
    found = GeoplateformeGeocoder(url).search("mairie", area=SearchArea(), limit=5)
    assert [a.label for a in found] == ["La Mairie"]


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (500, {"message": "erreur"}),
        (200, b"<html>not json</html>"),
        (200, ["not", "an", "object"]),
        (200, {"features": "none"}),
    ],
)
def test_a_failing_api_gives_no_result_and_a_warning(
    address_api, caplog, status, answer
):
    handler, url = address_api
    handler.status, handler.answer = status, answer
    found = GeoplateformeGeocoder(url).search("mairie", area=SearchArea(), limit=5)
    assert found == []
    assert any(r.levelname == "WARNING" for r in caplog.records)


def test_a_slow_api_times_out_with_no_result(address_api, caplog):
    handler, url = address_api
    handler.delay = 1.0
    geocoder = GeoplateformeGeocoder(url)
    geocoder.timeout = 0.2
    assert geocoder.search("mairie", area=SearchArea(), limit=5) == []
    assert "Geocoder failed" in caplog.text


def test_an_unreachable_api_gives_no_result(caplog):
    geocoder = GeoplateformeGeocoder("http://127.0.0.1:9/nowhere")
    assert geocoder.search("mairie", area=SearchArea(), limit=5) == []
    assert "Geocoder failed" in caplog.text


def test_the_default_timeout_is_three_seconds():
    assert GeoplateformeGeocoder.timeout == 3


# The fake geocoder (tests and offline development)


def test_the_fake_geocoder_matches_every_word_without_accents_or_case():
    found = FakeGeocoder().search("ECOLE valbourg", area=SearchArea(), limit=5)
    assert [a.label for a in found] == ["Rue de l'École 36100 Valbourg"]


def test_the_fake_geocoder_respects_the_limit():
    found = FakeGeocoder().search("rue", area=SearchArea(), limit=2)
    assert len(found) == 2


def test_the_fake_geocoder_finds_nothing_for_an_unknown_street():
    assert FakeGeocoder().search("rue inconnue", area=SearchArea(), limit=5) == []


# Choosing the backend


@override_settings(GEOCODER_BACKEND="", GEOCODER_URL="")
def test_without_a_geocoder_url_development_uses_the_fake():
    assert isinstance(geocoding.get_geocoder(), FakeGeocoder)


@override_settings(GEOCODER_BACKEND="", GEOCODER_URL="https://data.geopf.fr/x")
def test_with_a_geocoder_url_the_national_api_is_the_default():
    geocoder = geocoding.get_geocoder()
    assert isinstance(geocoder, GeoplateformeGeocoder)
    assert geocoder.url == "https://data.geopf.fr/x"


def test_test_settings_use_the_fake_geocoder(settings):
    assert settings.GEOCODER_BACKEND == "carte.geocoding.FakeGeocoder"
    assert isinstance(geocoding.get_geocoder(), FakeGeocoder)


def test_the_production_default_is_the_geoplateforme_search():
    from config.settings import base

    assert base.GEOCODER_URL == "https://data.geopf.fr/geocodage/search"


# Searching for an organisation


def test_results_outside_the_commune_bounds_are_dropped(valbourg):
    found = geocoding.address_search(organisation=valbourg, query="rue de la gare")
    assert [a.label for a in found] == [
        "12 Rue de la Gare 36100 Valbourg",
        "Rue de la Gare 36100 Valbourg",
    ]


def test_without_bounds_every_result_is_kept(organisation):
    assert organisation.bbox is None
    found = geocoding.address_search(organisation=organisation, query="rue de la gare")
    assert any("Saint-Aubin" in a.label for a in found)


def test_the_national_api_results_are_filtered_by_the_bounds_too(
    valbourg, address_api, settings
):
    handler, url = address_api
    handler.answer = {
        "features": [
            point("Rue de la Gare 75010 Paris", 2.355, 48.876),
            point("12 Rue de la Gare 36100 Valbourg", 1.712, 46.792),
        ]
    }
    settings.GEOCODER_BACKEND = "carte.geocoding.GeoplateformeGeocoder"
    settings.GEOCODER_URL = url
    found = geocoding.address_search(organisation=valbourg, query="rue de la gare")
    assert [a.label for a in found] == ["12 Rue de la Gare 36100 Valbourg"]
    assert handler.requests[0]["lat"] == ["46.8"]


def test_answers_are_cached_per_commune(valbourg, address_api, settings):
    handler, url = address_api
    handler.answer = {"features": [point("La Mairie 36100 Valbourg", 1.7, 46.8)]}
    settings.GEOCODER_BACKEND = "carte.geocoding.GeoplateformeGeocoder"
    settings.GEOCODER_URL = url
    for query in ("la mairie", "La  Mairie"):
        found = geocoding.address_search(organisation=valbourg, query=query)
        assert [a.label for a in found] == ["La Mairie 36100 Valbourg"]
    assert len(handler.requests) == 1


def test_a_failure_is_not_cached(valbourg, address_api, settings):
    handler, url = address_api
    handler.status = 503
    settings.GEOCODER_BACKEND = "carte.geocoding.GeoplateformeGeocoder"
    settings.GEOCODER_URL = url
    geocoding.address_search(organisation=valbourg, query="la mairie")
    geocoding.address_search(organisation=valbourg, query="la mairie")
    assert len(handler.requests) == 2


def test_a_short_query_searches_nothing(valbourg):
    assert geocoding.address_search(organisation=valbourg, query="  ru ") == []


def test_geocode_first_gives_the_best_match(valbourg):
    found = geocoding.geocode_first(valbourg, "1 place de la mairie")
    assert found == Address("1 Place de la Mairie 36100 Valbourg", 46.8, 1.7)


def test_geocode_first_gives_none_when_nothing_matches(valbourg):
    assert geocoding.geocode_first(valbourg, "place de l'église") is None
    assert geocoding.geocode_first(valbourg, "") is None


def test_search_area_allows_only_the_inside_of_the_bbox():
    area = SearchArea(bbox=BBox(*VALBOURG_BOUNDS))
    assert area.allows(Address("in", 46.8, 1.7))
    assert not area.allows(Address("out", 46.9, 1.85))
    assert SearchArea().allows(Address("anywhere", -40.0, 170.0))


# The endpoint GET /carte/adresses/


def search(client, query, **extra):
    return client.get(reverse("maps:address-search"), {"q": query}, **extra)


@pytest.fixture
def valbourg_client(valbourg):
    return client_for(valbourg)


def test_the_endpoint_lists_label_latitude_and_longitude(valbourg_client):
    response = search(valbourg_client, "avenue des tilleuls")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "label": "3 Avenue des Tilleuls 36100 Valbourg",
            "latitude": 46.806,
            "longitude": 1.721,
        }
    ]


def test_the_endpoint_answers_an_empty_list_when_nothing_matches(valbourg_client):
    response = search(valbourg_client, "boulevard imaginaire")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("query", ["", "ab", "   a  "])
def test_a_query_under_three_characters_is_a_400_with_a_french_message(
    valbourg_client, query
):
    response = search(valbourg_client, query)
    assert response.status_code == 400
    message = fr("Type at least 3 characters of the address.")
    assert response.json() == {"message": message}


def test_the_endpoint_is_read_only(valbourg_client):
    response = valbourg_client.post(reverse("maps:address-search"), {"q": "mairie"})
    assert response.status_code == 405


def test_the_endpoint_is_limited_to_30_searches_a_minute_per_address(
    valbourg_client, monkeypatch
):
    # One fixed minute: a slow run must not cross into the next window.
    monkeypatch.setattr("carte.ratelimit.current_minute", lambda: 30_000_000)
    for _ in range(30):
        assert search(valbourg_client, "mairie").status_code == 200
    response = search(valbourg_client, "mairie")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "message": fr("Too many searches. Wait a minute and try again.")
    }
    other = search(valbourg_client, "mairie", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_a_failing_geocoder_answers_an_empty_list_not_a_500(valbourg_client, settings):
    settings.GEOCODER_BACKEND = "carte.geocoding.GeoplateformeGeocoder"
    settings.GEOCODER_URL = "http://127.0.0.1:9/nowhere"
    response = search(valbourg_client, "la mairie")
    assert response.status_code == 200
    assert response.json() == []


def test_the_endpoint_is_public_and_sets_no_cookie(valbourg_client):
    response = search(valbourg_client, "chemin du moulin")
    assert response.status_code == 200
    assert not response.cookies


# Map configuration (carte.maps) and the map settings


def test_the_default_tiles_are_the_ign_plan_never_an_osm_server():
    from config.settings import base

    assert base.MAP_TILE_URL.startswith("https://data.geopf.fr/wmts?")
    assert "LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in base.MAP_TILE_URL
    for placeholder in ("{z}", "{x}", "{y}"):
        assert placeholder in base.MAP_TILE_URL
    assert "openstreetmap" not in base.MAP_TILE_URL.lower()
    assert "IGN" in base.MAP_TILE_ATTRIBUTION
    assert base.AGORA_TESTING_URLS is False  # the sandbox is for tests only


def test_map_context_uses_the_organisations_view_and_tiles(valbourg):
    valbourg.tile_url = "https://tuiles.example/{z}/{x}/{y}.png"
    valbourg.tile_attribution = "© Ville de Valbourg"
    config = maps.map_context(valbourg)["config"]
    assert config["tiles"] == {
        "url": "https://tuiles.example/{z}/{x}/{y}.png",
        "attribution": "© Ville de Valbourg",
    }
    assert config["centre"] == [46.8, 1.7]
    assert config["bounds"] == [[46.76, 1.64], [46.84, 1.76]]
    assert config["leaflet"]["js"] == "/static/leaflet/leaflet.js"


def test_map_context_defaults_to_the_installation_tiles(organisation, settings):
    config = maps.map_context(organisation, districts=False)["config"]
    assert config["tiles"]["url"] == settings.MAP_TILE_URL
    assert config["bounds"] is None
    assert config["districts"] is None


def test_map_context_reads_the_district_outlines_in_one_query(
    valbourg, django_assert_num_queries
):
    outline = {
        "type": "Polygon",
        "coordinates": [[[1.7, 46.8], [1.71, 46.8], [1.71, 46.81], [1.7, 46.8]]],
    }
    for index in range(5):
        DistrictFactory(organisation=valbourg, name=f"Q{index}", outline=outline)
    DistrictFactory(organisation=valbourg, name="Sans contour", outline=None)
    with django_assert_num_queries(1):
        config = maps.map_context(valbourg)["config"]
    names = [f["properties"]["name"] for f in config["districts"]["features"]]
    assert names == ["Q0", "Q1", "Q2", "Q3", "Q4"]


def test_the_map_include_has_its_skip_link_and_no_inline_script(valbourg):
    features = {"type": "FeatureCollection", "features": []}
    html = render_to_string(
        "carte/includes/map.html",
        {"map": maps.map_context(valbourg, features=features, list_anchor="idees")},
    )
    assert '<a class="map-skip" href="#idees">' in html
    assert 'role="region"' in html
    assert '<script id="carte-config" type="application/json">' in html
    assert '<script type="module" src="/static/carte/map.js"></script>' in html
    assert "style=" not in html
    scripts = html.count("<script")
    assert scripts == 2  # the JSON data and the module, nothing inline


def test_the_point_picker_include_renders_the_three_real_fields(valbourg):
    html = render_to_string(
        "carte/includes/point_picker.html",
        {"form": maps.PointForm(), "picker": maps.point_picker_context(valbourg)},
    )
    for name in ("address", "latitude", "longitude"):
        assert f'name="{name}"' in html
        assert f'data-{name}="id_{name}"' in html
    assert '"searchUrl": "/carte/adresses/"' in html
    assert "style=" not in html


def test_moving_the_commune_bounds_does_not_serve_cached_answers(valbourg):
    valbourg.map_bounds = [1.6, 46.7, 1.9, 47.0]
    assert geocoding.address_search(organisation=valbourg, query="place de l'église")
    valbourg.map_bounds = VALBOURG_BOUNDS
    found = geocoding.address_search(organisation=valbourg, query="place de l'église")
    assert found == []  # Saint-Aubin's church is outside Valbourg
