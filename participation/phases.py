"""Cycle phases and the features each one opens (pure: codes only).

One table decides, adhocracy4's "phase features" kept as data: every view and service
asks `is_open(phase, feature)`. A phase is the half-open interval [start, end), so a
vote closing "le 30 juin à minuit" ends at 1 July 00:00 Europe/Paris. Callers pass
`now`; nothing here reads the clock.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from carte.errors import CodedError


class Phase(StrEnum):
    SUBMISSION = "submission"  # ideas
    REVIEW = "review"
    VOTE = "vote"
    RESULTS = "results"
    FOLLOW_UP = "follow_up"


class Feature(StrEnum):
    # Residents
    PROPOSE = "propose"
    SUPPORT = "support"
    COMMENT = "comment"
    VOTE = "vote"
    SEE_RESULTS = "see_results"
    # Staff
    MODERATE = "moderate"
    STUDY = "study"  # send ideas to a city service, record its study
    BUILD_PROJECTS = "build_projects"
    VALIDATE_LIST = "validate_list"  # decide, or reopen, the list put to the vote
    ENTER_PAPER_BALLOTS = "enter_paper_ballots"
    TALLY = "tally"
    PUBLISH_RESULTS = "publish_results"


# Studies and projects start with the first feasible ideas, during the ideas
# phase, and stop when the list is decided; the list is decided (and may be
# reopened) in the review phase only, so it is fixed before the vote starts.
FEATURES: Mapping[Phase, frozenset[Feature]] = {
    Phase.SUBMISSION: frozenset(
        {
            Feature.PROPOSE,
            Feature.COMMENT,
            Feature.SUPPORT,
            Feature.MODERATE,
            Feature.STUDY,
            Feature.BUILD_PROJECTS,
        }
    ),
    Phase.REVIEW: frozenset(
        {
            Feature.COMMENT,
            Feature.MODERATE,
            Feature.STUDY,
            Feature.BUILD_PROJECTS,
            Feature.VALIDATE_LIST,
        }
    ),
    Phase.VOTE: frozenset(
        {Feature.VOTE, Feature.COMMENT, Feature.MODERATE, Feature.ENTER_PAPER_BALLOTS}
    ),
    Phase.RESULTS: frozenset(
        {
            Feature.SEE_RESULTS,
            Feature.COMMENT,
            Feature.MODERATE,
            Feature.TALLY,
            Feature.PUBLISH_RESULTS,
        }
    ),
    Phase.FOLLOW_UP: frozenset(
        {Feature.SEE_RESULTS, Feature.COMMENT, Feature.MODERATE}
    ),
}

# Open whatever the calendar, between phases too: content already published
# must always be reviewable and removable (a host's duty once told of it).
ALWAYS_OPEN: frozenset[Feature] = frozenset({Feature.MODERATE})

ORDER: tuple[Phase, ...] = tuple(Phase)


def is_open(phase: Phase | None, feature: Feature) -> bool:
    """True when `feature` is open during `phase` (no phase: only ALWAYS_OPEN)."""
    if feature in ALWAYS_OPEN:
        return True
    return phase is not None and feature in FEATURES[phase]


@dataclass(frozen=True)
class Period:
    phase: Phase
    start: datetime
    end: datetime | None  # None: open-ended (a permanent idea box)

    def contains(self, now: datetime) -> bool:
        return self.start <= now and (self.end is None or now < self.end)


class ScheduleError(CodedError):
    """A refused schedule; `code` says why."""


def check_schedule(periods: Iterable[Period]) -> None:
    """Phases come in the order of ORDER, each ends after it starts, none overlap."""
    ordered = list(periods)
    phases = [p.phase for p in ordered]
    if len(set(phases)) != len(phases):
        raise ScheduleError("duplicate_phase")
    if phases != sorted(phases, key=ORDER.index):
        raise ScheduleError("phase_order")
    for index, period in enumerate(ordered):
        if period.end is not None and period.end <= period.start:
            raise ScheduleError("ends_before_start")
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if period.end is None or following.start < period.end:
                raise ScheduleError("overlap")


def current_phase(periods: Iterable[Period], now: datetime) -> Phase | None:
    """The phase whose [start, end) contains `now`, or None between phases."""
    for period in periods:
        if period.contains(now):
            return period.phase
    return None
