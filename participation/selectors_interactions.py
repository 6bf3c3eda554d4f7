"""What the supports, comments and notifications screens read, without N+1."""

from django.db.models import Exists, Prefetch, QuerySet

from carte.models import Organisation, User
from participation.models import Comment, Follow, Notification, Proposal, Support

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
    "hidden_reason",
)


def comments_for_proposal(*, proposal: Proposal, user: User | None) -> list[Comment]:
    """The thread: top-level comments, oldest first, each with its `replies`.

    Two queries whatever the number of comments (authors' pseudonyms joined,
    replies prefetched). `user` is kept for per-reader data (issue 6: one's own
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


def reader_state_for_proposal(*, proposal: Proposal, user: User | None) -> dict:
    """Whether the reader supports and follows the proposal (one query)."""
    if user is None or not user.is_authenticated:
        return {"supported": False, "following": False}
    return (
        Proposal.objects.filter(pk=proposal.pk)
        .annotate(
            supported=Exists(Support.objects.filter(proposal=proposal, user=user)),
            following=Exists(Follow.objects.filter(proposal=proposal, user=user)),
        )
        .values("supported", "following")
        .get()
    )


def notifications_for_user(
    *, organisation: Organisation, user: User
) -> QuerySet[Notification]:
    """An account's notifications in one commune, newest first, for a paginated list."""
    return (
        Notification.objects.for_organisation(organisation)
        .filter(user=user)
        .select_related("proposal", "comment__author")
        .only(
            "id",
            "kind",
            "created_at",
            "read_at",
            "proposal__id",
            "proposal__title",
            "proposal__status",
            "comment__id",
            "comment__deleted_at",
            "comment__hidden_at",
            "comment__author__pseudonym",
        )
        .order_by("-created_at", "-pk")
    )
