"""Supports ("soutenir"), and what every interaction on a proposal shares.

Every service is keyword-only, runs in one transaction, re-reads the rows it
changes with `select_for_update()` and refuses with a `ValidationError` carrying a
translated message and a `code`. The denormalised counters of `Proposal` stay
exact through `F()` updates (`proposal_count_add`):

- `support_count`: the number of `Support` rows;
- `comment_count`: the comments and replies a visitor can read, i.e. neither
  deleted by their author nor hidden by the moderation.

The phase gate (`feature_check_open`, `feature_status_message`) and the locked
open proposal (`proposal_open_locked`) serve supports, comments and merging.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carte.models import Organisation, User
from carte.tenancy import Actor
from participation.models import Comment, Cycle, PhaseChoices, Proposal, Support
from participation.permissions.moderation import blocked_message
from participation.phases import Feature, is_open

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


def feature_closed_message(
    proposal: Proposal, feature: Feature, actor: Actor | None = None
) -> str:
    """Why `actor` cannot support or comment `proposal` (or when they can)."""
    if actor is not None and actor.is_blocked:
        return blocked_message()
    if not proposal.is_active:
        if feature == Feature.SUPPORT:
            return _("This proposal is closed: it no longer takes supports.")
        return _("This proposal is closed: it can no longer be discussed.")
    return feature_status_message(proposal.cycle, feature)


def feature_check_open(proposal: Proposal, feature: Feature, now: datetime) -> None:
    """Refuse ("phase_closed") unless `feature` is open in the proposal's cycle."""
    if not is_open(proposal.cycle.phase_at(now), feature):
        raise ValidationError(
            feature_status_message(proposal.cycle, feature, now=now),
            code="phase_closed",
        )


# Proposals acted on, and their counters --------------------------------------------


def proposal_open_locked(organisation: Organisation, proposal_id: int) -> Proposal:
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


def proposal_count_add(proposal_id: int, field: str, delta: int) -> None:
    """Add `delta` to a counter of the proposal ("support_count", "comment_count")."""
    Proposal.objects.filter(pk=proposal_id).update(**{field: F(field) + delta})


def _count(queryset) -> Subquery:
    """A COUNT(*) subquery (no GROUP BY join multiplying rows)."""
    return Subquery(
        queryset.order_by()
        .values("proposal")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )


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
    proposal = proposal_open_locked(organisation, proposal_id)
    feature_check_open(proposal, Feature.SUPPORT, now)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                organisation=organisation, proposal=proposal, user=user
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You already support this proposal."), code="already_supported"
        ) from error
    proposal_count_add(proposal.pk, "support_count", 1)
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
    proposal = proposal_open_locked(organisation, proposal_id)
    feature_check_open(proposal, Feature.SUPPORT, now)
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise ValidationError(
            _("You do not support this proposal."), code="not_supported"
        )
    proposal_count_add(proposal.pk, "support_count", -1)
