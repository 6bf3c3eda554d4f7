"""Notifications: on-site rows, e-mailed after commit, and each account's choice.

E-mails leave after commit (`transaction.on_commit`), through
`participation.tasks.send_notification_email`, one notification id each.
`notifications_send` and `proposal_audience` serve every feature that tells
people something (comments, moderation, merging).
"""

from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from participation import tasks
from participation.models import (
    Comment,
    Follow,
    ModerationEvent,
    Notification,
    NotificationPreference,
    Proposal,
)


def proposal_audience(proposal: Proposal) -> set[int]:
    """Who follows the proposal: its followers and its author."""
    ids = set(
        Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    if proposal.author_id:
        ids.add(proposal.author_id)
    return ids


def notifications_send(
    *,
    organisation: Organisation,
    proposal: Proposal,
    kind: Notification.Kind,
    user_ids: set[int],
    comment: Comment | None = None,
) -> list[Notification]:
    """Create on-site notifications and e-mail each one after commit.

    Call it inside the transaction that made the news: a rollback sends nothing.
    """
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
        user_ids = proposal_audience(proposal)
    else:
        user_ids = {proposal.author_id} if proposal.author_id else set()
    return notifications_send(
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
