"""Merging a duplicate proposal into another, and carrying one's support over
from a merged proposal.

Views parse, check who acts (a predicate of participation.permissions), call one
service and render; a refused service re-renders the form with what was typed
(400). Another commune's proposal answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carte.http import form_page
from participation import ratelimit, workflow
from participation.forms.merging import MergeForm
from participation.permissions.moderation import party_for
from participation.permissions.proposals import can_merge
from participation.selectors.merging import proposals_for_merge
from participation.services.merging import proposal_merge, support_carry_over
from participation.views.proposals import proposal_or_404


@login_required
def proposal_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into another open proposal of its cycle (moderation).

    GET lists candidates (?q= by number or title words, without JavaScript);
    POST merges through `proposal_merge`, then shows the original's page.
    """
    proposal = proposal_or_404(request, pk)
    if party_for(request.actor, proposal, workflow.Action.MERGE) is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    mergeable = can_merge(request.actor, proposal)
    posted = request.POST if request.method == "POST" else None
    query = (posted or request.GET).get("q", "")
    candidates = proposals_for_merge(
        proposal=proposal,
        query=query,
        include_pk=MergeForm.selected(posted) if posted is not None else None,
    )
    return form_page(
        request,
        MergeForm(posted, candidates=candidates, auto_id="id_merge_%s"),
        lambda data: proposal_merge(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            into_id=data["into"],
            actor=request.actor,
            reason=data["reason"],
        ),
        "participation/proposal_merge.html",
        {
            "proposal": proposal,
            "candidates": candidates,
            "query": query,
            "mergeable": mergeable,
        },
        success=_(
            "The proposal is merged. Its supporters are told and can "
            "carry their support over."
        ),
        next_url=proposal.get_absolute_url(),
        check=lambda: (
            None if mergeable else (_("This proposal can no longer be merged."), 400)
        ),
        fields={"merged_into": "into"},
    )


@require_POST
@login_required
def support_carry_over_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporter of a merged proposal moves their support to the one it was
    merged into (one click, their own decision)."""
    proposal = proposal_or_404(request, pk)
    back = redirect(proposal.get_absolute_url() + "#fusion")
    if request.actor.is_blocked:
        messages.error(
            request, _("Your account is blocked in this commune: you cannot support.")
        )
        return back
    try:
        ratelimit.hit(
            "support", organisation_id=request.organisation.pk, user_id=request.user.pk
        )
    except ratelimit.RateLimitExceeded:
        messages.error(
            request, _("You are going too fast. Wait a minute, then try again.")
        )
        return back
    try:
        support = support_carry_over(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    target = support.proposal
    messages.success(
        request,
        _("Your support now goes to “%(title)s” (No. %(number)s).")
        % {"title": target.title, "number": target.pk},
    )
    return redirect(target.get_absolute_url() + "#soutiens")
