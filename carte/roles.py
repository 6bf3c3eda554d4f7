"""Staff roles, per organisation (pure: codes only, labels live in carte.models)."""

from enum import StrEnum


class Role(StrEnum):
    MODERATOR = "moderator"
    REVIEWER = "reviewer"  # instructeur: a city service studying proposals
    COUNTER_AGENT = "counter_agent"
    ELECTED = "elected"
    ADMIN = "admin"


STAFF_ROLES = frozenset(Role)
# Roles that edit the commune's pages in the Wagtail admin.
EDITOR_ROLES = frozenset({Role.ADMIN})
# Who may do what, declared once: permissions and pure tables name these sets.
MODERATION_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})  # ideas, comments, reports
COUNTER_ROLES = frozenset({Role.COUNTER_AGENT, Role.ADMIN})  # on a resident's behalf
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})  # study ideas, build projects
DECISION_ROLES = frozenset({Role.ELECTED, Role.ADMIN})  # validate, publish
