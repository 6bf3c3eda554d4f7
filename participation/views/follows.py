"""Following a proposal, and stopping (POST actions back to its page)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.permissions.follows import can_follow
from participation.services import follows as services
from participation.views.supports import (
    login_then_back,
    proposal_action,
    proposal_or_404,
)


def _follow_action(request: HttpRequest, pk: int, *, stop: bool) -> HttpResponse:
    proposal = proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return login_then_back(proposal)
    if not can_follow(request.actor, proposal):
        raise PermissionDenied(_("You cannot follow this proposal."))
    return proposal_action(
        request,
        proposal,
        services.follow_remove if stop else services.follow_add,
        success=_("You no longer follow this proposal.")
        if stop
        else _(
            "You follow this proposal: you will be told when its status changes "
            "and when it gets comments."
        ),
        anchor="suivre",
        rate="follow",
    )


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_action(request, pk, stop=False)


@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_action(request, pk, stop=True)
