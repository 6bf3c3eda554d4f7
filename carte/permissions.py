"""Who may do what in the back office (predicates read attributes only)."""

from carte.models import Organisation
from carte.roles import STAFF_ROLES, Role
from carte.tenancy import Actor


def _in(actor: Actor, organisation: Organisation | None) -> bool:
    return organisation is not None and actor.organisation_id == organisation.pk


def can_access_backoffice(actor: Actor, organisation: Organisation | None) -> bool:
    """Any staff role of this organisation."""
    return _in(actor, organisation) and actor.role in STAFF_ROLES


def can_manage_team(actor: Actor, organisation: Organisation | None) -> bool:
    """Only the organisation's administrators grant and change roles."""
    return _in(actor, organisation) and actor.role == Role.ADMIN


def can_manage_districts(actor: Actor, organisation: Organisation | None) -> bool:
    """Only the organisation's administrators draw and import districts."""
    return can_manage_team(actor, organisation)
