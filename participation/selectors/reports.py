"""The reported contents of the moderation queue, in a bounded number of queries.

A content (a proposal or a comment) is reported while it has unresolved reports;
the queue lists them oldest report first, each with its reasons counted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet

from carte.models import Organisation
from participation.models import Comment, Proposal, Report
from participation.selectors.moderation import QueueFilters

# What a moderator reads of a report: never the reporter's e-mail or name.
REPORT_FIELDS = (
    "pk",
    "organisation_id",
    "proposal_id",
    "comment_id",
    "reason",
    "details",
    "created_at",
    "reporter_id",
    "reporter__pseudonym",
)


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
    reports: list[Report] = field(default_factory=list)  # unresolved, oldest first

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
    proposal_reports = proposal_reports.filter(filters.condition("proposal__"))
    comment_reports = comment_reports.filter(filters.condition("comment__proposal__"))
    for word in filters.words():
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
    """The contents of one page of `reported_keys`, each with its unresolved
    reports (reason, the reporter's words, pseudonym) and its reasons counted:
    three queries whatever the page size. For the moderators only."""
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
    found: dict[tuple[str, int], list[Report]] = defaultdict(list)
    if items:
        for report in (
            _unresolved(organisation)
            .filter(Q(proposal_id__in=proposal_ids) | Q(comment_id__in=comment_ids))
            .select_related("reporter")
            .only(*REPORT_FIELDS)
            .order_by("created_at", "pk")
        ):
            if report.comment_id is None:
                found[("proposal", report.proposal_id)].append(report)
            else:
                found[("comment", report.comment_id)].append(report)
    labels = dict(Report.Reason.choices)
    for item in items:
        item.proposal = proposals.get(item.pk) if item.kind == "proposal" else None
        item.comment = comments.get(item.pk) if item.kind == "comment" else None
        item.reports = found[(item.kind, item.pk)]
        counted = Counter(report.reason for report in item.reports)
        item.reasons = {
            str(labels.get(reason, reason)): total
            for reason, total in sorted(counted.items())
        }
    return items


def reported_comments_of(
    *, organisation: Organisation, proposal: Proposal
) -> list[Comment]:
    """The proposal's comments with unresolved reports (only those), each with
    `open_reports` (their count) and `reports_to_read` (the reports themselves,
    oldest first). Two queries."""
    open_reports = Report.objects.filter(
        organisation=organisation, resolved_at__isnull=True
    )
    return list(
        Comment.objects.for_organisation(organisation)
        .filter(proposal=proposal)
        .filter(Exists(open_reports.filter(comment=OuterRef("pk"))))
        .select_related("author")
        .annotate(
            open_reports=Count(
                "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
            )
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=open_reports.select_related("reporter")
                .only(*REPORT_FIELDS)
                .order_by("created_at", "pk"),
                to_attr="reports_to_read",
            )
        )
        .order_by("created_at", "pk")
    )
