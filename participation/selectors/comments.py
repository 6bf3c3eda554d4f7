"""What the comment screens read, without N+1."""

from django.db.models import Prefetch, QuerySet

from carte.formats import parse_id
from carte.models import Organisation, User
from participation.models import Comment, Proposal

# Only what a public thread shows: never an author's e-mail or name.
COMMENT_FIELDS = (
    "id",
    "organisation_id",
    "proposal_id",
    "parent_id",
    "author_id",
    "author__pseudonym",
    "body",
    "created_at",
    "edited_at",
    "deleted_at",
    "hidden_at",
    "hidden_category",
    "hidden_reason",
)


def comments_for_proposal(*, proposal: Proposal, user: User | None) -> list[Comment]:
    """The thread: top-level comments, oldest first, each with its `replies`.

    Two queries whatever the number of comments (authors' pseudonyms joined,
    replies prefetched). `user` is kept for per-reader data (one's own
    reports); the body of a hidden or deleted comment must not be rendered.
    """
    replies = (
        Comment.objects.filter(proposal=proposal, parent__isnull=False)
        .select_related("author")
        .only(*COMMENT_FIELDS)
        .order_by("created_at", "pk")
    )
    return list(
        Comment.objects.filter(
            organisation_id=proposal.organisation_id,
            proposal=proposal,
            parent__isnull=True,
        )
        .select_related("author")
        .only(*COMMENT_FIELDS)
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def comments_for_actions(*, organisation: Organisation) -> QuerySet[Comment]:
    """The commune's comments as an action on one needs them: its author, its
    proposal and that one's cycle with its phases."""
    return (
        Comment.objects.for_organisation(organisation)
        .select_related("proposal__cycle", "author")
        .prefetch_related("proposal__cycle__phase_periods")
    )


def comment_replied_to(*, proposal: Proposal, parent_id) -> Comment | None:
    """The top-level comment of `proposal` a reply form answers, if any
    (`parent_id` as typed: a number, or anything else for none)."""
    parent_id = parse_id(str(parent_id or ""))
    if parent_id is None:
        return None
    return (
        Comment.objects.filter(proposal=proposal, pk=parent_id, parent__isnull=True)
        .select_related("author")
        .first()
    )
