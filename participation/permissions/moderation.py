"""Who may moderate, and in which party one acts on a proposal (predicates read
attributes only).

The moderators and administrators of a commune moderate its proposals, comments
and reports, edit its standard replies and block its accounts. Which workflow
action each party may take is `participation.workflow.ACTORS`; the transition
service checks it again on the locked row.
"""

from django.utils.translation import gettext

from carte.models import Organisation
from carte.roles import MODERATION_ROLES
from carte.tenancy import Actor
from participation import workflow
from participation.models import Channel, Proposal


def can_moderate(actor: Actor, organisation: Organisation) -> bool:
    """The commune's moderators and administrators (never another commune's)."""
    return (
        actor.is_authenticated
        and actor.organisation_id == organisation.pk
        and actor.role in MODERATION_ROLES
    )


def can_edit_standard_replies(actor: Actor, organisation: Organisation) -> bool:
    """The same people write the commune's standard replies."""
    return can_moderate(actor, organisation)


def can_block_account(actor: Actor, organisation: Organisation) -> bool:
    """Moderators and administrators block and unblock accounts of their commune.

    Staff accounts are never blocked (a role is removed instead): the service
    refuses them, since that needs the database.
    """
    return can_moderate(actor, organisation)


def party_for(
    actor: Actor, proposal: Proposal, action: workflow.Action
) -> workflow.Party | None:
    """The party in which `actor` may take `action` on `proposal`, if any.

    The author acts as AUTHOR on their own proposal; a staff member acts in their
    role of the proposal's commune; a counter agent only on proposals it entered
    at the counter for a resident (submit, withdraw).
    """
    if actor.organisation_id != proposal.organisation_id:
        return None
    parties: list[workflow.Party] = []
    if actor.is_authenticated and proposal.author_id == actor.user_id:
        parties.append(workflow.Party.AUTHOR)
    if actor.role is not None:
        role_party = workflow.Party(actor.role.value)
        counter_only = role_party == workflow.Party.COUNTER_AGENT
        if not counter_only or proposal.channel == Channel.COUNTER:
            parties.append(role_party)
    for party in parties:
        if workflow.may(party, action):
            return party
    return None


def moderation_actions(actor: Actor, proposal: Proposal) -> tuple[workflow.Action, ...]:
    """The workflow actions the actor's role may take on the proposal now."""
    party = workflow.Party(actor.role.value) if actor.role is not None else None
    return workflow.actions_from(workflow.Status(proposal.status), party)


def blocked_message() -> str:
    """What a blocked account reads when it tries to contribute."""
    return gettext(
        "Your account is blocked in this commune by the moderators: you can read "
        "the site and your data, but no longer propose, comment, support or "
        "report. Write to the town hall if you think it is a mistake."
    )
