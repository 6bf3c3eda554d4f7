"""What the cycle and proposal screens read, in a bounded number of queries."""

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Mod

from carte.geometry import BBox
from carte.models import District, Organisation
from participation import phases
from participation.models import (
    Cycle,
    CyclePhase,
    Proposal,
    ProposalPhoto,
    Theme,
)
from participation.selectors_history import outcome_for_proposal, with_outcome

# Random order: a permutation of the ids computed by the database, the same on
# SQLite and PostgreSQL. P is prime and the multiplier a (1 <= a < P) is drawn
# from the visitor's seed, so (pk * a + b) mod P differs for every pk below P and
# each seed gives another order; pk * a stays under 2**62 (a 64-bit integer).
RANDOM_PRIME = 2_147_483_647
SORTS = ("recent", "supports", "random")
MAP_LIMIT = 500
SIMILAR_LIMIT = 5
SIMILAR_WORDS = 6
# Short French words that say nothing about an idea.
STOP_WORDS = frozenset(
    """
    alors au aux avec ce ces cette dans de des du en et la le les leur mais mon
    ne nos notre nous on ou par pas plus pour que qui sa se ses son sous sur ta
    tes ton tous tout une un vos votre vous ville commune quartier faire mettre
    """.split()
)


@dataclass(frozen=True)
class CycleRow:
    """A cycle with its current phase and dated periods, for a list or a page."""

    cycle: Cycle
    phase: phases.Phase | None
    periods: list[phases.Period]

    @property
    def starts_at(self) -> datetime | None:
        return self.periods[0].start if self.periods else None

    @property
    def ends_at(self) -> datetime | None:
        return self.periods[-1].end if self.periods else None

    @property
    def propose_open(self) -> bool:
        return phases.is_open(self.phase, phases.Feature.PROPOSE)


def _cycles(organisation: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.for_organisation(organisation).prefetch_related(
        Prefetch("phase_periods", queryset=CyclePhase.objects.order_by("starts_at"))
    )


def cycles_for_list(*, organisation: Organisation, now: datetime) -> list[CycleRow]:
    """The commune's cycles: current ones first, then upcoming, then past (2 queries).

    Within a group: the current and past ones by latest start, upcoming by
    nearest start.
    """
    rows = []
    for cycle in _cycles(organisation):
        periods = cycle.periods()
        rows.append(CycleRow(cycle, phases.current_phase(periods, now), periods))

    def key(row: CycleRow):
        start = row.starts_at.timestamp() if row.starts_at else 0
        if row.phase is not None:
            return (0, -start, -row.cycle.pk)
        if row.starts_at and row.starts_at > now:
            return (1, start, row.cycle.pk)
        return (2, -start, -row.cycle.pk)

    return sorted(rows, key=key)


def cycle_for_page(*, organisation: Organisation, slug: str, now: datetime) -> CycleRow:
    """One cycle of the commune by its slug (Cycle.DoesNotExist otherwise)."""
    cycle = _cycles(organisation).get(slug=slug)
    periods = cycle.periods()
    return CycleRow(cycle, phases.current_phase(periods, now), periods)


def cycles_open_for(
    *, organisation: Organisation, feature: phases.Feature, now: datetime
) -> list[Cycle]:
    """The cycles where `feature` is open now (the counter picks among them)."""
    return [
        row.cycle
        for row in cycles_for_list(organisation=organisation, now=now)
        if phases.is_open(row.phase, feature)
    ]


@dataclass(frozen=True)
class ProposalFilters:
    district: int | None = None
    theme: int | None = None
    status: str | None = None
    q: str = ""
    cycle: int | None = None
    sort: str = "recent"


def _filtered(
    *,
    organisation: Organisation,
    statuses: Iterable[str],
    filters: ProposalFilters,
) -> QuerySet[Proposal]:
    allowed = sorted(statuses)
    wanted = [filters.status] if filters.status in allowed else allowed
    # A proposal hidden by the moderation is listed nowhere public (issue 6);
    # its author and the staff still open its page, the moderators its queue.
    queryset = Proposal.objects.for_organisation(organisation).filter(
        status__in=wanted, hidden_at__isnull=True
    )
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    if filters.theme:
        queryset = queryset.filter(theme_id=filters.theme)
    if filters.cycle:
        queryset = queryset.filter(cycle_id=filters.cycle)
    if filters.q:
        for word in filters.q.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word)
            )
    return queryset


def proposals_for_list(
    *,
    organisation: Organisation,
    statuses: Iterable[str],
    filters: ProposalFilters,
    seed: int = 0,
) -> QuerySet[Proposal]:
    """The proposals of a list page, filtered and sorted, with what a card shows.

    `statuses` are those the viewer may see (permissions.visible_statuses); the
    ordering always ends on pk, so pages never overlap.
    """
    queryset = (
        _filtered(organisation=organisation, statuses=statuses, filters=filters)
        .select_related("theme", "district", "author")
        .only(
            "pk",
            "title",
            "description",
            "status",
            "channel",
            "support_count",
            "comment_count",
            "created_at",
            "published_at",
            "address",
            "latitude",
            "longitude",
            "organisation_id",
            "theme__name",
            "district__name",
            "author__pseudonym",
        )
    )
    if filters.sort == "supports":
        return queryset.order_by("-support_count", "-created_at", "-pk")
    if filters.sort == "random":
        multiplier, offset = random_parameters(seed)
        shuffled = Mod(F("pk") * multiplier + offset, RANDOM_PRIME)
        return queryset.annotate(shuffle=shuffled).order_by("shuffle", "pk")
    return queryset.order_by("-created_at", "-pk")


def random_parameters(seed: int) -> tuple[int, int]:
    """The multiplier and offset of the random order for a visitor's seed."""
    draw = random.Random(seed)  # an order, not a secret
    return draw.randrange(1, RANDOM_PRIME), draw.randrange(0, RANDOM_PRIME)


def proposals_for_map(
    *,
    organisation: Organisation,
    statuses: Iterable[str],
    filters: ProposalFilters,
    bbox: BBox,
    limit: int = MAP_LIMIT,
) -> list[dict]:
    """Points inside `bbox`, public fields only, at most `limit` (one query)."""
    queryset = _filtered(
        organisation=organisation, statuses=statuses, filters=filters
    ).filter(
        latitude__isnull=False,
        latitude__gte=bbox.south,
        latitude__lte=bbox.north,
        longitude__gte=bbox.west,
        longitude__lte=bbox.east,
    )
    return list(
        queryset.order_by("-support_count", "-pk").values(
            "pk", "title", "status", "latitude", "longitude"
        )[:limit]
    )


def proposal_for_page(*, organisation: Organisation, pk: int) -> Proposal:
    """One proposal with its photos, history and outcome (`proposal.outcome`,
    see participation.selectors_history); Proposal.DoesNotExist otherwise."""
    proposal = with_outcome(
        Proposal.objects.for_organisation(organisation)
        .select_related("theme", "district", "author", "cycle")
        .prefetch_related(
            "cycle__phase_periods",
            Prefetch("photos", queryset=ProposalPhoto.objects.order_by("position")),
        )
    ).get(pk=pk)
    proposal.outcome = outcome_for_proposal(proposal)
    return proposal


def significant_words(title: str) -> list[str]:
    """The longest meaningful words of a title, for the duplicate search."""
    words = {w for w in re.findall(r"\w+", title.lower()) if len(w) >= 4}
    words -= STOP_WORDS
    return sorted(words, key=lambda w: (-len(w), w))[:SIMILAR_WORDS]


def proposals_similar(
    *,
    organisation: Organisation,
    title: str,
    statuses: Iterable[str],
    exclude_pk: int | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[Proposal]:
    """Visible proposals sharing significant title words, best overlap first.

    One query: candidates matching any word (bounded), ranked in Python by the
    number of words they share.
    """
    words = significant_words(title)
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word)
    candidates = (
        Proposal.objects.for_organisation(organisation)
        .filter(condition, status__in=sorted(statuses))
        .exclude(pk=exclude_pk or 0)
        .only("pk", "title", "support_count", "status")
        .order_by("-support_count", "-pk")[:50]
    )

    def overlap(proposal: Proposal) -> int:
        lowered = proposal.title.lower()
        return sum(1 for word in words if word in lowered)

    ranked = sorted(candidates, key=lambda p: (-overlap(p), -p.support_count, -p.pk))
    return ranked[:limit]


def themes_for(organisation: Organisation) -> QuerySet[Theme]:
    return Theme.objects.for_organisation(organisation).only("pk", "name")


def districts_for(organisation: Organisation) -> QuerySet[District]:
    return District.objects.for_organisation(organisation).only("pk", "name")
