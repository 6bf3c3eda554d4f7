"""Proposal statuses, moderation and review transitions, and who may act (pure).

The life of an idea, as data:

    draft → submitted → published | changes requested (the author edits and
    resubmits) | rejected (a reason from the commune's list and free text, public);
    published → merged into another proposal | forwarded to the competent body |
    withdrawn by its author | under study;
    under study → feasible (cost, duration, public explanation) | not feasible
    (public explanation); feasible → grouped into a project put to the vote.

`ACTORS` says which party may take each action: a staff role of the proposal's
commune, or `AUTHOR` (the account that wrote it). Object checks (same commune,
one's own proposal) belong to `participation.permissions`; this module only holds
the policy, so that it is tested exhaustively without a database.
"""

from collections.abc import Mapping
from enum import StrEnum

from carte.errors import CodedError
from carte.roles import Role


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    MERGED = "merged"
    FORWARDED = "forwarded"
    WITHDRAWN = "withdrawn"
    UNDER_STUDY = "under_study"
    FEASIBLE = "feasible"
    NOT_FEASIBLE = "not_feasible"
    GROUPED = "grouped"


class Action(StrEnum):
    SUBMIT = "submit"
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    MERGE = "merge"
    FORWARD = "forward"
    WITHDRAW = "withdraw"
    START_STUDY = "start_study"
    MARK_FEASIBLE = "mark_feasible"
    MARK_NOT_FEASIBLE = "mark_not_feasible"
    GROUP = "group"


class Party(StrEnum):
    """Who acts: the author, or a staff role (values equal `carte.roles.Role`)."""

    AUTHOR = "author"
    MODERATOR = Role.MODERATOR.value
    REVIEWER = Role.REVIEWER.value
    COUNTER_AGENT = Role.COUNTER_AGENT.value
    ELECTED = Role.ELECTED.value
    ADMIN = Role.ADMIN.value


TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.CHANGES_REQUESTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.PUBLISH): Status.PUBLISHED,
    (Status.SUBMITTED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.SUBMITTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.CHANGES_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PUBLISHED, Action.MERGE): Status.MERGED,
    (Status.PUBLISHED, Action.FORWARD): Status.FORWARDED,
    (Status.PUBLISHED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PUBLISHED, Action.START_STUDY): Status.UNDER_STUDY,
    (Status.UNDER_STUDY, Action.MERGE): Status.MERGED,
    (Status.UNDER_STUDY, Action.FORWARD): Status.FORWARDED,
    (Status.UNDER_STUDY, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.UNDER_STUDY, Action.MARK_FEASIBLE): Status.FEASIBLE,
    (Status.UNDER_STUDY, Action.MARK_NOT_FEASIBLE): Status.NOT_FEASIBLE,
    (Status.FEASIBLE, Action.GROUP): Status.GROUPED,
}

# The policy: who may take each action (the commune's staff, or the author).
# A counter agent acts for residents without an account: it submits and
# withdraws the proposals it entered at the counter (checked per object).
_MODERATION = frozenset({Party.MODERATOR, Party.ADMIN})
_REVIEW = frozenset({Party.REVIEWER, Party.ADMIN})
ACTORS: Mapping[Action, frozenset[Party]] = {
    Action.SUBMIT: frozenset({Party.AUTHOR, Party.COUNTER_AGENT}),
    Action.PUBLISH: _MODERATION,
    Action.REQUEST_CHANGES: _MODERATION,
    Action.REJECT: _MODERATION,
    Action.MERGE: _MODERATION,
    Action.FORWARD: _MODERATION,
    Action.WITHDRAW: frozenset({Party.AUTHOR, Party.COUNTER_AGENT}),
    Action.START_STUDY: frozenset({Party.MODERATOR, Party.REVIEWER, Party.ADMIN}),
    Action.MARK_FEASIBLE: _REVIEW,
    Action.MARK_NOT_FEASIBLE: _REVIEW,
    Action.GROUP: _REVIEW,
}

# Actions whose public reason is required (shown in the proposal's history).
REASON_REQUIRED: frozenset[Action] = frozenset(
    {
        Action.REQUEST_CHANGES,
        Action.REJECT,
        Action.FORWARD,
        Action.MARK_FEASIBLE,
        Action.MARK_NOT_FEASIBLE,
    }
)

# Statuses the public sees: every outcome stays readable with its reason.
PUBLIC_STATUSES: frozenset[Status] = frozenset(Status) - {
    Status.DRAFT,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
}
# Public statuses still open to supports, comments and follows (phases permitting).
ACTIVE_STATUSES: frozenset[Status] = frozenset(
    {
        Status.PUBLISHED,
        Status.UNDER_STUDY,
        Status.FEASIBLE,
        Status.NOT_FEASIBLE,
        Status.GROUPED,
    }
)
# Statuses no action leaves (a grouped proposal lives on in its project).
FINAL_STATUSES: frozenset[Status] = frozenset(Status) - {
    origin for origin, _action in TRANSITIONS
}
# Waiting for a moderator.
AWAITING_MODERATION: frozenset[Status] = frozenset({Status.SUBMITTED})


class TransitionError(CodedError):
    """A refused transition; `code` says why."""


def next_status(current: Status, action: Action) -> Status:
    """The status after `action`, or TransitionError("transition_not_allowed")."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionError("transition_not_allowed") from None


def may(party: Party | None, action: Action) -> bool:
    """Whether `party` (None: anonymous) may take `action` at all."""
    return party is not None and party in ACTORS[action]


def check(current: Status, action: Action, party: Party | None) -> Status:
    """The status after `action` by `party`, or TransitionError.

    Codes: "role_not_allowed" when the party may never take the action,
    "transition_not_allowed" when the action does not apply in this status.
    """
    if not may(party, action):
        raise TransitionError("role_not_allowed")
    return next_status(current, action)


def actions_from(current: Status, party: Party | None) -> tuple[Action, ...]:
    """The actions `party` may take from `current`, in the order of `Action`."""
    return tuple(
        action
        for action in Action
        if (current, action) in TRANSITIONS and may(party, action)
    )
