"""Each phase of the table, through the real views: proposing (PROPOSE).

The supports and comments engineer checks SUPPORT and COMMENT the same way.
"""

import pytest
from django.urls import reverse

from carte.roles import Role
from participation.models import Proposal
from participation.phases import Feature, Phase, is_open
from tests.conftest import client_for
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Des nichoirs dans le parc",
    "description": "Pour les mésanges.",
    "action": "submit",
}


@pytest.mark.parametrize("phase", [None, *Phase])
def test_the_proposal_form_opens_exactly_when_the_table_says(phase, organisation, user):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    client = client_for(organisation, user)
    url = reverse("participation:proposal-create", args=[cycle.slug])
    expected_open = is_open(phase, Feature.PROPOSE)
    response = client.get(url)
    assert response.status_code == (200 if expected_open else 403)
    response = client.post(url, FORM)
    assert response.status_code == (302 if expected_open else 403)
    assert Proposal.objects.exists() is expected_open


@pytest.mark.parametrize("phase", [None, *Phase])
def test_the_cycle_page_links_to_the_form_exactly_when_proposing_is_open(
    phase, organisation, commune_client
):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    page = commune_client.get(reverse("participation:cycle-detail", args=[cycle.slug]))
    link = reverse("participation:proposal-create", args=[cycle.slug])
    assert (link in page.content.decode()) is is_open(phase, Feature.PROPOSE)


@pytest.mark.parametrize("phase", [None, *Phase])
def test_the_counter_accepts_ideas_exactly_when_the_table_says(
    phase, organisation, staff_of
):
    cycle = CycleFactory(organisation=organisation, phase=phase or False)
    _agent, client = staff_of(organisation, Role.COUNTER_AGENT)
    response = client.post(
        reverse("participation:counter-proposal-create"),
        FORM | {"cycle": cycle.pk, "resident_name": "Léa Martin"},
    )
    expected_open = is_open(phase, Feature.PROPOSE)
    assert response.status_code == (302 if expected_open else 400)
    assert Proposal.objects.exists() is expected_open
