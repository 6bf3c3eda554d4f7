"""Who may comment, edit, delete and moderate comments (predicates).

`can_<verb>(actor, obj, *, phase=None) -> bool`, reading attributes only: the
middleware resolved the actor's role, the caller passes the cycle's current phase.
A comment's predicates read `comment.proposal`: select it with the comment.
`is_member` and `can_contribute` serve the other interaction features too.
"""

from datetime import datetime, timedelta

from django.conf import settings

from carte.roles import MODERATION_ROLES
from carte.tenancy import Actor
from participation.models import Comment, Proposal
from participation.phases import Feature, Phase, is_open


def comment_edit_window() -> timedelta:
    """How long an author may edit a comment (setting AGORA_COMMENT_EDIT_MINUTES)."""
    return timedelta(minutes=getattr(settings, "AGORA_COMMENT_EDIT_MINUTES", 15))


def is_member(actor: Actor, organisation_id: int) -> bool:
    """An account acting in this commune."""
    return actor.is_authenticated and actor.organisation_id == organisation_id


def can_contribute(
    actor: Actor, organisation_id: int, *, phase: Phase | None = None
) -> bool:
    """An account of the commune that no moderator has blocked."""
    return is_member(actor, organisation_id) and not actor.is_blocked


def can_view_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None = None
) -> bool:
    """A comment is shown with its proposal, once that one is public."""
    return comment.proposal.is_public


def can_comment(
    actor: Actor, proposal: Proposal, *, phase: Phase | None = None
) -> bool:
    """Any account, on an open proposal of its commune, while comments are open."""
    return (
        can_contribute(actor, proposal.organisation_id)
        and proposal.is_active
        and is_open(phase, Feature.COMMENT)
    )


def can_edit_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None = None, now: datetime
) -> bool:
    """Its author, for a short while after writing, unless deleted or hidden.

    The phase does not matter: the window is short, and fixing a typo just after
    the phase closed changes nothing of substance.
    """
    return (
        is_member(actor, comment.organisation_id)
        and comment.author_id == actor.user_id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and now < comment.created_at + comment_edit_window()
    )


def can_delete_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None = None
) -> bool:
    """Its author, at any time (one's own words can always be taken back)."""
    return (
        is_member(actor, comment.organisation_id)
        and comment.author_id == actor.user_id
        and comment.deleted_at is None
    )


def can_moderate_comment(
    actor: Actor, comment: Comment, *, phase: Phase | None = None
) -> bool:
    """Moderators and administrators of the comment's commune, in any phase."""
    return is_member(actor, comment.organisation_id) and actor.role in MODERATION_ROLES


def can_read_hide_reason(
    actor: Actor, comment: Comment, *, phase: Phase | None = None
) -> bool:
    """The moderator's words on a hidden comment: its author and the commune's
    moderators only; everyone else reads the category alone."""
    if not is_member(actor, comment.organisation_id):
        return False
    return comment.author_id == actor.user_id or actor.role in MODERATION_ROLES
