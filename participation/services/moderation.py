"""Moderation and review transitions of proposals (state changes, audited).

Every transition goes through `proposal_transition`: it locks the proposal,
checks the actor's role in the commune against `participation.workflow`, records
exactly one `ModerationEvent` (who, role, when, from, to, reason) in the same
transaction, and notifies the author and followers (e-mails after commit).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from carte.tenancy import Actor
from participation import workflow
from participation.models import Channel, ModerationEvent, Proposal, StandardReply
from participation.services.interactions import notify_status_change

REASON_MAX_LENGTH = 5000
FORWARDED_TO_MAX_LENGTH = 255


def party_for(
    actor: Actor, proposal: Proposal, action: workflow.Action
) -> workflow.Party | None:
    """The party in which `actor` may take `action` on `proposal`, if any.

    The author acts as AUTHOR on their own proposal; a staff member acts in their
    role of the proposal's commune; a counter agent only on proposals it entered
    at the counter for a resident (submit, withdraw).
    """
    if actor.organisation_id != proposal.organisation_id:
        return None
    parties: list[workflow.Party] = []
    if actor.is_authenticated and proposal.author_id == actor.user_id:
        parties.append(workflow.Party.AUTHOR)
    if actor.role is not None:
        role_party = workflow.Party(actor.role.value)
        counter_only = role_party == workflow.Party.COUNTER_AGENT
        if not counter_only or proposal.channel == Channel.COUNTER:
            parties.append(role_party)
    for party in parties:
        if workflow.may(party, action):
            return party
    return None


def apply_transition(
    proposal: Proposal,
    *,
    organisation: Organisation,
    actor: User | None,
    party: workflow.Party | str,
    action: workflow.Action,
    reason: str = "",
    reason_label: str = "",
    now: datetime,
    extra_fields: tuple[str, ...] = (),
) -> ModerationEvent:
    """Move a locked proposal along the table and write its one event."""
    try:
        new_status = workflow.next_status(workflow.Status(proposal.status), action)
    except workflow.TransitionError as error:
        raise ValidationError(
            _("This action is not possible at this stage."), code=error.code
        ) from error
    event = ModerationEvent.objects.create(
        organisation=organisation,
        proposal=proposal,
        actor=actor,
        actor_role=str(party),
        action=action,
        from_status=proposal.status,
        to_status=new_status,
        reason_label=reason_label,
        reason=reason,
        created_at=now,
    )
    proposal.status = new_status
    fields = ["status", "updated_at", *extra_fields]
    if new_status == workflow.Status.SUBMITTED:
        proposal.submitted_at = now
        fields.append("submitted_at")
    if new_status == workflow.Status.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
        fields.append("published_at")
    proposal.save(update_fields=fields)
    return event


def _clean_reason(action: workflow.Action, reason: str) -> str:
    reason = (reason or "").strip()
    if action in workflow.REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": _("Explain this decision: the explanation is published.")},
            code="reason_required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the explanation under %(max)s characters.")
                % {"max": REASON_MAX_LENGTH}
            },
            code="reason_too_long",
        )
    return reason


def _clean_reason_label(
    organisation: Organisation, action: workflow.Action, reason_label: str
) -> str:
    """A rejection names one of the commune's reasons, when it has a list."""
    reason_label = (reason_label or "").strip()
    if action != workflow.Action.REJECT:
        return reason_label[:120]
    offered = set(
        StandardReply.objects.for_organisation(organisation)
        .filter(use=StandardReply.Use.REJECT, is_active=True)
        .values_list("title", flat=True)
    )
    if offered and reason_label not in offered:
        raise ValidationError(
            {"reason_label": _("Choose the reason for the rejection in the list.")},
            code="reason_label_required",
        )
    return reason_label


def _locked(organisation: Organisation, proposal_id: int) -> Proposal:
    return (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=proposal_id)
    )


@transaction.atomic
def proposal_transition(
    *,
    organisation: Organisation,
    proposal_id: int,
    action: workflow.Action,
    actor: User,
    reason: str = "",
    reason_label: str = "",
    forwarded_to: str = "",
    merged_into_id: int | None = None,
    now: datetime | None = None,
) -> ModerationEvent:
    """Apply one workflow action to a proposal, audited, and notify after commit.

    Refusals: `PermissionDenied` when the actor's role in this commune may not
    take the action (or the proposal is another commune's: `DoesNotExist`);
    `ValidationError` with a code when the action does not apply in the current
    status ("transition_not_allowed"), a required reason is missing
    ("reason_required"), a rejection reason is not in the commune's list, the
    competent body is missing for a forward, or the merge target is not
    acceptable. Nothing is written when it refuses.
    """
    now = now or timezone.now()
    action = workflow.Action(action)
    proposal = _locked(organisation, proposal_id)
    party = party_for(Actor.for_user(actor, organisation), proposal, action)
    if party is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    reason = _clean_reason(action, reason)
    reason_label = _clean_reason_label(organisation, action, reason_label)
    extra: tuple[str, ...] = ()
    if action == workflow.Action.FORWARD:
        forwarded_to = " ".join((forwarded_to or "").split())
        if not forwarded_to:
            raise ValidationError(
                {
                    "forwarded_to": _(
                        "Name the competent body, for example the département."
                    )
                },
                code="forwarded_to_required",
            )
        proposal.forwarded_to = forwarded_to[:FORWARDED_TO_MAX_LENGTH]
        extra = ("forwarded_to",)
    if action == workflow.Action.MERGE:
        proposal.merged_into = _merge_target(organisation, proposal, merged_into_id)
        extra = ("merged_into",)
    event = apply_transition(
        proposal,
        organisation=organisation,
        actor=actor,
        party=party,
        action=action,
        reason=reason,
        reason_label=reason_label,
        now=now,
        extra_fields=extra,
    )
    notify_status_change(
        organisation=organisation, proposal_id=proposal.pk, event_id=event.pk
    )
    return event


def _merge_target(
    organisation: Organisation, proposal: Proposal, target_id: int | None
) -> Proposal:
    """The proposal a duplicate is merged into: public, active, another one."""
    target = (
        Proposal.objects.for_organisation(organisation).filter(pk=target_id).first()
        if target_id is not None
        else None
    )
    if target is None or target.pk == proposal.pk:
        raise ValidationError(
            {"merged_into": _("Choose the proposal to merge into.")},
            code="merge_target_required",
        )
    if target.cycle_id != proposal.cycle_id or not target.is_active:
        raise ValidationError(
            {
                "merged_into": _(
                    "Merge into a published proposal of the same cycle that is "
                    "still open."
                )
            },
            code="merge_target_invalid",
        )
    return target
