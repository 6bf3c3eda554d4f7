"""Reports ("signaler"): residents report contents, moderators handle them.

A resident reports a public proposal or a comment once (`report_create`); a
content reported by `reports_to_hide()` distinct accounts is hidden at once,
pending review. A moderator then hides a proposal, shows it again, dismisses
the reports on a content, or blocks an account of the commune with the reason
kept. Every service runs in one transaction with its `carte.AuditEvent`.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import AccountBlock, Membership, Organisation, User
from carte.services.audit import audit_record
from participation.models import Comment, Proposal, Report
from participation.services.comments import (
    HIDE_REASON_MAX_LENGTH,
    comment_hidden_set,
    comment_hide,
    comment_is_visible,
    comment_locked,
    comment_restore,
)
from participation.services.moderation import proposal_locked
from participation.services.text import text_clean

REPORT_DETAILS_MAX_LENGTH = 1000
BLOCK_REASON_MAX_LENGTH = 2000


# Reporting -----------------------------------------------------------------------


def reports_to_hide() -> int:
    """How many distinct accounts hide a content pending review (setting
    AGORA_REPORTS_TO_HIDE, default 3)."""
    return max(1, int(getattr(settings, "AGORA_REPORTS_TO_HIDE", 3)))


def unresolved_reports(
    organisation: Organisation,
    *,
    proposal_id: int | None = None,
    comment_id: int | None = None,
) -> QuerySet[Report]:
    """The reports on one content (a comment, or else a proposal itself) that
    no moderator has handled yet."""
    reports = Report.objects.for_organisation(organisation).filter(
        resolved_at__isnull=True
    )
    if comment_id is not None:
        return reports.filter(comment_id=comment_id)
    return reports.filter(proposal_id=proposal_id, comment__isnull=True)


def unresolved_reporters(
    organisation: Organisation,
    *,
    proposal_id: int | None = None,
    comment_id: int | None = None,
) -> int:
    """The distinct accounts whose reports on one content are not yet handled."""
    reports = unresolved_reports(
        organisation, proposal_id=proposal_id, comment_id=comment_id
    )
    return reports.values("reporter").distinct().count()


@transaction.atomic
def report_create(
    *,
    organisation: Organisation,
    reporter: User,
    reason: str,
    details: str = "",
    proposal_id: int | None = None,
    comment_id: int | None = None,
) -> Report:
    """Report ("signaler") a published proposal or a comment, once per account.

    When `reports_to_hide()` distinct accounts have unresolved reports on the
    content, it is hidden pending review, in the same transaction; the
    moderation queue lists every reported content.
    """
    if (proposal_id is None) == (comment_id is None):
        raise ValueError("Report exactly one of a proposal or a comment.")
    if reason not in Report.Reason.values:
        raise ValidationError(
            {"reason": _("Choose why you report this content.")}, code="reason"
        )
    details = text_clean(
        details,
        field="details",
        max_length=REPORT_DETAILS_MAX_LENGTH,
        too_long=_("Keep the details under %(max)s characters."),
        too_long_code="details_too_long",
    )
    proposal = comment = None
    if comment_id is not None:
        comment = (
            Comment.objects.for_organisation(organisation)
            .select_related("proposal")
            .get(pk=comment_id)
        )
        if not comment.proposal.is_public or not comment_is_visible(comment):
            raise ValidationError(
                _("This comment is no longer shown: there is nothing to report."),
                code="not_reportable",
            )
        already = _(
            "You have already reported this comment. The moderators will look at it."
        )
    else:
        proposal = Proposal.objects.for_organisation(organisation).get(pk=proposal_id)
        if not proposal.is_public:
            raise ValidationError(
                _("This proposal is not published: there is nothing to report."),
                code="not_reportable",
            )
        already = _(
            "You have already reported this proposal. The moderators will look at it."
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                organisation=organisation,
                proposal=proposal,
                comment=comment,
                reporter=reporter,
                reason=reason,
                details=details,
            )
    except IntegrityError as error:
        raise ValidationError(already, code="already_reported") from error
    _hide_when_reported(organisation=organisation, report=report)
    return report


def _hide_when_reported(*, organisation: Organisation, report: Report) -> None:
    """Hide a content reported by enough distinct accounts, pending review.

    Nobody hid it (`hidden_by` empty); the reason says why; an AuditEvent
    ("proposal_auto_hide" or "comment_auto_hide") records it. A moderator then
    restores it or keeps it hidden (below).
    """
    count = unresolved_reporters(
        organisation, proposal_id=report.proposal_id, comment_id=report.comment_id
    )
    if count < reports_to_hide():
        return
    now = timezone.now()
    # Stored as text, in the commune's language: the public page shows it.
    reason = _("Hidden after several reports, pending review by the moderators.")
    hiding = {"organisation": organisation, "actor": None, "reason": reason}
    if report.comment_id is not None:
        comment = comment_locked(organisation, report.comment_id)
        if comment.hidden_at is None:
            comment_hidden_set(
                comment=comment,
                hidden_at=now,
                category=Comment.HideCategory.REPORTED,
                action="comment_auto_hide",
                audit={"reporters": count},
                **hiding,
            )
        return
    proposal = proposal_locked(organisation, report.proposal_id)
    if proposal.hidden_at is None:
        proposal_hidden_set(
            proposal=proposal,
            hidden_at=now,
            action="proposal_auto_hide",
            audit={"proposal": proposal.pk, "reporters": count},
            **hiding,
        )


# Handling reports ------------------------------------------------------------------


def proposal_hidden_set(
    *,
    organisation: Organisation,
    proposal: Proposal,
    actor: User | None,
    action: str,
    audit: dict,
    hidden_at: datetime | None = None,
    reason: str = "",
) -> Proposal:
    """Hide (`hidden_at` set) or show again (the default) a proposal locked by the
    caller.

    `hidden_by` is the moderator (None when reports hid it); an AuditEvent
    `action` records it with `audit`, as `comment_hidden_set` does for comments.
    """
    proposal.hidden_at = hidden_at
    proposal.hidden_reason = reason
    proposal.hidden_by = actor if hidden_at else None
    proposal.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    audit_record(
        actor, action, f"proposal:{proposal.pk}", audit, organisation=organisation
    )
    return proposal


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


def _clean_hide_reason(reason: str) -> str:
    return text_clean(
        reason,
        field="reason",
        max_length=HIDE_REASON_MAX_LENGTH,
        required=_("Give the reason; only the author and the team read it."),
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
    resolved = _resolve(organisation, actor=actor, now=now, proposal_id=proposal.pk)
    return proposal_hidden_set(
        organisation=organisation,
        proposal=proposal,
        actor=actor,
        hidden_at=proposal.hidden_at or now,
        reason=reason,
        action="proposal_hide",
        audit={"reason": reason, "reports_resolved": resolved},
    )


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
    resolved = _resolve(organisation, actor=actor, now=now, proposal_id=proposal.pk)
    return proposal_hidden_set(
        organisation=organisation,
        proposal=proposal,
        actor=actor,
        action="proposal_restore",
        audit={"previous_reason": proposal.hidden_reason, "reports_resolved": resolved},
    )


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
    audit_record(
        actor,
        "reports_dismiss",
        target,
        {"reports_resolved": resolved},
        organisation=organisation,
    )
    return resolved


@transaction.atomic
def reported_comment_hide(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    reason: str,
    category: str = Comment.HideCategory.OTHER,
    now: datetime | None = None,
) -> Comment:
    """Hide a reported comment for good (a moderator's decision) and handle its
    reports. A comment hidden by reports gets the moderator's category and
    reason instead."""
    now = now or timezone.now()
    comment = Comment.objects.for_organisation(organisation).get(pk=comment_id)
    if comment.hidden_at is not None:
        comment_restore(organisation=organisation, comment_id=comment_id, actor=actor)
    comment = comment_hide(
        organisation=organisation,
        comment_id=comment_id,
        actor=actor,
        reason=reason,
        category=category,
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
    audit_record(
        actor,
        "account_block",
        f"user:{user.pk}",
        {"reason": reason},
        organisation=organisation,
    )
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
    audit_record(
        actor,
        "account_unblock",
        f"user:{user_id}",
        {"block": block.pk},
        organisation=organisation,
    )
    return block
