"""Who may follow a proposal (predicate)."""

from carte.tenancy import Actor
from participation.models import Proposal
from participation.permissions.comments import is_member
from participation.phases import Phase


def can_follow(actor: Actor, proposal: Proposal, *, phase: Phase | None = None) -> bool:
    """Any account, on a public proposal of its commune or on its own proposal."""
    return is_member(actor, proposal.organisation_id) and (
        proposal.is_public or proposal.author_id == actor.user_id
    )
