"""The audit trail: one row per state change that matters, in its transaction."""

from typing import Any

from carte.models import AuditEvent
from carte.tenancy import Actor


def audit_record(
    actor: Actor, action: str, target: str, data: dict[str, Any]
) -> AuditEvent:
    """Trace `action` on `target` by `actor`, in the organisation they act in."""
    return AuditEvent.objects.create(
        organisation_id=actor.organisation_id,
        actor_id=actor.user_id,
        action=action,
        target=target,
        data=data,
    )
