"""The Wagtail admin: in French, behind TOTP, each commune editing only its own."""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from carte.models import Organisation
from carte.roles import Role
from carte.services.team import editors_group, membership_set
from cms.models import HomePage
from tests.cms.helpers import home_of
from tests.conftest import client_for
from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[2.30, 48.80], [2.31, 48.80], [2.31, 48.81], [2.30, 48.80]]],
}


def assert_refused(response, url: str) -> None:
    """Wagtail refuses by 403, or by a redirect away from the page asked for."""
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path != url


def administrator_of(organisation):
    """An administrator of the organisation, with TOTP, through the service that
    also puts them in the organisation's Wagtail editors group."""
    admin = UserFactory()
    membership_set(organisation=organisation, user=admin, role=Role.ADMIN, actor=None)
    add_totp(admin)
    return admin


@pytest.fixture
def admin_client(organisation):
    return client_for(organisation, administrator_of(organisation))


@pytest.fixture
def operator_client(organisation):
    operator = UserFactory(is_superuser=True, is_staff=True)
    add_totp(operator)
    return client_for(organisation, operator)


def test_admin_dashboard_is_in_french(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Tableau de bord" in page
    # Our menu, from cms/locale.
    assert "Territoire" in page
    assert "Quartiers" in page


def test_staff_without_totp_is_sent_to_set_it_up(organisation):
    admin = UserFactory()
    membership_set(organisation=organisation, user=admin, role=Role.ADMIN, actor=None)
    client = client_for(organisation, admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_citizen_cannot_enter_the_admin(organisation, user):
    # A page saying so, not a redirect to the login page (which led back here).
    assert client_for(organisation, user).get("/admin/").status_code == 403


def test_administrator_edits_their_communes_pages_only(
    organisation, other_organisation, admin_client
):
    own = admin_client.get(f"/admin/pages/{home_of(organisation).pk}/edit/")
    assert own.status_code == 200
    url = f"/admin/pages/{home_of(other_organisation).pk}/edit/"
    assert_refused(admin_client.get(url), url)
    assert_refused(admin_client.post(url, {"title": "Volée"}), url)
    assert home_of(other_organisation).title == "Saint-Aubin"


def test_moderator_does_not_edit_pages(organisation, staff_of):
    _, client = staff_of(organisation, Role.MODERATOR)
    url = f"/admin/pages/{home_of(organisation).pk}/edit/"
    assert_refused(client.get(url), url)


def home_form_data(home: HomePage, navigation) -> dict:
    return nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "body": streamfield([]),
            "navigation": streamfield(navigation),
            "footer_links": streamfield([]),
            "footer_text": "Mairie ouverte du lundi au vendredi",
            "action-publish": "publish",
        }
    )


def test_an_edit_of_the_navigation_shows_on_the_site(
    organisation, other_organisation, admin_client
):
    home = home_of(organisation)
    link = {"label": "Agenda des ateliers", "page": "", "url": "/ateliers/"}
    response = admin_client.post(
        f"/admin/pages/{home.pk}/edit/",
        home_form_data(home, [("link", link)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client_for(organisation).get("/").content.decode()
    assert '<a href="/ateliers/">Agenda des ateliers</a>' in page
    assert "Mairie ouverte du lundi au vendredi" in page
    assert (
        "Agenda des ateliers"
        not in client_for(other_organisation).get("/").content.decode()
    )


def test_a_preview_of_the_home_page_shows_the_edited_navigation(
    organisation, admin_client
):
    home = home_of(organisation)
    link = {"label": "Lien en préparation", "page": "", "url": "/bientot/"}
    url = f"/admin/pages/{home.pk}/edit/preview/"
    response = admin_client.post(url, home_form_data(home, [("link", link)]))
    assert response.json()["is_valid"] is True
    preview = admin_client.get(url).content.decode()
    assert '<a href="/bientot/">Lien en préparation</a>' in preview
    # Nothing is published by a preview.
    assert (
        "Lien en préparation" not in client_for(organisation).get("/").content.decode()
    )


def link_error_codes(response) -> dict:
    """The error codes of the first navigation link, from the page's form."""
    stream_error = response.context["form"].errors["navigation"].as_data()[0]
    link_error = stream_error.block_errors[0]
    return {name: error.code for name, error in link_error.block_errors.items()}


@pytest.mark.parametrize(
    ("url", "code"), [("", "no_target"), ("javascript:alert(1)", "unsafe_url")]
)
def test_a_navigation_link_needs_a_safe_target(organisation, admin_client, url, code):
    home = home_of(organisation)
    link = {"label": "Lien", "page": "", "url": url}
    response = admin_client.post(
        f"/admin/pages/{home.pk}/edit/", home_form_data(home, [("link", link)])
    )
    assert response.status_code == 200
    assert link_error_codes(response) == {"url": code}
    home.refresh_from_db()
    assert len(home.navigation) == 0


# Organisations


def test_administrator_lists_only_their_organisation(
    organisation, other_organisation, admin_client
):
    response = admin_client.get(reverse("organisation:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert organisation.name in page
    assert other_organisation.name not in page


def test_administrator_cannot_open_another_organisation(
    organisation, other_organisation, admin_client
):
    url = reverse("organisation:edit", args=[other_organisation.pk])
    assert admin_client.get(url).status_code == 404
    response = admin_client.post(url, {"name": "Volée"})
    assert response.status_code == 404
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Saint-Aubin"


def test_administrator_of_a_commune_is_refused_on_another_host(
    organisation, other_organisation
):
    admin = administrator_of(organisation)
    client = client_for(other_organisation, admin)
    url = reverse("organisation:edit", args=[other_organisation.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("organisation:index")).content.decode()
    assert other_organisation.name not in page


def organisation_form(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "insee_code": organisation.insee_code,
        "population": "",
        "logo": "",
        "primary_colour": organisation.primary_colour,
        "address": organisation.address,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
        "dpo_name": organisation.dpo_name,
        "dpo_email": organisation.dpo_email,
        "map_latitude": str(organisation.map_latitude),
        "map_longitude": str(organisation.map_longitude),
        "map_zoom": str(organisation.map_zoom),
        "map_bounds": json.dumps(organisation.map_bounds),
        "tile_url": "",
        "tile_attribution": "",
    }
    data.update(changes)
    return data


def test_administrator_edits_their_organisation(organisation, admin_client):
    url = reverse("organisation:edit", args=[organisation.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, organisation_form(organisation, dpo_name="Claire Martin")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation.refresh_from_db()
    assert organisation.dpo_name == "Claire Martin"


def test_a_light_colour_is_refused_with_a_message(organisation, admin_client):
    url = reverse("organisation:edit", args=[organisation.pk])
    response = admin_client.post(
        url, organisation_form(organisation, primary_colour="#ffff00")
    )
    assert response.status_code == 200
    assert "primary_colour" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.primary_colour == "#1f4e79"


def test_administrator_cannot_create_an_organisation(admin_client):
    url = reverse("organisation:add")
    assert_refused(admin_client.get(url), url)


def test_operator_lists_and_creates_organisations(
    organisation, other_organisation, operator_client
):
    page = operator_client.get(reverse("organisation:index")).content.decode()
    assert organisation.name in page and other_organisation.name in page
    data = organisation_form(
        organisation, name="Bourg-Neuf", insee_code="35999", address=""
    )
    data.update(slug="bourg-neuf", hostname="bourg-neuf.test")
    response = operator_client.post(reverse("organisation:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Organisation.objects.get(slug="bourg-neuf")
    assert created.site.hostname == "bourg-neuf.test"
    assert isinstance(created.site.root_page.specific, HomePage)
    assert client_for(created).get("/").status_code == 200


def test_operator_cannot_reuse_a_host_name(organisation, operator_client):
    data = organisation_form(organisation, name="Doublon", insee_code="35998")
    data.update(slug="doublon", hostname=organisation.site.hostname)
    response = operator_client.post(reverse("organisation:add"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("hostname", "hostname_taken")
    assert not Organisation.objects.filter(slug="doublon").exists()


def test_the_editors_group_reaches_only_its_own_site_root(organisation):
    # The page permissions behind the admin tests above.
    group = editors_group(organisation)
    roots = {p.page_id for p in group.page_permissions.all()}
    assert roots == {home_of(organisation).pk}
    assert Page.objects.get(pk=home_of(organisation).pk).depth == 2
