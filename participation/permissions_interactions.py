"""Who may support, comment, moderate comments, report and follow (predicates).

`can_<verb>(actor, obj, *, phase) -> bool`, reading attributes only: the middleware
resolved the actor's role, the caller passes the cycle's current phase. Rules that
need the database (one support per account, one report per target) live in
`participation.services.interactions` and in constraints. A comment's predicates
read `comment.proposal`: select it with the comment.
"""

from datetime import datetime, timedelta

from django.conf import settings

from carte.roles import Role
from carte.tenancy import Actor
from participation.models import Comment, Proposal
from participation.phases import Feature, Phase, is_open

# Roles that hide and restore comments.
COMMENT_MODERATOR_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


def comment_edit_window() -> timedelta:
    """How long an author may edit a comment (setting AGORA_COMMENT_EDIT_MINUTES)."""
    return timedelta(minutes=getattr(settings, "AGORA_COMMENT_EDIT_MINUTES", 15))


def _member_of(actor: Actor, organisation_id: int) -> bool:
    return actor.is_authenticated and actor.organisation_id == organisation_id


def _contributor(actor: Actor, organisation_id: int) -> bool:
    """An account of the commune that no moderator has blocked."""
    return _member_of(actor, organisation_id) and not actor.is_blocked


def can_support(actor: Actor, proposal: Proposal, *, phase: Phase | None) -> bool:
    """Any account, on an open proposal of its commune, while supports are open.

    Withdrawing follows the same rule: the count is frozen once the phase ends.
    A merged, forwarded, withdrawn or rejected proposal takes no more supports.
    """
    return (
        _contributor(actor, proposal.organisation_id)
        and proposal.is_active
        and is_open(phase, Feature.SUPPORT)
    )


def can_comment(actor: Actor, proposal: Proposal, *, phase: Phase | None) -> bool:
    """Any account, on an open proposal of its commune, while comments are open."""
    return (
        _contributor(actor, proposal.organisation_id)
        and proposal.is_active
        and is_open(phase, Feature.COMMENT)
    )


def can_edit_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None, now: datetime
) -> bool:
    """Its author, for a short while after writing, unless deleted or hidden.

    The phase does not matter: the window is short, and fixing a typo just after
    the phase closed changes nothing of substance.
    """
    return (
        _member_of(actor, comment.organisation_id)
        and comment.author_id == actor.user_id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and now < comment.created_at + comment_edit_window()
    )


def can_delete_comment(actor: Actor, comment: Comment, *, phase: Phase | None) -> bool:
    """Its author, at any time (one's own words can always be taken back)."""
    return (
        _member_of(actor, comment.organisation_id)
        and comment.author_id == actor.user_id
        and comment.deleted_at is None
    )


def can_moderate_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None
) -> bool:
    """Moderators and administrators of the comment's commune, in any phase."""
    return (
        _member_of(actor, comment.organisation_id)
        and actor.role in COMMENT_MODERATOR_ROLES
    )


def can_report(
    actor: Actor, target: Proposal | Comment, *, phase: Phase | None
) -> bool:
    """Any account may report public content of its commune that is not its own."""
    if not _contributor(actor, target.organisation_id):
        return False
    if isinstance(target, Comment):
        return (
            target.proposal.is_public
            and target.deleted_at is None
            and target.hidden_at is None
            and target.author_id != actor.user_id
        )
    return target.is_public and target.author_id != actor.user_id


def can_follow(actor: Actor, proposal: Proposal, *, phase: Phase | None) -> bool:
    """Any account, on a public proposal of its commune or on its own proposal."""
    return _member_of(actor, proposal.organisation_id) and (
        proposal.is_public or proposal.author_id == actor.user_id
    )
