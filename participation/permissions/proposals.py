"""Who may do what with proposals, and at the counter (predicates read attributes
only; callers pass the phase, `cycle.phase_at(now)`)."""

from carte.models import Organisation
from carte.roles import COUNTER_ROLES
from carte.tenancy import Actor
from participation import workflow
from participation.models import Cycle, Proposal
from participation.permissions.cycles import acts_in, is_staff_of
from participation.permissions.moderation import party_for
from participation.phases import Feature, Phase, is_open

# Statuses an author can still edit (a draft, or one sent back by moderation).
EDITABLE_STATUSES = frozenset(
    {workflow.Status.DRAFT, workflow.Status.CHANGES_REQUESTED}
)


def can_propose(actor: Actor, cycle: Cycle, *, phase: Phase | None) -> bool:
    """Any account may propose in its commune's cycle while PROPOSE is open."""
    return (
        actor.is_authenticated
        and not actor.is_blocked
        and acts_in(actor, cycle.organisation_id)
        and is_open(phase, Feature.PROPOSE)
    )


def can_edit_proposal(actor: Actor, proposal: Proposal, *, phase: Phase | None) -> bool:
    """The author edits their draft (or a proposal sent back) while PROPOSE is open."""
    return (
        actor.is_authenticated
        and acts_in(actor, proposal.organisation_id)
        and proposal.author_id == actor.user_id
        and proposal.status in EDITABLE_STATUSES
        and is_open(phase, Feature.PROPOSE)
    )


def can_submit_at_counter(actor: Actor, cycle: Cycle, *, phase: Phase | None) -> bool:
    """A counter agent (or an administrator) enters a paper proposal for a resident."""
    return (
        actor.role in COUNTER_ROLES
        and acts_in(actor, cycle.organisation_id)
        and is_open(phase, Feature.PROPOSE)
    )


def can_access_counter(actor: Actor, organisation: Organisation) -> bool:
    """The counter screen itself, whatever the phases (it says when none is open)."""
    return actor.role in COUNTER_ROLES and acts_in(actor, organisation.pk)


def can_view_proposal(actor: Actor, proposal: Proposal) -> bool:
    """Public statuses for everyone; the author sees their own; staff see all.

    A hidden proposal (moderation, reports) is only its author's and the staff's.

    Another commune's proposal is never visible (the view answers 404).
    """
    if not acts_in(actor, proposal.organisation_id):
        return False
    if proposal.is_public:  # a public status, not hidden by the moderation
        return True
    if actor.is_authenticated and proposal.author_id == actor.user_id:
        return True
    return is_staff_of(actor, proposal.organisation_id) and (
        proposal.status != workflow.Status.DRAFT
    )


def can_withdraw(actor: Actor, proposal: Proposal) -> bool:
    """The author, or the counter for a paper proposal, while the status allows."""
    return _can_take(actor, proposal, workflow.Action.WITHDRAW)


def can_merge(actor: Actor, proposal: Proposal) -> bool:
    """The commune's moderation merges a duplicate while the status allows."""
    return _can_take(actor, proposal, workflow.Action.MERGE)


def _can_take(actor: Actor, proposal: Proposal, action: workflow.Action) -> bool:
    party = party_for(actor, proposal, action)
    return action in workflow.actions_from(workflow.Status(proposal.status), party)


def visible_statuses(actor: Actor, organisation: Organisation) -> frozenset[str]:
    """The statuses the actor may list and filter on (drafts stay their author's)."""
    if is_staff_of(actor, organisation.pk):
        return frozenset(s for s in workflow.Status if s != workflow.Status.DRAFT)
    return frozenset(workflow.PUBLIC_STATUSES)
