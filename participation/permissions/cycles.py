"""Who may do what with the commune's cycles (predicates read attributes only).

The middleware resolved the actor's role in the current organisation; callers pass
the phase (`cycle.phase_at(now)`), so the phase table (participation.phases) is the
only place deciding what is open when.
"""

from carte.models import Organisation
from carte.roles import STAFF_ROLES, Role
from carte.tenancy import Actor


def acts_in(actor: Actor, organisation_id: int | None) -> bool:
    """Whether the actor was resolved in this organisation (never another's)."""
    return organisation_id is not None and actor.organisation_id == organisation_id


def is_staff_of(actor: Actor, organisation_id: int | None) -> bool:
    """Whether the actor holds a staff role in this organisation."""
    return acts_in(actor, organisation_id) and actor.role in STAFF_ROLES


def can_manage_cycles(actor: Actor, organisation: Organisation) -> bool:
    """The commune's administrators create cycles and date their phases."""
    return actor.role == Role.ADMIN and acts_in(actor, organisation.pk)
