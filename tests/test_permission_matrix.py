"""The back office's permission matrix, generated from the URL conf.

Every /gestion/ route (tests.routes) × anonymous, a citizen, each staff role, the
platform operator, and the other commune's administrator and moderator: GET, or
POST without data for the views that only take POST. The policy below says,
once, which roles may open which page (the intent of carte.permissions,
participation.permissions and budget.permissions, written out role by role, so
that a change of a role set shows here). Anonymous visitors are sent to log in;
a role not allowed gets 403; the other commune's staff get 404 for this
commune's objects from their own address (and 403 here, where they hold no
role); an allowed role gets the page (200), or for a POST its answer (a
redirect, or the page again with a refusal of the empty form: 400).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from carte.roles import Role
from tests import factories
from tests.routes import Route, backoffice_routes, demo_objects

ADMIN = frozenset({Role.ADMIN})
EVERY_ROLE = frozenset(Role)
MODERATION = frozenset({Role.MODERATOR, Role.ADMIN})
REVIEW = frozenset({Role.REVIEWER, Role.ADMIN})
DECISION = frozenset({Role.ELECTED, Role.ADMIN})
COUNTER = frozenset({Role.COUNTER_AGENT, Role.ADMIN})

# Which roles may open each back-office page. A route missing here fails.
POLICY: dict[str, frozenset[Role]] = {
    # The home page of the back office: every staff role.
    "carte:backoffice-home": EVERY_ROLE,
    # The team and the districts: the administrators.
    "carte:membership-list": ADMIN,
    "carte:membership-edit": ADMIN,
    "carte:district-list": ADMIN,
    "carte:district-import": ADMIN,
    "carte:district-edit": ADMIN,
    "carte:district-detail": ADMIN,
    # Cycles and their calendar: the administrators.
    "participation:cycle-manage-list": ADMIN,
    "participation:cycle-manage-create": ADMIN,
    "participation:cycle-manage-edit": ADMIN,
    # The counter: counter agents and administrators.
    "participation:counter-proposal-create": COUNTER,
    # Moderation: moderators and administrators.
    "participation:moderation-queue": MODERATION,
    "participation:moderation-publish": MODERATION,
    "participation:moderation-proposal": MODERATION,
    "participation:moderation-action": MODERATION,
    "participation:moderation-hide": MODERATION,
    "participation:moderation-restore": MODERATION,
    "participation:moderation-dismiss": MODERATION,
    "participation:moderation-comment": MODERATION,
    "participation:moderation-account": MODERATION,
    "participation:moderation-unblock": MODERATION,
    "participation:moderation-replies": MODERATION,
    "participation:moderation-reply-create": MODERATION,
    "participation:moderation-reply-edit": MODERATION,
    "participation:moderation-reply-toggle": MODERATION,
    "participation:moderation-replies-seed": MODERATION,
    "participation:proposal-merge": MODERATION,
    "budget:review-to-assign": MODERATION,
    "budget:review-assign": MODERATION,
    "budget:project-comment-moderate": MODERATION,
    # City services: the administrators.
    "budget:department-list": ADMIN,
    "budget:department-create": ADMIN,
    "budget:department-edit": ADMIN,
    # Studies and projects: reviewers (of the study's service) and administrators.
    "budget:review-list": REVIEW,
    "budget:review-edit": REVIEW,
    "budget:project-manage-list": REVIEW,
    "budget:project-create": REVIEW,
    "budget:project-edit": REVIEW,
    # The list put to the vote: elected officials and administrators.
    "budget:ballot-list-validate": DECISION,
    "budget:ballot-list-reopen": DECISION,
}


@dataclass(frozen=True)
class Who:
    """Someone trying a page: a role here, or staff of the other commune."""

    label: str
    role: Role | None = None
    authenticated: bool = True
    other_commune: bool = False  # staff of the other commune
    from_own_address: bool = False  # ...on their commune's address


WHO = [
    Who("anonymous", authenticated=False),
    Who("citizen"),
    *(Who(role.value, role=role) for role in Role),
    Who("operator", role=Role.ADMIN),
    *(
        Who(f"other {role.value} {where}", role, True, True, own)
        for role in (Role.ADMIN, Role.MODERATOR)
        for where, own in (("here", False), ("at home", True))
    ),
]


def expected(route: Route, who: Who) -> str:
    if not who.authenticated:
        return "login"
    allowed = who.role in POLICY[route.name]
    if who.other_commune:
        if not who.from_own_address:
            return "forbidden"  # they hold no role here
        return "missing" if allowed else "forbidden"
    return "allowed" if allowed else "forbidden"


def outcome(route: Route, response) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(reverse("account_login")):
        return "login"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "missing"
    if status == 200 or (route.post_only and status in (302, 400)):
        return "allowed"
    return f"{status} {location}".strip()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """Both communes, their staff with TOTP and this commune's demo objects,
    built once; each test's changes roll back, and these at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        here = factories.OrganisationFactory(name="Villeneuve", slug="villeneuve")
        other = factories.OrganisationFactory(name="Saint-Aubin", slug="saint-aubin")
        staff = {}
        for role in Role:
            staff[role] = factories.MembershipFactory(organisation=here, role=role).user
        staff["operator"] = factories.UserFactory(is_superuser=True, is_staff=True)
        for role in (Role.ADMIN, Role.MODERATOR):
            staff[("other", role)] = factories.MembershipFactory(
                organisation=other, role=role
            ).user
        for user in staff.values():
            factories.add_totp(user)
        staff["citizen"] = factories.UserFactory()
        objects = demo_objects(here, reviewer=staff[Role.REVIEWER])
        yield {"here": here, "other": other, "staff": staff, "objects": objects}
        transaction.set_rollback(True)


def client_of(world: dict[str, Any], who: Who) -> Client:
    organisation = world["other" if who.from_own_address else "here"]
    client = Client(HTTP_HOST=organisation.site.hostname)
    if not who.authenticated:
        return client
    if who.other_commune:
        user = world["staff"][("other", who.role)]
    elif who.label in ("citizen", "operator"):
        user = world["staff"][who.label]
    else:
        user = world["staff"][who.role]
    client.force_login(user)
    return client


def cases() -> Iterator[Any]:
    for route in backoffice_routes():
        for who in WHO:
            # From their own address, the other commune's staff only try pages
            # naming one of this commune's objects.
            if who.from_own_address and not route.arguments:
                continue
            yield pytest.param(route, who, id=f"{route.name}-{who.label}")


def test_every_backoffice_route_has_a_policy():
    names = {route.name for route in backoffice_routes()}
    assert names - set(POLICY) == set(), "add the new pages to POLICY"
    assert set(POLICY) - names == set(), "POLICY names pages that are gone"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "who"), list(cases()))
def test_backoffice_page_answers_each_role_as_the_policy_says(world, route, who):
    client = client_of(world, who)
    path = route.path(world["objects"])
    response = client.post(path) if route.post_only else client.get(path)
    assert outcome(route, response) == expected(route, who), (
        f"{'POST' if route.post_only else 'GET'} {path} as {who.label}"
    )


def walked_routes() -> list[Route]:
    """This walk's routes, for tests/test_routes.py: the whole back office."""
    return backoffice_routes()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in backoffice_routes() if r.post_only],
    ids=lambda route: route.name,
)
def test_post_only_pages_refuse_get(world, route):
    client = client_of(world, Who("admin", role=Role.ADMIN))
    assert client.get(route.path(world["objects"])).status_code == 405
