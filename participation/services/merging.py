"""Merging duplicate proposals, and carrying a support over.

A merge never moves anything silently: the original stays readable with its
supports and comments; its supporters are told, and each one may carry their
support over to the proposal it was merged into, in one click.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from carte.tenancy import Actor
from participation import workflow
from participation.models import (
    Follow,
    ModerationEvent,
    Notification,
    Proposal,
    Support,
)
from participation.phases import Feature
from participation.services.moderation import proposal_transition
from participation.services.notifications import notifications_send
from participation.services.supports import feature_check_open, proposal_count_add

# A target merged in turn is followed to the proposal that is still open.
MERGE_CHAIN_MAX = 20


@transaction.atomic
def proposal_merge(
    *,
    organisation: Organisation,
    proposal_id: int,
    into_id: int,
    actor: Actor,
    reason: str,
    now: datetime | None = None,
) -> ModerationEvent:
    """Merge a duplicate into another proposal of the same cycle, and tell people.

    The original moves to MERGED through `proposal_transition` (role checked,
    one audited event, the author and followers notified of the new status);
    in the same transaction, its other supporters get a MERGED notification,
    e-mailed after commit, inviting them to carry their support over. Supports
    and comments stay on the original. The public explanation is required.

    Refusals, with nothing written: `PermissionDenied` (not a moderator or an
    administrator of the commune), `Proposal.DoesNotExist` (another commune's
    proposal), `ValidationError` with code "reason_required", or those of
    `proposal_transition` ("merge_target_required", "merge_target_invalid",
    "transition_not_allowed").
    """
    if not (reason or "").strip():
        raise ValidationError(
            {
                "reason": _(
                    "Explain why these proposals are merged: the explanation is "
                    "published."
                )
            },
            code="reason_required",
        )
    event = proposal_transition(
        organisation=organisation,
        proposal_id=proposal_id,
        action=workflow.Action.MERGE,
        actor=actor,
        reason=reason,
        merged_into_id=into_id,
        now=now,
    )
    proposal = event.proposal
    # The author and followers already have their status notification.
    told = set(
        Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    if proposal.author_id:
        told.add(proposal.author_id)
    supporters = set(
        Support.objects.for_organisation(organisation)
        .filter(proposal=proposal)
        .values_list("user_id", flat=True)
    )
    notifications_send(
        organisation=organisation,
        proposal=proposal,
        kind=Notification.Kind.MERGED,
        user_ids=supporters - told - {actor.user_id},
    )
    return event


def _open_target(organisation: Organisation, proposal: Proposal) -> Proposal:
    """The proposal a merged one lives on in: its target, or the target's target."""
    target_id = proposal.merged_into_id
    for _step in range(MERGE_CHAIN_MAX):
        target = (
            Proposal.objects.for_organisation(organisation)
            .select_for_update()
            .select_related("cycle")
            .filter(pk=target_id)
            .first()
        )
        if target is None:
            break
        if target.is_active:
            return target
        if target.status != workflow.Status.MERGED or target.merged_into_id is None:
            break
        target_id = target.merged_into_id
    raise ValidationError(
        _(
            "The proposal this one was merged into no longer takes supports: "
            "your support stays here."
        ),
        code="target_closed",
    )


@transaction.atomic
def support_carry_over(
    *,
    organisation: Organisation,
    proposal_id: int,
    user: User,
    now: datetime | None = None,
) -> Support:
    """Move `user`'s support from a merged proposal to the one it was merged into.

    Only the supporter asks for it (never done for them). The support is deleted
    on the original and created on the target, both counts following by F()
    updates. Doing it twice is harmless: a supporter who already supports the
    target keeps that one support. Refusals (`ValidationError`, nothing changed):
    "not_merged", "not_supported" (this account does not support the original),
    "target_closed" (the target no longer takes supports) and "phase_closed"
    (supports are closed in the target's cycle; the message says when).
    """
    now = now or timezone.now()
    original = (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .get(pk=proposal_id)
    )
    if original.status != workflow.Status.MERGED or original.merged_into_id is None:
        raise ValidationError(
            _("This proposal was not merged: there is no support to carry over."),
            code="not_merged",
        )
    target = _open_target(organisation, original)
    supports = Support.objects.for_organisation(organisation).filter(user=user)
    on_target = supports.filter(proposal=target).first()
    on_original = supports.filter(proposal=original)
    if not on_original.exists():
        if on_target is not None:  # carried over already
            return on_target
        raise ValidationError(
            _("You do not support this proposal: there is nothing to carry over."),
            code="not_supported",
        )
    feature_check_open(target, Feature.SUPPORT, now)
    on_original.delete()
    proposal_count_add(original.pk, "support_count", -1)
    if on_target is not None:
        return on_target
    support = Support.objects.create(
        organisation=organisation, proposal=target, user=user
    )
    proposal_count_add(target.pk, "support_count", 1)
    return support
