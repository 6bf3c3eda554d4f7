"""The Wagtail admin per commune: who may enter, which pages and images an editor
sees and chooses, where "view live" leads, and the menus' words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from carte.roles import Role
from carte.services.collections import collection_for
from carte.services.team import editors_group
from tests.cms.helpers import home_of
from tests.cms.test_admin import administrator_of
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, add_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(organisation):
    return client_for(organisation, administrator_of(organisation))


# No loop for accounts without admin rights --------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/images/"])
def test_a_citizen_gets_a_french_page_not_a_redirect_loop(organisation, user, path):
    response = client_for(organisation, user).get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Pas d’accès à l’éditeur du site" in page or "No access" in page
    assert '<a href="/">' in page
    assert reverse("carte:backoffice-home") not in page


def test_an_elected_official_is_pointed_to_the_back_office(organisation, staff_of):
    _, client = staff_of(organisation, Role.ELECTED, mfa=True)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert f'href="{reverse("carte:backoffice-home")}"' in response.content.decode()


def test_an_elected_official_without_two_step_login_sets_it_up_first(
    organisation, staff_of
):
    """Like every staff member on a back-office address; no loop either way."""
    _, client = staff_of(organisation, Role.ELECTED, mfa=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_admin_login_address_still_leads_to_the_login_form(organisation, user):
    response = client_for(organisation, user).get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_administrator_still_enters(admin_client):
    assert admin_client.get("/admin/").status_code == 200


# Pages: the chooser and the explorer -------------------------------------------


def test_the_page_chooser_lists_only_the_communes_own_tree(
    organisation, other_organisation, admin_client
):
    own, foreign = home_of(organisation), home_of(other_organisation)
    for url in ("/admin/choose-page/", f"/admin/choose-page/{own.pk}/"):
        page = admin_client.get(url).content.decode()
        assert "Saint-Aubin" not in page, url
    root = admin_client.get("/admin/choose-page/").content.decode()
    assert own.title in root
    search = admin_client.get("/admin/choose-page/search/", {"q": "Saint-Aubin"})
    assert "Saint-Aubin" not in search.content.decode()
    search = admin_client.get("/admin/choose-page/search/", {"q": "Villeneuve"})
    assert own.title in search.content.decode()
    browse_foreign = admin_client.get(f"/admin/choose-page/{foreign.pk}/")
    assert f"/admin/choose-page/{foreign.pk}/" not in browse_foreign.content.decode()


def test_the_operator_chooses_among_every_commune(organisation, other_organisation):
    operator = UserFactory(is_superuser=True, is_staff=True)
    add_totp(operator)
    page = client_for(organisation, operator).get("/admin/choose-page/")
    assert "Saint-Aubin" in page.content.decode()


def test_the_explorer_keeps_an_editor_in_their_communes_tree(
    organisation, other_organisation, admin_client
):
    foreign = home_of(other_organisation)
    for url in ("/admin/pages/", f"/admin/pages/{foreign.pk}/"):
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200
        assert f"/admin/pages/{foreign.pk}/" not in response.content.decode(), url
    search = admin_client.get("/admin/pages/search/", {"q": "Saint-Aubin"})
    assert f"/admin/pages/{foreign.pk}/" not in search.content.decode()
    listing = admin_client.get(f"/admin/pages/{home_of(organisation).pk}/")
    assert "Villeneuve-sur-Lys" in listing.content.decode()


# Images: one collection per commune --------------------------------------------


def image_in(organisation, title):
    return get_image_model().objects.create(
        title=title,
        file=get_test_image_file(),
        collection=collection_for(editors_group(organisation)),
    )


def test_each_organisation_gets_its_own_collection(organisation, other_organisation):
    own = collection_for(editors_group(organisation))
    other = collection_for(editors_group(other_organisation))
    assert own != other
    assert own.name == "Villeneuve-sur-Lys"
    assert own.get_parent() == Collection.get_first_root_node()
    # Run again (a new membership): still one collection each.
    editors_group(organisation)
    assert Collection.objects.filter(name="Villeneuve-sur-Lys").count() == 1


def test_an_editor_lists_and_chooses_only_their_communes_images(
    organisation, other_organisation, admin_client
):
    ours = image_in(organisation, "Lavoir de Villeneuve")
    theirs = image_in(other_organisation, "Kiosque de Saint-Aubin")
    for url in ("/admin/images/", "/admin/images/chooser/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert ours.title in page, url
        assert theirs.title not in page, url
    search = admin_client.get("/admin/images/chooser/results/", {"q": "Kiosque"})
    assert theirs.title not in search.content.decode()
    response = admin_client.get(f"/admin/images/{theirs.pk}/")
    assert response.status_code in {302, 403}
    chosen = admin_client.get(f"/admin/images/chooser/{theirs.pk}/")
    assert chosen.status_code in {302, 403, 404}


def upload() -> SimpleUploadedFile:
    image = get_test_image_file()
    return SimpleUploadedFile("marche.png", image.file.getvalue(), "image/png")


def test_an_editor_uploads_into_their_communes_collection(organisation, admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Place du marché", "file": upload()},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Place du marché")
    assert image.collection == collection_for(editors_group(organisation))


# View live ------------------------------------------------------------------------


def test_view_live_leads_to_the_communes_own_host(other_organisation):
    # With one site Wagtail links relatively; with several, to each site's host.
    commune = OrganisationFactory(
        name="Valbourg", slug="valbourg", hostname="valbourg.example", port=8000
    )
    client = client_for(commune, administrator_of(commune))
    home = home_of(commune)
    listing = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert 'href="http://valbourg.example:8000/"' in listing
    assert "localhost" not in listing


# Menus ------------------------------------------------------------------------------


def test_editors_see_no_reports_menu_clashing_with_agoras_reports(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "Signalements" not in page
    assert "/admin/reports/" not in page


def test_the_operator_keeps_the_page_reports_under_another_name(organisation):
    operator = UserFactory(is_superuser=True, is_staff=True)
    add_totp(operator)
    page = client_for(organisation, operator).get("/admin/").content.decode()
    assert "Signalements" not in page
    assert "/admin/reports/" in page


def test_districts_are_edited_in_the_back_office_only(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert f'"{reverse("carte:district-list")}"' in page
    assert admin_client.get("/admin/district/").status_code == 404
