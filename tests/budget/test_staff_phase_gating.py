"""Staff features × phases through the real views: what the phase table opens.

The table (participation.phases) is the policy; each view here must follow it,
in every phase and between phases. Paper ballots, tally and publication have no
view yet: their rows of the table are checked by the pure test only.
"""

import pytest
from django.urls import reverse

from budget.models import BallotListDecision
from carte.roles import Role
from participation import workflow
from participation.phases import Feature, Phase, is_open
from tests.factories import CycleFactory, ProjectFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PHASES = [None, *Phase]  # None: between phases, or a cycle without dates


def cycle_in(organisation, phase):
    return CycleFactory(organisation=organisation, phase=phase or False)


@pytest.mark.parametrize("phase", PHASES)
def test_validating_the_list_follows_the_table(phase, organisation, staff_of):
    _user, client = staff_of(organisation, Role.ELECTED)
    cycle = cycle_in(organisation, phase)
    project = ProjectFactory(cycle=cycle)
    url = reverse("budget:ballot-list-validate") + f"?cycle={cycle.pk}"
    response = client.post(
        url, {f"decision_{project.pk}": "put_on_ballot", "confirm": "1"}
    )
    opened = is_open(phase, Feature.VALIDATE_LIST)
    assert response.status_code == (302 if opened else 403)
    assert BallotListDecision.objects.exists() is opened


@pytest.mark.parametrize("phase", PHASES)
def test_moderating_follows_the_table(phase, organisation, staff_of):
    _user, client = staff_of(organisation, Role.MODERATOR)
    proposal = ProposalFactory(
        cycle=cycle_in(organisation, phase), status=workflow.Status.SUBMITTED
    )
    url = reverse(
        "participation:moderation-action",
        args=[proposal.pk, workflow.Action.PUBLISH],
    )
    response = client.post(url)
    proposal.refresh_from_db()
    opened = is_open(phase, Feature.MODERATE)
    assert opened  # moderation never closes
    assert response.status_code == 302
    assert proposal.status == workflow.Status.PUBLISHED
