"""The demo pages: created once per organisation, served on its own host only."""

import re

import pytest
from wagtail.models import Revision

from cms.demo_pages import PAGES, load_pages
from cms.models import ContentPage
from tests.cms.helpers import give_contact_details, h1s, home_of
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PATHS = {
    "/comment-ca-marche/": "Comment ça marche",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Accessibilité",
    "/mentions-legales/": "Mentions légales",
}


@pytest.fixture
def loaded(organisation):
    give_contact_details(organisation)
    load_pages(organisation)
    return organisation


def test_loading_twice_creates_each_page_once(loaded):
    home = home_of(loaded)
    revisions = Revision.objects.count()
    load_pages(loaded)
    children = ContentPage.objects.child_of(home)
    assert sorted(children.values_list("slug", flat=True)) == sorted(
        spec.slug for spec in PAGES
    )
    assert Revision.objects.count() == revisions
    home.refresh_from_db()
    assert len(home.navigation) == 1
    assert len(home.footer_links) == 3
    assert [block.block_type for block in home.body][:2] == ["hero", "key_figures"]


def test_loading_again_keeps_an_editors_changes(loaded):
    page = ContentPage.objects.get(slug="mentions-legales")
    page.title = "Informations légales"
    page.introduction = "Rédigé par le service communication."
    page.save_revision().publish()
    moved = ContentPage.objects.get(slug="accessibilite")
    moved.slug = "declaration-accessibilite"
    moved.save_revision().publish()
    home = home_of(loaded)
    home.navigation = []
    home.footer_text = "Mairie ouverte du lundi au vendredi"
    home.save_revision().publish()

    load_pages(loaded)

    page.refresh_from_db()
    assert page.title == "Informations légales"
    assert page.introduction == "Rédigé par le service communication."
    assert not ContentPage.objects.filter(slug="accessibilite").exists()
    assert ContentPage.objects.child_of(home).count() == len(PAGES)
    home.refresh_from_db()
    assert home.footer_text == "Mairie ouverte du lundi au vendredi"
    # An emptied menu is filled again; nothing else is touched.
    assert len(home.navigation) == 1


def test_an_unpublished_draft_of_the_home_page_is_left_alone(organisation):
    home = home_of(organisation)
    home.title = "Brouillon"
    home.save_revision()
    load_pages(organisation)
    home.refresh_from_db()
    assert home.has_unpublished_changes
    assert len(home.body) == 0
    assert ContentPage.objects.child_of(home).count() == len(PAGES)


@pytest.mark.parametrize(("path", "title"), PATHS.items())
def test_each_page_renders_with_one_h1(loaded, path, title):
    response = client_for(loaded).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1s(html) == [title]
    assert "Villeneuve-sur-Lys" in html


@pytest.mark.parametrize("path", PATHS)
def test_the_other_organisations_host_does_not_serve_them(
    loaded, other_organisation, path
):
    assert client_for(other_organisation).get(path).status_code == 404


def test_home_page_shows_banner_figures_menu_and_footer(loaded):
    html = client_for(loaded).get("/").content.decode()
    assert h1s(html) == ["Budget participatif"]
    assert '<a href="/comment-ca-marche/" class="button">' in html
    assert "12\u202f500" in html
    main_menu = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert '<a href="/comment-ca-marche/">Comment ça marche</a>' in main_menu
    footer = html.split("<footer")[1]
    for path in ("/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"):
        assert f'href="{path}"' in footer
    assert "Accessibilité\u00a0: non conforme" in footer


def test_the_menu_marks_the_current_page(loaded):
    html = client_for(loaded).get("/comment-ca-marche/").content.decode()
    assert 'href="/comment-ca-marche/" aria-current="page"' in html


def test_personal_data_page_has_the_register_and_the_dpo(loaded):
    html = client_for(loaded).get("/donnees-personnelles/").content.decode()
    assert "<caption>Traitements de données personnelles" in html
    assert html.count('<th scope="col">') == 6
    assert html.count('<th scope="row">') == 5
    assert "modérateurs, services de Villeneuve-sur-Lys" in html
    assert "Claire Martin" in html
    assert 'href="mailto:dpo@villeneuve.test"' in html
    assert "https://www.cnil.fr/fr/plaintes" in html


def test_the_dpo_shown_follows_the_organisation(loaded):
    loaded.dpo_name = "Paul Durand"
    loaded.save()
    html = client_for(loaded).get("/donnees-personnelles/").content.decode()
    assert "Paul Durand" in html
    assert "Claire Martin" not in html


def test_accessibility_page_is_an_rgaa_declaration(loaded):
    html = client_for(loaded).get("/accessibilite/").content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    for heading in (
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert heading in headings
    assert "<b>non conforme</b>" in html
    assert "Défenseur des droits" in html
    assert "Libre réponse 71120" in html


def test_legal_notice_names_the_publisher_and_links_to_personal_data(loaded):
    html = client_for(loaded).get("/mentions-legales/").content.decode()
    assert "Ce site est édité par Villeneuve-sur-Lys" in html
    assert "1 place de la Mairie" in html
    assert "Hébergement" in html
    assert 'href="/donnees-personnelles/"' in html


def test_pages_have_no_inline_script_nor_style(loaded):
    for path in ["/", *PATHS]:
        html = client_for(loaded).get(path).content.decode()
        assert "<script>" not in html and " style=" not in html, path
