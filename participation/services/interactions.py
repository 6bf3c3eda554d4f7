"""Supports, comments, reports, follows and notifications (state changes).

Every service is keyword-only, runs in one transaction, re-reads the rows it
changes with `select_for_update()` and refuses with a `ValidationError` carrying a
translated message and a `code`. The denormalised counters of `Proposal` stay
exact through `F()` updates:

- `support_count`: the number of `Support` rows;
- `comment_count`: the comments and replies a visitor can read, i.e. neither
  deleted by their author nor hidden by the moderation.

E-mails leave after commit (`transaction.on_commit`), through
`participation.tasks.send_notification_email`, one notification id each.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carte.models import AuditEvent, Organisation, User
from participation import tasks
from participation.models import (
    Comment,
    Cycle,
    Follow,
    ModerationEvent,
    Notification,
    NotificationPreference,
    PhaseChoices,
    Proposal,
    Report,
    Support,
)
from participation.permissions_interactions import comment_edit_window
from participation.phases import Feature, is_open
from participation.services.text import text_clean

COMMENT_MAX_LENGTH = 3000
HIDE_REASON_MAX_LENGTH = 255
REPORT_DETAILS_MAX_LENGTH = 1000


# Phase messages ------------------------------------------------------------------


def _day(moment: datetime) -> str:
    """'30 juin 2026'; an end at midnight is shown as the day before ('inclus')."""
    return date_format(timezone.localtime(moment), "j F Y")


def _until(end: datetime) -> str:
    local = timezone.localtime(end)
    if local.hour == 0 and local.minute == 0:
        return _("until %(day)s inclusive") % {
            "day": date_format(local - timedelta(days=1), "j F Y")
        }
    return _("until %(day)s at %(time)s") % {
        "day": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }


# Subjects of the sentences below ("Les soutiens sont ouverts...").
FEATURE_NAMES = {
    Feature.SUPPORT: lambda: pgettext("subject of a sentence", "Supports"),
    Feature.COMMENT: lambda: pgettext("subject of a sentence", "Comments"),
}


def feature_status_message(
    cycle: Cycle, feature: Feature, *, now: datetime | None = None
) -> str:
    """Say in plain words when `feature` is open in `cycle`, or why it is closed.

    "Les soutiens sont ouverts pendant la phase des idées, jusqu'au 30 juin 2026
    inclus." Reads the cycle's periods (prefetch `phase_periods` to save a query).
    """
    now = now or timezone.now()
    name = FEATURE_NAMES[feature]()
    periods = [p for p in cycle.periods() if is_open(p.phase, feature)]
    for period in periods:
        label = PhaseChoices(period.phase).label
        if period.contains(now):
            if period.end is None:
                return _("%(feature)s are open during the “%(phase)s” phase.") % {
                    "feature": name,
                    "phase": label,
                }
            return _(
                "%(feature)s are open during the “%(phase)s” phase, %(until)s."
            ) % {
                "feature": name,
                "phase": label,
                "until": _until(period.end),
            }
        if now < period.start:
            return _(
                "%(feature)s are closed for now. They open on %(day)s, "
                "with the “%(phase)s” phase."
            ) % {"feature": name, "day": _day(period.start), "phase": label}
    if periods and periods[-1].end is not None:
        return _("%(feature)s are closed: the “%(phase)s” phase ended on %(day)s.") % {
            "feature": name,
            "phase": PhaseChoices(periods[-1].phase).label,
            "day": _day(periods[-1].end - timedelta(microseconds=1)),
        }
    return _("%(feature)s are not open in this cycle.") % {"feature": name}


def _check_open(proposal: Proposal, feature: Feature, now: datetime) -> None:
    if not is_open(proposal.cycle.phase_at(now), feature):
        raise ValidationError(
            feature_status_message(proposal.cycle, feature, now=now),
            code="phase_closed",
        )


def _locked_proposal(organisation: Organisation, proposal_id: int) -> Proposal:
    """The proposal, locked, with its cycle; only a public one can be acted on."""
    proposal = (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .select_related("cycle")
        .get(pk=proposal_id)
    )
    if not proposal.is_active:
        raise ValidationError(
            _("This proposal is not open: it cannot be supported or discussed."),
            code="not_public",
        )
    return proposal


def _bump(proposal_id: int, field: str, delta: int) -> None:
    Proposal.objects.filter(pk=proposal_id).update(**{field: F(field) + delta})


@transaction.atomic
def proposal_counts_recompute(
    *, organisation: Organisation, proposal_ids: list[int] | None = None
) -> int:
    """Recount `support_count` and `comment_count` from the rows; how many changed.

    The services keep both exact; rows removed around them (an account erased,
    its supports and comments cascading) need this afterwards.
    """
    visible = Comment.objects.filter(
        proposal=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True
    )
    supports = Support.objects.filter(proposal=OuterRef("pk"))
    rows = (
        Proposal.objects.for_organisation(organisation)
        .select_for_update()
        .annotate(
            real_supports=Coalesce(_count(supports), 0),
            real_comments=Coalesce(_count(visible), 0),
        )
        .exclude(support_count=F("real_supports"), comment_count=F("real_comments"))
    )
    if proposal_ids is not None:
        rows = rows.filter(pk__in=proposal_ids)
    changed = 0
    for pk, real_supports, real_comments in rows.values_list(
        "pk", "real_supports", "real_comments"
    ):
        Proposal.objects.filter(pk=pk).update(
            support_count=real_supports, comment_count=real_comments
        )
        changed += 1
    return changed


def _count(queryset) -> Subquery:
    """A COUNT(*) subquery (no GROUP BY join multiplying rows)."""
    return Subquery(
        queryset.order_by()
        .values("proposal")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )


# Supports ------------------------------------------------------------------------


@transaction.atomic
def support_add(
    *,
    organisation: Organisation,
    proposal_id: int,
    user: User,
    now: datetime | None = None,
) -> Support:
    """Support a published proposal while its cycle's phase opens supports.

    One support per account and proposal (unique constraint `one_support_per_account`,
    also under concurrent requests); `support_count` gains one.
    """
    now = now or timezone.now()
    proposal = _locked_proposal(organisation, proposal_id)
    _check_open(proposal, Feature.SUPPORT, now)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                organisation=organisation, proposal=proposal, user=user
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You already support this proposal."), code="already_supported"
        ) from error
    _bump(proposal.pk, "support_count", 1)
    return support


@transaction.atomic
def support_withdraw(
    *,
    organisation: Organisation,
    proposal_id: int,
    user: User,
    now: datetime | None = None,
) -> None:
    """Withdraw one's support, only while supports are open (then counts freeze)."""
    now = now or timezone.now()
    proposal = _locked_proposal(organisation, proposal_id)
    _check_open(proposal, Feature.SUPPORT, now)
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise ValidationError(
            _("You do not support this proposal."), code="not_supported"
        )
    _bump(proposal.pk, "support_count", -1)


# Comments ------------------------------------------------------------------------


def _clean_body(body: str, field: str = "body") -> str:
    return text_clean(
        body,
        field=field,
        max_length=COMMENT_MAX_LENGTH,
        required=_("Write your comment before sending it."),
        required_code="empty",
        too_long=_(
            "Your comment is %(length)s characters long; shorten it to "
            "%(max)s characters at most."
        ),
        too_long_code="too_long",
    )


def _audience(proposal: Proposal) -> set[int]:
    """Who follows the proposal: its followers and its author."""
    ids = set(
        Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    if proposal.author_id:
        ids.add(proposal.author_id)
    return ids


def _notify(
    *,
    organisation: Organisation,
    proposal: Proposal,
    kind: Notification.Kind,
    user_ids: set[int],
    comment: Comment | None = None,
) -> list[Notification]:
    """Create on-site notifications and e-mail each one after commit."""
    if not user_ids:
        return []
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                organisation=organisation,
                user_id=user_id,
                kind=kind,
                proposal=proposal,
                comment=comment,
                created_at=now,
            )
            for user_id in sorted(user_ids)
        ]
    )
    ids = [n.pk for n in notifications]
    if None in ids:  # databases that return no ids from bulk_create
        ids = list(
            Notification.objects.filter(
                proposal=proposal, kind=kind, comment=comment, created_at=now
            ).values_list("pk", flat=True)
        )
    for notification_id in ids:
        transaction.on_commit(
            partial(
                tasks.send_notification_email.enqueue,
                notification_id=notification_id,
            )
        )
    return notifications


@transaction.atomic
def comment_post(
    *,
    organisation: Organisation,
    proposal_id: int,
    author: User,
    body: str,
    parent_id: int | None = None,
    now: datetime | None = None,
) -> Comment:
    """Comment a published proposal, or reply to a top-level comment (one level).

    Needs the COMMENT feature open in the cycle's current phase. The parent's
    author gets a "reply" notification; the proposal's author and followers a
    "comment" one; nobody is notified of their own comment.
    """
    now = now or timezone.now()
    body = _clean_body(body)
    proposal = _locked_proposal(organisation, proposal_id)
    _check_open(proposal, Feature.COMMENT, now)
    parent = None
    if parent_id is not None:
        parent = (
            Comment.objects.for_organisation(organisation)
            .filter(proposal=proposal, pk=parent_id)
            .first()
        )
        if parent is None:
            raise ValidationError(
                _("The comment you reply to no longer exists."), code="no_parent"
            )
        if parent.parent_id is not None:
            raise ValidationError(
                _("Reply to the first comment of the thread, not to a reply."),
                code="reply_depth",
            )
        if parent.deleted_at or parent.hidden_at:
            raise ValidationError(
                _("This comment was deleted or hidden: you cannot reply to it."),
                code="parent_unavailable",
            )
    comment = Comment.objects.create(
        organisation=organisation,
        proposal=proposal,
        author=author,
        parent=parent,
        body=body,
        created_at=now,
    )
    _bump(proposal.pk, "comment_count", 1)
    replied = set()
    if parent is not None and parent.author_id and parent.author_id != author.pk:
        replied = {parent.author_id}
        _notify(
            organisation=organisation,
            proposal=proposal,
            kind=Notification.Kind.REPLY,
            user_ids=replied,
            comment=comment,
        )
    _notify(
        organisation=organisation,
        proposal=proposal,
        kind=Notification.Kind.COMMENT,
        user_ids=_audience(proposal) - replied - {author.pk},
        comment=comment,
    )
    return comment


def _locked_comment(organisation: Organisation, comment_id: int) -> Comment:
    return (
        Comment.objects.for_organisation(organisation)
        .select_for_update()
        .select_related("proposal")
        .get(pk=comment_id)
    )


def _is_visible(comment: Comment) -> bool:
    return comment.deleted_at is None and comment.hidden_at is None


@transaction.atomic
def comment_edit(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    body: str,
    now: datetime | None = None,
) -> Comment:
    """Its author edits a comment within AGORA_COMMENT_EDIT_MINUTES of writing it.

    The comment then shows "modifié"; a deleted or hidden comment stays as it is.
    """
    now = now or timezone.now()
    body = _clean_body(body)
    comment = _locked_comment(organisation, comment_id)
    if comment.author_id != actor.pk:
        raise ValidationError(
            _("Only its author can edit a comment."), code="not_author"
        )
    if not _is_visible(comment):
        raise ValidationError(
            _("This comment was deleted or hidden: it can no longer be edited."),
            code="not_editable",
        )
    if now >= comment.created_at + comment_edit_window():
        minutes = int(comment_edit_window().total_seconds() // 60)
        raise ValidationError(
            _(
                "A comment can be edited during %(minutes)s minutes after it was "
                "written. You can still delete it and write a new one."
            )
            % {"minutes": minutes},
            code="edit_window_over",
        )
    comment.body = body
    comment.edited_at = now
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    now: datetime | None = None,
) -> Comment:
    """Its author deletes a comment: the text is blanked, the replies stay."""
    comment = _locked_comment(organisation, comment_id)
    if comment.author_id != actor.pk:
        raise ValidationError(
            _("Only its author can delete a comment."), code="not_author"
        )
    if comment.deleted_at is not None:
        raise ValidationError(
            _("This comment is already deleted."), code="already_deleted"
        )
    if _is_visible(comment):
        _bump(comment.proposal_id, "comment_count", -1)
    comment.body = ""
    comment.deleted_at = now or timezone.now()
    comment.save(update_fields=["body", "deleted_at"])
    return comment


def _set_hidden(
    *,
    organisation: Organisation,
    comment: Comment,
    actor: User,
    hidden_at: datetime | None,
    reason: str,
    audit: dict,
) -> Comment:
    """Hide (`hidden_at` set) or show again a locked comment, keep the visible
    count exact, and record an AuditEvent ("comment_hide" or "comment_restore")."""
    if comment.deleted_at is None:
        _bump(comment.proposal_id, "comment_count", -1 if hidden_at else 1)
    comment.hidden_at = hidden_at
    comment.hidden_reason = reason
    comment.hidden_by = actor if hidden_at else None
    comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        action="comment_hide" if hidden_at else "comment_restore",
        target=f"comment:{comment.pk}",
        data={"proposal": comment.proposal_id, **audit},
    )
    return comment


@transaction.atomic
def comment_hide(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Comment:
    """A moderator hides a comment; the reason is shown in its place. Audited.

    The text is kept, so that the comment can be restored.
    """
    reason = text_clean(
        reason,
        field="reason",
        max_length=HIDE_REASON_MAX_LENGTH,
        required=_("Give the reason, it is shown in place of the comment."),
        too_long=_("Keep the reason under %(max)s characters."),
        collapse_spaces=True,
    )
    comment = _locked_comment(organisation, comment_id)
    if comment.hidden_at is not None:
        raise ValidationError(
            _("This comment is already hidden."), code="already_hidden"
        )
    return _set_hidden(
        organisation=organisation,
        comment=comment,
        actor=actor,
        hidden_at=now or timezone.now(),
        reason=reason,
        audit={"reason": reason},
    )


@transaction.atomic
def comment_restore(
    *, organisation: Organisation, comment_id: int, actor: User
) -> Comment:
    """A moderator shows a hidden comment again. Audited."""
    comment = _locked_comment(organisation, comment_id)
    if comment.hidden_at is None:
        raise ValidationError(_("This comment is not hidden."), code="not_hidden")
    return _set_hidden(
        organisation=organisation,
        comment=comment,
        actor=actor,
        hidden_at=None,
        reason="",
        audit={"previous_reason": comment.hidden_reason},
    )


# Reports -------------------------------------------------------------------------


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
    content, it is hidden pending review, in the same transaction (issue 6); the
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
        if not comment.proposal.is_public or not _is_visible(comment):
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


def reports_to_hide() -> int:
    """How many distinct accounts hide a content pending review (setting
    AGORA_REPORTS_TO_HIDE, default 3)."""
    return max(1, int(getattr(settings, "AGORA_REPORTS_TO_HIDE", 3)))


def unresolved_reports(
    organisation: Organisation,
    *,
    proposal_id: int | None = None,
    comment_id: int | None = None,
):
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


def _hide_when_reported(*, organisation: Organisation, report: Report) -> None:
    """Hide a content reported by enough distinct accounts, pending review.

    Nobody hid it (`hidden_by` empty); the reason says why; an AuditEvent
    ("proposal_auto_hide" or "comment_auto_hide") records it. A moderator then
    restores it (`participation.services.reports`) or keeps it hidden.
    """
    count = unresolved_reporters(
        organisation, proposal_id=report.proposal_id, comment_id=report.comment_id
    )
    if count < reports_to_hide():
        return
    now = timezone.now()
    # Stored as text, in the commune's language: the public page shows it.
    reason = _("Hidden after several reports, pending review by the moderators.")
    if report.comment_id is not None:
        comment = _locked_comment(organisation, report.comment_id)
        if comment.hidden_at is not None:
            return
        if comment.deleted_at is None:
            _bump(comment.proposal_id, "comment_count", -1)
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = now, reason, None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        action, target, proposal_id = (
            "comment_auto_hide",
            f"comment:{comment.pk}",
            comment.proposal_id,
        )
    else:
        proposal = (
            Proposal.objects.for_organisation(organisation)
            .select_for_update()
            .get(pk=report.proposal_id)
        )
        if proposal.hidden_at is not None:
            return
        proposal.hidden_at, proposal.hidden_reason, proposal.hidden_by = (
            now,
            reason,
            None,
        )
        proposal.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        action, target, proposal_id = (
            "proposal_auto_hide",
            f"proposal:{proposal.pk}",
            proposal.pk,
        )
    AuditEvent.objects.create(
        organisation=organisation,
        actor=None,
        action=action,
        target=target,
        data={"proposal": proposal_id, "reporters": count},
    )


# Follows -------------------------------------------------------------------------


@transaction.atomic
def follow_add(*, organisation: Organisation, proposal_id: int, user: User) -> Follow:
    """Follow a proposal (public, or one's own); following twice changes nothing."""
    proposal = Proposal.objects.for_organisation(organisation).get(pk=proposal_id)
    if not proposal.is_public and proposal.author_id != user.pk:
        raise ValidationError(
            _("This proposal is not published: it cannot be followed."),
            code="not_public",
        )
    follow, _created = Follow.objects.get_or_create(
        organisation=organisation, proposal=proposal, user=user
    )
    return follow


@transaction.atomic
def follow_remove(*, organisation: Organisation, proposal_id: int, user: User) -> bool:
    """Stop following a proposal; True if the account was following it."""
    deleted, _rows = (
        Follow.objects.for_organisation(organisation)
        .filter(proposal_id=proposal_id, user=user)
        .delete()
    )
    return bool(deleted)


# Notifications -------------------------------------------------------------------


@transaction.atomic
def notify_status_change(
    *,
    organisation: Organisation,
    proposal_id: int,
    event_id: int | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Notify a proposal's status change; call it in the transaction that changed it.

    The author is always told; followers only when the proposal is public after
    the change (they could not open it otherwise). Whoever made the change
    (`actor`, or the `ModerationEvent`'s actor) is not notified of it. E-mails
    leave after commit, per each account's preference.
    """
    proposal = Proposal.objects.for_organisation(organisation).get(pk=proposal_id)
    skip = {actor.pk} if actor else set()
    if event_id is not None:
        event_actor = (
            ModerationEvent.objects.for_organisation(organisation)
            .filter(pk=event_id, proposal=proposal)
            .values_list("actor_id", flat=True)
            .first()
        )
        if event_actor:
            skip.add(event_actor)
    if proposal.is_public:
        user_ids = _audience(proposal)
    else:
        user_ids = {proposal.author_id} if proposal.author_id else set()
    return _notify(
        organisation=organisation,
        proposal=proposal,
        kind=Notification.Kind.STATUS_CHANGED,
        user_ids=user_ids - skip,
    )


@transaction.atomic
def notifications_mark_read(
    *,
    organisation: Organisation,
    user: User,
    notification_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Mark one notification (or all of them in this commune) read; the count."""
    rows = Notification.objects.for_organisation(organisation).filter(
        user=user, read_at__isnull=True
    )
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=now or timezone.now())


@transaction.atomic
def notification_preference_set(
    *, user: User, email_mode: str
) -> NotificationPreference:
    """Choose how e-mails come: one per notification, a daily digest, or none.

    The preference serves every commune. Switching away from the digest leaves
    the pending notifications on the site only (no backlog e-mail).
    """
    if email_mode not in NotificationPreference.EmailMode.values:
        raise ValidationError(
            {"email_mode": _("Choose how you want to receive e-mails.")},
            code="email_mode",
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return preference
