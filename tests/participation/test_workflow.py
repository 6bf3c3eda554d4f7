"""The moderation workflow table (pure: no database)."""

import itertools
from collections import deque

import pytest

from participation.workflow import (
    FINAL_STATUSES,
    PUBLIC_STATUSES,
    TRANSITIONS,
    Action,
    Status,
    TransitionError,
    next_status,
)


@pytest.mark.parametrize(("status", "action"), itertools.product(Status, Action))
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
