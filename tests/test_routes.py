"""The route catalogue (tests.routes) is complete, and every route is walked.

STYLE section 10: a route of the URL conf that cannot be filled with demo
objects, or that no walk visits, fails here. Until the bad-input pass covers
every route, the public pages have their own walk below: each one, as a visitor
and as a citizen, answers without a server error.
"""

import importlib

import pytest
from django.urls import resolve

from tests import factories
from tests.conftest import client_for
from tests.routes import FILLS, agora_routes, demo_objects

# The walks over the catalogue: module -> the function giving its routes.
WALKS = {
    "tests.test_permission_matrix": "walked_routes",
    "tests.browser.test_backoffice_walk": "walked_routes",
    "tests.test_routes": "walked_routes",
}


def walked_routes():
    """This module's walk: the public pages (the back office has its own)."""
    return [route for route in agora_routes() if not route.is_backoffice]


def test_the_catalogue_finds_the_apps_routes_and_only_them():
    names = {route.name for route in agora_routes()}
    assert {
        "healthz",
        "profile-edit",
        "carte:backoffice-home",
        "maps:address-search",
        "participation:proposal-detail",
        "participation:proposal-geojson",
        "budget:review-edit",
    } <= names
    assert not {"api-schema", "account_login", "wagtail_serve"} & names
    assert not any(name.startswith("testing:") for name in names)


def test_the_catalogue_reads_the_methods_each_view_takes():
    routes = {route.name: route for route in agora_routes()}
    assert routes["participation:moderation-publish"].methods == {"POST"}
    assert routes["participation:proposal-detail"].methods == {"GET", "POST"}
    assert routes["participation:proposal-geojson"].methods == {"GET"}


def test_every_route_is_in_a_walk():
    walked = set()
    for module, function in WALKS.items():
        walked |= {
            route.name for route in getattr(importlib.import_module(module), function)()
        }
    missing = {route.name for route in agora_routes()} - walked
    assert missing == set(), "add these routes to a walk (tests.routes)"


def test_fills_name_only_existing_arguments():
    routes = {route.name: route for route in agora_routes()}
    for name, fills in FILLS.items():
        assert name in routes, f"FILLS names a route that is gone: {name}"
        assert set(fills) == set(routes[name].arguments), name


@pytest.mark.django_db
def test_every_route_can_be_filled_with_demo_objects(organisation):
    reviewer = factories.MembershipFactory(organisation=organisation).user
    objects = demo_objects(organisation, reviewer=reviewer)
    unfilled = []
    for route in agora_routes():
        try:
            path = route.path(objects)
        except (KeyError, AttributeError) as error:
            unfilled.append(f"{route.name}: {error!r}")
            continue
        assert resolve(path).func is route.view, route.name
    assert unfilled == [], "add these routes to tests.routes.FILLS"


@pytest.mark.django_db
@pytest.mark.parametrize("as_citizen", [False, True], ids=["visitor", "citizen"])
def test_public_pages_answer_without_a_server_error(organisation, as_citizen):
    reviewer = factories.MembershipFactory(organisation=organisation).user
    objects = demo_objects(organisation, reviewer=reviewer)
    client = client_for(organisation, factories.UserFactory() if as_citizen else None)
    errors = []
    for route in walked_routes():
        path = route.path(objects)
        response = client.post(path) if route.post_only else client.get(path)
        if response.status_code >= 500:
            errors.append(f"{path}: {response.status_code}")
    assert errors == []
