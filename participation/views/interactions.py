"""Supports, comments, reports, follows and notifications (issue 5).

Actions are POST forms that redirect back to the proposal page with a message, or
re-render their form (400) keeping what was typed. An anonymous visitor is sent to
log in, then back to the proposal. Another commune's object answers 404; a
refusal by role answers 403; a closed phase says when it opens.

`interactions_context(request, proposal)` gives the proposal page what
`participation/includes/interactions.html` needs, in a bounded number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carte.security import has_mfa
from participation import ratelimit
from participation.models import (
    Comment,
    NotificationPreference,
    Proposal,
    Report,
)
from participation.permissions.moderation import blocked_message
from participation.permissions_interactions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_follow,
    can_moderate_comment,
    can_report,
    can_support,
    comment_edit_window,
)
from participation.phases import FEATURES, Feature, Phase
from participation.selectors_interactions import (
    comments_for_proposal,
    notifications_for_user,
    reader_state_for_proposal,
)
from participation.services import interactions as services
from participation.tasks import email_mode_for

NOTIFICATIONS_PER_PAGE = 20

# Forms ---------------------------------------------------------------------------


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=services.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown with your pseudonym. Stay courteous; do not give anyone's "
            "personal details. 3,000 characters at most."
        ),
        error_messages={"required": gettext_lazy("Write your comment first.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.HIDE_REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "Shown publicly in place of the comment, for example “Propos injurieux”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Give the reason, it is shown in place of the comment."
            )
        },
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why do you report it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a reason.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Details (optional)"),
        required=False,
        max_length=services.REPORT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the moderators should know. Only they read it."),
    )


class NotificationPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("E-mails about the proposals you follow"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )


# Helpers -------------------------------------------------------------------------


def _organisation(request: HttpRequest):
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    """The proposal of this commune that the reader may see (public, or their own)."""
    proposal = get_object_or_404(
        Proposal.objects.for_organisation(_organisation(request))
        .select_related("cycle")
        .prefetch_related("cycle__phase_periods"),
        pk=pk,
    )
    user = request.user
    if not proposal.is_public and not (
        user.is_authenticated and proposal.author_id == user.pk
    ):
        raise Http404(_("This proposal does not exist or is not published."))
    return proposal


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.for_organisation(_organisation(request))
        .select_related("proposal__cycle", "author")
        .prefetch_related("proposal__cycle__phase_periods"),
        pk=pk,
    )
    if not comment.proposal.is_public:
        raise Http404(_("This comment does not exist."))
    return comment


def _back(proposal: Proposal, anchor: str = "") -> HttpResponse:
    return redirect(proposal.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _login(proposal: Proposal) -> HttpResponse:
    """Log in, then come back to the proposal (a POST URL cannot be a `next`)."""
    query = urlencode({"next": proposal.get_absolute_url()})
    return redirect(f"{reverse('account_login')}?{query}")


def _phase(proposal: Proposal) -> Phase | None:
    return proposal.cycle.phase_at(timezone.now())


def _closed_message(proposal: Proposal, feature: Feature, actor=None) -> str:
    if actor is not None and actor.is_blocked:
        return blocked_message()
    if not proposal.is_active:
        if feature == Feature.SUPPORT:
            return _("This proposal is closed: it no longer takes supports.")
        return _("This proposal is closed: it can no longer be discussed.")
    return services.feature_status_message(proposal.cycle, feature)


def _hit(request: HttpRequest, action: str) -> str | None:
    """Count a write; the message to show when the account writes too fast."""
    try:
        ratelimit.hit(
            action,
            organisation_id=request.organisation.pk,
            user_id=request.user.pk,
        )
    except ratelimit.RateLimitExceeded:
        return _("You are going too fast. Wait a minute, then try again.")
    return None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_post(
    request: HttpRequest,
    form: forms.Form,
    *,
    call: Callable[[dict], Any],
    success: str,
    then: Callable[[Any], HttpResponse],
    rate: str | None = None,
    refusal: str | None = None,
) -> HttpResponse | int:
    """Validate a POSTed form and call one service with its cleaned data.

    Success: the message, then the response `then(result)`. Otherwise the status
    to re-render the form with (400; 429 when too fast), the reason added to its
    errors and what was typed kept. `refusal` refuses before the service.
    """
    valid = form.is_valid()
    if refusal:
        form.add_error(None, refusal)
        return 400
    if not valid:
        return 400
    if rate and (too_fast := _hit(request, rate)):
        form.add_error(None, too_fast)
        return 429
    try:
        result = call(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return 400
    messages.success(request, success)
    return then(result)


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


def _comment_rights(request, proposal, comments, *, phase, comment_open, now):
    """Set the reader's rights on each comment and reply, from the predicates."""
    actor = request.actor
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
        request, proposal, comments, phase=phase, comment_open=comment_open, now=now
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
            support_message=_closed_message(proposal, Feature.SUPPORT, actor),
            can_comment=comment_open,
            comment_message=_closed_message(proposal, Feature.COMMENT, actor),
            supported=state["supported"],
            following=state["following"],
            can_follow=can_follow(actor, proposal, phase=phase),
            can_report_proposal=can_report(actor, proposal, phase=phase),
            comments=comments,
            comment_form=CommentForm(auto_id="id_comment_%s"),
            login_url=f"{reverse('account_login')}?"
            + urlencode({"next": proposal.get_absolute_url()}),
            edit_minutes=int(comment_edit_window().total_seconds() // 60),
            is_authenticated=user is not None,
        )
    }


# Supports ------------------------------------------------------------------------


def _support_action(request: HttpRequest, pk: int, *, withdraw: bool) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(proposal)
    if not can_support(request.actor, proposal, phase=_phase(proposal)):
        messages.error(
            request, _closed_message(proposal, Feature.SUPPORT, request.actor)
        )
        return _back(proposal, "soutiens")
    if too_fast := _hit(request, "support"):
        messages.error(request, too_fast)
        return _back(proposal, "soutiens")
    service = services.support_withdraw if withdraw else services.support_add
    try:
        service(
            organisation=request.organisation,
            proposal_id=proposal.pk,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Your support has been withdrawn.")
            if withdraw
            else _("Thank you: your support is counted."),
        )
    return _back(proposal, "soutiens")


@require_POST
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _support_action(request, pk, withdraw=False)


@require_POST
def support_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _support_action(request, pk, withdraw=True)


# Comments ------------------------------------------------------------------------


PENDING_COMMENT = "agora_pending_comment"


def _keep_for_after_login(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """An anonymous (or logged-out) POST: keep the text, log in, then show it again."""
    target = reverse("participation:comment-create", args=[proposal.pk])
    if request.method == "POST":
        request.session[PENDING_COMMENT] = {
            "proposal": proposal.pk,
            "body": request.POST.get("body", "")[: services.COMMENT_MAX_LENGTH],
            "parent": request.POST.get("parent", ""),
        }
    elif request.GET.get("reponse", "").isdigit():
        target += "?" + urlencode({"reponse": request.GET["reponse"]})
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a comment or a reply; GET shows the form alone (no-JavaScript reply).

    The text typed before logging in comes back in the form afterwards.
    """
    proposal = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _keep_for_after_login(request, proposal)
    closed = (
        None
        if can_comment(request.actor, proposal, phase=_phase(proposal))
        else _closed_message(proposal, Feature.COMMENT, request.actor)
    )
    if request.method == "POST":
        form = CommentForm(request.POST)
    else:
        initial = {"parent": request.GET.get("reponse")}
        pending = request.session.pop(PENDING_COMMENT, None)
        if pending and pending.get("proposal") == proposal.pk:
            initial = {"body": pending["body"], "parent": pending["parent"] or None}
        form = CommentForm(initial=initial)
    parent_id = form["parent"].value()
    parent = (
        Comment.objects.filter(proposal=proposal, pk=parent_id, parent__isnull=True)
        .select_related("author")
        .first()
        if str(parent_id or "").isdigit()
        else None
    )
    status = 200
    if request.method == "POST":
        outcome = _form_post(
            request,
            form,
            rate="comment",
            refusal=closed,
            call=lambda data: services.comment_post(
                organisation=request.organisation,
                proposal_id=proposal.pk,
                author=request.user,
                body=data["body"],
                parent_id=data["parent"],
            ),
            success=_("Your comment is published."),
            then=lambda comment: _back(proposal, f"commentaire-{comment.pk}"),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return render(
        request,
        "participation/comment_form.html",
        {"proposal": proposal, "form": form, "parent": parent, "closed": closed},
        status=status,
    )


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = _comment_or_404(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author can change a comment."))
    return comment


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    now = timezone.now()
    editable = can_edit_comment(
        request.actor, comment, phase=_phase(comment.proposal), now=now
    )
    form = CommentEditForm(
        request.POST or None, initial={"body": comment.body}, auto_id="id_edit_%s"
    )
    status = 200
    if request.method == "POST":
        outcome = _form_post(
            request,
            form,
            rate="comment_edit",
            call=lambda data: services.comment_edit(
                organisation=request.organisation,
                comment_id=comment.pk,
                actor=request.user,
                body=data["body"],
            ),
            success=_("Your comment has been edited."),
            then=lambda _comment: _back(comment.proposal, f"commentaire-{comment.pk}"),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return render(
        request,
        "participation/comment_edit.html",
        {
            "comment": comment,
            "proposal": comment.proposal,
            "form": form,
            "editable": editable,
            "edit_minutes": int(comment_edit_window().total_seconds() // 60),
        },
        status=status,
    )


@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST blanks the text and keeps the replies."""
    comment = _own_comment(request, pk)
    if request.method == "POST":
        try:
            services.comment_delete(
                organisation=request.organisation,
                comment_id=comment.pk,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your comment has been deleted."))
        return _back(comment.proposal, f"commentaire-{comment.pk}")
    return render(
        request,
        "participation/comment_delete.html",
        {"comment": comment, "proposal": comment.proposal},
    )


def _moderated_comment(request: HttpRequest, pk: int) -> Comment:
    comment = _comment_or_404(request, pk)
    if not can_moderate_comment(request.actor, comment, phase=None):
        raise PermissionDenied(_("Only the commune's moderators can do this."))
    return comment


def _mfa_first(request: HttpRequest) -> HttpResponse | None:
    """Moderation is a back-office act: it needs two-factor authentication."""
    if has_mfa(request.user):
        return None
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_activate_totp')}?{query}")


@login_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    if response := _mfa_first(request):
        return response
    form = CommentHideForm(request.POST or None, auto_id="id_hide_%s")
    status = 200
    if request.method == "POST":
        outcome = _form_post(
            request,
            form,
            call=lambda data: services.comment_hide(
                organisation=request.organisation,
                comment_id=comment.pk,
                actor=request.user,
                reason=data["reason"],
            ),
            success=_("The comment is hidden."),
            then=lambda _comment: _back(comment.proposal, f"commentaire-{comment.pk}"),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return render(
        request,
        "participation/comment_hide.html",
        {"comment": comment, "proposal": comment.proposal, "form": form},
        status=status,
    )


@require_POST
@login_required
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    if response := _mfa_first(request):
        return response
    try:
        services.comment_restore(
            organisation=request.organisation,
            comment_id=comment.pk,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The comment is shown again."))
    return _back(comment.proposal, f"commentaire-{comment.pk}")


# Reports -------------------------------------------------------------------------

REPORT_TARGETS = ("proposition", "commentaire")


def report_create(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """Report a proposal (`proposition`) or a comment (`commentaire`)."""
    if target not in REPORT_TARGETS:
        raise Http404(_("Nothing to report here."))
    if target == "commentaire":
        comment = _comment_or_404(request, pk)
        proposal, obj = comment.proposal, comment
    else:
        comment = None
        proposal = obj = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(proposal)
    if request.actor.is_blocked:
        messages.error(request, blocked_message())
        return _back(proposal)
    if not can_report(request.actor, obj, phase=None):
        raise PermissionDenied(_("You cannot report this content."))
    form = ReportForm(request.POST or None, auto_id="id_report_%s")
    status = 200
    if request.method == "POST":
        outcome = _form_post(
            request,
            form,
            rate="report",
            call=lambda data: services.report_create(
                organisation=request.organisation,
                reporter=request.user,
                reason=data["reason"],
                details=data["details"],
                proposal_id=None if comment else proposal.pk,
                comment_id=comment.pk if comment else None,
            ),
            success=_(
                "Thank you. Your report has been sent to the moderators, "
                "who will look at it."
            ),
            then=lambda _report: _back(
                proposal, f"commentaire-{comment.pk}" if comment else ""
            ),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    return render(
        request,
        "participation/report_form.html",
        {"proposal": proposal, "comment": comment, "form": form},
        status=status,
    )


# Follows -------------------------------------------------------------------------


def _follow_action(request: HttpRequest, pk: int, *, stop: bool) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return _login(proposal)
    if not can_follow(request.actor, proposal, phase=None):
        raise PermissionDenied(_("You cannot follow this proposal."))
    if too_fast := _hit(request, "follow"):
        messages.error(request, too_fast)
        return _back(proposal, "suivre")
    arguments = {
        "organisation": request.organisation,
        "proposal_id": proposal.pk,
        "user": request.user,
    }
    try:
        if stop:
            services.follow_remove(**arguments)
        else:
            services.follow_add(**arguments)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("You no longer follow this proposal.")
            if stop
            else _(
                "You follow this proposal: you will be told when its status changes "
                "and when it gets comments."
            ),
        )
    return _back(proposal, "suivre")


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_action(request, pk, stop=False)


@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_action(request, pk, stop=True)


# Notifications -------------------------------------------------------------------


def _notification_page(request: HttpRequest, form, status: int = 200) -> HttpResponse:
    rows = notifications_for_user(organisation=request.organisation, user=request.user)
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/notification_list.html",
        {"page": page, "notifications": page.object_list, "form": form},
        status=status,
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The account's notifications in this commune, and its e-mail preference."""
    _organisation(request)
    form = NotificationPreferenceForm(
        initial={"email_mode": email_mode_for(request.user)}, auto_id="id_pref_%s"
    )
    return _notification_page(request, form)


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`notification`), or all of them."""
    _organisation(request)
    raw = request.POST.get("notification", "")
    count = services.notifications_mark_read(
        organisation=request.organisation,
        user=request.user,
        notification_id=int(raw) if raw.isdigit() else None,
    )
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("participation:notification-list")


@require_POST
@login_required
def notification_preference(request: HttpRequest) -> HttpResponse:
    _organisation(request)
    form = NotificationPreferenceForm(request.POST, auto_id="id_pref_%s")
    if form.is_valid():
        if too_fast := _hit(request, "notification"):
            messages.error(request, too_fast)
            return redirect("participation:notification-list")
        services.notification_preference_set(
            user=request.user, email_mode=form.cleaned_data["email_mode"]
        )
        messages.success(request, _("Your e-mail preference is saved."))
        return redirect(reverse("participation:notification-list") + "#preferences")
    return _notification_page(request, form, status=400)
