"""Who may use the moderation back office (predicates read attributes only).

The moderators and administrators of a commune moderate its proposals, comments
and reports, edit its standard replies and block its accounts. Which workflow
action each role may take is `participation.workflow.ACTORS`; the transition
service checks it again on the locked row.
"""

from django.utils.translation import gettext

from carte.roles import Role
from carte.tenancy import Actor

MODERATION_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


def can_moderate(actor: Actor, organisation_id: int | None) -> bool:
    """The commune's moderators and administrators (never another commune's)."""
    return (
        actor.is_authenticated
        and organisation_id is not None
        and actor.organisation_id == organisation_id
        and actor.role in MODERATION_ROLES
    )


def can_edit_standard_replies(actor: Actor, organisation_id: int | None) -> bool:
    """The same people write the commune's standard replies."""
    return can_moderate(actor, organisation_id)


def can_block_account(actor: Actor, organisation_id: int | None) -> bool:
    """Moderators and administrators block and unblock accounts of their commune.

    Staff accounts are never blocked (a role is removed instead): the service
    refuses them, since that needs the database.
    """
    return can_moderate(actor, organisation_id)


def blocked_message() -> str:
    """What a blocked account reads when it tries to contribute."""
    return gettext(
        "Your account is blocked in this commune by the moderators: you can read "
        "the site and your data, but no longer propose, comment, support or "
        "report. Write to the town hall if you think it is a mistake."
    )
