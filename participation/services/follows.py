"""Following a proposal: its status changes and new comments are notified."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carte.models import Organisation, User
from participation.models import Follow, Proposal


@transaction.atomic
def follow_add(*, organisation: Organisation, proposal_id: int, user: User) -> Follow:
    """Follow a proposal (public, or one's own); following twice changes nothing."""
    proposal = Proposal.objects.for_organisation(organisation).get(pk=proposal_id)
    if not proposal.is_public and proposal.author_id != user.pk:
        raise ValidationError(
            _("This proposal is not published: it cannot be followed."),
            code="not_public",
        )
    follow, _created = Follow.objects.get_or_create(
        organisation=organisation, proposal=proposal, user=user
    )
    return follow


@transaction.atomic
def follow_remove(*, organisation: Organisation, proposal_id: int, user: User) -> bool:
    """Stop following a proposal; True if the account was following it."""
    deleted, _rows = (
        Follow.objects.for_organisation(organisation)
        .filter(proposal_id=proposal_id, user=user)
        .delete()
    )
    return bool(deleted)
