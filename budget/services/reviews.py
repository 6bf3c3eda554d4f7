"""Assigning proposals to city services, and recording their study.

Each service runs in one transaction with the proposal's workflow transition
(`participation.services.moderation.proposal_transition`): the review row and the
proposal's one `ModerationEvent` are written together or not at all.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import permissions
from budget.models import Department, Review
from budget.selectors import is_department_member
from carte.models import Organisation, User
from carte.roles import Role
from carte.services.audit import audit_record
from carte.tenancy import Actor
from participation import workflow
from participation.services.moderation import (
    REASON_MAX_LENGTH,
    proposal_locked,
    proposal_transition,
)

# A study can be (re)assigned while the proposal waits for it or is being studied.
ASSIGNABLE = frozenset({workflow.Status.PUBLISHED, workflow.Status.UNDER_STUDY})
MAX_DURATION_WEEKS = 520


def _department(organisation: Organisation, department_id: int) -> Department:
    department = (
        Department.objects.for_organisation(organisation)
        .filter(pk=department_id)
        .first()
    )
    if department is None:
        raise ValidationError(
            {"department": _("Choose one of the commune's services.")},
            code="department_invalid",
        )
    return department


def _reviewer(department: Department, reviewer_id: int | None) -> User | None:
    if reviewer_id is None:
        return None
    reviewer = department.members.filter(
        pk=reviewer_id,
        memberships__organisation_id=department.organisation_id,
        memberships__role=Role.REVIEWER,
    ).first()
    if reviewer is None:
        raise ValidationError(
            {"reviewer": _("Choose a member of this service, or nobody.")},
            code="reviewer_invalid",
        )
    return reviewer


@transaction.atomic
def review_assign(
    *,
    organisation: Organisation,
    proposal_id: int,
    department_id: int,
    reviewer_id: int | None = None,
    due_on: date | None,
    actor: Actor,
    now: datetime | None = None,
) -> Review:
    """Send a proposal to a city service (and one of its reviewers) for study.

    Creates or updates the proposal's `Review`. A published proposal moves to
    "under study" through the workflow (one `ModerationEvent`, the author told);
    one already under study is only reassigned (no event). Refusals:
    `PermissionDenied` unless the actor moderates or administers this commune;
    `ValidationError` when the proposal is hidden or not waiting for a study
    ("not_assignable"), the service or reviewer is not acceptable, or the due
    date is in the past. Nothing is written when it refuses.
    """
    now = now or timezone.now()
    if not permissions.can_assign_review(actor, organisation):
        raise PermissionDenied(_("Your role does not allow this action."))
    proposal = proposal_locked(organisation, proposal_id)
    if proposal.status not in ASSIGNABLE or proposal.hidden_at is not None:
        raise ValidationError(
            _("This proposal is not waiting for a study."), code="not_assignable"
        )
    department = _department(organisation, department_id)
    reviewer = _reviewer(department, reviewer_id)
    if due_on is not None and due_on < timezone.localdate(now):
        raise ValidationError(
            {"due_on": _("Choose a due date from today on.")}, code="due_in_past"
        )
    review, _created = Review.objects.update_or_create(
        proposal=proposal,
        defaults={
            "organisation": organisation,
            "department": department,
            "reviewer": reviewer,
            "due_on": due_on,
            "assigned_at": now,
            "assigned_by_id": actor.user_id,
        },
    )
    if proposal.status == workflow.Status.PUBLISHED:
        proposal_transition(
            organisation=organisation,
            proposal_id=proposal.pk,
            action=workflow.Action.START_STUDY,
            actor=actor,
            reason=_("Sent to the city service “%(name)s” for study.")
            % {"name": department.name},
            now=now,
        )
    audit_record(
        actor,
        "review_assign",
        f"proposal:{proposal.pk}",
        {
            "department": department.pk,
            "reviewer": reviewer.pk if reviewer else None,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
    return review


@transaction.atomic
def review_complete(
    *,
    organisation: Organisation,
    review_id: int,
    feasible: bool,
    cost_cents: int | None,
    duration_weeks: int | None,
    internal_notes: str = "",
    public_explanation: str,
    actor: Actor,
    now: datetime | None = None,
) -> Review:
    """Record a city service's study and mark the proposal feasible or not.

    A feasible proposal needs a cost estimate (integer cents, 0 or more) and a
    duration (1 to 520 weeks); both are dropped for a proposal that is not
    feasible. The public explanation is required: it becomes the reason of the
    proposal's one `ModerationEvent` (shown in its public history). Internal
    notes never leave the back office. Refusals: `PermissionDenied` unless the
    actor administers the commune or is a reviewer member of the service;
    `ValidationError` with a code otherwise; nothing written when it refuses.
    """
    now = now or timezone.now()
    review = (
        Review.objects.for_organisation(organisation)
        .select_for_update()
        .select_related("department")
        .get(pk=review_id)
    )
    if review.completed_at is not None:
        raise ValidationError(
            _("This study is already completed."), code="already_completed"
        )
    if not permissions.can_complete_review(
        actor, review, in_department=is_department_member(review, actor.user_id)
    ):
        raise PermissionDenied(_("Only the service in charge can complete this study."))
    public_explanation = (public_explanation or "").strip()
    errors = {}
    if not public_explanation:
        errors["public_explanation"] = _(
            "Explain the decision in a few sentences: it is published."
        )
    elif len(public_explanation) > REASON_MAX_LENGTH:
        errors["public_explanation"] = _(
            "Keep the explanation under %(max)s characters."
        ) % {"max": REASON_MAX_LENGTH}
    if feasible:
        if cost_cents is None or cost_cents < 0:
            errors["cost"] = _("Give an amount in euros, for example 1 500.")
        if duration_weeks is None or not 1 <= duration_weeks <= MAX_DURATION_WEEKS:
            errors["duration_weeks"] = _(
                "Give the duration in weeks, between 1 and %(max)s."
            ) % {"max": MAX_DURATION_WEEKS}
    else:
        cost_cents = duration_weeks = None
    if errors:
        raise ValidationError(errors, code="invalid")
    review.feasible = feasible
    review.cost_cents = cost_cents
    review.duration_weeks = duration_weeks
    review.internal_notes = (internal_notes or "").strip()
    review.public_explanation = public_explanation
    review.completed_at = now
    review.completed_by_id = actor.user_id
    review.save()
    proposal_transition(
        organisation=organisation,
        proposal_id=review.proposal_id,
        action=workflow.Action.MARK_FEASIBLE
        if feasible
        else workflow.Action.MARK_NOT_FEASIBLE,
        actor=actor,
        reason=public_explanation,
        now=now,
    )
    return review
