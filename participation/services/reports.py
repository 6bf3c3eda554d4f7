"""Moderators handle reported contents and block accounts (issue 6).

A content reported by `reports_to_hide()` distinct accounts is hidden at once,
pending review (`participation.services.interactions.report_create`). Here a
moderator hides a proposal, shows it again, dismisses the reports on a content,
or blocks an account of the commune with the reason kept. Every service runs in
one transaction with its `carte.AuditEvent`.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import AccountBlock, AuditEvent, Membership, Organisation, User
from participation.models import Comment, Proposal, Report
from participation.services.interactions import (
    HIDE_REASON_MAX_LENGTH,
    comment_hide,
    comment_restore,
    unresolved_reports,
)
from participation.services.moderation import proposal_locked
from participation.services.text import text_clean

BLOCK_REASON_MAX_LENGTH = 2000


def _resolve(
    organisation: Organisation,
    *,
    actor: User,
    now: datetime,
    proposal_id: int | None = None,
    comment_id: int | None = None,
) -> int:
    """Mark the unresolved reports on one content handled; how many."""
    reports = unresolved_reports(
        organisation, proposal_id=proposal_id, comment_id=comment_id
    )
    return reports.update(resolved_at=now, resolved_by=actor)


def _audit(organisation, actor, action: str, target: str, **data) -> None:
    AuditEvent.objects.create(
        organisation=organisation, actor=actor, action=action, target=target, data=data
    )


def _clean_hide_reason(reason: str) -> str:
    return text_clean(
        reason,
        field="reason",
        max_length=HIDE_REASON_MAX_LENGTH,
        required=_("Give the reason; the author and the public see it."),
        too_long=_("Keep the reason under %(max)s characters."),
        collapse_spaces=True,
    )


@transaction.atomic
def proposal_hide(
    *,
    organisation: Organisation,
    proposal_id: int,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Proposal:
    """A moderator hides a proposal (or keeps hidden one hidden by reports).

    The proposal leaves the public lists and page; its author and the staff still
    read it. Its unresolved reports are handled. Audited ("proposal_hide").
    """
    now = now or timezone.now()
    reason = _clean_hide_reason(reason)
    proposal = proposal_locked(organisation, proposal_id)
    if proposal.hidden_at is not None and proposal.hidden_by_id is not None:
        raise ValidationError(
            _("This proposal is already hidden."), code="already_hidden"
        )
    proposal.hidden_at = proposal.hidden_at or now
    proposal.hidden_reason = reason
    proposal.hidden_by = actor
    proposal.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    resolved = _resolve(organisation, actor=actor, now=now, proposal_id=proposal.pk)
    _audit(
        organisation,
        actor,
        "proposal_hide",
        f"proposal:{proposal.pk}",
        reason=reason,
        reports_resolved=resolved,
    )
    return proposal


@transaction.atomic
def proposal_restore(
    *,
    organisation: Organisation,
    proposal_id: int,
    actor: User,
    now: datetime | None = None,
) -> Proposal:
    """A moderator shows a hidden proposal again and handles its reports. Audited."""
    now = now or timezone.now()
    proposal = proposal_locked(organisation, proposal_id)
    if proposal.hidden_at is None:
        raise ValidationError(_("This proposal is not hidden."), code="not_hidden")
    previous = proposal.hidden_reason
    proposal.hidden_at, proposal.hidden_reason, proposal.hidden_by = None, "", None
    proposal.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    resolved = _resolve(organisation, actor=actor, now=now, proposal_id=proposal.pk)
    _audit(
        organisation,
        actor,
        "proposal_restore",
        f"proposal:{proposal.pk}",
        previous_reason=previous,
        reports_resolved=resolved,
    )
    return proposal


@transaction.atomic
def reports_dismiss(
    *,
    organisation: Organisation,
    actor: User,
    proposal_id: int | None = None,
    comment_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Mark the reports on a content handled; the content stays as it is.

    Returns how many reports were handled; refuses when there was none. A
    content hidden by reports stays hidden: restoring it is a separate choice.
    Audited ("reports_dismiss").
    """
    if (proposal_id is None) == (comment_id is None):
        raise ValueError("Dismiss the reports of exactly one content.")
    now = now or timezone.now()
    if comment_id is not None:
        target = f"comment:{comment_id}"
        Comment.objects.for_organisation(organisation).get(pk=comment_id)
    else:
        target = f"proposal:{proposal_id}"
        proposal_locked(organisation, proposal_id)
    resolved = _resolve(
        organisation,
        actor=actor,
        now=now,
        proposal_id=proposal_id,
        comment_id=comment_id,
    )
    if not resolved:
        raise ValidationError(
            _("There is no report left to handle on this content."),
            code="no_report",
        )
    _audit(organisation, actor, "reports_dismiss", target, reports_resolved=resolved)
    return resolved


@transaction.atomic
def reported_comment_hide(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Comment:
    """Hide a reported comment for good (a moderator's decision) and handle its
    reports. A comment hidden by reports gets the moderator's reason instead."""
    now = now or timezone.now()
    comment = Comment.objects.for_organisation(organisation).get(pk=comment_id)
    if comment.hidden_at is not None:
        comment_restore(organisation=organisation, comment_id=comment_id, actor=actor)
    comment = comment_hide(
        organisation=organisation,
        comment_id=comment_id,
        actor=actor,
        reason=reason,
        now=now,
    )
    _resolve(organisation, actor=actor, now=now, comment_id=comment_id)
    return comment


@transaction.atomic
def reported_comment_restore(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    now: datetime | None = None,
) -> Comment:
    """Show a hidden comment again and handle its reports. Audited."""
    now = now or timezone.now()
    comment = comment_restore(
        organisation=organisation, comment_id=comment_id, actor=actor
    )
    _resolve(organisation, actor=actor, now=now, comment_id=comment_id)
    return comment


# Blocking accounts ------------------------------------------------------------------


def account_has_content(organisation: Organisation, user_id: int) -> bool:
    """Whether the account wrote or reported anything in this commune (a
    moderator only blocks accounts they have seen act here)."""
    return (
        Proposal.objects.for_organisation(organisation)
        .filter(author_id=user_id)
        .exists()
        or Comment.objects.for_organisation(organisation)
        .filter(author_id=user_id)
        .exists()
        or Report.objects.for_organisation(organisation)
        .filter(reporter_id=user_id)
        .exists()
        or AccountBlock.objects.for_organisation(organisation)
        .filter(user_id=user_id)
        .exists()
    )


@transaction.atomic
def account_block(
    *,
    organisation: Organisation,
    user_id: int,
    actor: User,
    reason: str,
) -> AccountBlock:
    """Bar an account from proposing, commenting, supporting and reporting in
    this commune, with the reason kept. It can still read and erase its data.

    Refuses a staff member of the commune ("staff_not_blocked"), oneself, and an
    account already blocked ("already_blocked"). Audited ("account_block").
    """
    reason = text_clean(
        reason,
        field="reason",
        max_length=BLOCK_REASON_MAX_LENGTH,
        required=_("Give the reason for the block; it is kept."),
        too_long=_("Keep the reason under %(max)s characters."),
    )
    user = User.objects.select_for_update().get(pk=user_id)
    is_staff = (
        Membership.objects.for_organisation(organisation).filter(user=user).exists()
    )
    if is_staff or user.is_superuser or user.pk == actor.pk:
        raise ValidationError(
            _("A member of the commune's team cannot be blocked; change their role."),
            code="staff_not_blocked",
        )
    if (
        AccountBlock.objects.for_organisation(organisation)
        .in_force()
        .filter(user=user)
        .exists()
    ):
        raise ValidationError(
            _("This account is already blocked."), code="already_blocked"
        )
    block = AccountBlock.objects.create(
        organisation=organisation, user=user, reason=reason, blocked_by=actor
    )
    _audit(organisation, actor, "account_block", f"user:{user.pk}", reason=reason)
    return block


@transaction.atomic
def account_unblock(
    *,
    organisation: Organisation,
    user_id: int,
    actor: User,
    now: datetime | None = None,
) -> AccountBlock:
    """Lift the block in force on an account; the block stays in the history.
    Audited ("account_unblock")."""
    block = (
        AccountBlock.objects.for_organisation(organisation)
        .in_force()
        .select_for_update()
        .filter(user_id=user_id)
        .first()
    )
    if block is None:
        raise ValidationError(_("This account is not blocked."), code="not_blocked")
    block.lifted_at = now or timezone.now()
    block.lifted_by = actor
    block.save(update_fields=["lifted_at", "lifted_by"])
    _audit(organisation, actor, "account_unblock", f"user:{user_id}", block=block.pk)
    return block
