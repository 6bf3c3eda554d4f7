"""Who may report a content (predicate). One report per account and content is
a constraint, checked by `participation.services.reports`."""

from carte.tenancy import Actor
from participation.models import Comment, Proposal
from participation.permissions.comments import can_contribute
from participation.phases import Phase


def can_report(
    actor: Actor, target: Proposal | Comment, *, phase: Phase | None = None
) -> bool:
    """Any account may report public content of its commune that is not its own."""
    if not can_contribute(actor, target.organisation_id):
        return False
    if isinstance(target, Comment):
        return (
            target.proposal.is_public
            and target.deleted_at is None
            and target.hidden_at is None
            and target.author_id != actor.user_id
        )
    return target.is_public and target.author_id != actor.user_id
