"""The moderation back office under /gestion/moderation/.

For the commune's moderators and administrators: the queue (new proposals,
changes to read again, reported contents) with filters and bulk publication,
each proposal's moderation page with the workflow actions its status allows,
hiding and restoring contents, dismissing reports, blocking accounts, and the
commune's standard replies. Anonymous visitors are sent to log in; other roles
get 403; another commune's ids answer 404. Every write is a POST form that
redirects, or re-renders its page with the errors and the input kept (400).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carte.http import form_page, organisation_or_404, scoped_or_404
from carte.models import Organisation, User
from carte.tenancy import Actor
from participation import workflow
from participation.forms.comments import CommentHideForm
from participation.forms.moderation import (
    ACTION_FORMS,
    BlockForm,
    HideForm,
    PublishForm,
    QueueFilterForm,
    StandardReplyForm,
)
from participation.models import ActionChoices, Proposal, StandardReply
from participation.permissions.moderation import (
    can_block_account,
    can_edit_standard_replies,
    can_moderate,
    moderation_actions,
)
from participation.permissions.proposals import can_merge
from participation.selectors.moderation import (
    QueueFilters,
    Section,
    account_state,
    accounts_for_moderation,
    comments_for_moderation,
    proposal_for_moderation,
    proposals_for_queue,
    queue_counts,
    standard_replies_for,
)
from participation.selectors.reports import (
    reported_comments_of,
    reported_items,
    reported_keys,
)
from participation.services import moderation as moderation_services
from participation.services import reports as report_services
from participation.views.supports import action_page

PER_PAGE = 25


def _allowed(
    request: HttpRequest,
    predicate: Callable[[Actor, Organisation], bool] = can_moderate,
) -> Organisation:
    """The commune served, when the actor passes `predicate` in it (403 else)."""
    organisation = organisation_or_404(request)
    if not predicate(request.actor, organisation):
        raise PermissionDenied(_("This page is reserved for the commune's moderators."))
    return organisation


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _proposal_page(pk: int) -> str:
    return reverse("participation:moderation-proposal", args=[pk])


def _on_proposal_page(
    request: HttpRequest,
    organisation: Organisation,
    form,
    service: Callable[[dict], object],
    success: str,
    *,
    proposal_id: int,
    key: str,
    proposal: Proposal | None = None,
) -> HttpResponse:
    """`form_page` for a form of the proposal's moderation page: back to that
    page when done, else the page again with `form` in place of the form `key`."""

    def page(status: int) -> HttpResponse:
        shown = proposal or _proposal_or_404(organisation, proposal_id)
        return _render_proposal(
            request, organisation, shown, bound={key: form}, status=status
        )

    return form_page(
        request,
        form,
        service,
        page,
        success=success,
        next_url=_proposal_page(proposal_id),
    )


# The queue -------------------------------------------------------------------------


def _filters(form: QueueFilterForm) -> QueueFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return QueueFilters(
        cycle=data["cycle"].pk if data.get("cycle") else None,
        district=data["district"].pk if data.get("district") else None,
        theme=data["theme"].pk if data.get("theme") else None,
        q=(data.get("q") or "").strip(),
        visibility=data.get("visibility") or "",
    )


def _render_queue(
    request: HttpRequest,
    organisation: Organisation,
    *,
    section: str,
    selected: frozenset[int] = frozenset(),
    status: int = 200,
) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, organisation=organisation)
    filters = _filters(form)
    if section == Section.REPORTS:
        keys = reported_keys(organisation=organisation, filters=filters)
        page = Paginator(keys, PER_PAGE).get_page(request.GET.get("page"))
        items = reported_items(organisation=organisation, keys=list(page))
    else:
        queryset = proposals_for_queue(
            organisation=organisation, section=section, filters=filters
        )
        page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
        items = list(page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participation/moderation_queue.html",
        {
            "section": section,
            "sections": [
                (Section.NEW, _("New proposals")),
                (Section.CHANGES, _("Changes to read again")),
                (Section.REPORTS, _("Reports")),
            ],
            "counts": queue_counts(organisation=organisation),
            "filter_form": form,
            "page": page,
            "items": items,
            "selected": selected,
            "query": query.urlencode(),
            "next_url": request.get_full_path(),
        },
        status=status,
    )


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """The queue, one section at a time (?section=), oldest first."""
    organisation = _allowed(request)
    section = request.GET.get("section")
    if section not in Section.ALL:
        section = Section.NEW
    return _render_queue(request, organisation, section=section)


def _safe_next(target: str, default: str) -> str:
    queue = reverse("participation:moderation-queue")
    return target if target.startswith(queue) else default


@login_required
@require_POST
def moderation_publish(request: HttpRequest) -> HttpResponse:
    """Publish the ticked proposals: all of them, or none (the refusal said)."""
    organisation = _allowed(request)
    form = PublishForm(request.POST)
    form.is_valid()  # every field is optional: unreadable ids are left out
    data = form.cleaned_data
    ids = data.get("proposal", [])
    try:
        events = moderation_services.proposals_publish(
            organisation=organisation, proposal_ids=ids, actor=request.actor
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        section = data.get("section")
        return _render_queue(
            request,
            organisation,
            section=section if section in Section.ALL else Section.NEW,
            selected=frozenset(ids),
            status=400,
        )
    count = len(events)
    messages.success(
        request,
        ngettext(
            "%(count)s proposal published.", "%(count)s proposals published.", count
        )
        % {"count": count},
    )
    return redirect(
        _safe_next(data.get("next") or "", reverse("participation:moderation-queue"))
    )


# One proposal ----------------------------------------------------------------------


def _proposal_or_404(organisation: Organisation, pk: int) -> Proposal:
    try:
        return proposal_for_moderation(organisation=organisation, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("No such idea.")) from None


def _render_proposal(
    request: HttpRequest,
    organisation: Organisation,
    proposal: Proposal,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The moderation page; `bound` replaces some forms by the ones just sent."""
    bound = bound or {}
    allowed = [
        action
        for action in moderation_actions(request.actor, proposal)
        if action in ACTION_FORMS
    ]
    action_forms = [
        {
            "action": action,
            "label": ActionChoices(action).label,
            "form": bound.get(action)
            or ACTION_FORMS[action](
                organisation=organisation, auto_id=f"id_{action}_%s"
            ),
            "url": reverse(
                "participation:moderation-action", args=[proposal.pk, action]
            ),
            # Hard to undo: the form asks for confirmation, the button looks so.
            "danger": "confirm" in ACTION_FORMS[action].base_fields,
        }
        for action in allowed
    ]
    comments = reported_comments_of(organisation=organisation, proposal=proposal)
    for comment in comments:
        comment.hide_form = bound.get(f"comment-{comment.pk}") or CommentHideForm(
            auto_id=f"id_comment_{comment.pk}_%s"
        )
    return render(
        request,
        "participation/moderation_proposal.html",
        {
            "proposal": proposal,
            "action_forms": action_forms,
            "can_merge": can_merge(request.actor, proposal),
            "hide_form": bound.get("hide") or HideForm(auto_id="id_hide_%s"),
            "open_reports": [r for r in proposal.reports.all() if not r.resolved_at],
            "comments": comments,
            "author_state": account_state(
                organisation=organisation, user_id=proposal.author_id
            )
            if proposal.author_id
            else None,
        },
        status=status,
    )


@login_required
def moderation_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _allowed(request)
    proposal = _proposal_or_404(organisation, pk)
    return _render_proposal(request, organisation, proposal)


@login_required
@require_POST
def moderation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow action on a proposal, through `proposal_transition`."""
    organisation = _allowed(request)
    try:
        action = workflow.Action(action)
    except ValueError:
        raise Http404(_("No such action.")) from None
    if action not in ACTION_FORMS:
        raise Http404(_("No such action."))
    proposal = _proposal_or_404(organisation, pk)
    form = ACTION_FORMS[action](
        request.POST, organisation=organisation, auto_id=f"id_{action}_%s"
    )
    return _on_proposal_page(
        request,
        organisation,
        form,
        lambda data: moderation_services.proposal_transition(
            organisation=organisation,
            proposal_id=proposal.pk,
            action=action,
            actor=request.actor,
            reason=data.get("reason", ""),
            reason_label=data.get("reply_title", ""),
            forwarded_to=data.get("forwarded_to", ""),
        ),
        _("Done: “%(title)s” — %(action)s.")
        % {"title": proposal.title, "action": ActionChoices(action).label},
        proposal_id=proposal.pk,
        key=action,
        proposal=proposal,
    )


@login_required
@require_POST
def moderation_hide(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _allowed(request)
    proposal = _proposal_or_404(organisation, pk)
    return _hide(
        request,
        organisation,
        report_services.proposal_hide,
        _("The proposal is hidden."),
        key="hide",
        auto_id="id_hide_%s",
        proposal_id=proposal.pk,
        target={"proposal_id": proposal.pk},
        proposal=proposal,
    )


def _hide(
    request: HttpRequest,
    organisation: Organisation,
    service: Callable[..., object],
    success: str,
    *,
    key: str,
    auto_id: str,
    proposal_id: int,
    target: dict[str, int],
    proposal: Proposal | None = None,
    form_class: type[HideForm | CommentHideForm] = HideForm,
) -> HttpResponse:
    """Hide the content `target` names (its service's keyword) with what a
    `form_class` asks (the reason; a comment's category too), from the
    moderation page of the proposal `proposal_id`."""
    return _on_proposal_page(
        request,
        organisation,
        form_class(request.POST, auto_id=auto_id),
        lambda data: service(
            organisation=organisation,
            actor=request.user,
            **{name: value for name, value in data.items() if name != "confirm"},
            **target,
        ),
        success,
        proposal_id=proposal_id,
        key=key,
        proposal=proposal,
    )


def _on_reported_proposal(
    request: HttpRequest, pk: int, service: Callable[..., object], success: str
) -> HttpResponse:
    """Call a report service on the proposal `pk`, then back to its page."""
    organisation = _allowed(request)
    proposal = _proposal_or_404(organisation, pk)
    return action_page(
        request,
        lambda: service(
            organisation=organisation, proposal_id=proposal.pk, actor=request.user
        ),
        success=success,
        next_url=_proposal_page(proposal.pk),
    )


@login_required
@require_POST
def moderation_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_reported_proposal(
        request,
        pk,
        report_services.proposal_restore,
        _("The proposal is shown again; its reports are handled."),
    )


@login_required
@require_POST
def moderation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_reported_proposal(
        request,
        pk,
        report_services.reports_dismiss,
        _("The reports are handled; the proposal stays as it is."),
    )


# Comments ------------------------------------------------------------------------


@login_required
@require_POST
def moderation_comment(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Hide ("masquer"), show again ("retablir") or keep ("classer") a reported
    comment; its reports are handled each time."""
    organisation = _allowed(request)
    comment = scoped_or_404(comments_for_moderation(organisation=organisation), pk)
    if verb == "masquer":
        return _hide(
            request,
            organisation,
            report_services.reported_comment_hide,
            _("The comment is hidden."),
            key=f"comment-{comment.pk}",
            auto_id=f"id_comment_{pk}_%s",
            proposal_id=comment.proposal_id,
            target={"comment_id": comment.pk},
            form_class=CommentHideForm,
        )
    calls = {
        "retablir": (
            lambda: report_services.reported_comment_restore(
                organisation=organisation, comment_id=comment.pk, actor=request.user
            ),
            _("The comment is shown again; its reports are handled."),
        ),
        "classer": (
            lambda: report_services.reports_dismiss(
                organisation=organisation, comment_id=comment.pk, actor=request.user
            ),
            _("The reports are handled; the comment stays as it is."),
        ),
    }
    if verb not in calls:
        raise Http404(_("No such action."))
    call, success = calls[verb]
    return action_page(
        request, call, success=success, next_url=_proposal_page(comment.proposal_id)
    )


# Accounts --------------------------------------------------------------------------


def _account_or_404(organisation: Organisation, user_id: int) -> User:
    user = scoped_or_404(accounts_for_moderation(), user_id)
    if not report_services.account_has_content(organisation, user.pk):
        raise Http404(_("No such account in this commune."))
    return user


def _account_page(user_id: int) -> str:
    return reverse("participation:moderation-account", kwargs={"user_id": user_id})


def _render_account(request, organisation, account, form=None, status=200):
    return render(
        request,
        "participation/moderation_account.html",
        {
            "account": account,
            "form": form or BlockForm(),
            **account_state(organisation=organisation, user_id=account.pk),
        },
        status=status,
    )


@login_required
def moderation_account(request: HttpRequest, user_id: int) -> HttpResponse:
    """An account seen in this commune: its block, and the form to block it."""
    organisation = _allowed(request, can_block_account)
    account = _account_or_404(organisation, user_id)
    form = BlockForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: report_services.account_block(
            organisation=organisation,
            user_id=account.pk,
            actor=request.user,
            reason=data["reason"],
        ),
        lambda status: _render_account(request, organisation, account, form, status),
        success=_("The account is blocked in this commune."),
        next_url=_account_page(account.pk),
    )


@login_required
@require_POST
def moderation_unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    organisation = _allowed(request, can_block_account)
    account = _account_or_404(organisation, user_id)
    return action_page(
        request,
        lambda: report_services.account_unblock(
            organisation=organisation, user_id=account.pk, actor=request.user
        ),
        success=_("The block is lifted."),
        next_url=_account_page(account.pk),
    )


# Standard replies ------------------------------------------------------------------


@login_required
def reply_list(request: HttpRequest) -> HttpResponse:
    organisation = _allowed(request, can_edit_standard_replies)
    replies = list(standard_replies_for(organisation=organisation, active_only=False))
    groups = [
        (label, [r for r in replies if r.use == use])
        for use, label in StandardReply.Use.choices
    ]
    return render(
        request,
        "participation/moderation_replies.html",
        {"groups": groups, "has_replies": bool(replies)},
    )


def _reply_or_404(organisation: Organisation, pk: int) -> StandardReply:
    return scoped_or_404(
        standard_replies_for(organisation=organisation, active_only=False), pk
    )


@login_required
def reply_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _allowed(request, can_edit_standard_replies)
    reply = None
    initial = {"position": 0, "use": request.GET.get("use", "")}
    if pk is not None:
        reply = _reply_or_404(organisation, pk)
        initial = {
            f: getattr(reply, f) for f in moderation_services.STANDARD_REPLY_FIELDS
        }
    return form_page(
        request,
        StandardReplyForm(request.POST or None, initial=initial),
        lambda data: moderation_services.standard_reply_save(
            organisation=organisation,
            data=data,
            reply_id=reply.pk if reply else None,
        ),
        "participation/moderation_reply_form.html",
        {"reply": reply},
        success=_("The standard reply is saved."),
        next_url=reverse("participation:moderation-replies"),
    )


@login_required
@require_POST
def reply_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a reply from the lists, or offer it again."""
    organisation = _allowed(request, can_edit_standard_replies)
    reply = _reply_or_404(organisation, pk)
    moderation_services.standard_reply_set_active(
        organisation=organisation, reply_id=reply.pk, is_active=not reply.is_active
    )
    messages.success(
        request,
        _("The reply is offered again.")
        if not reply.is_active
        else _("The reply is no longer offered; past decisions keep it."),
    )
    return redirect("participation:moderation-replies")


@login_required
@require_POST
def reply_seed(request: HttpRequest) -> HttpResponse:
    organisation = _allowed(request, can_edit_standard_replies)
    added = moderation_services.standard_replies_seed(organisation=organisation)
    messages.success(
        request,
        _("%(count)s standard replies added; change them as you wish.")
        % {"count": added},
    )
    return redirect("participation:moderation-replies")
