"""Projects built from feasible proposals, and their public comments.

`project_create` groups one or more feasible proposals of a cycle into a project:
each proposal moves to "grouped" through the workflow (one `ModerationEvent`
each, whose public reason names the project and invites its author to comment
on the project page; `proposal_transition` notifies the author and followers).
Everything happens in one transaction: a refusal midway leaves nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import lifecycle, permissions
from budget.models import (
    Envelope,
    Project,
    ProjectComment,
    ProjectProposal,
    Review,
)
from carte.models import District, Organisation
from carte.services.audit import audit_record
from carte.tenancy import Actor
from participation import workflow
from participation.models import Cycle, Proposal
from participation.permissions.moderation import can_moderate
from participation.services.comments import (
    HIDE_REASON_MAX_LENGTH,
    comment_body_clean,
)
from participation.services.moderation import proposal_transition
from participation.services.photos import PhotoInput, photos_update
from participation.services.proposals import PlacedInput, district_for_point
from participation.services.text import text_clean


@dataclass(frozen=True)
class ProjectInput(PlacedInput):
    """What a project says; `cost_cents` None means the sum of the studies' costs."""

    cost_cents: int | None = None
    envelope_id: int | None = None
    district_id: int | None = None


def _apply(project: Project, *, organisation: Organisation, data: ProjectInput) -> None:
    """Check and copy the fields (envelope of the project's cycle, commune's point)."""
    errors = {}
    title = " ".join((data.title or "").split())
    description = (data.description or "").strip()
    if not title:
        errors["title"] = _("Give the project a title.")
    if not description:
        errors["description"] = _("Describe the project in a few sentences.")
    if data.cost_cents is not None and data.cost_cents < 0:
        errors["cost"] = _("Give an amount in euros, for example 1 500.")
    envelope = None
    if data.envelope_id is not None:
        envelope = (
            Envelope.objects.for_organisation(organisation)
            .filter(pk=data.envelope_id, cycle_id=project.cycle_id)
            .first()
        )
        if envelope is None:
            errors["envelope"] = _("Choose an envelope of this cycle.")
    district = None
    if data.district_id is not None:
        district = (
            District.objects.for_organisation(organisation)
            .filter(pk=data.district_id)
            .first()
        )
        if district is None:
            errors["district"] = _("Choose one of the commune's districts.")
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
    if errors:
        raise ValidationError(errors, code="invalid")
    if data.latitude is not None:
        found = district_for_point(
            organisation=organisation,
            latitude=data.latitude,
            longitude=data.longitude,
        )
        district = district or found
    if envelope is not None and envelope.district_id and district is None:
        district = envelope.district
    project.title = title[:120]
    project.description = description
    project.envelope = envelope
    project.district = district
    project.address = (data.address or "").strip()[:255]
    project.latitude = data.latitude
    project.longitude = data.longitude


def _add_photos(
    project: Project, photos: Sequence[PhotoInput], *, remove_ids: Sequence[int] = ()
) -> None:
    photos_update(
        project,
        photos=photos,
        remove_ids=remove_ids,
        too_many=_("At most 3 photos per project. Remove one before adding another."),
        alt_text_max_length=200,
    )


def _summary(project: Project) -> dict:
    """What the audit trail keeps of a project before and after an edit."""
    return {"title": project.title, "cost_cents": project.cost_cents}


def _groupable(
    organisation: Organisation, cycle: Cycle, proposal_ids: Sequence[int]
) -> list[Proposal]:
    """The proposals, locked: feasible, of this cycle, in no project yet."""
    ids = sorted(set(proposal_ids))
    if not ids:
        raise ValidationError(
            {"proposals": _("Choose at least one feasible proposal.")},
            code="no_proposal",
        )
    proposals = list(
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .filter(pk__in=ids, cycle=cycle)
        .order_by("pk")
    )
    linked = set(
        ProjectProposal.objects.filter(proposal_id__in=ids).values_list(
            "proposal_id", flat=True
        )
    )
    refused = [
        proposal
        for proposal in proposals
        if proposal.status != workflow.Status.FEASIBLE
        or proposal.hidden_at is not None
        or proposal.pk in linked
    ]
    if len(proposals) != len(ids) or refused:
        raise ValidationError(
            {
                "proposals": _(
                    "Only feasible proposals of this cycle that are in no project "
                    "yet can be grouped: %(titles)s."
                )
                % {"titles": ", ".join(f"“{p.title}”" for p in refused) or "–"}
            },
            code="not_groupable",
        )
    return proposals


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    cycle_id: int,
    proposal_ids: Sequence[int],
    data: ProjectInput,
    actor: Actor,
    photos: Sequence[PhotoInput] = (),
    now: datetime | None = None,
) -> Project:
    """Create a project in preparation from feasible proposals of one cycle.

    The cost defaults to the sum of the studies' cost estimates (integer cents).
    Each proposal is linked (`ProjectProposal`) and moved to "grouped" with one
    `ModerationEvent` whose reason names the project; its author and followers
    are notified (e-mails after commit). Refusals: `PermissionDenied` unless the
    actor is a reviewer or administrator of the commune; `ValidationError` when a
    proposal is not feasible, of another cycle, hidden or already grouped
    ("not_groupable"), or a field is wrong. All or nothing.
    """
    now = now or timezone.now()
    if not permissions.can_build_projects(actor, organisation):
        raise PermissionDenied(_("Your role does not allow this action."))
    cycle = Cycle.objects.for_organisation(organisation).get(pk=cycle_id)
    proposals = _groupable(organisation, cycle, proposal_ids)
    project = Project(
        organisation=organisation,
        cycle=cycle,
        created_by_id=actor.user_id,
        created_at=now,
        status=lifecycle.Status.IN_PREPARATION,
    )
    _apply(project, organisation=organisation, data=data)
    if data.cost_cents is None:
        costs = Review.objects.filter(
            proposal__in=proposals, feasible=True
        ).values_list("cost_cents", flat=True)
        project.cost_cents = sum(cost or 0 for cost in costs)
    else:
        project.cost_cents = data.cost_cents
    project.save()
    ProjectProposal.objects.bulk_create(
        [
            ProjectProposal(project=project, proposal=proposal, added_at=now)
            for proposal in proposals
        ]
    )
    url = reverse("budget:project-detail", args=[project.pk])
    reason = _(
        "Grouped into the project “%(title)s”, put to the elected officials before "
        "the vote. Comment on the project page: %(url)s"
    ) % {"title": project.title, "url": url}
    for proposal in proposals:
        proposal_transition(
            organisation=organisation,
            proposal_id=proposal.pk,
            action=workflow.Action.GROUP,
            actor=actor,
            reason=reason,
            now=now,
        )
    _add_photos(project, photos)
    audit_record(
        actor,
        "project_create",
        f"project:{project.pk}",
        {
            "proposals": [proposal.pk for proposal in proposals],
            "cost_cents": project.cost_cents,
        },
    )
    return project


@transaction.atomic
def project_update(
    *,
    organisation: Organisation,
    project_id: int,
    data: ProjectInput,
    actor: Actor,
    photos: Sequence[PhotoInput] = (),
    remove_photo_ids: Sequence[int] = (),
) -> Project:
    """Edit a project while it is in preparation (its proposals stay).

    `cost_cents` None keeps the current cost. Refusals: `PermissionDenied` for
    a role that does not build projects or a project no longer in preparation;
    `ValidationError` for a wrong field. All or nothing.
    """
    project = (
        Project.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=project_id)
    )
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied(_("This project can no longer be edited."))
    before = _summary(project)
    _apply(project, organisation=organisation, data=data)
    if data.cost_cents is not None:
        project.cost_cents = data.cost_cents
    project.save()
    _add_photos(project, photos, remove_ids=remove_photo_ids)
    audit_record(
        actor,
        "project_update",
        f"project:{project.pk}",
        {"before": before, "after": _summary(project)},
    )
    return project


@transaction.atomic
def project_comment_post(
    *,
    organisation: Organisation,
    project_id: int,
    author: Actor,
    body: str,
    now: datetime | None = None,
) -> ProjectComment:
    """Comment a project in preparation (the co-construction step, public).

    Any account of the commune that is not blocked (the view rate-limits it like
    the proposal comments). Refusals: `ValidationError` with codes "closed",
    "blocked", "empty", "too_long". `comment_count` stays exact (F() update).
    """
    now = now or timezone.now()
    project = (
        Project.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=project_id)
    )
    if author.is_blocked:
        raise ValidationError(
            _("Your account may not contribute in this commune."), code="blocked"
        )
    if not permissions.can_comment_project(author, project):
        raise ValidationError(
            _("Comments are closed: the elected officials have decided."),
            code="closed",
        )
    body = comment_body_clean(
        body, too_long=_("Shorten your comment to %(max)s characters at most.")
    )
    comment = ProjectComment.objects.create(
        organisation=organisation,
        project=project,
        author_id=author.user_id,
        body=body,
        created_at=now,
    )
    Project.objects.filter(pk=project.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def project_comment_moderate(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: Actor,
    hide: bool,
    reason: str = "",
    now: datetime | None = None,
) -> ProjectComment:
    """A moderator hides a project comment (reason required) or shows it again.

    The text is kept so that it can be restored; `comment_count` stays the
    number of visible comments; an AuditEvent ("project_comment_hide" or
    "project_comment_restore") is written in the same transaction. Refusals:
    `PermissionDenied` unless the actor moderates this commune, `ValidationError`
    ("reason_required", "reason_too_long", "already_hidden", "not_hidden").
    """
    if not can_moderate(actor, organisation):
        raise PermissionDenied(_("Only the commune's moderators can do this."))
    comment = (
        ProjectComment.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=comment_id)
    )
    if hide:
        reason = text_clean(
            reason,
            field="reason",
            max_length=HIDE_REASON_MAX_LENGTH,
            required=_("Give the reason, it is shown in place of the comment."),
            too_long=_("Keep the reason under %(max)s characters.")
            % {"max": HIDE_REASON_MAX_LENGTH},
            collapse_spaces=True,
        )
        if comment.hidden_at is not None:
            raise ValidationError(
                _("This comment is already hidden."), code="already_hidden"
            )
    elif comment.hidden_at is None:
        raise ValidationError(_("This comment is not hidden."), code="not_hidden")
    previous = comment.hidden_reason
    comment.hidden_at = (now or timezone.now()) if hide else None
    comment.hidden_reason = reason if hide else ""
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    # Recounted rather than bumped: exact even if an earlier count drifted.
    visible = ProjectComment.objects.filter(
        project_id=comment.project_id, hidden_at__isnull=True
    ).count()
    Project.objects.filter(pk=comment.project_id).update(comment_count=visible)
    audit_record(
        actor,
        "project_comment_hide" if hide else "project_comment_restore",
        f"project_comment:{comment.pk}",
        {"project": comment.project_id, "reason": reason or previous},
    )
    return comment
