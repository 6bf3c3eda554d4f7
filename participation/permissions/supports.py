"""Who may support a proposal (predicate). Rules that need the database (one
support per account) live in `participation.services.supports` and in constraints."""

from carte.tenancy import Actor
from participation.models import Proposal
from participation.permissions.comments import can_contribute
from participation.phases import Feature, Phase, is_open


def can_support(
    actor: Actor, proposal: Proposal, *, phase: Phase | None = None
) -> bool:
    """Any account, on an open proposal of its commune, while supports are open.

    Withdrawing follows the same rule: the count is frozen once the phase ends.
    A merged, forwarded, withdrawn or rejected proposal takes no more supports.
    """
    return (
        can_contribute(actor, proposal.organisation_id)
        and proposal.is_active
        and is_open(phase, Feature.SUPPORT)
    )
