"""Background work of participation: notification e-mails, daily digests, and
the links asking a resident to confirm an idea keyed at the counter.

Tasks take ids and tolerate reruns: a notification is claimed (`emailed_at` set by
a conditional UPDATE) before its e-mail leaves, so two workers never send it
twice; if sending fails, the claim is released for the next run.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from participation.models import CounterClaim, Notification, NotificationPreference
from participation.services.claims import claim_token

EmailMode = NotificationPreference.EmailMode
# A digest gathers at most this much history: switching from "none" to the digest
# does not e-mail months of old notifications (they stay on the site).
DIGEST_MAX_AGE = timedelta(days=7)
logger = logging.getLogger(__name__)


def email_mode_for(user) -> str:
    """The account's choice; without a saved preference, one e-mail each."""
    preference = getattr(user, "notification_preference", None)
    return preference.email_mode if preference else EmailMode.IMMEDIATE


def _absolute(organisation, path: str) -> str:
    return organisation.site.root_url + path


def _notification_rows():
    return Notification.objects.select_related(
        "organisation__site",
        "proposal",
        "comment__author",
        "user__notification_preference",
    )


def _item(notification: Notification) -> dict:
    """What an e-mail says about one notification; hidden or deleted text never."""
    comment = notification.comment
    visible = comment is not None and not comment.deleted_at and not comment.hidden_at
    return {
        "kind": notification.kind,
        "proposal_title": notification.proposal.title,
        "status": notification.proposal.get_status_display(),
        "url": _absolute(
            notification.organisation, notification.proposal.get_absolute_url()
        )
        + (f"#commentaire-{comment.pk}" if visible else ""),
        "comment_author": comment.author.pseudonym
        if visible and comment.author
        else "",
        "excerpt": comment.body[:300] if visible else "",
    }


def _send(*, user, organisation, template: str, context: dict) -> None:
    context = {
        **context,
        "organisation_name": organisation.name,
        "pseudonym": user.pseudonym,
        "preferences_url": _absolute(
            organisation, reverse("participation:notification-list")
        )
        + "#preferences",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"participation/emails/{template}_subject.txt", context)
            .strip()
            .split()
        )
        context["subject"] = subject  # escaped in the HTML part, unlike the .txt
        text = render_to_string(f"participation/emails/{template}.txt", context)
        html = render_to_string(f"participation/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _claim(ids: Iterable[int]) -> list[int]:
    """Mark the still unsent rows among `ids` as e-mailed; the ids this run got.

    The claim time tells our rows from those a concurrent run claimed first.
    """
    claimed_at = timezone.now()
    rows = Notification.objects.filter(pk__in=list(ids))
    rows.filter(emailed_at__isnull=True).update(emailed_at=claimed_at)
    return list(rows.filter(emailed_at=claimed_at).values_list("pk", flat=True))


def _release(ids: Iterable[int]) -> None:
    Notification.objects.filter(pk__in=list(ids)).update(emailed_at=None)


def _can_receive(user) -> bool:
    return bool(user.is_active and user.email)


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification now if its account wants one e-mail each.

    Digest accounts get it from `send_digests`; "none" accounts never. Returns
    True when an e-mail left. A rerun, or a deleted notification, does nothing.
    """
    notification = _notification_rows().filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.user
    if email_mode_for(user) != EmailMode.IMMEDIATE or not _can_receive(user):
        return False
    if not _claim([notification.pk]):
        return False  # another worker took it
    try:
        _send(
            user=user,
            organisation=notification.organisation,
            template="notification",
            context={"item": _item(notification)},
        )
    except Exception:
        _release([notification.pk])
        raise
    return True


@task()
def send_digests() -> int:
    """One e-mail per account and commune gathering its unsent notifications.

    For accounts whose preference is the daily digest, notifications of the last
    DIGEST_MAX_AGE; run daily (the `send_digests` management command). Returns
    the number of e-mails sent.
    """
    wants_digest = NotificationPreference.objects.filter(
        user=OuterRef("user"), email_mode=EmailMode.DIGEST
    )
    pending = (
        _notification_rows()
        .filter(
            Exists(wants_digest),
            emailed_at__isnull=True,
            created_at__gte=timezone.now() - DIGEST_MAX_AGE,
        )
        .filter(Q(user__is_active=True) & ~Q(user__email=""))
        .order_by("user_id", "organisation_id", "created_at", "pk")
    )
    groups: dict[tuple[int, int], list[Notification]] = defaultdict(list)
    for notification in pending:
        groups[(notification.user_id, notification.organisation_id)].append(
            notification
        )
    sent = 0
    for group in groups.values():
        ids = _claim(n.pk for n in group)
        rows = [n for n in group if n.pk in ids]
        if not rows:
            continue  # another run is sending this group
        try:
            _send(
                user=rows[0].user,
                organisation=rows[0].organisation,
                template="digest",
                context={"items": [_item(n) for n in rows], "count": len(rows)},
            )
        except Exception:  # one failing address must not stop the others
            _release(ids)
            logger.exception("Digest e-mail failed for user %s", rows[0].user_id)
            continue
        sent += 1
    return sent


@task()
def send_counter_claim_email(claim_id: int) -> bool:
    """E-mail the account asked to confirm an idea keyed at the counter its link.

    Sent once: the claim is marked e-mailed by a conditional UPDATE first (a
    rerun does nothing); a confirmed or expired claim, or an account without an
    address, gets nothing. Returns True when an e-mail left.
    """
    now = timezone.now()
    claim = (
        CounterClaim.objects.select_related("organisation__site", "proposal", "user")
        .filter(pk=claim_id, confirmed_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if claim is None or not _can_receive(claim.user):
        return False
    rows = CounterClaim.objects.filter(pk=claim.pk, emailed_at__isnull=True)
    if not rows.update(emailed_at=now):
        return False  # already sent
    path = reverse("participation:claim-confirm", args=[claim_token(claim)])
    try:
        _send(
            user=claim.user,
            organisation=claim.organisation,
            template="counter_claim",
            context={
                "proposal_title": claim.proposal.title,
                "confirm_url": _absolute(claim.organisation, path),
                "expires_at": claim.expires_at,
            },
        )
    except Exception:
        CounterClaim.objects.filter(pk=claim.pk).update(emailed_at=None)
        raise
    return True
