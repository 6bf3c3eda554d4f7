"""Proposing and browsing ideas in a real browser (issue 5, acceptance 1 and 2).

A resident proposes an idea by clicking on the map, by searching an address,
with JavaScript turned off, and with the keyboard alone; the list, the map page,
the proposal page and the form have zero axe-core violations.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from participation import workflow
from participation.models import Proposal
from tests.browser.conftest import log_in, tab_to
from tests.factories import (
    CycleFactory,
    DistrictFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

BOUNDS = [1.64, 46.76, 1.76, 46.84]
WEST = [[1.64, 46.76], [1.70, 46.76], [1.70, 46.84], [1.64, 46.84], [1.64, 46.76]]
EAST = [[1.70, 46.76], [1.76, 46.76], [1.76, 46.84], [1.70, 46.84], [1.70, 46.76]]
TITLE = "Des nichoirs dans le parc"
DESCRIPTION = "Pour accueillir les mésanges.\n\nFabriqués avec l'école."


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors and uncaught exceptions, except the browser's own request
    for /favicon.ico (no favicon yet: a site-wide matter, not these pages')."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith(
            "/favicon.ico"
        ):
            errors.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


@pytest.fixture
def commune(live_organisation):
    """The live commune with bounds, two districts, themes and an open cycle."""
    organisation = live_organisation
    organisation.map_latitude, organisation.map_longitude = "46.800000", "1.700000"
    organisation.map_bounds = BOUNDS
    organisation.save()
    west = DistrictFactory(
        organisation=organisation,
        name="Le Moulin",
        outline={"type": "Polygon", "coordinates": [WEST]},
    )
    east = DistrictFactory(
        organisation=organisation,
        name="La Gare",
        outline={"type": "Polygon", "coordinates": [EAST]},
    )
    theme = ThemeFactory(organisation=organisation, name="Nature en ville")
    cycle = CycleFactory(organisation=organisation, slug="budget-2027")
    return {
        "organisation": organisation,
        "cycle": cycle,
        "theme": theme,
        "west": west,
        "east": east,
    }


@pytest.fixture
def resident(commune):
    return UserFactory(email="mesange@example.org", pseudonym="Mésange")


@pytest.fixture
def published(commune):
    author = UserFactory(pseudonym="Capucine")
    ideas = [
        ProposalFactory(
            cycle=commune["cycle"],
            author=author,
            title=f"Banc numéro {n}",
            theme=commune["theme"],
            district=commune["west"],
            latitude="46.800000",
            longitude=f"1.{660000 + n * 1000}",
            address="Chemin du Moulin",
        )
        for n in range(3)
    ]
    return ideas


def form_url(commune) -> str:
    return reverse("participation:proposal-create", args=[commune["cycle"].slug])


def fill_text(page: Page) -> None:
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill(DESCRIPTION)


def send(page: Page) -> None:
    """Send from the form, then confirm on the last step."""
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mon idée").first.click()
    expect(page.locator("h1")).to_have_text("Envoyer votre idée")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    expect(page.locator("h1")).to_have_text(TITLE)


def the_proposal() -> Proposal:
    return Proposal.objects.get(title=TITLE)


def test_a_resident_proposes_an_idea_by_clicking_on_the_map(
    page, console_errors, commune, resident
):
    log_in(page, resident.email)
    page.goto(form_url(commune))
    fill_text(page)
    page.locator("#id_theme").select_option(label="Nature en ville")
    picker_map = page.locator(".point-picker .map")
    expect(picker_map).to_be_visible()
    expect(page.locator(".point-picker[data-ready='true']")).to_have_count(1)
    box = picker_map.bounding_box()
    # Left of the centre (1.70): the western district.
    picker_map.click(position={"x": box["width"] * 0.4, "y": box["height"] / 2})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    send(page)
    proposal = the_proposal()
    assert proposal.status == workflow.Status.SUBMITTED
    assert proposal.author == resident
    assert proposal.has_point
    assert proposal.district == commune["west"]
    assert console_errors == []


def test_a_resident_proposes_an_idea_with_the_address_search(
    page, console_errors, commune, resident
):
    log_in(page, resident.email)
    page.goto(form_url(commune))
    fill_text(page)
    expect(page.locator(".point-picker[data-ready='true']")).to_have_count(1)
    page.locator("#id_address").fill("rue de la gare")
    page.get_by_role("button", name="Rechercher").click()
    choice = page.locator(".point-picker-results button").first
    expect(choice).to_be_visible()
    choice.click()
    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^46\.79"))
    send(page)
    proposal = the_proposal()
    assert proposal.address.lower().startswith(("12 rue de la gare", "rue de la gare"))
    assert proposal.district == commune["east"]
    assert console_errors == []


def test_a_resident_proposes_an_idea_without_javascript(nojs_page, commune, resident):
    page = nojs_page
    log_in(page, resident.email)
    page.goto(form_url(commune))
    fill_text(page)
    page.locator("#id_address").fill("12 rue de la Gare")
    send(page)
    proposal = the_proposal()
    assert proposal.status == workflow.Status.SUBMITTED
    # The server placed the typed address with the geocoder.
    assert proposal.has_point
    assert proposal.district == commune["east"]


def test_without_javascript_a_mistake_keeps_everything_typed(
    nojs_page, commune, resident
):
    page = nojs_page
    log_in(page, resident.email)
    page.goto(form_url(commune))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_latitude").fill("48.8566")
    page.locator("#id_longitude").fill("2.3522")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mon idée").first.click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_latitude")).to_have_value("48.8566")
    assert not Proposal.objects.exists()


def test_similar_ideas_are_offered_before_sending_without_javascript(
    nojs_page, commune, resident
):
    existing = ProposalFactory(
        cycle=commune["cycle"], title="Nichoirs pour les oiseaux"
    )
    page = nojs_page
    log_in(page, resident.email)
    page.goto(form_url(commune))
    fill_text(page)
    page.locator("#id_whole_commune").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mon idée").first.click()
    expect(
        page.get_by_role("heading", name="Des idées proches existent déjà")
    ).to_be_visible()
    expect(page.get_by_role("link", name=existing.title).first).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer quand même mon idée").click()
    assert the_proposal().status == workflow.Status.SUBMITTED


def test_a_resident_proposes_an_idea_with_the_keyboard_only(
    page, console_errors, commune, resident
):
    log_in(page, resident.email)
    page.goto(form_url(commune))
    expect(page.locator(".point-picker[data-ready='true']")).to_have_count(1)
    tab_to(page, "#id_title", limit=60)
    page.keyboard.type(TITLE)
    tab_to(page, "#id_description", limit=60)
    page.keyboard.type("Pour accueillir les mésanges.")
    tab_to(page, "#id_address", limit=60)
    page.keyboard.type("chemin du moulin")
    page.keyboard.press("Enter")  # searches, does not send the form
    choice = page.locator(".point-picker-results button").first
    expect(choice).to_be_visible()
    tab_to(page, ".point-picker-results button", limit=60)
    page.keyboard.press("Enter")
    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^46\.81"))
    tab_to(page, "button[value='submit']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main form button[type='submit']", limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    proposal = the_proposal()
    assert proposal.status == workflow.Status.SUBMITTED
    assert proposal.district == commune["west"]
    assert console_errors == []


def test_a_visitor_who_logs_in_while_sending_finds_the_form_filled(
    page, commune, resident
):
    page.goto(form_url(commune))
    fill_text(page)
    page.locator("#id_whole_commune").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mon idée").first.click()
    assert "/compte/login/" in page.url
    page.locator("main input[name='login']").fill(resident.email)
    page.locator("main input[name='password']").fill("correct-horse-battery")
    with page.expect_navigation():
        page.locator("main form [type='submit']").first.click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_description")).to_have_value(DESCRIPTION)


# --- Accessibility (axe-core) --------------------------------------------------


def test_the_list_has_no_accessibility_violation(axe_page, axe, commune, published):
    axe_page.goto(reverse("participation:proposal-list"))
    expect(axe_page.get_by_role("link", name="Banc numéro 1")).to_be_visible()
    axe(axe_page)


def test_the_map_page_has_no_accessibility_violation(axe_page, axe, commune, published):
    axe_page.goto(reverse("participation:proposal-map"))
    expect(axe_page.locator(".map[data-ready='true']")).to_be_visible()
    expect(axe_page.locator(".leaflet-marker-icon")).to_have_count(3)
    axe(axe_page)


def test_the_map_page_loads_under_the_real_policy(
    page, console_errors, commune, published
):
    page.goto(reverse("participation:proposal-map"))
    expect(page.locator(".map[data-ready='true']")).to_be_visible()
    assert console_errors == []


def test_the_proposal_page_has_no_accessibility_violation(
    axe_page, axe, commune, published
):
    axe_page.goto(published[0].get_absolute_url())
    expect(axe_page.locator(".map[data-ready='true']")).to_be_visible()
    axe(axe_page)


def test_the_proposal_form_has_no_accessibility_violation(
    axe_page, axe, commune, resident
):
    log_in(axe_page, resident.email)
    axe_page.goto(form_url(commune))
    expect(axe_page.locator(".point-picker[data-ready='true']")).to_have_count(1)
    axe(axe_page)
    # And with its error summary.
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="Envoyer mon idée").first.click()
    expect(axe_page.locator("#error-summary")).to_be_visible()
    axe(axe_page)


def test_the_cycle_pages_have_no_accessibility_violation(axe_page, axe, commune):
    axe_page.goto(reverse("participation:cycle-list"))
    axe(axe_page)
    axe_page.goto(reverse("participation:cycle-detail", args=["budget-2027"]))
    axe(axe_page)
