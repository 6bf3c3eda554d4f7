"""Fixtures for the participation tests: a commune with bounds and two districts,
a cycle in its ideas phase, themes."""

import pytest
from django.urls import reverse

from carte.roles import Role
from carte.tenancy import Actor
from participation.phases import FEATURES
from participation.services.comments import comment_hide
from tests.factories import (
    CycleFactory,
    DistrictFactory,
    ProposalFactory,
    ThemeFactory,
    build_proposal,
)

BOUNDS = [1.64, 46.76, 1.76, 46.84]  # west, south, east, north
WEST = {
    "type": "Polygon",
    "coordinates": [
        [[1.64, 46.76], [1.70, 46.76], [1.70, 46.84], [1.64, 46.84], [1.64, 46.76]]
    ],
}
EAST = {
    "type": "Polygon",
    "coordinates": [
        [[1.70, 46.76], [1.76, 46.76], [1.76, 46.84], [1.70, 46.84], [1.70, 46.76]]
    ],
}


@pytest.fixture
def mapped(organisation):
    """The organisation with map bounds and two districts side by side."""
    organisation.map_bounds = BOUNDS
    organisation.save(update_fields=["map_bounds"])
    west = DistrictFactory(organisation=organisation, name="Les Tilleuls", outline=WEST)
    east = DistrictFactory(organisation=organisation, name="La Gare", outline=EAST)
    return {"west": west, "east": east}


@pytest.fixture
def cycle(organisation):
    return CycleFactory(organisation=organisation, slug="budget-2027")


@pytest.fixture
def proposal(organisation):
    """A published proposal, in a cycle of its own."""
    return ProposalFactory(cycle=CycleFactory(organisation=organisation))


@pytest.fixture
def theme(organisation):
    return ThemeFactory(organisation=organisation, name="Nature en ville")


@pytest.fixture
def moderator_hides(staff_of):
    """moderator_hides(comment, reason) -> a new moderator's client, after they
    hid the comment through the service."""

    def hide(comment, reason):
        moderator, client = staff_of(comment.organisation, Role.MODERATOR)
        comment_hide(
            organisation=comment.organisation,
            comment_id=comment.pk,
            actor=moderator,
            reason=reason,
        )
        return client

    return hide


def url_of(name: str, row) -> str:
    """The participation URL `name` of a proposal or a comment."""
    return reverse(f"participation:{name}", args=[row.pk])


def assert_back_at(response, proposal, anchor: str) -> None:
    """The response sends back to the proposal's page, at `anchor`."""
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url() + f"#{anchor}"


def assert_open_in_phases(predicate, feature, role, phase, organisation) -> None:
    """`predicate` lets any account act exactly in the phases opening `feature`."""
    actor = Actor.with_role(role, organisation=organisation)
    proposal = build_proposal(organisation)
    expected = phase is not None and feature in FEATURES[phase]
    assert predicate(actor, proposal, phase=phase) is expected
