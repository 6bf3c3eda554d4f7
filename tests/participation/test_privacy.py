"""No e-mail, real name or private resident data on any public page or response."""

import pytest
from django.urls import reverse

from participation import workflow
from participation.models import Channel, ModerationEvent
from tests.conftest import client_for
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = (
    "camille.secret@example.org",
    "Camille",
    "Durand-Secret",
    "Jeanne Résidente",
    "07 98 76 54 32",
    "agent.secret@example.org",
    "Agent-Secret",
)


@pytest.fixture
def ideas(cycle, mapped):
    author = UserFactory(
        email="camille.secret@example.org",
        first_name="Camille",
        last_name="Durand-Secret",
        pseudonym="Pivoine",
    )
    agent = UserFactory(
        email="agent.secret@example.org",
        first_name="Agent-Secret",
        pseudonym="Guichet1",
    )
    online = ProposalFactory(
        cycle=cycle, author=author, latitude="46.800000", longitude="1.700000"
    )
    counter = ProposalFactory(
        cycle=cycle,
        author=None,
        channel=Channel.COUNTER,
        entered_by=agent,
        resident_name="Jeanne Résidente",
        resident_contact="07 98 76 54 32",
        latitude="46.790000",
        longitude="1.660000",
    )
    for proposal, actor, role in (
        (online, author, ""),
        (counter, agent, "counter_agent"),
    ):
        ModerationEvent.objects.create(
            organisation=proposal.organisation,
            proposal=proposal,
            actor=actor,
            actor_role=role,
            action="submit",
            from_status="draft",
            to_status="submitted",
        )
    return online, counter


def assert_private(content: str):
    for secret in SECRETS:
        assert secret not in content, secret


def test_public_pages_show_no_personal_data(commune_client, ideas):
    online, counter = ideas
    urls = [
        reverse("participation:proposal-list"),
        reverse("participation:proposal-list") + "?sort=supports",
        reverse("participation:proposal-map"),
        online.get_absolute_url(),
        counter.get_absolute_url(),
        reverse("participation:cycle-list"),
        reverse("participation:cycle-detail", args=[online.cycle.slug]),
        reverse("participation:proposal-geojson") + "?bbox=1.64,46.76,1.76,46.84",
        reverse("participation:proposal-similar") + f"?titre={online.title}",
    ]
    for url in urls:
        response = commune_client.get(url)
        assert response.status_code == 200, url
        assert_private(response.content.decode())


def test_the_pseudonym_and_the_counter_marker_are_shown(commune_client, ideas):
    online, counter = ideas
    assert "Pivoine" in commune_client.get(online.get_absolute_url()).content.decode()
    page = commune_client.get(counter.get_absolute_url()).content.decode()
    assert "Guichet1" not in page


def test_a_logged_in_citizen_sees_no_personal_data_either(organisation, ideas):
    client = client_for(organisation, UserFactory())
    _online, counter = ideas
    for url in (reverse("participation:proposal-list"), counter.get_absolute_url()):
        assert_private(client.get(url).content.decode())


def test_the_public_history_shows_the_role_not_the_agent(commune_client, ideas):
    _online, counter = ideas
    assert counter.status == workflow.Status.PUBLISHED
    page = commune_client.get(counter.get_absolute_url()).content.decode()
    assert "Agent-Secret" not in page
    assert "agent.secret@example.org" not in page
