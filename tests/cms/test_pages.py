"""Public CMS pages: blocks render accessibly, error pages are plain French."""

import pytest
from django.template.loader import get_template
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.blocks import StructBlockValidationError

from cms.blocks import HeroBlock, LinkBlock
from cms.demo_pages import _block, _link
from cms.models import ContentPage
from tests.cms.helpers import h1s, home_of
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def publish(page) -> None:
    page.save_revision().publish()


def add_page(parent, **fields) -> ContentPage:
    page = parent.add_child(instance=ContentPage(**fields))
    publish(page)
    return page


def test_home_page_without_banner_uses_its_title_as_h1(organisation, commune_client):
    html = commune_client.get("/").content.decode()
    assert h1s(html) == ["Villeneuve-sur-Lys"]


def test_a_banner_without_button_renders_no_empty_link(organisation, commune_client):
    home = home_of(organisation)
    empty = {"label": "", "page": None, "url": ""}
    home.body = [_block("hero", {"title": "Bienvenue", "text": "", "action": empty})]
    publish(home)
    html = commune_client.get("/").content.decode()
    assert h1s(html) == ["Bienvenue"]
    assert 'class="button"' not in html
    assert '<a href=""' not in html


def test_content_page_has_breadcrumb_intro_and_update_date(organisation):
    home = home_of(organisation)
    parent = add_page(home, title="Quartiers", slug="quartiers")
    child = add_page(parent, title="Le Centre", slug="centre", introduction="Intro")
    html = client_for(organisation).get(child.url).content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert '<a href="/">' in breadcrumb
    assert '<a href="/quartiers/">Quartiers</a>' in breadcrumb
    assert '<span aria-current="page">Le Centre</span>' in breadcrumb
    assert h1s(html) == ["Le Centre"]
    assert '<p class="lead">Intro</p>' in html
    assert 'class="page-updated"' in html


def test_tables_have_a_caption_and_header_scopes(organisation):
    table = {
        "caption": "Horaires",
        "header": ["Jour", "Heures"],
        "rows": [["Lundi", "9 h – 12 h"], ["Mardi", "14 h – 17 h"]],
    }
    page = add_page(
        home_of(organisation),
        title="Horaires",
        slug="horaires",
        body=[_block("table", table)],
    )
    html = client_for(organisation).get(page.url).content.decode()
    assert '<div class="table-scroll" role="region" aria-label="Horaires"' in html
    assert "<caption>Horaires</caption>" in html
    assert html.count('<th scope="col">') == 2
    assert '<th scope="row">Lundi</th>' in html


def test_a_link_to_an_unpublished_page_is_not_shown_as_a_link(organisation):
    home = home_of(organisation)
    draft = add_page(home, title="Brouillon", slug="brouillon")
    draft.unpublish()
    home.refresh_from_db()
    home.navigation = [_block("link", _link("Projet en cours", page=draft))]
    publish(home)
    html = client_for(organisation).get("/").content.decode()
    assert "<span>Projet en cours</span>" in html
    assert 'href="/brouillon/"' not in html


def dpo_contact_page(organisation) -> str:
    """The HTML of a page holding the contact block of the data protection officer."""
    page = add_page(
        home_of(organisation),
        title="Vos données",
        slug="vos-donnees",
        body=[_block("contact", {"which": "dpo"})],
    )
    return client_for(organisation).get(page.url).content.decode()


def test_the_contact_block_says_when_no_dpo_is_given(organisation):
    organisation.contact_email = "mairie@villeneuve.test"
    organisation.save()
    html = dpo_contact_page(organisation)
    assert "ne sont pas encore indiquées" in html
    assert "mailto:mairie@villeneuve.test" in html
    assert "<address" in html


def test_link_block_needs_a_label_and_a_target():
    with pytest.raises(StructBlockValidationError) as caught:
        LinkBlock().clean({"label": "", "page": None, "url": ""})
    assert set(caught.value.block_errors) == {"label", "url"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "www.x"])
def test_link_block_refuses_unsafe_or_partial_addresses(url):
    with pytest.raises(StructBlockValidationError) as caught:
        LinkBlock().clean({"label": "Lien", "page": None, "url": url})
    assert caught.value.block_errors["url"].code == "unsafe_url"


@pytest.mark.parametrize("url", ["/compte/", "https://www.service-public.fr", "#x"])
def test_link_block_accepts_site_paths_and_web_addresses(url):
    assert LinkBlock().clean({"label": "Lien", "page": None, "url": url})["url"] == url


def test_banner_button_is_optional_but_not_half_filled():
    action = HeroBlock().child_blocks["action"]
    assert action.clean({"label": "", "page": None, "url": ""})["label"] == ""
    with pytest.raises(StructBlockValidationError):
        action.clean({"label": "Participer", "page": None, "url": ""})


def test_unknown_page_gets_the_french_404(organisation, commune_client):
    response = commune_client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert h1s(html) == ["Page introuvable"]
    assert '<div lang="fr" class="error-page">' in html
    assert '<a href="/">page d\'accueil</a>' in html
    # The commune's header and footer stay, to find one's way back.
    assert "Villeneuve-sur-Lys" in html


def test_404_on_an_unknown_host_still_renders(db):
    from django.test import Client

    response = Client(HTTP_HOST="inconnu.example").get("/rien/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_500_page_needs_no_database_nor_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = get_template("500.html").render()
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert '<html lang="fr">' in html
    assert h1s(html) == ["Le site rencontre un problème"]
    assert "<script" not in html and "style=" not in html


def test_a_dpo_named_by_their_role_is_not_repeated(organisation):
    organisation.dpo_name = "Délégué à la protection des données"
    organisation.dpo_email = "dpo@villeneuve.test"
    organisation.save()
    html = dpo_contact_page(organisation)
    assert html.count("Délégué à la protection des données") == 1
    assert "Délégué à la protection des données, Villeneuve-sur-Lys" in html
