"""What the cycle screens read: each cycle with its phases, in two queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from carte.models import Organisation
from participation import phases
from participation.models import Cycle, CyclePhase


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
    def current_period(self) -> phases.Period | None:
        return next((p for p in self.periods if p.phase == self.phase), None)

    @property
    def propose_open(self) -> bool:
        return phases.is_open(self.phase, phases.Feature.PROPOSE)


def cycles_with_phases(*, organisation: Organisation) -> QuerySet[Cycle]:
    """The commune's cycles with their phases in order (one prefetch)."""
    return Cycle.objects.for_organisation(organisation).prefetch_related(
        Prefetch("phase_periods", queryset=CyclePhase.objects.order_by("starts_at"))
    )


def cycles_for_list(*, organisation: Organisation, now: datetime) -> list[CycleRow]:
    """The commune's cycles: current ones first, then upcoming, then past (2 queries).

    Within a group: the current and past ones by latest start, upcoming by
    nearest start.
    """
    rows = []
    for cycle in cycles_with_phases(organisation=organisation):
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
    cycle = cycles_with_phases(organisation=organisation).get(slug=slug)
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


def cycles_for_choice(
    *, organisation: Organisation, cycles: Iterable[Cycle]
) -> QuerySet[Cycle]:
    """The given cycles of the commune as a queryset, for a form's choice."""
    return Cycle.objects.for_organisation(organisation).filter(
        pk__in=[cycle.pk for cycle in cycles]
    )


def cycles_for_filter(*, organisation: Organisation) -> QuerySet[Cycle]:
    """The commune's cycles, their titles only, for a filter's choice."""
    return Cycle.objects.for_organisation(organisation).only("pk", "title")
