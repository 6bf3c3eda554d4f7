"""Every back-office page, in a real browser, for each role that may open it.

The pages are generated (tests.routes): every /gestion/ route taking GET, filled
with demo objects, opened as each role the permission matrix allows
(tests.test_permission_matrix.POLICY), in one logged-in context per role. Each
page answers 200, has zero axe-core WCAG 2.1 A/AA violations, and at 375 px wide
does not scroll sideways. One test per role lists every failing page at once.
"""

import pytest

from carte.roles import Role
from tests import factories
from tests.browser.conftest import axe_violations, format_violations, logged_in
from tests.routes import Route, backoffice_routes, demo_objects
from tests.test_permission_matrix import POLICY

pytestmark = pytest.mark.browser

NARROW = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}


def walked_routes() -> list[Route]:
    """This walk's routes, for tests/test_routes.py: the back office's pages."""
    return [route for route in backoffice_routes() if not route.post_only]


def pages_for(role: Role) -> list[Route]:
    return [route for route in walked_routes() if role in POLICY[route.name]]


def overflow(page) -> int:
    """How far the page reaches beyond its viewport's width (0: it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )


def wide_elements(page) -> list[str]:
    """The deepest elements reaching beyond the viewport and not clipped by a
    box that fits (say, an absolutely placed label escaping its scroller), to say
    what to fix."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const beyond = e => e.getBoundingClientRect().right > width + 1;
            const clipped = e => {  // inside a scroller or a clipping box that fits
                for (let a = e.parentElement; a; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== "visible" && !beyond(a)
                        && a !== document.body && a !== document.documentElement) {
                        return true;
                    }
                }
                return false;
            };
            const wide = [...document.querySelectorAll("body *")].filter(
                e => beyond(e) && !clipped(e));
            return wide.filter(e => !wide.some(o => o !== e && e.contains(o)))
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                     + (e.className && typeof e.className === "string"
                        ? "." + e.className.trim().split(/\\s+/).join(".") : "")
                     + " (" + Math.round(e.getBoundingClientRect().right) + " px)");
        }"""
    )


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_backoffice_page_is_accessible_and_fits_375_px(
    role, live_organisation, new_context, live_server, axe_source
):
    staff = {}
    for each in Role:
        staff[each] = factories.MembershipFactory(
            organisation=live_organisation, role=each
        ).user
        factories.add_totp(staff[each])
    objects = demo_objects(live_organisation, reviewer=staff[Role.REVIEWER])
    page = logged_in(new_context, live_server, staff[role], bypass_csp=True)
    failures = []
    for route in pages_for(role):
        path = route.path(objects)
        page.set_viewport_size(WIDE)
        response = page.goto(path)
        if response is None or response.status != 200:
            failures.append(f"{path}: {response.status if response else 'no answer'}")
            continue
        if violations := axe_violations(page, axe_source):
            failures.append(format_violations(path, violations))
        page.set_viewport_size(NARROW)
        if (extra := overflow(page)) > 0:
            culprits = ", ".join(wide_elements(page))
            failures.append(f"{path}: {extra} px wider than 375 px: {culprits}")
    assert pages_for(role), f"no back-office page for {role}"
    assert failures == [], "\n".join(failures)
