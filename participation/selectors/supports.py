"""What the supports and follows of a proposal read, without N+1."""

from django.db.models import Exists, QuerySet

from carte.models import Organisation, User
from participation.models import Follow, Proposal, Support


def proposals_for_actions(*, organisation: Organisation) -> QuerySet[Proposal]:
    """The commune's proposals as an action on one (support, comment, follow,
    report) needs them: with the cycle and its phases."""
    return (
        Proposal.objects.for_organisation(organisation)
        .select_related("cycle")
        .prefetch_related("cycle__phase_periods")
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
