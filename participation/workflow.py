"""Proposal statuses and moderation transitions (pure: codes only).

Issue 5 uses draft → submitted → published; the moderation workflow (issue 6) adds
its statuses and transitions to this table, never elsewhere.
"""

from collections.abc import Mapping
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"


class Action(StrEnum):
    SUBMIT = "submit"
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.PUBLISH): Status.PUBLISHED,
    (Status.SUBMITTED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
    (Status.CHANGES_REQUESTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
}

# Statuses the public sees (the others are the author's and the moderators').
PUBLIC_STATUSES: frozenset[Status] = frozenset({Status.PUBLISHED})
FINAL_STATUSES: frozenset[Status] = frozenset({Status.REJECTED})


class TransitionError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or TransitionError("transition_not_allowed")."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionError("transition_not_allowed") from None
