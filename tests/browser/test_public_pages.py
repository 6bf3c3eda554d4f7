"""Public pages in a real browser: accessibility (axe-core), keyboard, no JavaScript.

Each page must have zero WCAG 2.1 A/AA violations found by axe-core, load under
the strict content security policy without a console error, and the account
journeys must work with the keyboard alone and with JavaScript turned off
(STYLE.md sections 8 and 10).
"""

import json
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from carte.models import User
from carte.roles import Role
from cms.models import ContentPage
from tests.browser.conftest import PASSWORD, log_in, tab_to
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "home": "/",
    "content": "/comment-ca-marche/",
    "sign-up": "/compte/signup/",
    "login": "/compte/login/",
    "password reset": "/compte/password/reset/",
}


def link(label, *, page=None, url=""):
    return {"type": "link", "value": {"label": label, "page": page, "url": url}}


@pytest.fixture
def site_pages(live_organisation):
    """The home page with a banner, menu and footer, and a content page using
    every block: what editors will typically publish."""
    home = live_organisation.site.root_page.specific
    content = home.add_child(
        instance=ContentPage(
            title="Comment ça marche",
            slug="comment-ca-marche",
            introduction="Le budget participatif en quatre étapes.",
            body=json.dumps(
                [
                    {
                        "type": "rich_text",
                        "value": "<h2>Déposer une idée</h2><p>Du 1er mars au "
                        '30 avril, sur <a href="/">la plateforme</a>.</p>'
                        "<ul><li>Un projet d'intérêt général</li></ul>",
                    },
                    {
                        "type": "callout",
                        "value": {"title": "Bon à savoir", "text": "<p>Gratuit.</p>"},
                    },
                    {
                        "type": "table",
                        "value": {
                            "caption": "Calendrier",
                            "header": ["Étape", "Dates"],
                            "rows": [["Dépôt", "mars – avril"], ["Vote", "juin"]],
                        },
                    },
                    {
                        "type": "call_to_action",
                        "value": {
                            "title": "Prêt ?",
                            "text": "Il suffit d'un compte.",
                            "action": {
                                "label": "Créer un compte",
                                "page": None,
                                "url": "/compte/signup/",
                            },
                        },
                    },
                    {"type": "contact", "value": {"which": "organisation"}},
                ]
            ),
            live=True,
        )
    )
    home.body = json.dumps(
        [
            {
                "type": "hero",
                "value": {
                    "title": "Budget participatif 2027",
                    "text": "Proposez vos idées pour la commune.",
                    "image": None,
                    "image_alt": "",
                    "action": {
                        "label": "Comment ça marche",
                        "page": content.pk,
                        "url": "",
                    },
                },
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "En chiffres",
                    "figures": [
                        {"value": "150 000 €", "label": "de budget"},
                        {"value": "12", "label": "projets lauréats en 2026"},
                    ],
                },
            },
        ]
    )
    home.navigation = json.dumps([link("Comment ça marche", page=content.pk)])
    home.footer_links = json.dumps([link("Accessibilité", url="/accessibilite/")])
    home.footer_text = "Mairie de Villeneuve-sur-Lys\n1 place de la Mairie"
    home.save()
    return {"home": home, "content": content}


def sign_up_form_fill(page: Page, email: str, pseudonym: str) -> None:
    form = page.locator("main form[action='/compte/signup/']")
    form.locator("[name='email']").fill(email)
    form.locator("[name='pseudonym']").fill(pseudonym)
    form.locator("[name='password1']").fill("un mot de passe solide")
    form.locator("[name='password2']").fill("un mot de passe solide")


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_accessibility_violation(site_pages, axe_page, axe, path):
    response = axe_page.goto(path)
    assert response.status == 200
    axe(axe_page)


def test_sign_up_form_with_errors_has_no_accessibility_violation(
    live_organisation, axe_page, axe
):
    axe_page.goto("/compte/signup/")
    axe_page.locator("main form[action='/compte/signup/'] [type='submit']").click()
    expect(axe_page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    axe(axe_page)


def test_login_form_with_errors_has_no_accessibility_violation(
    live_organisation, axe_page, axe
):
    log_in(axe_page, "personne@example.org", "pas le bon mot de passe")
    assert axe_page.url.endswith("/compte/login/")
    axe(axe_page)


def test_verification_sent_page_has_no_accessibility_violation(
    live_organisation, axe_page, axe
):
    axe_page.goto("/compte/signup/")
    sign_up_form_fill(axe_page, "camille@example.org", "Camille")
    axe_page.locator("main form[action='/compte/signup/'] [type='submit']").click()
    axe_page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    axe(axe_page)


def test_mfa_setup_pages_have_no_accessibility_violation(
    live_organisation, axe_page, axe
):
    member = MembershipFactory(organisation=live_organisation, role=Role.MODERATOR).user
    log_in(axe_page, member.email)
    # A staff member without TOTP is sent to set it up before the back office;
    # allauth asks for the password again before an MFA change.
    axe_page.goto("/gestion/")
    assert urlsplit(axe_page.url).path == reverse("account_reauthenticate")
    axe(axe_page)
    axe_page.locator("main input[name='password']").fill(PASSWORD)
    with axe_page.expect_navigation():
        axe_page.locator("main form [type='submit']").first.click()

    address = urlsplit(axe_page.url)
    assert (address.path, address.query) == (
        reverse("mfa_activate_totp"),
        "next=%2Fgestion%2F",
    )
    axe(axe_page)


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_loads_under_the_csp_without_error(
    site_pages, page, console_errors, path
):
    response = page.goto(path)
    assert response.status == 200
    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_skip_link_moves_the_focus_to_the_content(site_pages, page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link[href='#contenu']")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_sign_up_with_the_keyboard_alone(live_organisation, page, console_errors):
    page.goto("/compte/signup/")
    for selector, text in [
        ("#id_email", "dominique@example.org"),
        ("#id_pseudonym", "Dominique"),
        ("#id_password1", "un mot de passe solide"),
        ("#id_password2", "un mot de passe solide"),
    ]:
        tab_to(page, selector, limit=40)
        page.keyboard.type(text)
    tab_to(page, "main form[action='/compte/signup/'] [type='submit']", limit=40)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    user = User.objects.get(email="dominique@example.org")
    assert user.pseudonym == "Dominique"
    assert [message.to for message in mail.outbox] == [["dominique@example.org"]]
    assert console_errors == []


def test_sign_up_works_without_javascript(live_organisation, nojs_page):
    nojs_page.goto("/compte/signup/")
    sign_up_form_fill(nojs_page, "sacha@example.org", "Sacha")
    nojs_page.locator("main form[action='/compte/signup/'] [type='submit']").click()

    nojs_page.wait_for_url(f"**{reverse('account_email_verification_sent')}")
    assert User.objects.filter(email="sacha@example.org", pseudonym="Sacha").exists()
    assert len(mail.outbox) == 1


def test_sign_up_errors_keep_the_input_without_javascript(live_organisation, nojs_page):
    nojs_page.goto("/compte/signup/")
    sign_up_form_fill(nojs_page, "sacha@example.org", "sacha@example.org")
    nojs_page.locator("main form[action='/compte/signup/'] [type='submit']").click()

    expect(nojs_page.locator("#id_pseudonym")).to_have_attribute("aria-invalid", "true")
    expect(nojs_page.locator("#id_email")).to_have_value("sacha@example.org")
    assert not User.objects.filter(email="sacha@example.org").exists()


def test_log_in_works_without_javascript(live_organisation, nojs_page):
    user = UserFactory(pseudonym="Alex")
    log_in(nojs_page, user.email, PASSWORD)

    assert urlsplit(nojs_page.url).path == "/"
    expect(nojs_page.locator("nav.account-nav")).to_contain_text("Alex")
