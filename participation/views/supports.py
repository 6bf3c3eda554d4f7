"""Supports, and what every action on a proposal's page shares.

Actions are POST forms that redirect back to the proposal page with a message, or
re-render their form (400) keeping what was typed. An anonymous visitor is sent to
log in, then back to the proposal. Another commune's object answers 404; a
refusal by role answers 403; a closed phase says when it opens.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carte.http import form_page, organisation_or_404, scoped_or_404
from participation import ratelimit
from participation.models import Proposal
from participation.permissions.proposals import can_view_proposal
from participation.permissions.supports import can_support
from participation.phases import Feature
from participation.selectors.supports import proposals_for_actions
from participation.services import supports as services
from participation.services.supports import feature_closed_message

# What the actions on a proposal's page share ---------------------------------------


def proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    """The proposal of this commune that the reader may see (`can_view_proposal`)."""
    organisation = organisation_or_404(request)
    proposal = scoped_or_404(proposals_for_actions(organisation=organisation), pk)
    if not can_view_proposal(request.actor, proposal):
        raise Http404(_("This proposal does not exist or is not published."))
    return proposal


def proposal_url(proposal: Proposal, anchor: str = "") -> str:
    """The proposal's page, at `anchor` ("soutiens", "commentaire-12"...)."""
    return proposal.get_absolute_url() + (f"#{anchor}" if anchor else "")


def login_url(next_path: str) -> str:
    """Log in, then go to `next_path`."""
    return f"{reverse('account_login')}?{urlencode({'next': next_path})}"


def login_then_back(proposal: Proposal) -> HttpResponse:
    """Log in, then come back to the proposal (a POST URL cannot be a `next`)."""
    return redirect(login_url(proposal.get_absolute_url()))


def action_page(
    request: HttpRequest,
    service: Callable[[], Any],
    *,
    success: str,
    next_url: str,
    check: Callable[[], tuple[str, int] | None] | None = None,
) -> HttpResponse:
    """A POST without fields (support, follow, delete...): `check()`, one
    service, then back to `next_url` with a message saying how it went."""
    form = forms.Form(request.POST)

    def refused(status: int) -> HttpResponse:
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(next_url)

    return form_page(
        request,
        form,
        lambda _data: service(),
        refused,
        success=success,
        next_url=next_url,
        check=check,
    )


def proposal_action(
    request: HttpRequest,
    proposal: Proposal,
    service: Callable[..., Any],
    *,
    success: str,
    anchor: str,
    rate: str,
) -> HttpResponse:
    """`service(organisation=, proposal_id=, user=)` for the reader, rate
    limited as `rate`, then back to the proposal's page at `anchor`."""
    return action_page(
        request,
        lambda: service(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            user=request.user,
        ),
        success=success,
        next_url=proposal_url(proposal, anchor),
        check=ratelimit.form_check(request, rate),
    )


# Supports ------------------------------------------------------------------------


def _support_action(request: HttpRequest, pk: int, *, withdraw: bool) -> HttpResponse:
    proposal = proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return login_then_back(proposal)
    phase = proposal.cycle.phase_at(timezone.now())
    if not can_support(request.actor, proposal, phase=phase):
        messages.error(
            request, feature_closed_message(proposal, Feature.SUPPORT, request.actor)
        )
        return redirect(proposal_url(proposal, "soutiens"))
    return proposal_action(
        request,
        proposal,
        services.support_withdraw if withdraw else services.support_add,
        success=_("Your support has been withdrawn.")
        if withdraw
        else _("Thank you: your support is counted."),
        anchor="soutiens",
        rate="support",
    )


@require_POST
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _support_action(request, pk, withdraw=False)


@require_POST
def support_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _support_action(request, pk, withdraw=True)
