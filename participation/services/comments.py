"""Comments: write, reply, edit, delete, and hide or show again (state changes).

Services as in `participation.services.supports`: keyword-only, one transaction,
the changed row locked, refusals as `ValidationError` with a `code`, and
`comment_count` kept exact. Every way a comment is hidden or shown again (by a
moderator here, after reports in `participation.services.reports`) goes
through `comment_hidden_set`.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from carte.services.audit import audit_record
from participation.models import Comment, Notification
from participation.permissions.comments import comment_edit_window
from participation.phases import Feature
from participation.services.notifications import notifications_send, proposal_audience
from participation.services.supports import (
    feature_check_open,
    proposal_count_add,
    proposal_open_locked,
)
from participation.services.text import text_clean

COMMENT_MAX_LENGTH = 3000
HIDE_REASON_MAX_LENGTH = 255
# The categories a moderator chooses from (REPORTED is the reports' own).
HIDE_CATEGORIES = tuple(
    code
    for code in Comment.HideCategory.values
    if code != Comment.HideCategory.REPORTED
)


def comment_body_clean(body: str, *, too_long: str | None = None) -> str:
    """The text of a comment, on an idea or a project, trimmed; refused empty
    ("empty") or past COMMENT_MAX_LENGTH ("too_long", message `too_long`)."""
    return text_clean(
        body,
        field="body",
        max_length=COMMENT_MAX_LENGTH,
        required=_("Write your comment before sending it."),
        required_code="empty",
        too_long=too_long
        or _(
            "Your comment is %(length)s characters long; shorten it to "
            "%(max)s characters at most."
        ),
        too_long_code="too_long",
    )


def comment_is_visible(comment: Comment) -> bool:
    """Neither deleted by its author nor hidden by the moderation."""
    return comment.deleted_at is None and comment.hidden_at is None


def comment_locked(organisation: Organisation, comment_id: int) -> Comment:
    """The commune's comment with its proposal, locked for the transaction."""
    return (
        Comment.objects.for_organisation(organisation)
        .select_for_update()
        .select_related("proposal")
        .get(pk=comment_id)
    )


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
    body = comment_body_clean(body)
    proposal = proposal_open_locked(organisation, proposal_id)
    feature_check_open(proposal, Feature.COMMENT, now)
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
        if not comment_is_visible(parent):
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
    proposal_count_add(proposal.pk, "comment_count", 1)
    replied = set()
    if parent is not None and parent.author_id and parent.author_id != author.pk:
        replied = {parent.author_id}
        notifications_send(
            organisation=organisation,
            proposal=proposal,
            kind=Notification.Kind.REPLY,
            user_ids=replied,
            comment=comment,
        )
    notifications_send(
        organisation=organisation,
        proposal=proposal,
        kind=Notification.Kind.COMMENT,
        user_ids=proposal_audience(proposal) - replied - {author.pk},
        comment=comment,
    )
    return comment


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
    body = comment_body_clean(body)
    comment = comment_locked(organisation, comment_id)
    if comment.author_id != actor.pk:
        raise ValidationError(
            _("Only its author can edit a comment."), code="not_author"
        )
    if not comment_is_visible(comment):
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
    comment = comment_locked(organisation, comment_id)
    if comment.author_id != actor.pk:
        raise ValidationError(
            _("Only its author can delete a comment."), code="not_author"
        )
    if comment.deleted_at is not None:
        raise ValidationError(
            _("This comment is already deleted."), code="already_deleted"
        )
    if comment_is_visible(comment):
        proposal_count_add(comment.proposal_id, "comment_count", -1)
    comment.body = ""
    comment.deleted_at = now or timezone.now()
    comment.save(update_fields=["body", "deleted_at"])
    return comment


def comment_hidden_set(
    *,
    organisation: Organisation,
    comment: Comment,
    actor: User | None,
    hidden_at: datetime | None,
    reason: str,
    action: str,
    audit: dict,
    category: str = "",
) -> Comment:
    """Hide (`hidden_at` set) or show again a comment locked by the caller.

    The one path for every hiding: the visible count stays exact, `hidden_by` is
    the moderator (None when reports hid it), `category` is what the public
    reads, `reason` what only the author and the moderators read; an AuditEvent
    `action`
    ("comment_hide", "comment_restore", "comment_auto_hide") records it with
    `audit` beside the proposal's id.
    """
    if comment.deleted_at is None:
        proposal_count_add(comment.proposal_id, "comment_count", -1 if hidden_at else 1)
    comment.hidden_at = hidden_at
    comment.hidden_category = category if hidden_at else ""
    comment.hidden_reason = reason
    comment.hidden_by = actor if hidden_at else None
    comment.save(
        update_fields=["hidden_at", "hidden_category", "hidden_reason", "hidden_by"]
    )
    audit_record(
        actor,
        action,
        f"comment:{comment.pk}",
        {"proposal": comment.proposal_id, **audit},
        organisation=organisation,
    )
    return comment


@transaction.atomic
def comment_hide(
    *,
    organisation: Organisation,
    comment_id: int,
    actor: User,
    reason: str,
    category: str = Comment.HideCategory.OTHER,
    now: datetime | None = None,
) -> Comment:
    """A moderator hides a comment. Audited.

    Everyone reads, in its place, that it was hidden and the `category` (one of
    `HIDE_CATEGORIES`); only its author and the moderators read the `reason`.
    The text is kept, so that the comment can be restored.
    """
    if category not in HIDE_CATEGORIES:
        raise ValidationError(
            {"category": _("Choose the kind of reason from the list.")},
            code="category",
        )
    reason = text_clean(
        reason,
        field="reason",
        max_length=HIDE_REASON_MAX_LENGTH,
        required=_(
            "Write a word for the author; only they and the moderators read it."
        ),
        too_long=_("Keep the reason under %(max)s characters."),
        collapse_spaces=True,
    )
    comment = comment_locked(organisation, comment_id)
    if comment.hidden_at is not None:
        raise ValidationError(
            _("This comment is already hidden."), code="already_hidden"
        )
    return comment_hidden_set(
        organisation=organisation,
        comment=comment,
        actor=actor,
        hidden_at=now or timezone.now(),
        reason=reason,
        category=category,
        action="comment_hide",
        audit={"reason": reason, "category": category},
    )


@transaction.atomic
def comment_restore(
    *, organisation: Organisation, comment_id: int, actor: User
) -> Comment:
    """A moderator shows a hidden comment again. Audited."""
    comment = comment_locked(organisation, comment_id)
    if comment.hidden_at is None:
        raise ValidationError(_("This comment is not hidden."), code="not_hidden")
    return comment_hidden_set(
        organisation=organisation,
        comment=comment,
        actor=actor,
        hidden_at=None,
        reason="",
        action="comment_restore",
        audit={"previous_reason": comment.hidden_reason},
    )
