"""Public project pages: the list (with the elected officials' decision), a project
with its grouped proposals and its comments (the co-construction step)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget import permissions, selectors
from budget.forms import ProjectCommentForm
from budget.models import Project, ProjectComment
from budget.services import projects as services
from budget.views import _add_errors, _organisation
from participation import ratelimit
from participation.permissions.moderation import can_moderate


def project_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    rows = list(selectors.projects_for_list(organisation=organisation))
    cycles = []
    by_cycle: dict[int, list[Project]] = {}
    for project in rows:
        if project.cycle_id not in by_cycle:
            cycles.append(project.cycle)
            by_cycle[project.cycle_id] = []
        by_cycle[project.cycle_id].append(project)
    decisions = selectors.latest_decisions(
        organisation=organisation, cycle_ids=[cycle.pk for cycle in cycles]
    )
    groups = [
        {
            "cycle": cycle,
            "projects": by_cycle[cycle.pk],
            "decision": decisions.get(cycle.pk),
        }
        for cycle in cycles
    ]
    return render(request, "budget/project_list.html", {"groups": groups})


def _page(request: HttpRequest, pk: int, form: ProjectCommentForm, status: int = 200):
    organisation = _organisation(request)
    moderator = can_moderate(request.actor, organisation)
    try:
        project = selectors.project_for_page(
            organisation=organisation, pk=pk, with_hidden=moderator
        )
    except Project.DoesNotExist:
        raise Http404(_("No such project.")) from None
    author_ids = {p.author_id for p in project.proposals.all() if p.author_id}
    comments = list(project.comments.all())
    for comment in comments:
        comment.by_grouped_author = comment.author_id in author_ids
    return render(
        request,
        "budget/project_detail.html",
        {
            "project": project,
            "comments": comments,
            "form": form,
            "can_comment": permissions.can_comment_project(request.actor, project),
            "can_edit": permissions.can_edit_project(request.actor, project),
            "can_moderate": moderator,
            "login_url": f"{reverse('account_login')}?"
            + urlencode({"next": project.get_absolute_url()}),
        },
        status=status,
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, ProjectCommentForm(auto_id="id_comment_%s"))


@require_POST
def project_comment(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    project = Project.objects.for_organisation(organisation).filter(pk=pk).first()
    if project is None:
        raise Http404(_("No such project."))
    if not request.user.is_authenticated:
        query = urlencode({"next": project.get_absolute_url()})
        return redirect(f"{reverse('account_login')}?{query}")
    form = ProjectCommentForm(request.POST, auto_id="id_comment_%s")
    if not permissions.can_comment_project(request.actor, project):
        form.is_valid()
        form.add_error(None, _("You cannot comment on this project."))
        return _page(request, pk, form, status=403)
    if not form.is_valid():
        return _page(request, pk, form, status=400)
    try:
        ratelimit.hit(
            "comment", organisation_id=organisation.pk, user_id=request.user.pk
        )
    except ratelimit.RateLimitExceeded:
        form.add_error(
            None, _("You are going too fast. Wait a minute, then try again.")
        )
        return _page(request, pk, form, status=429)
    try:
        comment = services.project_comment_post(
            organisation=organisation,
            project_id=project.pk,
            author=request.user,
            body=form.cleaned_data["body"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, pk, form, status=400)
    messages.success(request, _("Your comment is published."))
    return redirect(f"{project.get_absolute_url()}#commentaire-projet-{comment.pk}")


@require_POST
@login_required
def project_comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides (with a reason) or restores a project comment.

    Under /gestion/, so two-step login is required; the service checks the role.
    """
    organisation = _organisation(request)
    comment = (
        ProjectComment.objects.for_organisation(organisation)
        .select_related("project")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404(_("No such comment."))
    if not can_moderate(request.actor, organisation):
        raise PermissionDenied(_("Only the commune's moderators can do this."))
    try:
        services.project_comment_moderate(
            organisation=organisation,
            comment_id=comment.pk,
            actor=request.user,
            hide=request.POST.get("action") != "restore",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The comment is shown again.")
            if request.POST.get("action") == "restore"
            else _("The comment is hidden."),
        )
    url = comment.project.get_absolute_url()
    return redirect(f"{url}#commentaire-projet-{comment.pk}")
