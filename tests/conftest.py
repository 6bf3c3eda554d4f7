"""Shared fixtures: the factories as fixtures, and clients on a commune's host."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Villeneuve-sur-Lys", slug="villeneuve")


@pytest.fixture
def other_organisation(db):
    return factories.OrganisationFactory(name="Saint-Aubin", slug="saint-aubin")


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def make_user(db):
    return factories.UserFactory


@pytest.fixture
def district(organisation):
    return factories.DistrictFactory(organisation=organisation)


def client_for(organisation, user=None) -> Client:
    """A test client talking to the organisation's own host."""
    client = Client(HTTP_HOST=organisation.site.hostname)
    if user is not None:
        client.force_login(user)
    return client


def row_counts(*models) -> tuple[int, ...]:
    """How many rows each model's table holds (to show a step adds nothing)."""
    return tuple(model.objects.count() for model in models)


@pytest.fixture
def commune_client(organisation):
    return client_for(organisation)


@pytest.fixture
def staff_of(db):
    """staff_of(organisation, role, mfa=True) -> (user, logged-in client)."""

    def make(organisation, role, *, mfa=True):
        member = factories.staff_member(organisation, role, mfa=mfa)
        return member, client_for(organisation, member)

    return make
