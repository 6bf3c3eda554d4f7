"""The map and the point picker in a real browser (issue 5).

They run on the test-only sandbox page (carte/urls/testing.py, routed when
AGORA_TESTING_URLS is set), which includes carte/includes/map.html and
carte/includes/point_picker.html as the proposal pages will. Tiles come from
the local test tile, addresses from carte.geocoding.FakeGeocoder.
"""

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from carte.models import District
from tests.browser.conftest import focused, logged_in, tab_to
from tests.factories import square_outline

pytestmark = pytest.mark.browser

SANDBOX = "/test/carte/"
BOUNDS = [1.64, 46.76, 1.76, 46.84]


@pytest.fixture
def commune(live_organisation):
    """The live commune placed like the demo's Valbourg, with two districts."""
    live_organisation.map_latitude, live_organisation.map_longitude = 46.8, 1.7
    live_organisation.map_zoom = 14
    live_organisation.map_bounds = BOUNDS
    live_organisation.save()
    District.objects.create(
        organisation=live_organisation,
        name="Centre",
        code="centre",
        outline=square_outline(1.69, 46.79, 0.02),
    )
    District.objects.create(
        organisation=live_organisation,
        name="Les Tilleuls",
        code="les-tilleuls",
        outline=square_outline(1.715, 46.80, 0.02),
    )
    return live_organisation


def fr(message: str, **params) -> str:
    """The French catalogue's wording of `message` (its owner may improve it)."""
    with translation.override("fr"):
        text = translation.gettext(message)
    return text % params if params else text


SEARCH = "Search"


def open_sandbox(page: Page) -> None:
    # The browser asks for /favicon.ico, which this project does not serve: keep
    # its 404 out of the console errors under test.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    response = page.goto(SANDBOX)
    assert response.status == 200
    expect(page.locator("#carte[data-ready='true']")).to_be_visible()
    expect(page.locator("[data-point-picker][data-ready='true']")).to_be_attached()


def test_the_map_shows_the_districts_and_the_items_under_the_csp(
    commune, page, console_errors
):
    open_sandbox(page)
    the_map = page.locator("#carte")
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(2)
    expect(the_map.locator(".leaflet-overlay-pane path")).to_have_count(2)
    expect(the_map.locator("img.leaflet-tile").first).to_have_attribute(
        "src", "/static/carte/test-tile.png"
    )
    expect(the_map.locator(".leaflet-control-attribution")).to_contain_text(
        "IGN – Géoplateforme"
    )
    assert the_map.get_attribute("role") == "region"
    # The skip link leads to the list of the same items.
    skip = page.locator("a.map-skip")
    assert skip.get_attribute("href") == "#liste"
    skip.click()
    assert focused(page, "#liste")
    assert console_errors == []


def test_a_marker_is_reached_and_opened_with_the_keyboard(commune, page):
    open_sandbox(page)
    page.locator("#carte").focus()
    page.keyboard.press("Tab")
    marker = page.locator("#carte .leaflet-marker-icon").first
    expect(marker).to_be_focused()
    expect(marker).to_have_attribute("role", "button")
    title = marker.get_attribute("alt")
    assert "Un banc devant la mairie" in title or "Des arbres" in title
    page.keyboard.press("Enter")
    link = page.locator("#carte .leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", "#idee-1")
    page.keyboard.press("Escape")
    expect(page.locator("#carte .leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()


def test_clicking_the_map_fills_latitude_and_longitude(commune, page, console_errors):
    open_sandbox(page)
    picker_map = page.locator("#pointeur-map")
    picker_map.scroll_into_view_if_needed()
    box = picker_map.bounding_box()
    picker_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude = page.locator("#id_latitude")
    expect(latitude).not_to_have_value("")
    assert float(latitude.input_value()) == pytest.approx(46.8, abs=0.002)
    assert float(page.locator("#id_longitude").input_value()) == pytest.approx(
        1.7, abs=0.002
    )
    assert len(latitude.input_value().split(".")[1]) == 6
    expect(picker_map.locator(".leaflet-marker-icon")).to_have_count(1)
    status = page.locator("#pointeur-status")
    expect(status).to_contain_text(f"Latitude {latitude.input_value()}")
    assert console_errors == []


def test_address_search_fills_the_address_and_the_coordinates(commune, page):
    open_sandbox(page)
    page.locator("#id_address").fill("avenue des tilleuls")
    page.get_by_role("button", name=fr(SEARCH)).click()
    choice = page.get_by_role("button", name="3 Avenue des Tilleuls 36100 Valbourg")
    choice.click()
    expect(page.locator("#id_address")).to_have_value(
        "3 Avenue des Tilleuls 36100 Valbourg"
    )
    expect(page.locator("#id_latitude")).to_have_value("46.806000")
    expect(page.locator("#id_longitude")).to_have_value("1.721000")
    expect(page.locator("#pointeur-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("[data-results] li")).to_have_count(0)
    # The form sends what the fields hold.
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#resultat")).to_contain_text("46.806000, 1.721000")


def test_address_search_works_with_the_keyboard_alone(commune, page):
    open_sandbox(page)
    page.locator("#id_address").focus()
    page.keyboard.type("rue de la gare")
    page.keyboard.press("Enter")  # searches; does not send the form
    results = page.locator("[data-results] button")
    expect(results).to_have_count(2)  # Saint-Aubin's street is out of bounds
    assert page.url.endswith(SANDBOX)
    tab_to(page, "[data-results] li:first-child button", limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#id_address")).to_have_value(
        "12 Rue de la Gare 36100 Valbourg"
    )
    expect(page.locator("#id_latitude")).to_have_value("46.792000")
    expect(page.locator("#id_longitude")).to_have_value("1.712000")
    expect(page.locator("#id_address")).to_be_focused()
    expect(page.locator("#pointeur-status")).to_contain_text("12 Rue de la Gare")


def test_a_search_without_result_says_so(commune, page):
    open_sandbox(page)
    page.locator("#id_address").fill("boulevard imaginaire")
    page.get_by_role("button", name=fr(SEARCH)).click()
    expect(page.locator("#pointeur-status")).to_have_text(
        fr("No address found in the commune. Check the spelling.")
    )
    expect(page.locator("[data-results] li")).to_have_count(0)
    expect(page.locator("#id_latitude")).to_have_value("")


def test_typed_coordinates_move_the_marker(commune, page):
    open_sandbox(page)
    page.locator("#id_latitude").fill("46.81")
    page.locator("#id_longitude").fill("1.68")
    page.locator("#id_longitude").press("Tab")
    expect(page.locator("#pointeur-map .leaflet-marker-icon")).to_have_count(1)


def test_without_javascript_the_typed_address_is_geocoded_by_the_server(
    commune, nojs_page
):
    response = nojs_page.goto(SANDBOX)
    assert response.status == 200
    expect(nojs_page.locator("#carte")).to_be_hidden()
    expect(nojs_page.locator("#pointeur-map")).to_be_hidden()
    expect(nojs_page.locator(".point-picker-search")).to_be_hidden()
    expect(nojs_page.locator("a.map-skip")).to_be_visible()
    nojs_page.locator("#id_address").fill("1 place de la mairie")
    with nojs_page.expect_navigation():
        nojs_page.get_by_role("button", name="Envoyer").click()
    expect(nojs_page.locator("#resultat")).to_contain_text(
        "46.8, 1.7 (1 Place de la Mairie 36100 Valbourg)"
    )


def test_the_maps_have_no_accessibility_violation(commune, axe_page, axe):
    open_sandbox(axe_page)
    axe(axe_page)
    axe_page.locator("#id_address").fill("rue de la gare")
    axe_page.get_by_role("button", name=fr(SEARCH)).click()
    expect(axe_page.locator("[data-results] li")).to_have_count(2)
    axe_page.locator("#carte .leaflet-marker-icon").first.click()
    expect(axe_page.locator("#carte .leaflet-popup")).to_be_visible()
    # Leaflet fades popups in: check the colours once the fade is over.
    axe_page.wait_for_function(
        "getComputedStyle(document.querySelector('#carte .leaflet-popup'))"
        ".opacity === '1'"
    )
    axe(axe_page)


def logged_in_admin(new_context, live_server, organisation):
    """A browser page logged in as an administrator with two-step verification."""
    from tests.factories import MembershipFactory, add_totp

    admin = MembershipFactory(organisation=organisation, role="admin").user
    add_totp(admin)
    return logged_in(new_context, live_server, admin, bypass_csp=True)


def test_the_district_pages_have_no_accessibility_violation(
    commune, new_context, live_server, axe
):
    page = logged_in_admin(new_context, live_server, commune)
    assert page.goto("/gestion/quartiers/").status == 200
    the_map = page.locator("#carte-quartiers[data-ready='true']")
    expect(the_map.locator(".leaflet-overlay-pane path")).to_have_count(2)
    expect(page.get_by_role("cell", name="Les Tilleuls", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("link", name=fr("Import districts (GeoJSON)")).click()
    page.get_by_label(fr("Paste the GeoJSON")).fill('{"type": "FeatureCollection"}')
    with page.expect_navigation():
        page.get_by_role("button", name=fr("Import"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page)
    page.goto("/gestion/quartiers/")
    page.get_by_role("link", name=fr("Edit %(name)s", name="Centre")).click()
    expect(page.locator("#id_outline")).to_contain_text('"Polygon"')
    axe(page)


def test_the_map_can_fetch_its_items_from_a_geojson_url(commune, page, console_errors):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    with page.expect_response("**/test/carte/points.geojson") as answer:
        page.goto(f"{SANDBOX}?source=url")
    assert answer.value.headers["content-type"] == "application/geo+json"
    the_map = page.locator("#carte[data-ready='true']")
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(2)
    the_map.locator(".leaflet-marker-icon").nth(1).click()
    expect(the_map.locator(".leaflet-popup-content")).to_contain_text("Publiée")
    assert console_errors == []


def test_a_click_outside_the_commune_places_no_point(commune, page):
    commune.map_zoom = 11  # the whole commune and beyond fit in the picker
    commune.save()
    open_sandbox(page)
    picker_map = page.locator("#pointeur-map")
    box = picker_map.bounding_box()
    picker_map.click(position={"x": 12, "y": box["height"] / 2})
    outside = (
        "This point is outside the commune. Place it inside the commune, "
        "or type the address."
    )
    expect(page.locator("#pointeur-status")).to_have_text(fr(outside))
    expect(page.locator("#id_latitude")).to_have_value("")
    expect(picker_map.locator(".leaflet-marker-icon")).to_have_count(0)
