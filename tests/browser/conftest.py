"""Browser tests: Playwright drives Debian's Chromium against the live server.

Run with `make test-browser` (STYLE.md section 10). Chromium comes from Debian
(`/usr/bin/chromium`), axe-core from npm (`package.json`); nothing is downloaded
at run time. Tests here use the live server, so their database is transactional;
the serialized rollback restores what the migrations created (Wagtail's root
page, locale and collection) after each test flushes the tables.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from cms.services import organisation_create

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The background-networking flags matter: without them Chromium keeps opening
# connections to Google services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, even if its mark is forgotten."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# The one Chromium of the test run. Test modules outside this folder import these
# fixtures, which makes pytest set `browser` up once more: a second Playwright in
# the same thread fails, so later set-ups reuse the first browser.
_launched: list[Browser] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if _launched:
        yield _launched[0]
        return
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash .ci/browser-deps` (installs Debian's "
            "chromium package); never `playwright install`."
        )
    # Django keeps a connection per thread, but per asyncio context while an event
    # loop runs, and Playwright's sync API keeps one running in this thread: Django
    # would then open other connections, missing the serialized contents of the
    # test database. Keep this thread's connections while the loop runs.
    thread_connections = {alias: connections[alias] for alias in connections}
    # For the same reason Django takes the ORM calls that tests make between
    # browser steps for calls from async code; they are synchronous and safe.
    allow_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        _launched.append(browser)
        try:
            yield browser
        finally:
            _launched.clear()
            browser.close()
            if allow_async_unsafe is None:
                del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow_async_unsafe


@pytest.fixture
def live_organisation(live_server, django_db_serialized_rollback):
    """The organisation served at the live server's address (and any other host)."""
    cache.clear()  # Wagtail's site root paths and allauth's rate limits live there
    mail.outbox = []
    address = urlsplit(live_server.url)
    return organisation_create(
        name="Villeneuve-sur-Lys",
        slug="villeneuve",
        hostname=address.hostname,
        port=address.port,
        is_default_site=True,
        contact_email="mairie@villeneuve.example",
    )


@pytest.fixture
def new_context(browser, live_server, live_organisation) -> Iterator[Callable]:
    """new_context(**options) -> a French browser context on the live server."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options = {
            "base_url": live_server.url,
            "locale": "fr-FR",
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class ConsoleErrors(list):
    """Console errors and uncaught exceptions of a page (CSP violations among them)."""

    def __init__(self, page: Page):
        super().__init__()
        page.on(
            "console",
            lambda message: (
                self.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))


@pytest.fixture
def page(new_context) -> Page:
    """A page under the real content security policy; see `console_errors`."""
    page = new_context().new_page()
    page.console_errors = ConsoleErrors(page)
    return page


@pytest.fixture
def console_errors(page) -> ConsoleErrors:
    return page.console_errors


@pytest.fixture
def nojs_page(new_context) -> Page:
    """A page in a browser with JavaScript turned off."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def axe_page(new_context) -> Page:
    """A page whose context ignores the CSP, so that axe-core can be injected.

    What the CSP would block is checked separately, under the real policy, by the
    tests using `page` and `console_errors`.
    """
    return new_context(bypass_csp=True).new_page()


def failure_summary(node: dict) -> str:
    """axe's summary on one line: "Fix any of the following: a; b"."""
    summary = ""
    for line in node.get("failureSummary", "").splitlines():
        if line := line.strip():
            separator = " " if not summary or summary.endswith(":") else "; "
            summary += (separator if summary else "") + line
    return summary


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {failure_summary(node)}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or `bash .ci/browser-deps`).")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, axe_source: str) -> list:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    return results["violations"]


@pytest.fixture
def axe(axe_source) -> Callable[[Page], None]:
    """axe(page): assert that the page as it stands has no WCAG 2.1 A/AA violation."""

    def check(page: Page) -> None:
        if violations := axe_violations(page, axe_source):
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return check


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/compte/login/")
    page.locator("main input[name='login']").fill(email)
    page.locator("main input[name='password']").fill(password)
    with page.expect_navigation():
        page.locator("main form [type='submit']").first.click()


def logged_in(new_context, live_server, user, **options) -> Page:
    """A page whose session is `user`'s (a staff member has two-step login set)."""
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return page


def focused(page: Page, selector: str) -> bool:
    """Whether the element matching `selector` has the focus."""
    return page.evaluate(
        "selector => document.activeElement?.matches(selector) ?? false", selector
    )


def tab_to(page: Page, selector: str, *, limit: int) -> None:
    """Press Tab until the element matching `selector` has the focus (at most
    `limit` times: a keyboard user should not need more on that page)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")
