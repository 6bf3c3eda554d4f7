"""Reporting a proposal or a comment to the commune's moderators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from carte.http import form_page
from participation import ratelimit
from participation.forms.reports import ReportForm
from participation.permissions.moderation import blocked_message
from participation.permissions.reports import can_report
from participation.services import reports as services
from participation.views.comments import comment_or_404, comment_url
from participation.views.supports import login_then_back, proposal_or_404, proposal_url

REPORT_TARGETS = ("proposition", "commentaire")


def report_create(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """Report a proposal (`proposition`) or a comment (`commentaire`)."""
    if target not in REPORT_TARGETS:
        raise Http404(_("Nothing to report here."))
    if target == "commentaire":
        comment = comment_or_404(request, pk)
        proposal, obj = comment.proposal, comment
    else:
        comment = None
        proposal = obj = proposal_or_404(request, pk)
    if not request.user.is_authenticated:
        return login_then_back(proposal)
    if request.actor.is_blocked:
        messages.error(request, blocked_message())
        return redirect(proposal_url(proposal))
    if not can_report(request.actor, obj):
        raise PermissionDenied(_("You cannot report this content."))
    return form_page(
        request,
        ReportForm(request.POST or None, auto_id="id_report_%s"),
        lambda data: services.report_create(
            organisation=request.organisation,
            reporter=request.user,
            reason=data["reason"],
            details=data["details"],
            proposal_id=None if comment else proposal.pk,
            comment_id=comment.pk if comment else None,
        ),
        "participation/report_form.html",
        {"proposal": proposal, "comment": comment},
        success=_(
            "Thank you. Your report has been sent to the moderators, "
            "who will look at it."
        ),
        next_url=comment_url(comment) if comment else proposal_url(proposal),
        check=ratelimit.form_check(request, "report"),
    )
