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
