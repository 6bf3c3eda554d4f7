"""Comments on a proposal: write or reply, edit, delete, hide and show again.

`interactions_context(request, proposal)` gives the proposal page what
`participation/includes/interactions.html` needs (supports, follow, reports and
the comments), in a bounded number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carte.formats import parse_id
from carte.http import form_page, organisation_or_404, require_mfa, scoped_or_404
from participation import ratelimit
from participation.forms.comments import CommentEditForm, CommentForm, CommentHideForm
from participation.models import Comment, Proposal
from participation.permissions.comments import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_moderate_comment,
    can_read_hide_reason,
    can_view_comment,
    comment_edit_window,
)
from participation.permissions.follows import can_follow
from participation.permissions.reports import can_report
from participation.permissions.supports import can_support
from participation.phases import FEATURES, Feature, Phase
from participation.selectors.comments import (
    comment_replied_to,
    comments_for_actions,
    comments_for_proposal,
)
from participation.selectors.supports import reader_state_for_proposal
from participation.services import comments as services
from participation.services.supports import feature_closed_message
from participation.views.supports import (
    action_page,
    login_url,
    proposal_or_404,
    proposal_url,
)

PENDING_COMMENT = "agora_pending_comment"


def comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """The comment of this commune, shown with its public proposal."""
    organisation = organisation_or_404(request)
    comment = scoped_or_404(comments_for_actions(organisation=organisation), pk)
    if not can_view_comment(request.actor, comment):
        raise Http404(_("This comment does not exist."))
    return comment


def comment_url(comment: Comment) -> str:
    """The comment in its proposal's page."""
    return proposal_url(comment.proposal, f"commentaire-{comment.pk}")


def _edit_minutes() -> int:
    return int(comment_edit_window().total_seconds() // 60)


# Context for the proposal page -----------------------------------------------------


@dataclass
class Interactions:
    """What the include shows; comments carry the reader's per-comment rights."""

    proposal: Proposal
    phase: Phase | None
    phase_features: frozenset[str]
    can_support: bool
    support_message: str
    can_comment: bool
    comment_message: str
    supported: bool
    following: bool
    can_follow: bool
    can_report_proposal: bool
    comments: list[Comment]
    comment_form: CommentForm
    login_url: str
    edit_minutes: int
    is_authenticated: bool = False


def _comment_rights(actor, proposal, comments, *, phase, comment_open, now) -> None:
    """Set the reader's rights on each comment and reply, from the predicates."""
    for comment in comments:
        comment.can_reply = (
            comment_open and comment.deleted_at is None and comment.hidden_at is None
        )
        for item in [comment, *comment.replies.all()]:
            item.proposal = proposal  # already loaded: no query per comment
            item.can_edit = can_edit_comment(actor, item, phase=phase, now=now)
            item.can_delete = can_delete_comment(actor, item, phase=phase)
            item.can_moderate = can_moderate_comment(actor, item, phase=phase)
            item.can_report = can_report(actor, item, phase=phase)
            item.can_read_hide_reason = can_read_hide_reason(actor, item, phase=phase)
            item.is_own = actor.is_authenticated and item.author_id == actor.user_id


def interactions_context(request: HttpRequest, proposal: Proposal) -> dict:
    """{"interactions": Interactions} for the proposal page's include.

    Call it from the proposal detail view and merge it into the context. Four
    queries at most (phases if not prefetched, reader's support and follow,
    comments, replies), whatever the number of comments.
    """
    now = timezone.now()
    prefetch_related_objects([proposal.cycle], "phase_periods")
    phase = proposal.cycle.phase_at(now)
    actor = request.actor
    user = request.user if request.user.is_authenticated else None
    state = reader_state_for_proposal(proposal=proposal, user=user)
    comment_open = can_comment(actor, proposal, phase=phase)
    comments = comments_for_proposal(proposal=proposal, user=user)
    _comment_rights(
        actor, proposal, comments, phase=phase, comment_open=comment_open, now=now
    )
    return {
        "interactions": Interactions(
            proposal=proposal,
            phase=phase,
            # A closed proposal (merged, withdrawn...) offers nothing to log in for.
            phase_features=FEATURES[phase]
            if phase and proposal.is_active
            else frozenset(),
            can_support=can_support(actor, proposal, phase=phase),
            support_message=feature_closed_message(proposal, Feature.SUPPORT, actor),
            can_comment=comment_open,
            comment_message=feature_closed_message(proposal, Feature.COMMENT, actor),
            supported=state["supported"],
            following=state["following"],
            can_follow=can_follow(actor, proposal, phase=phase),
            can_report_proposal=can_report(actor, proposal, phase=phase),
            comments=comments,
            comment_form=CommentForm(auto_id="id_comment_%s"),
            login_url=login_url(proposal.get_absolute_url()),
            edit_minutes=_edit_minutes(),
            is_authenticated=user is not None,
        )
    }


# Writing -------------------------------------------------------------------------


def _keep_for_after_login(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """An anonymous (or logged-out) POST: keep the text, log in, then show it again."""
    target = reverse("participation:comment-create", args=[proposal.pk])
    if request.method == "POST":
        typed = CommentForm(request.POST)
        request.session[PENDING_COMMENT] = {
            "proposal": proposal.pk,
            "body": (typed["body"].value() or "")[: services.COMMENT_MAX_LENGTH],
            "parent": typed["parent"].value() or "",
        }
    elif parse_id(request.GET.get("reponse", "")) is not None:
        target += "?" + urlencode({"reponse": request.GET["reponse"]})
    return redirect(login_url(target))


def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a comment or a reply; GET shows the form alone (no-JavaScript reply).

    The text typed before logging in comes back in the form afterwards.
    """
    proposal = proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _keep_for_after_login(request, proposal)
    phase = proposal.cycle.phase_at(timezone.now())
    closed = (
        None
        if can_comment(request.actor, proposal, phase=phase)
        else feature_closed_message(proposal, Feature.COMMENT, request.actor)
    )
    if request.method == "POST":
        form = CommentForm(request.POST)
    else:
        initial = {"parent": request.GET.get("reponse")}
        pending = request.session.pop(PENDING_COMMENT, None)
        if pending and pending.get("proposal") == proposal.pk:
            initial = {"body": pending["body"], "parent": pending["parent"] or None}
        form = CommentForm(initial=initial)
    parent = comment_replied_to(proposal=proposal, parent_id=form["parent"].value())

    def page(status: int) -> HttpResponse:
        return render(
            request,
            "participation/comment_form.html",
            {"proposal": proposal, "form": form, "parent": parent, "closed": closed},
            status=status,
        )

    if request.method == "POST" and closed:
        form.is_valid()  # the typed text's own errors show too
        form.add_error(None, closed)
        return page(400)
    return form_page(
        request,
        form,
        lambda data: services.comment_post(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            author=request.user,
            body=data["body"],
            parent_id=data["parent"],
        ),
        page,
        success=_("Your comment is published."),
        next_url=lambda comment: proposal_url(proposal, f"commentaire-{comment.pk}"),
        check=ratelimit.form_check(request, "comment"),
    )


def _comment_action(
    request: HttpRequest, comment: Comment, service: Callable[..., Any], success: str
) -> HttpResponse:
    """`service(organisation=, comment_id=, actor=)`, then back to the comment."""
    return action_page(
        request,
        lambda: service(
            organisation=request.organisation,
            comment_id=comment.pk,
            actor=request.user,
        ),
        success=success,
        next_url=comment_url(comment),
    )


# The author's changes ----------------------------------------------------------------


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = comment_or_404(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author can change a comment."))
    return comment


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    now = timezone.now()
    editable = can_edit_comment(
        request.actor, comment, phase=comment.proposal.cycle.phase_at(now), now=now
    )
    form = CommentEditForm(
        request.POST or None, initial={"body": comment.body}, auto_id="id_edit_%s"
    )
    return form_page(
        request,
        form,
        lambda data: services.comment_edit(
            organisation=request.organisation,
            comment_id=comment.pk,
            actor=request.user,
            body=data["body"],
        ),
        "participation/comment_edit.html",
        {
            "comment": comment,
            "proposal": comment.proposal,
            "editable": editable,
            "edit_minutes": _edit_minutes(),
        },
        success=_("Your comment has been edited."),
        next_url=comment_url(comment),
        check=ratelimit.form_check(request, "comment_edit"),
    )


@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST blanks the text and keeps the replies."""
    comment = _own_comment(request, pk)
    if request.method == "POST":
        return _comment_action(
            request,
            comment,
            services.comment_delete,
            _("Your comment has been deleted."),
        )
    return render(
        request,
        "participation/comment_delete.html",
        {"comment": comment, "proposal": comment.proposal},
    )


# Moderation ----------------------------------------------------------------------


def _moderated_comment(request: HttpRequest, pk: int) -> Comment:
    comment = comment_or_404(request, pk)
    if not can_moderate_comment(request.actor, comment):
        raise PermissionDenied(_("Only the commune's moderators can do this."))
    return comment


@login_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    if response := require_mfa(request):
        return response
    return form_page(
        request,
        CommentHideForm(request.POST or None, auto_id="id_hide_%s"),
        lambda data: services.comment_hide(
            organisation=request.organisation,
            comment_id=comment.pk,
            actor=request.user,
            reason=data["reason"],
            category=data["category"],
        ),
        "participation/comment_hide.html",
        {"comment": comment, "proposal": comment.proposal},
        success=_("The comment is hidden."),
        next_url=comment_url(comment),
    )


@require_POST
@login_required
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    if response := require_mfa(request):
        return response
    return _comment_action(
        request, comment, services.comment_restore, _("The comment is shown again.")
    )
