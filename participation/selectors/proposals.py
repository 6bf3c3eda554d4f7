"""What the proposal screens read, in a bounded number of queries."""

import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Mod

from carte.geometry import BBox
from carte.models import District, Organisation
from participation.models import Proposal, ProposalPhoto, Theme
from participation.selectors.history import outcome_for_proposal, with_outcome
from participation.words import significant_words

# The fields a proposal's summary (a card, a queue row) shows, for only().
SUMMARY_FIELDS = (
    "pk",
    "title",
    "description",
    "status",
    "channel",
    "created_at",
    "organisation_id",
    "theme__name",
    "district__name",
    "author__pseudonym",
)

# Random order: a permutation of the ids computed by the database, the same on
# SQLite and PostgreSQL. P is prime and the multiplier a (1 <= a < P) is drawn
# from the visitor's seed, so (pk * a + b) mod P differs for every pk below P and
# each seed gives another order; pk * a stays under 2**62 (a 64-bit integer).
RANDOM_PRIME = 2_147_483_647
SORTS = ("recent", "supports", "random")
MAP_LIMIT = 500
SIMILAR_LIMIT = 5


@dataclass(frozen=True)
class ProposalSearch:
    """What one looks for among proposals: a district, a theme, a cycle, words."""

    district: int | None = None
    theme: int | None = None
    q: str = ""
    cycle: int | None = None

    def condition(self, prefix: str = "") -> Q:
        """The filters on a proposal, or on a related one (prefix "proposal__")."""
        condition = Q()
        for name in ("district", "theme", "cycle"):
            if value := getattr(self, name):
                condition &= Q(**{f"{prefix}{name}_id": value})
        return condition

    def words(self) -> list[str]:
        """The words of the search, each one required (eight at most)."""
        return self.q.split()[:8]


@dataclass(frozen=True)
class ProposalFilters(ProposalSearch):
    status: str | None = None
    sort: str = "recent"


def _filtered(
    *,
    organisation: Organisation,
    statuses: Iterable[str],
    filters: ProposalFilters,
) -> QuerySet[Proposal]:
    allowed = sorted(statuses)
    wanted = [filters.status] if filters.status in allowed else allowed
    # A proposal hidden by the moderation is listed nowhere public;
    # its author and the staff still open its page, the moderators its queue.
    queryset = Proposal.objects.for_organisation(organisation).filter(
        status__in=wanted, hidden_at__isnull=True
    )
    queryset = queryset.filter(filters.condition())
    for word in filters.words():
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

    `statuses` are those the viewer may see (`visible_statuses`); the
    ordering always ends on pk, so pages never overlap.
    """
    queryset = (
        _filtered(organisation=organisation, statuses=statuses, filters=filters)
        .select_related("theme", "district", "author")
        .only(
            *SUMMARY_FIELDS,
            "support_count",
            "comment_count",
            "published_at",
            "address",
            "latitude",
            "longitude",
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
    see participation.selectors.history); Proposal.DoesNotExist otherwise."""
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
