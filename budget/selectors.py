"""What the review, project and decision pages read, without N+1 queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from budget import lifecycle
from budget.models import (
    BallotListDecision,
    Department,
    Project,
    ProjectComment,
    ProjectPhoto,
    Review,
)
from carte.models import Membership, Organisation, User
from carte.roles import Role
from participation import workflow
from participation.models import Cycle, Proposal

# A study is "due soon" within this many days of its due date.
DUE_SOON_DAYS = 7


def cycles_for(organisation: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.for_organisation(organisation).only("title", "created_at")


def departments_for_list(organisation: Organisation) -> QuerySet[Department]:
    return (
        Department.objects.for_organisation(organisation)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=User.objects.only("pseudonym").order_by("pseudonym", "pk"),
            )
        )
        .annotate(
            open_reviews=Count("reviews", filter=Q(reviews__completed_at__isnull=True))
        )
        .order_by("name", "pk")
    )


def departments_for_edit(*, organisation: Organisation) -> QuerySet[Department]:
    return Department.objects.for_organisation(organisation)


def proposals_awaiting_assignment(
    *, organisation: Organisation, cycle: Cycle | None = None
) -> QuerySet[Proposal]:
    """Published proposals not yet sent to a service, oldest first."""
    rows = (
        Proposal.objects.for_organisation(organisation)
        .filter(
            status=workflow.Status.PUBLISHED,
            hidden_at__isnull=True,
            review__isnull=True,
        )
        .select_related("cycle", "district")
        .only(
            "title",
            "published_at",
            "support_count",
            "cycle__title",
            "district__name",
        )
        .order_by("published_at", "pk")
    )
    return rows.filter(cycle=cycle) if cycle is not None else rows


def _worklist(
    *,
    organisation: Organisation,
    user: User,
    see_all: bool,
    department: Department | None,
) -> QuerySet[Review]:
    rows = (
        Review.objects.for_organisation(organisation)
        .select_related("proposal", "department", "reviewer")
        .only(
            "due_on",
            "assigned_at",
            "completed_at",
            "feasible",
            "proposal__title",
            "proposal__status",
            "department__name",
            "reviewer__pseudonym",
        )
    )
    if not see_all:
        rows = rows.filter(department__members=user)
    if department is not None:
        rows = rows.filter(department=department)
    return rows


def reviews_for_worklist(
    *,
    organisation: Organisation,
    user: User,
    see_all: bool,
    department: Department | None = None,
) -> QuerySet[Review]:
    """Open studies: the user's services' (all of them for an administrator),
    the earliest due date first."""
    return (
        _worklist(
            organisation=organisation, user=user, see_all=see_all, department=department
        )
        .filter(completed_at__isnull=True)
        .order_by("due_on", "assigned_at", "pk")
    )


def reviews_completed_for_worklist(
    *,
    organisation: Organisation,
    user: User,
    see_all: bool,
    department: Department | None = None,
) -> QuerySet[Review]:
    """Finished studies of the same services, the latest first: they stay on the
    worklist so a reviewer finds what they recorded."""
    return (
        _worklist(
            organisation=organisation, user=user, see_all=see_all, department=department
        )
        .filter(completed_at__isnull=False)
        .order_by("-completed_at", "-pk")
    )


def departments_of(
    *, organisation: Organisation, user: User, see_all: bool
) -> QuerySet[Department]:
    rows = Department.objects.for_organisation(organisation).only("name")
    return rows if see_all else rows.filter(members=user)


def reviewers_of(organisation: Organisation) -> QuerySet[User]:
    """The commune's accounts with the reviewer role (to choose service members)."""
    return User.objects.filter(
        pk__in=Membership.objects.for_organisation(organisation)
        .filter(role=Role.REVIEWER)
        .values("user_id")
    ).order_by("pseudonym", "pk")


def is_department_member(review: Review, user_id: int | None) -> bool:
    """Whether the account `user_id` studies for the review's service (one query)."""
    return review.department.members.filter(pk=user_id).exists()


def proposals_for_assignment(*, organisation: Organisation) -> QuerySet[Proposal]:
    """The commune's proposals with their cycle, for the form sending one to a
    city service (the service checks that it may be sent); never a draft, which
    is its author's alone."""
    return (
        Proposal.objects.for_organisation(organisation).sent().select_related("cycle")
    )


def review_of_proposal(proposal: Proposal) -> Review | None:
    """The proposal's study, if it was sent to a service."""
    return Review.objects.filter(proposal=proposal).first()


def review_for_form(*, organisation: Organisation, pk: int) -> Review:
    """The study with its idea, the idea's district and photos (the study page
    shows them, with its map)."""
    return (
        Review.objects.for_organisation(organisation)
        .select_related(
            "proposal__cycle", "proposal__district", "department", "reviewer"
        )
        .prefetch_related("proposal__photos")
        .get(pk=pk)
    )


def proposals_for_grouping(
    *, organisation: Organisation, cycle: Cycle
) -> QuerySet[Proposal]:
    """Feasible proposals of a cycle in no project yet, with their study."""
    return (
        Proposal.objects.for_organisation(organisation)
        .filter(
            cycle=cycle,
            status=workflow.Status.FEASIBLE,
            hidden_at__isnull=True,
            project_link__isnull=True,
        )
        .select_related("review", "district")
        .order_by("title", "pk")
    )


def projects_for_edit(*, organisation: Organisation) -> QuerySet[Project]:
    """The commune's projects with their cycle, for the project form."""
    return Project.objects.for_organisation(organisation).select_related("cycle")


def _project_rows(organisation: Organisation) -> QuerySet[Project]:
    return Project.objects.for_organisation(organisation).select_related(
        "cycle", "envelope", "district"
    )


def projects_for_list(
    *, organisation: Organisation, cycle: Cycle | None = None
) -> QuerySet[Project]:
    rows = _project_rows(organisation).annotate(
        proposal_total=Count("proposals", distinct=True)
    )
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return rows.order_by("cycle", "title", "pk")


def projects_to_decide(*, organisation: Organisation, cycle: Cycle) -> list[Project]:
    return list(
        _project_rows(organisation)
        .filter(cycle=cycle, status=lifecycle.Status.IN_PREPARATION)
        .order_by("title", "pk")
    )


def project_for_page(
    *, organisation: Organisation, pk: int, with_hidden: bool = False
) -> Project:
    """A project with its photos, grouped proposals (and their authors), comments.

    Comments hidden by the moderation are left out, unless `with_hidden` (for
    the moderators, who may restore them).
    """
    comments = ProjectComment.objects.all()
    if not with_hidden:
        comments = comments.filter(hidden_at__isnull=True)
    return (
        _project_rows(organisation)
        .prefetch_related(
            Prefetch(
                "photos", queryset=ProjectPhoto.objects.order_by("position", "pk")
            ),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("author", "review").order_by(
                    "title", "pk"
                ),
            ),
            Prefetch(
                "comments",
                queryset=comments.select_related("author").order_by("created_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def latest_decisions(
    *, organisation: Organisation, cycle_ids: list[int]
) -> dict[int, BallotListDecision]:
    """The most recent decision standing (not reopened) on each cycle's list."""
    latest: dict[int, BallotListDecision] = {}
    for decision in (
        BallotListDecision.objects.for_organisation(organisation)
        .filter(cycle_id__in=cycle_ids, reopened_at__isnull=True)
        .order_by("-decided_at", "-pk")
    ):
        latest.setdefault(decision.cycle_id, decision)
    return latest


@dataclass(frozen=True)
class ListPending:
    """What is not settled in a cycle when its list is about to be decided."""

    not_studied: list[Proposal]  # published, waiting for a service or under study
    feasible_alone: list[Proposal]  # feasible, in no project yet

    def __bool__(self) -> bool:
        return bool(self.not_studied or self.feasible_alone)


def ballot_list_pending(*, organisation: Organisation, cycle: Cycle) -> ListPending:
    """The cycle's ideas not yet studied, and feasible ones in no project
    (2 queries)."""
    visible = (
        Proposal.objects.for_organisation(organisation)
        .filter(cycle=cycle, hidden_at__isnull=True)
        .only("pk", "title", "status", "organisation_id", "cycle_id")
        .order_by("title", "pk")
    )
    return ListPending(
        not_studied=list(
            visible.filter(
                status__in=[workflow.Status.PUBLISHED, workflow.Status.UNDER_STUDY]
            )
        ),
        feasible_alone=list(
            visible.filter(status=workflow.Status.FEASIBLE, project_link__isnull=True)
        ),
    )


def studies_due_count(
    *,
    organisation: Organisation,
    user_id: int | None,
    see_all: bool,
    today: date,
    overdue: bool,
) -> int:
    """Open studies of the user's services (all for an administrator): those past
    their due date when `overdue`, else those due within DUE_SOON_DAYS (one query)."""
    rows = Review.objects.for_organisation(organisation).filter(
        completed_at__isnull=True
    )
    if not see_all:
        rows = rows.filter(department__members=user_id)
    if overdue:
        rows = rows.filter(due_on__lt=today)
    else:
        rows = rows.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
    return rows.count()


def projects_to_decide_count(*, organisation: Organisation) -> int:
    """Projects in preparation, waiting for the elected officials (one query)."""
    return (
        Project.objects.for_organisation(organisation)
        .filter(status=lifecycle.Status.IN_PREPARATION)
        .count()
    )
