"""Who may do what with cycles and proposals (predicates read attributes only).

The middleware resolved the actor's role in the current organisation; callers pass
the phase (`cycle.phase_at(now)`), so the phase table (participation.phases) is the
only place deciding what is open when.
"""

from carte.roles import STAFF_ROLES, Role
from carte.tenancy import Actor
from participation import workflow
from participation.models import Cycle, Proposal
from participation.phases import Feature, Phase, is_open

COUNTER_ROLES = frozenset({Role.COUNTER_AGENT, Role.ADMIN})
# Statuses an author can still edit (a draft, or one sent back by moderation).
EDITABLE_STATUSES = frozenset(
    {workflow.Status.DRAFT, workflow.Status.CHANGES_REQUESTED}
)


def _same_organisation(actor: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and actor.organisation_id == organisation_id


def _is_staff_of(actor: Actor, organisation_id: int | None) -> bool:
    return _same_organisation(actor, organisation_id) and actor.role in STAFF_ROLES


def can_propose(actor: Actor, cycle: Cycle, *, phase: Phase | None) -> bool:
    """Any account may propose in its commune's cycle while PROPOSE is open."""
    return (
        actor.is_authenticated
        and not actor.is_blocked
        and _same_organisation(actor, cycle.organisation_id)
        and is_open(phase, Feature.PROPOSE)
    )


def can_edit_proposal(actor: Actor, proposal: Proposal, *, phase: Phase | None) -> bool:
    """The author edits their draft (or a proposal sent back) while PROPOSE is open."""
    return (
        actor.is_authenticated
        and _same_organisation(actor, proposal.organisation_id)
        and proposal.author_id == actor.user_id
        and proposal.status in EDITABLE_STATUSES
        and is_open(phase, Feature.PROPOSE)
    )


def can_submit_at_counter(actor: Actor, cycle: Cycle, *, phase: Phase | None) -> bool:
    """A counter agent (or an administrator) enters a paper proposal for a resident."""
    return (
        actor.role in COUNTER_ROLES
        and _same_organisation(actor, cycle.organisation_id)
        and is_open(phase, Feature.PROPOSE)
    )


def can_access_counter(actor: Actor, organisation_id: int | None) -> bool:
    """The counter screen itself, whatever the phases (it says when none is open)."""
    return actor.role in COUNTER_ROLES and _same_organisation(actor, organisation_id)


def can_view_proposal(actor: Actor, proposal: Proposal) -> bool:
    """Public statuses for everyone; the author sees their own; staff see all.

    A hidden proposal (moderation, reports) is only its author's and the staff's.

    Another commune's proposal is never visible (the view answers 404).
    """
    if not _same_organisation(actor, proposal.organisation_id):
        return False
    if proposal.is_public:  # a public status, not hidden by the moderation
        return True
    if actor.is_authenticated and proposal.author_id == actor.user_id:
        return True
    return _is_staff_of(actor, proposal.organisation_id) and (
        proposal.status != workflow.Status.DRAFT
    )


def visible_statuses(actor: Actor, organisation_id: int | None) -> frozenset[str]:
    """The statuses the actor may list and filter on (drafts stay their author's)."""
    if _is_staff_of(actor, organisation_id):
        return frozenset(s for s in workflow.Status if s != workflow.Status.DRAFT)
    return frozenset(workflow.PUBLIC_STATUSES)


def can_manage_cycles(actor: Actor, organisation_id: int | None) -> bool:
    """The commune's administrators create cycles and date their phases."""
    return actor.role == Role.ADMIN and _same_organisation(actor, organisation_id)
