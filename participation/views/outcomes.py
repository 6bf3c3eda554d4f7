"""What becomes of a proposal after publication (issue 6): merge, withdraw, and
carrying one's support over from a merged proposal.

Views parse, check who acts (`party_for`: the role in this commune, or the
author), call one service and render; a refused service re-renders the form
with what was typed (400). Another commune's proposal answers 404.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carte.security import has_mfa
from participation import ratelimit, workflow
from participation.models import Proposal, StatusChoices
from participation.permissions.proposals import can_view_proposal
from participation.selectors_history import proposals_for_merge
from participation.services.merging import proposal_merge, support_carry_over
from participation.services.moderation import (
    REASON_MAX_LENGTH,
    party_for,
    proposal_transition,
)
from participation.views.cycles import organisation_or_404


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(
        label=gettext_lazy("The proposal to keep"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "This proposal is merged into the one you choose. It stays readable, "
            "with its supports and comments."
        ),
        error_messages={
            "required": gettext_lazy("Choose the proposal to merge into."),
            "invalid_choice": gettext_lazy("Choose the proposal to merge into."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Public explanation"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Shown in the history of the proposal. Say why both ideas are the same."
        ),
        error_messages={
            "required": gettext_lazy(
                "Explain why these proposals are merged: the explanation is published."
            )
        },
    )

    def __init__(self, *args, candidates: list[Proposal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [
            (
                candidate.pk,
                _("No. %(number)s – %(title)s (%(status)s, supports: %(supports)s)")
                % {
                    "number": candidate.pk,
                    "title": candidate.title,
                    "status": StatusChoices(candidate.status).label,
                    "supports": candidate.support_count,
                },
            )
            for candidate in candidates
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Explanation (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown publicly in the history of the idea."),
    )


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    """This commune's proposal, if the reader may see it (404 otherwise)."""
    proposal = get_object_or_404(
        Proposal.objects.for_organisation(organisation_or_404(request)).select_related(
            "cycle", "merged_into"
        ),
        pk=pk,
    )
    if not can_view_proposal(request.actor, proposal):
        raise Http404(_("No such idea."))
    return proposal


def _party(
    request: HttpRequest, proposal: Proposal, action: workflow.Action
) -> workflow.Party:
    party = party_for(request.actor, proposal, action)
    if party is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    return party


def _service_errors(form: forms.Form, error: ValidationError, fields: dict) -> None:
    """Put a service's refusal on the form field it is about (`fields` renames)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = fields.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


# Merge ---------------------------------------------------------------------------


def _selected(request: HttpRequest) -> int | None:
    value = request.POST.get("into", "")
    return int(value) if value.isdigit() else None


@login_required
def proposal_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into another open proposal of its cycle (moderation).

    GET lists candidates (?q= by number or title words, without JavaScript);
    POST merges through `proposal_merge`, then shows the original's page.
    """
    proposal = _proposal_or_404(request, pk)
    _party(request, proposal, workflow.Action.MERGE)
    mergeable = (
        workflow.Status(proposal.status),
        workflow.Action.MERGE,
    ) in workflow.TRANSITIONS
    query = (request.POST if request.method == "POST" else request.GET).get("q", "")
    candidates = proposals_for_merge(
        proposal=proposal,
        query=query,
        include_pk=_selected(request) if request.method == "POST" else None,
    )
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        candidates=candidates,
        auto_id="id_merge_%s",
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not mergeable:
            form.add_error(None, _("This proposal can no longer be merged."))
        elif form.is_valid():
            try:
                proposal_merge(
                    organisation=request.organisation,
                    proposal_id=proposal.pk,
                    into_id=form.cleaned_data["into"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _service_errors(form, error, {"merged_into": "into"})
            else:
                messages.success(
                    request,
                    _(
                        "The proposal is merged. Its supporters are told and can "
                        "carry their support over."
                    ),
                )
                return redirect(proposal.get_absolute_url())
    return render(
        request,
        "participation/proposal_merge.html",
        {
            "proposal": proposal,
            "form": form,
            "candidates": candidates,
            "query": query,
            "mergeable": mergeable,
        },
        status=status,
    )


# Withdraw ------------------------------------------------------------------------


@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The author (or the counter, for a paper proposal) withdraws an idea.

    GET says what will happen; POST withdraws it through `proposal_transition`.
    """
    proposal = _proposal_or_404(request, pk)
    party = _party(request, proposal, workflow.Action.WITHDRAW)
    if party != workflow.Party.AUTHOR and not has_mfa(request.user):
        # Acting for the commune is a back-office act: two-step login first.
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_activate_totp')}?{query}")
    withdrawable = (
        workflow.Status(proposal.status),
        workflow.Action.WITHDRAW,
    ) in workflow.TRANSITIONS
    form = WithdrawForm(
        request.POST if request.method == "POST" else None, auto_id="id_withdraw_%s"
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not withdrawable:
            form.add_error(None, _("This idea can no longer be withdrawn."))
        elif form.is_valid():
            try:
                proposal_transition(
                    organisation=request.organisation,
                    proposal_id=proposal.pk,
                    action=workflow.Action.WITHDRAW,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _service_errors(form, error, {})
            else:
                messages.success(
                    request,
                    _("The idea is withdrawn. It stays readable, marked as withdrawn."),
                )
                return redirect(proposal.get_absolute_url())
    return render(
        request,
        "participation/proposal_withdraw.html",
        {
            "proposal": proposal,
            "form": form,
            "withdrawable": withdrawable,
            "by_author": party == workflow.Party.AUTHOR,
        },
        status=status,
    )


# Carry a support over --------------------------------------------------------------


@require_POST
@login_required
def support_carry_over_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporter of a merged proposal moves their support to the one it was
    merged into (one click, their own decision)."""
    proposal = _proposal_or_404(request, pk)
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
