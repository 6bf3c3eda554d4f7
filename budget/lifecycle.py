"""Project states before the vote (pure: codes only).

A project is built by city services from one or more feasible proposals
(`IN_PREPARATION`); the elected officials then decide the list put to the vote:
each project is either put on the ballot (`ON_BALLOT`) or set aside with a
public reason (`SET_ASIDE`). Later issues extend the table (results, delivery).
"""

from collections.abc import Mapping
from enum import StrEnum

from participation.workflow import TransitionError


class Status(StrEnum):
    IN_PREPARATION = "in_preparation"
    ON_BALLOT = "on_ballot"
    SET_ASIDE = "set_aside"


class Action(StrEnum):
    PUT_ON_BALLOT = "put_on_ballot"
    SET_ASIDE = "set_aside"
    REOPEN = "reopen"


TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (Status.IN_PREPARATION, Action.PUT_ON_BALLOT): Status.ON_BALLOT,
    (Status.IN_PREPARATION, Action.SET_ASIDE): Status.SET_ASIDE,
    (Status.ON_BALLOT, Action.REOPEN): Status.IN_PREPARATION,
    (Status.SET_ASIDE, Action.REOPEN): Status.IN_PREPARATION,
}

# The statuses in which a project's builders may still edit it.
EDITABLE: frozenset[Status] = frozenset({Status.IN_PREPARATION})

__all__ = ["TransitionError", "next_status"]  # one error class for every table


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or TransitionError("transition_not_allowed")."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionError("transition_not_allowed") from None
