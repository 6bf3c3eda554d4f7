"""Who may do what with reviews, projects and the list put to the vote.

Predicates read attributes only (the middleware resolved the role); the role sets
come from `carte.roles`. Views call them before a service: 403 when refused, 404
for another commune's object (the lookup is scoped).
"""

from collections.abc import Set

from budget import lifecycle
from budget.models import Project, Review
from carte.models import Organisation
from carte.roles import DECISION_ROLES, MODERATION_ROLES, REVIEW_ROLES, Role
from carte.tenancy import Actor
from participation.models import Cycle
from participation.phases import Feature, Phase, is_open


def _in(actor: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and actor.organisation_id == organisation_id


def _has_role(
    actor: Actor, organisation: Organisation | None, roles: Set[Role]
) -> bool:
    return (
        organisation is not None and _in(actor, organisation.pk) and actor.role in roles
    )


def can_manage_departments(actor: Actor, organisation: Organisation | None) -> bool:
    """Administrators create city services and choose their members."""
    return _has_role(actor, organisation, {Role.ADMIN})


def can_assign_review(actor: Actor, organisation: Organisation | None) -> bool:
    """Moderators and administrators send published proposals to a service."""
    return _has_role(actor, organisation, MODERATION_ROLES)


def can_see_worklist(actor: Actor, organisation: Organisation | None) -> bool:
    """Reviewers see their services' studies; administrators see every one."""
    return _has_role(actor, organisation, REVIEW_ROLES)


def can_complete_review(actor: Actor, review: Review, *, in_department: bool) -> bool:
    """An open study is completed by a member of its service, or an administrator.

    `in_department`: whether the actor is a member of the review's service (the
    caller reads it once).
    """
    if not _in(actor, review.organisation_id) or review.completed_at is not None:
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.REVIEWER and in_department


def can_build_projects(actor: Actor, organisation: Organisation | None) -> bool:
    """Reviewers and administrators build projects from feasible proposals."""
    return _has_role(actor, organisation, REVIEW_ROLES)


def can_edit_project(actor: Actor, project: Project) -> bool:
    """A project is edited by its builders while in preparation only."""
    return (
        _in(actor, project.organisation_id)
        and actor.role in REVIEW_ROLES
        and project.status in lifecycle.EDITABLE
    )


def can_decide_ballot_list(actor: Actor, organisation: Organisation | None) -> bool:
    """Elected officials and administrators validate the list put to the vote."""
    return _has_role(actor, organisation, DECISION_ROLES)


def can_validate_ballot_list(
    actor: Actor, cycle: Cycle, *, phase: Phase | None
) -> bool:
    """Deciders validate, or reopen, a cycle's list while VALIDATE_LIST is open
    (the review phase: the list is fixed before the vote starts)."""
    return (
        _in(actor, cycle.organisation_id)
        and actor.role in DECISION_ROLES
        and is_open(phase, Feature.VALIDATE_LIST)
    )


def can_comment_project(actor: Actor, project: Project) -> bool:
    """Any account of the commune, not blocked, while the project is in preparation.

    The co-construction step: the authors of the grouped proposals and everyone
    else discuss the project before the elected officials decide.
    """
    return (
        actor.is_authenticated
        and _in(actor, project.organisation_id)
        and not actor.is_blocked
        and project.status == lifecycle.Status.IN_PREPARATION
    )
