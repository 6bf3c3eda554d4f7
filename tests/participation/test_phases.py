"""The phase table decides which feature is open when (pure: no database)."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from participation import phases
from participation.phases import (
    FEATURES,
    ORDER,
    Feature,
    Period,
    Phase,
    ScheduleError,
    check_schedule,
    current_phase,
    is_open,
)

# The policy, written out by hand: a change to FEATURES must change this too.
# Residents' features, then staff's.
EXPECTED = {
    Phase.SUBMISSION: {Feature.PROPOSE, Feature.SUPPORT, Feature.COMMENT}
    | {Feature.MODERATE, Feature.STUDY, Feature.BUILD_PROJECTS},
    Phase.REVIEW: {Feature.COMMENT}
    | {
        Feature.MODERATE,
        Feature.STUDY,
        Feature.BUILD_PROJECTS,
        Feature.VALIDATE_LIST,
    },
    Phase.VOTE: {Feature.VOTE, Feature.COMMENT}
    | {Feature.MODERATE, Feature.ENTER_PAPER_BALLOTS},
    Phase.RESULTS: {Feature.SEE_RESULTS, Feature.COMMENT}
    | {Feature.MODERATE, Feature.TALLY, Feature.PUBLISH_RESULTS},
    Phase.FOLLOW_UP: {Feature.SEE_RESULTS, Feature.COMMENT} | {Feature.MODERATE},
}
# Moderation never closes, between phases either.
BETWEEN_PHASES = {Feature.MODERATE}

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def test_every_phase_is_listed_in_the_table():
    assert set(FEATURES) == set(Phase)
    assert set(ORDER) == set(Phase)


@pytest.mark.parametrize(("phase", "feature"), itertools.product(Phase, Feature))
def test_each_feature_is_open_exactly_in_its_phases(phase, feature):
    assert is_open(phase, feature) is (feature in EXPECTED[phase])


@pytest.mark.parametrize("feature", list(Feature))
def test_only_moderation_is_open_between_phases(feature):
    assert is_open(None, feature) is (feature in BETWEEN_PHASES)


def test_proposing_is_open_in_the_ideas_phase_only():
    assert [p for p in Phase if is_open(p, Feature.PROPOSE)] == [Phase.SUBMISSION]


def test_the_list_is_validated_in_the_review_phase_only():
    assert [p for p in Phase if is_open(p, Feature.VALIDATE_LIST)] == [Phase.REVIEW]


def test_studies_and_projects_stop_before_the_vote():
    for feature in (Feature.STUDY, Feature.BUILD_PROJECTS):
        opened = [p for p in Phase if is_open(p, feature)]
        assert opened == [Phase.SUBMISSION, Phase.REVIEW], feature


def test_a_period_is_half_open():
    period = Period(Phase.VOTE, T0, T0 + DAY)
    assert period.contains(T0)
    assert period.contains(T0 + DAY - timedelta(microseconds=1))
    assert not period.contains(T0 + DAY)
    assert not period.contains(T0 - timedelta(microseconds=1))


def test_an_open_ended_period_never_ends():
    period = Period(Phase.SUBMISSION, T0, None)
    assert period.contains(T0 + 10_000 * DAY)
    assert not period.contains(T0 - DAY)


def schedule(*phases_in_order, gap=timedelta(0)):
    periods, start = [], T0
    for phase in phases_in_order:
        periods.append(Period(phase, start, start + 10 * DAY))
        start += 10 * DAY + gap
    return periods


def test_a_full_schedule_in_order_is_accepted():
    check_schedule(schedule(*ORDER))


def test_a_schedule_with_gaps_is_accepted():
    check_schedule(schedule(Phase.SUBMISSION, Phase.VOTE, gap=DAY))


def test_a_permanent_idea_box_is_accepted():
    check_schedule([Period(Phase.SUBMISSION, T0, None)])


def test_an_empty_schedule_is_accepted():
    check_schedule([])


@pytest.mark.parametrize(
    ("periods", "code"),
    [
        (
            [
                Period(Phase.SUBMISSION, T0, T0 + DAY),
                Period(Phase.SUBMISSION, T0, None),
            ],
            "duplicate_phase",
        ),
        (schedule(Phase.VOTE, Phase.SUBMISSION), "phase_order"),
        ([Period(Phase.SUBMISSION, T0, T0)], "ends_before_start"),
        ([Period(Phase.SUBMISSION, T0, T0 - DAY)], "ends_before_start"),
        (
            [
                Period(Phase.SUBMISSION, T0, T0 + 2 * DAY),
                Period(Phase.REVIEW, T0 + DAY, T0 + 3 * DAY),
            ],
            "overlap",
        ),
        (
            [Period(Phase.SUBMISSION, T0, None), Period(Phase.VOTE, T0 + DAY, None)],
            "overlap",
        ),
    ],
)
def test_a_bad_schedule_is_refused_with_its_code(periods, code):
    with pytest.raises(ScheduleError) as error:
        check_schedule(periods)
    assert error.value.code == code


def test_adjacent_phases_do_not_overlap():
    check_schedule(
        [
            Period(Phase.SUBMISSION, T0, T0 + DAY),
            Period(Phase.REVIEW, T0 + DAY, T0 + 2 * DAY),
        ]
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (T0 - DAY, None),
        (T0, Phase.SUBMISSION),
        (T0 + 10 * DAY, None),  # the gap
        (T0 + 11 * DAY, Phase.VOTE),
        (T0 + 21 * DAY, None),  # after the end
    ],
)
def test_the_current_phase_is_the_one_containing_now(now, expected):
    periods = schedule(Phase.SUBMISSION, Phase.VOTE, gap=DAY)
    assert current_phase(periods, now) == expected


def test_the_module_reads_no_clock():
    source = phases.__loader__.get_source(phases.__name__)
    assert "now()" not in source and "today()" not in source
