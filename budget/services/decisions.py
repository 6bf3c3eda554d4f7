"""The elected officials' decision on the list of projects put to the vote."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import lifecycle, permissions
from budget.models import BallotListDecision, Project
from carte.models import Organisation
from carte.services.audit import audit_record
from carte.tenancy import Actor
from participation.models import Cycle
from participation.phases import Feature, is_open

REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 5000


@dataclass(frozen=True)
class ProjectDecision:
    """Put on the ballot, or set aside with a public reason."""

    action: lifecycle.Action
    reason: str = ""


def _cycle_open(organisation: Organisation, cycle_id: int, now: datetime) -> Cycle:
    """The commune's cycle, while its list may be decided (ValidationError else)."""
    cycle = Cycle.objects.for_organisation(organisation).get(pk=cycle_id)
    if not is_open(cycle.phase_at(now), Feature.VALIDATE_LIST):
        raise ValidationError(
            _(
                "The list put to the vote is decided during the review phase only, "
                "before the vote starts."
            ),
            code="phase_closed",
        )
    return cycle


@transaction.atomic
def ballot_list_decide(
    *,
    organisation: Organisation,
    cycle_id: int,
    decisions: Mapping[int, ProjectDecision],
    actor: Actor,
    note: str = "",
    now: datetime | None = None,
) -> BallotListDecision:
    """Decide, for every project in preparation of a cycle, whether it goes to the vote.

    Each project moves along `budget.lifecycle` (put on the ballot, or set aside
    with a public reason). One `BallotListDecision` records who, in which role,
    when, the public note and the list as it stands (ids, titles, costs in
    cents); one `carte.AuditEvent` traces it. Refusals: `PermissionDenied`
    unless the actor is an elected official or administrator of the commune;
    `ValidationError` outside the review phase ("phase_closed"), when a
    project in preparation has no decision
    ("decision_missing"), a decision names another project ("unknown_project"),
    or a set-aside has no reason ("reason_required"). All or nothing.
    """
    now = now or timezone.now()
    if not permissions.can_decide_ballot_list(actor, organisation):
        raise PermissionDenied(_("Only the elected officials validate this list."))
    cycle = _cycle_open(organisation, cycle_id, now)
    projects = list(
        Project.objects.for_organisation(organisation)
        .select_for_update()
        .filter(cycle=cycle, status=lifecycle.Status.IN_PREPARATION)
        .order_by("title", "pk")
    )
    if not projects:
        raise ValidationError(
            _("No project of this cycle is waiting for a decision."), code="empty"
        )
    known = {project.pk for project in projects}
    if set(decisions) - known:
        raise ValidationError(
            _("A decision names a project that is not waiting for one."),
            code="unknown_project",
        )
    errors = {}
    for project in projects:
        decision = decisions.get(project.pk)
        if decision is None:
            errors[f"decision_{project.pk}"] = _(
                "Choose: put to the vote or set aside."
            )
        elif (
            decision.action == lifecycle.Action.SET_ASIDE
            and not (decision.reason or "").strip()
        ):
            errors[f"reason_{project.pk}"] = _(
                "Explain why this project is set aside: the reason is public."
            )
    if errors:
        raise ValidationError(errors, code="invalid")
    on_ballot, set_aside = [], []
    for project in projects:
        decision = decisions[project.pk]
        try:
            project.status = lifecycle.next_status(
                lifecycle.Status(project.status), lifecycle.Action(decision.action)
            )
        except lifecycle.TransitionError as error:
            raise ValidationError(
                _("This action is not possible at this stage."), code=error.code
            ) from error
        row = {
            "id": project.pk,
            "title": project.title,
            "cost_cents": project.cost_cents,
        }
        if project.status == lifecycle.Status.SET_ASIDE:
            project.decision_reason = decision.reason.strip()[:REASON_MAX_LENGTH]
            set_aside.append(row | {"reason": project.decision_reason})
        else:
            project.decision_reason = ""
            on_ballot.append(row)
        project.save(update_fields=["status", "decision_reason", "updated_at"])
    record = BallotListDecision.objects.create(
        organisation=organisation,
        cycle=cycle,
        decided_by_id=actor.user_id,
        decided_by_role=str(actor.role),
        decided_at=now,
        note=(note or "").strip()[:NOTE_MAX_LENGTH],
        on_ballot=on_ballot,
        set_aside=set_aside,
    )
    audit_record(
        actor,
        "ballot_list.decide",
        f"cycle:{cycle.pk}",
        {
            "decision": record.pk,
            "role": str(actor.role),
            "on_ballot": [row["id"] for row in on_ballot],
            "set_aside": [row["id"] for row in set_aside],
        },
    )
    return record


@transaction.atomic
def ballot_list_reopen(
    *,
    organisation: Organisation,
    cycle_id: int,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Reopen a cycle's decided list, until the vote starts; return how many
    projects went back to preparation.

    Every project put to the vote or set aside returns to "in preparation"
    (its public reason cleared) along `budget.lifecycle`; the standing
    decisions are marked reopened (kept, with who and when) so the public page
    no longer shows the list as validated; one `carte.AuditEvent` traces it.
    Refusals: `PermissionDenied` unless the actor is an elected official or
    administrator of the commune; `ValidationError` outside the review phase
    ("phase_closed") or when no decision stands ("nothing_to_reopen").
    """
    now = now or timezone.now()
    if not permissions.can_decide_ballot_list(actor, organisation):
        raise PermissionDenied(_("Only the elected officials validate this list."))
    cycle = _cycle_open(organisation, cycle_id, now)
    standing = list(
        BallotListDecision.objects.for_organisation(organisation)
        .select_for_update()
        .filter(cycle=cycle, reopened_at__isnull=True)
        .order_by("pk")
    )
    if not standing:
        raise ValidationError(
            _("No decision on this list is standing: there is nothing to reopen."),
            code="nothing_to_reopen",
        )
    projects = list(
        Project.objects.for_organisation(organisation)
        .select_for_update()
        .filter(
            cycle=cycle,
            status__in=[lifecycle.Status.ON_BALLOT, lifecycle.Status.SET_ASIDE],
        )
        .order_by("pk")
    )
    for project in projects:
        project.status = lifecycle.next_status(
            lifecycle.Status(project.status), lifecycle.Action.REOPEN
        )
        project.decision_reason = ""
        project.save(update_fields=["status", "decision_reason", "updated_at"])
    for decision in standing:
        decision.reopened_at = now
        decision.reopened_by_id = actor.user_id
        decision.save(update_fields=["reopened_at", "reopened_by"])
    audit_record(
        actor,
        "ballot_list.reopen",
        f"cycle:{cycle.pk}",
        {
            "decisions": [decision.pk for decision in standing],
            "role": str(actor.role),
            "projects": [project.pk for project in projects],
        },
    )
    return len(projects)
