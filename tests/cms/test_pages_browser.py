"""The demo pages and the 404 in a real browser: no WCAG 2.1 A/AA violation.

Uses the browser fixtures of tests/browser (Debian's Chromium, axe-core from npm);
run with `make test-browser` or `pytest -m browser tests/cms`.
"""

import pytest

from cms.demo_pages import load_pages
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    axe_page,
    axe_source,
    browser,
    console_errors,
    live_organisation,
    new_context,
    page,
)
from tests.cms.helpers import give_contact_details

pytestmark = pytest.mark.browser

PATHS = [
    "/",
    "/comment-ca-marche/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/mentions-legales/",
]


@pytest.fixture
def demo_site(live_organisation):  # noqa: F811
    give_contact_details(live_organisation)
    load_pages(live_organisation)
    return live_organisation


@pytest.mark.parametrize("path", PATHS)
def test_demo_page_has_no_accessibility_violation(demo_site, axe_page, axe, path):  # noqa: F811
    response = axe_page.goto(path)
    assert response.status == 200
    axe(axe_page)


def test_404_page_has_no_accessibility_violation(demo_site, axe_page, axe):  # noqa: F811
    response = axe_page.goto("/nulle-part/")
    assert response.status == 404
    # Styled like the rest of the site (agora.css and the commune's theme).
    assert axe_page.evaluate("document.styleSheets.length") == 2
    axe(axe_page)


@pytest.mark.parametrize("path", PATHS)
def test_pages_load_under_the_content_security_policy(
    demo_site,
    page,  # noqa: F811
    console_errors,  # noqa: F811
    path,
):
    page.goto(path)
    assert console_errors == []
