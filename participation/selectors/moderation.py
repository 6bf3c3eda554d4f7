"""What the moderation back office reads, in a bounded number of queries.

The queue has three sections: new proposals (submitted, never sent back for
changes), changes to read again (submitted after a request for changes) and
reported contents (proposals and comments with unresolved reports). Everything is
ordered oldest first, ending on pk. The reported contents are read by
participation.selectors.reports.
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from carte.models import AccountBlock, Membership, Organisation, User
from participation import workflow
from participation.models import (
    Comment,
    ModerationEvent,
    Proposal,
    ProposalPhoto,
    Report,
    StandardReply,
)
from participation.selectors.proposals import SUMMARY_FIELDS, ProposalSearch


class Section:
    NEW = "nouvelles"
    CHANGES = "modifications"
    REPORTS = "signalements"
    ALL = (NEW, CHANGES, REPORTS)


@dataclass(frozen=True)
class QueueFilters(ProposalSearch):
    visibility: str = ""  # "", "hidden" or "visible"


def _changes_requested() -> Exists:
    return Exists(
        ModerationEvent.objects.filter(
            proposal=OuterRef("pk"), action=workflow.Action.REQUEST_CHANGES
        )
    )


def proposals_for_queue(
    *, organisation: Organisation, section: str, filters: QueueFilters
) -> QuerySet[Proposal]:
    """Submitted proposals of one section, oldest submission first (one query
    per page, plus the count)."""
    queryset = (
        Proposal.objects.for_organisation(organisation)
        .filter(status=workflow.Status.SUBMITTED)
        .filter(filters.condition())
        .annotate(changes_requested=_changes_requested())
        .filter(changes_requested=section == Section.CHANGES)
        .select_related("cycle", "district", "theme", "author")
        .only(*SUMMARY_FIELDS, "submitted_at", "hidden_at", "cycle__title")
    )
    for word in filters.words():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word)
        )
    if filters.visibility == "hidden":
        queryset = queryset.filter(hidden_at__isnull=False)
    elif filters.visibility == "visible":
        queryset = queryset.filter(hidden_at__isnull=True)
    return queryset.order_by("submitted_at", "created_at", "pk")


@dataclass(frozen=True)
class QueueCounts:
    new: int
    changes: int
    reports: int


def queue_counts(*, organisation: Organisation) -> QueueCounts:
    """How many items wait in each section, without filters (two queries)."""
    submitted = (
        Proposal.objects.for_organisation(organisation)
        .filter(status=workflow.Status.SUBMITTED)
        .annotate(changes_requested=_changes_requested())
        .aggregate(
            new=Count("pk", filter=Q(changes_requested=False)),
            changes=Count("pk", filter=Q(changes_requested=True)),
        )
    )
    return QueueCounts(
        new=submitted["new"],
        changes=submitted["changes"],
        reports=reported_contents_count(organisation=organisation),
    )


def reported_contents_count(*, organisation: Organisation) -> int:
    """Proposals and comments with an unresolved report (one query)."""
    reported = (
        Report.objects.for_organisation(organisation)
        .filter(resolved_at__isnull=True)
        .aggregate(
            proposals=Count("proposal", filter=Q(comment__isnull=True), distinct=True),
            comments=Count("comment", distinct=True),
        )
    )
    return reported["proposals"] + reported["comments"]


def proposals_to_moderate_count(*, organisation: Organisation) -> int:
    """Submitted proposals, new or changed, waiting for a moderator (one query)."""
    return (
        Proposal.objects.for_organisation(organisation)
        .filter(status=workflow.Status.SUBMITTED)
        .count()
    )


def proposal_for_moderation(*, organisation: Organisation, pk: int) -> Proposal:
    """One proposal with all a moderator reads: photos, history with the staff
    names, reports with their reporters, and the reported comments. Never an
    unsent draft (Proposal.DoesNotExist): it is its author's alone."""
    return (
        Proposal.objects.for_organisation(organisation)
        .sent()
        .select_related("theme", "district", "author", "cycle", "merged_into")
        .prefetch_related(
            Prefetch("photos", queryset=ProposalPhoto.objects.order_by("position")),
            Prefetch(
                "events",
                queryset=ModerationEvent.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "reports",
                queryset=Report.objects.filter(comment__isnull=True)
                .select_related("reporter", "resolved_by")
                .order_by("created_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def standard_replies_for(
    *, organisation: Organisation, active_only: bool = True, use: str | None = None
) -> QuerySet[StandardReply]:
    """The commune's standard replies (for one `use` if given), in list order."""
    replies = StandardReply.objects.for_organisation(organisation)
    if active_only:
        replies = replies.filter(is_active=True)
    if use is not None:
        replies = replies.filter(use=use)
    return replies.order_by("use", "position", "title", "pk")


def account_state(*, organisation: Organisation, user_id: int) -> dict:
    """Whether an account is staff of the commune, and its block in force."""
    return {
        "is_staff": Membership.objects.for_organisation(organisation)
        .filter(user_id=user_id)
        .exists(),
        "account_block": AccountBlock.objects.for_organisation(organisation)
        .in_force()
        .filter(user_id=user_id)
        .select_related("blocked_by")
        .first(),
    }


def comments_for_moderation(*, organisation: Organisation) -> QuerySet[Comment]:
    """The commune's comments, with what finds their proposal's page."""
    return Comment.objects.for_organisation(organisation).only("pk", "proposal_id")


def accounts_for_moderation() -> QuerySet[User]:
    """Accounts as the moderation names them: by pseudonym only."""
    return User.objects.only("pk", "pseudonym")
