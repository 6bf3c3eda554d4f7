"""The public history and outcome of a proposal, read for its page (issue 6).

Every status change is a `ModerationEvent`; the page shows each one with its
date, the step in plain words, the reason and who acted, by role only ("par la
modération", "au guichet"), never by name. Banners say what became of the idea:
merged (and into which proposal), forwarded, withdrawn, rejected.

`with_outcome(queryset)` adds what this needs to the proposal page's query (two
prefetches and a join, whatever the number of events); `outcome_for_proposal`
then builds the outcome from those rows without any further query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participation import workflow
from participation.models import ModerationEvent, Proposal

Action = workflow.Action
Party = workflow.Party

# The step, said from the proposal's side ("Publiée", "Envoyée à l'étude").
STEP_LABELS = {
    Action.SUBMIT: pgettext_lazy("history step", "Submitted"),
    Action.PUBLISH: pgettext_lazy("history step", "Published"),
    Action.REQUEST_CHANGES: pgettext_lazy("history step", "Changes requested"),
    Action.REJECT: pgettext_lazy("history step", "Rejected"),
    Action.MERGE: pgettext_lazy("history step", "Merged into another proposal"),
    Action.FORWARD: pgettext_lazy("history step", "Forwarded to the competent body"),
    Action.WITHDRAW: pgettext_lazy("history step", "Withdrawn"),
    Action.START_STUDY: pgettext_lazy("history step", "Sent for study"),
    Action.MARK_FEASIBLE: pgettext_lazy("history step", "Declared feasible"),
    Action.MARK_NOT_FEASIBLE: pgettext_lazy("history step", "Declared not feasible"),
    Action.GROUP: pgettext_lazy("history step", "Grouped into a project"),
}
RESUBMITTED = pgettext_lazy("history step", "Submitted again after changes")

# Who acted, by role: never a name.
BY_AUTHOR = _("by its author")
AT_COUNTER = _("at the counter")
BY_MODERATION = _("by the moderation team")
BY_CITY_SERVICE = _("by a city service")
BY_ELECTED = _("by the elected officials")
BY_COMMUNE = _("by the commune")
REVIEW_ACTIONS = frozenset(
    {Action.MARK_FEASIBLE, Action.MARK_NOT_FEASIBLE, Action.GROUP}
)
# Staff submit and withdraw only for residents who came to the counter.
COUNTER_ACTIONS = frozenset({Action.SUBMIT, Action.WITHDRAW})


@dataclass(frozen=True)
class HistoryStep:
    """One line of the public history."""

    created_at: datetime
    action: str
    to_status: str
    label: str
    by: str
    reason_label: str
    reason: str


@dataclass(frozen=True)
class ProposalOutcome:
    """What became of a proposal, for its banners and history.

    `decision` is the step that gave the proposal its current status (its
    reason is shown in the banner); `merged_into` is the target of a merged
    proposal when the public can read it; `merged_from` the public originals
    merged into this one, by number.
    """

    steps: list[HistoryStep]
    decision: HistoryStep | None
    merged_into: Proposal | None
    merged_from: list[Proposal]
    can_be_withdrawn: bool


def step_label(action: str, from_status: str = "") -> str:
    """The step in plain words: "Publiée", "Déclarée réalisable"..."""
    if action == Action.SUBMIT and from_status == workflow.Status.CHANGES_REQUESTED:
        return str(RESUBMITTED)
    try:
        return str(STEP_LABELS[Action(action)])
    except ValueError:
        return action


def actor_label(actor_role: str, action: str) -> str:
    """Who acted, by role ("par la modération"); an administrator is named by
    what they did (moderation, review, the counter)."""
    if actor_role == Party.AUTHOR:
        return str(BY_AUTHOR)
    if actor_role == Party.COUNTER_AGENT:
        return str(AT_COUNTER)
    if actor_role == Party.REVIEWER:
        return str(BY_CITY_SERVICE)
    if actor_role == Party.ELECTED:
        return str(BY_ELECTED)
    if actor_role == Party.MODERATOR:
        return str(BY_MODERATION)
    if actor_role == Party.ADMIN:
        if action in COUNTER_ACTIONS:
            return str(AT_COUNTER)
        if action in REVIEW_ACTIONS:
            return str(BY_CITY_SERVICE)
        return str(BY_MODERATION)
    return str(BY_COMMUNE)


def with_outcome(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Add the history, the merge target and the merged originals (2 queries)."""
    return queryset.select_related("merged_into").prefetch_related(
        Prefetch(
            "events",
            queryset=ModerationEvent.objects.order_by("created_at", "pk").only(
                "pk",
                "proposal_id",
                "action",
                "actor_role",
                "from_status",
                "to_status",
                "reason_label",
                "reason",
                "created_at",
            ),
        ),
        Prefetch(
            "merged_from",
            queryset=Proposal.objects.published()
            .filter(status=workflow.Status.MERGED)
            .order_by("pk")
            .only("pk", "title", "status", "hidden_at", "merged_into_id"),
            to_attr="public_merged_from",
        ),
    )


def history_for_proposal(proposal: Proposal) -> list[HistoryStep]:
    """Every status change of `proposal`, oldest first (reads the prefetch)."""
    steps = []
    for event in proposal.events.all():
        label = step_label(event.action, event.from_status)
        if event.action == Action.FORWARD and proposal.forwarded_to:
            label = _("Forwarded to %(body)s") % {"body": proposal.forwarded_to}
        steps.append(
            HistoryStep(
                created_at=event.created_at,
                action=event.action,
                to_status=event.to_status,
                label=str(label),
                by=actor_label(event.actor_role, event.action),
                reason_label=event.reason_label,
                reason=event.reason,
            )
        )
    return steps


def outcome_for_proposal(proposal: Proposal) -> ProposalOutcome:
    """The outcome of a proposal fetched through `with_outcome` (no query)."""
    steps = history_for_proposal(proposal)
    decision = steps[-1] if steps and steps[-1].to_status == proposal.status else None
    target = proposal.merged_into
    if target is not None and not target.is_public:
        target = None
    merged_from = getattr(proposal, "public_merged_from", None)
    if merged_from is None:  # not fetched through with_outcome
        merged_from = list(
            proposal.merged_from.published()
            .filter(status=workflow.Status.MERGED)
            .order_by("pk")
        )
    return ProposalOutcome(
        steps=steps,
        decision=decision,
        merged_into=target,
        merged_from=list(merged_from),
        can_be_withdrawn=(
            (workflow.Status(proposal.status), Action.WITHDRAW) in workflow.TRANSITIONS
        ),
    )


# Merge candidates -----------------------------------------------------------------

MERGE_CANDIDATES_MAX = 20


def proposals_for_merge(
    *,
    proposal: Proposal,
    query: str = "",
    include_pk: int | None = None,
    limit: int = MERGE_CANDIDATES_MAX,
) -> list[Proposal]:
    """Proposals `proposal` may be merged into: open ones of its cycle (2 queries).

    `query` finds them by number or by words of the title (icontains); without
    it, those sharing significant title words come first, then the most
    supported. `include_pk` keeps a chosen one in the list (the form's choice).
    """
    open_ones = (
        Proposal.objects.for_organisation(proposal.organisation_id)
        .published()
        .filter(cycle_id=proposal.cycle_id, status__in=sorted(workflow.ACTIVE_STATUSES))
        .exclude(pk=proposal.pk)
        .only("pk", "title", "status", "support_count", "organisation_id")
    )
    query = " ".join((query or "").split())[:120]
    number = query.removeprefix("n°").removeprefix("#").strip()
    condition = Q()
    if number.isdigit():
        condition = Q(pk=int(number))
    elif query:
        condition = Q()
        for word in query.split()[:8]:
            condition &= Q(title__icontains=word)
    else:
        # Imported here: participation.selectors imports this module.
        from participation.selectors.proposals import significant_words

        words = significant_words(proposal.title)
        for word in words:
            condition |= Q(title__icontains=word)
    if include_pk is not None:
        condition |= Q(pk=include_pk)
    rows = list(open_ones.filter(condition).order_by("-support_count", "-pk")[:limit])
    if not query and len(rows) < limit:
        seen = {row.pk for row in rows}
        others = open_ones.exclude(pk__in=seen).order_by("-support_count", "-pk")
        rows += list(others[: limit - len(rows)])
    return rows
