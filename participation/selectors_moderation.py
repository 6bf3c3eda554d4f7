"""What the moderation back office reads (issue 6), in a bounded number of queries.

The queue has three sections: new proposals (submitted, never sent back for
changes), changes to read again (submitted after a request for changes) and
reported contents (proposals and comments with unresolved reports). Everything is
ordered oldest first, ending on pk.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from carte.models import AccountBlock, Membership, Organisation
from participation import workflow
from participation.models import (
    Comment,
    ModerationEvent,
    Proposal,
    ProposalPhoto,
    Report,
    StandardReply,
)


class Section:
    NEW = "nouvelles"
    CHANGES = "modifications"
    REPORTS = "signalements"
    ALL = (NEW, CHANGES, REPORTS)


@dataclass(frozen=True)
class QueueFilters:
    cycle: int | None = None
    district: int | None = None
    theme: int | None = None
    q: str = ""
    visibility: str = ""  # "", "hidden" or "visible"


def _changes_requested() -> Exists:
    return Exists(
        ModerationEvent.objects.filter(
            proposal=OuterRef("pk"), action=workflow.Action.REQUEST_CHANGES
        )
    )


def _proposal_filters(filters: QueueFilters, prefix: str = "") -> Q:
    """The filters on a proposal, or on a comment's proposal (prefix "proposal__")."""
    condition = Q()
    if filters.cycle:
        condition &= Q(**{f"{prefix}cycle_id": filters.cycle})
    if filters.district:
        condition &= Q(**{f"{prefix}district_id": filters.district})
    if filters.theme:
        condition &= Q(**{f"{prefix}theme_id": filters.theme})
    return condition


def _words(q: str) -> list[str]:
    return q.split()[:8]


def proposals_for_queue(
    *, organisation: Organisation, section: str, filters: QueueFilters
) -> QuerySet[Proposal]:
    """Submitted proposals of one section, oldest submission first (one query
    per page, plus the count)."""
    queryset = (
        Proposal.objects.for_organisation(organisation)
        .filter(status=workflow.Status.SUBMITTED)
        .filter(_proposal_filters(filters))
        .annotate(changes_requested=_changes_requested())
        .filter(changes_requested=section == Section.CHANGES)
        .select_related("cycle", "district", "theme", "author")
        .only(
            "pk",
            "title",
            "description",
            "status",
            "channel",
            "submitted_at",
            "created_at",
            "hidden_at",
            "organisation_id",
            "cycle__title",
            "district__name",
            "theme__name",
            "author__pseudonym",
        )
    )
    for word in _words(filters.q):
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word)
        )
    if filters.visibility == "hidden":
        queryset = queryset.filter(hidden_at__isnull=False)
    elif filters.visibility == "visible":
        queryset = queryset.filter(hidden_at__isnull=True)
    return queryset.order_by("submitted_at", "created_at", "pk")


@dataclass
class ReportedItem:
    """One reported content of the queue: a proposal or a comment."""

    kind: str  # "proposal" or "comment"
    pk: int
    first_report: datetime
    reporters: int
    proposal: Proposal | None = None
    comment: Comment | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        target = self.comment if self.kind == "comment" else self.proposal
        return target is not None and target.hidden_at is not None


def _unresolved(organisation: Organisation) -> QuerySet[Report]:
    return Report.objects.for_organisation(organisation).filter(
        resolved_at__isnull=True
    )


def reported_keys(
    *, organisation: Organisation, filters: QueueFilters
) -> list[tuple[str, int, datetime, int]]:
    """(kind, pk, first report, distinct reporters) of every reported content,
    oldest report first: two grouped queries, small rows."""
    proposal_reports = _unresolved(organisation).filter(comment__isnull=True)
    comment_reports = _unresolved(organisation).filter(comment__isnull=False)
    proposal_reports = proposal_reports.filter(_proposal_filters(filters, "proposal__"))
    comment_reports = comment_reports.filter(
        _proposal_filters(filters, "comment__proposal__")
    )
    for word in _words(filters.q):
        proposal_reports = proposal_reports.filter(
            Q(proposal__title__icontains=word)
            | Q(proposal__description__icontains=word)
        )
        comment_reports = comment_reports.filter(comment__body__icontains=word)
    if filters.visibility == "hidden":
        proposal_reports = proposal_reports.filter(proposal__hidden_at__isnull=False)
        comment_reports = comment_reports.filter(comment__hidden_at__isnull=False)
    elif filters.visibility == "visible":
        proposal_reports = proposal_reports.filter(proposal__hidden_at__isnull=True)
        comment_reports = comment_reports.filter(comment__hidden_at__isnull=True)
    keys = []
    for kind, rows, column in (
        ("proposal", proposal_reports, "proposal_id"),
        ("comment", comment_reports, "comment_id"),
    ):
        grouped = (
            rows.order_by()
            .values(column)
            .annotate(
                first=Min("created_at"),
                reporters=Count("reporter", distinct=True),
            )
            .values_list(column, "first", "reporters")
        )
        keys += [(kind, pk, first, count) for pk, first, count in grouped]
    return sorted(keys, key=lambda key: (key[2], key[0], key[1]))


def reported_items(
    *, organisation: Organisation, keys: list[tuple[str, int, datetime, int]]
) -> list[ReportedItem]:
    """The contents of one page of `reported_keys`, with their reasons counted
    (three queries whatever the page size)."""
    items = [ReportedItem(kind, pk, first, count) for kind, pk, first, count in keys]
    proposal_ids = [i.pk for i in items if i.kind == "proposal"]
    comment_ids = [i.pk for i in items if i.kind == "comment"]
    proposals = {
        p.pk: p
        for p in Proposal.objects.for_organisation(organisation)
        .filter(pk__in=proposal_ids)
        .select_related("author")
        .only(
            "pk",
            "title",
            "description",
            "status",
            "hidden_at",
            "hidden_reason",
            "organisation_id",
            "author__pseudonym",
        )
    }
    comments = {
        c.pk: c
        for c in Comment.objects.for_organisation(organisation)
        .filter(pk__in=comment_ids)
        .select_related("author", "proposal")
        .only(
            "pk",
            "body",
            "hidden_at",
            "hidden_reason",
            "deleted_at",
            "organisation_id",
            "author__pseudonym",
            "proposal__title",
            "proposal_id",
        )
    }
    reasons: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for kind, column, ids in (
        ("proposal", "proposal_id", proposal_ids),
        ("comment", "comment_id", comment_ids),
    ):
        if not ids:
            continue
        grouped = (
            _unresolved(organisation)
            .filter(**{f"{column}__in": ids})
            .filter(comment__isnull=kind == "proposal")
            .order_by()
            .values(column, "reason")
            .annotate(total=Count("pk"))
            .values_list(column, "reason", "total")
        )
        for pk, reason, total in grouped:
            reasons[(kind, pk)][reason] = total
    labels = dict(Report.Reason.choices)
    for item in items:
        item.proposal = proposals.get(item.pk) if item.kind == "proposal" else None
        item.comment = comments.get(item.pk) if item.kind == "comment" else None
        item.reasons = {
            str(labels.get(reason, reason)): total
            for reason, total in sorted(reasons[(item.kind, item.pk)].items())
        }
    return items


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
    reported = _unresolved(organisation).aggregate(
        proposals=Count("proposal", filter=Q(comment__isnull=True), distinct=True),
        comments=Count("comment", distinct=True),
    )
    return QueueCounts(
        new=submitted["new"],
        changes=submitted["changes"],
        reports=reported["proposals"] + reported["comments"],
    )


def proposal_for_moderation(*, organisation: Organisation, pk: int) -> Proposal:
    """One proposal with all a moderator reads: photos, history with the staff
    names, reports with their reporters, and the reported comments."""
    return (
        Proposal.objects.for_organisation(organisation)
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


def reported_comments_of(
    *, organisation: Organisation, proposal: Proposal
) -> list[Comment]:
    """The proposal's comments with unresolved reports, each with `open_reports`."""
    return list(
        Comment.objects.for_organisation(organisation)
        .filter(proposal=proposal, reports__resolved_at__isnull=True)
        .select_related("author")
        .annotate(open_reports=Count("reports", distinct=True))
        .order_by("created_at", "pk")
    )


def standard_replies_for(
    *, organisation: Organisation, active_only: bool = True
) -> QuerySet[StandardReply]:
    replies = StandardReply.objects.for_organisation(organisation)
    if active_only:
        replies = replies.filter(is_active=True)
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
