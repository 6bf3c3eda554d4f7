"""The moderation workflow table (pure: no database)."""

import itertools
from collections import deque

import pytest

from carte.roles import Role
from participation.workflow import (
    ACTIVE_STATUSES,
    ACTORS,
    FINAL_STATUSES,
    PUBLIC_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    Action,
    Party,
    Status,
    TransitionError,
    actions_from,
    check,
    next_status,
)


@pytest.mark.parametrize(("status", "action"), list(itertools.product(Status, Action)))
def test_each_status_and_action_gives_its_entry_or_raises(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
    else:
        with pytest.raises(TransitionError) as error:
            next_status(status, action)
        assert error.value.code == "transition_not_allowed"


def test_a_draft_is_submitted():
    assert next_status(Status.DRAFT, Action.SUBMIT) == Status.SUBMITTED


def test_a_submitted_proposal_can_be_published():
    assert next_status(Status.SUBMITTED, Action.PUBLISH) == Status.PUBLISHED


def test_every_status_is_reachable_from_draft():
    seen, queue = {Status.DRAFT}, deque([Status.DRAFT])
    while queue:
        current = queue.popleft()
        for (origin, _action), target in TRANSITIONS.items():
            if origin == current and target not in seen:
                seen.add(target)
                queue.append(target)
    assert seen == set(Status)


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
@pytest.mark.parametrize("action", list(Action))
def test_final_statuses_accept_no_action(status, action):
    with pytest.raises(TransitionError):
        next_status(status, action)


def test_the_table_only_uses_known_codes():
    for (origin, action), target in TRANSITIONS.items():
        assert isinstance(origin, Status)
        assert isinstance(action, Action)
        assert isinstance(target, Status)


def test_drafts_and_submitted_proposals_are_not_public():
    assert Status.DRAFT not in PUBLIC_STATUSES
    assert Status.SUBMITTED not in PUBLIC_STATUSES
    assert Status.PUBLISHED in PUBLIC_STATUSES


# Who may do what: the policy, written out once more by hand, so that
# any change to workflow.ACTORS or TRANSITIONS shows up here.
MODERATION = {Party.MODERATOR, Party.ADMIN}
BY_AUTHOR = {Party.AUTHOR, Party.COUNTER_AGENT}
REVIEW = {Party.REVIEWER, Party.ADMIN}
EXPECTED = {
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, BY_AUTHOR),
    (Status.CHANGES_REQUESTED, Action.SUBMIT): (Status.SUBMITTED, BY_AUTHOR),
    (Status.SUBMITTED, Action.PUBLISH): (Status.PUBLISHED, MODERATION),
    (Status.SUBMITTED, Action.REQUEST_CHANGES): (Status.CHANGES_REQUESTED, MODERATION),
    (Status.SUBMITTED, Action.REJECT): (Status.REJECTED, MODERATION),
    (Status.SUBMITTED, Action.WITHDRAW): (Status.WITHDRAWN, BY_AUTHOR),
    (Status.CHANGES_REQUESTED, Action.WITHDRAW): (Status.WITHDRAWN, BY_AUTHOR),
    (Status.PUBLISHED, Action.MERGE): (Status.MERGED, MODERATION),
    (Status.PUBLISHED, Action.FORWARD): (Status.FORWARDED, MODERATION),
    (Status.PUBLISHED, Action.WITHDRAW): (Status.WITHDRAWN, BY_AUTHOR),
    (Status.PUBLISHED, Action.START_STUDY): (
        Status.UNDER_STUDY,
        {Party.MODERATOR, Party.REVIEWER, Party.ADMIN},
    ),
    (Status.UNDER_STUDY, Action.MERGE): (Status.MERGED, MODERATION),
    (Status.UNDER_STUDY, Action.FORWARD): (Status.FORWARDED, MODERATION),
    (Status.UNDER_STUDY, Action.WITHDRAW): (Status.WITHDRAWN, BY_AUTHOR),
    (Status.UNDER_STUDY, Action.MARK_FEASIBLE): (Status.FEASIBLE, REVIEW),
    (Status.UNDER_STUDY, Action.MARK_NOT_FEASIBLE): (Status.NOT_FEASIBLE, REVIEW),
    (Status.FEASIBLE, Action.GROUP): (Status.GROUPED, REVIEW),
}


@pytest.mark.parametrize("party", [None, *Party])  # None: anonymous
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_every_status_action_and_party_is_allowed_or_refused(status, action, party):
    target, parties = EXPECTED.get((status, action), (None, set()))
    if target is not None and party in parties:
        assert check(status, action, party) == target
        assert action in actions_from(status, party)
    else:
        with pytest.raises(TransitionError) as error:
            check(status, action, party)
        assert action not in actions_from(status, party)
        if party not in ACTORS[action]:
            assert error.value.code == "role_not_allowed"
        else:
            assert error.value.code == "transition_not_allowed"


def test_the_expected_table_is_the_whole_table():
    assert set(EXPECTED) == set(TRANSITIONS)


def test_parties_match_the_staff_roles():
    assert {p.value for p in Party} - {"author"} == {r.value for r in Role}


def test_every_outcome_stays_public_and_closed_ones_take_no_supports():
    for status in (Status.REJECTED, Status.MERGED, Status.FORWARDED, Status.WITHDRAWN):
        assert status in PUBLIC_STATUSES
        assert status not in ACTIVE_STATUSES
    assert ACTIVE_STATUSES <= PUBLIC_STATUSES


def test_decisions_that_citizens_must_understand_require_a_reason():
    assert {Action.REJECT, Action.REQUEST_CHANGES, Action.FORWARD} <= REASON_REQUIRED
    assert {Action.MARK_FEASIBLE, Action.MARK_NOT_FEASIBLE} <= REASON_REQUIRED
