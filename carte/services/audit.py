"""The audit trail: one row per state change that matters, in its transaction."""

from typing import Any

from carte.models import AuditEvent, Organisation, User
from carte.tenancy import Actor


def audit_record(
    actor: Actor | User | None,
    action: str,
    target: str,
    data: dict[str, Any],
    *,
    organisation: Organisation | None = None,
) -> AuditEvent:
    """Trace `action` on `target` by `actor`, in the organisation they act in.

    The one writer of `AuditEvent` rows. A service that holds no resolved `Actor`
    passes the `User` who acted (None: the platform itself) and the `organisation`.
    """
    if isinstance(actor, Actor):
        organisation_id, user_id = actor.organisation_id, actor.user_id
    else:
        organisation_id, user_id = organisation.pk, actor.pk if actor else None
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor_id=user_id,
        action=action,
        target=target,
        data=data,
    )
