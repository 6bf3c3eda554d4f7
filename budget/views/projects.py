"""Projects: the back office that builds them from feasible proposals, and the
public pages (the list with the elected officials' decision, a project with its
grouped proposals and its comments, the co-construction step)."""

from collections.abc import Callable, Iterable
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
from budget.forms.projects import (
    CycleChoiceForm,
    ProjectCommentForm,
    ProjectCommentHideForm,
    ProjectCommentModerateForm,
    ProjectForm,
)
from budget.models import Project, ProjectComment
from budget.services import projects
from carte.http import backoffice_view, form_page, organisation_or_404, scoped_or_404
from carte.models import Organisation
from participation import ratelimit
from participation.models import Cycle
from participation.permissions.moderation import can_moderate


def cycle_choice(
    request: HttpRequest, organisation: Organisation
) -> tuple[CycleChoiceForm, Cycle | None]:
    """The form choosing the cycle a back-office page shows, and that cycle."""
    form = CycleChoiceForm(
        request.GET or None, cycles=selectors.cycles_for(organisation)
    )
    return form, form.chosen()


def cycle_rows(
    request: HttpRequest,
    organisation: Organisation,
    selector: Callable[..., Iterable[Project]],
) -> tuple[CycleChoiceForm, Cycle | None, Iterable[Project]]:
    """`cycle_choice`, and `selector(organisation=, cycle=)` for the chosen cycle
    (nothing when the commune has no cycle yet)."""
    choice, cycle = cycle_choice(request, organisation)
    rows = selector(organisation=organisation, cycle=cycle) if cycle else []
    return choice, cycle, rows


# Back office ------------------------------------------------------------------------


@backoffice_view(permissions.can_build_projects)
def project_manage_list(
    request: HttpRequest, organisation: Organisation
) -> HttpResponse:
    choice, cycle, rows = cycle_rows(request, organisation, selectors.projects_for_list)
    return render(
        request,
        "budget/project_manage_list.html",
        {"projects": rows, "cycle": cycle, "choice": choice},
    )


@backoffice_view(permissions.can_build_projects)
def project_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    choice, cycle = cycle_choice(request, organisation)
    if cycle is None:
        raise Http404(_("No cycle yet."))
    groupable = selectors.proposals_for_grouping(organisation=organisation, cycle=cycle)
    form = ProjectForm.for_row(
        request, None, organisation=organisation, cycle=cycle, groupable=groupable
    )

    def create(data: dict) -> Project:
        return projects.project_create(
            organisation=organisation,
            cycle_id=cycle.pk,
            proposal_ids=[p.pk for p in data["proposals"]],
            data=form.to_input(),
            photos=form.photos(),
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        create,
        "budget/project_form.html",
        {"cycle": cycle, "choice": choice, "project": None},
        success=_("The project is created; the authors of its ideas are told."),
        next_url=lambda project: project.get_absolute_url(),
    )


@backoffice_view(permissions.can_build_projects, rows=selectors.projects_for_edit)
def project_edit(
    request: HttpRequest, organisation: Organisation, project: Project
) -> HttpResponse:
    if not permissions.can_edit_project(request.actor, project):
        raise PermissionDenied(_("This project can no longer be edited."))
    form = ProjectForm.for_row(
        request,
        project,
        organisation=organisation,
        cycle=project.cycle,
        project=project,
    )

    def update(data: dict) -> Project:
        return projects.project_update(
            organisation=organisation,
            project_id=project.pk,
            data=form.to_input(),
            photos=form.photos(),
            remove_photo_ids=form.remove_photo_ids(),
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        update,
        "budget/project_form.html",
        {"cycle": project.cycle, "project": project},
        success=_("The project has been saved."),
        next_url=project.get_absolute_url(),
    )


@require_POST
@login_required
def project_comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides (with a reason) or restores a project comment.

    Under /gestion/, so two-step login is required; the service checks the role.
    """
    organisation = organisation_or_404(request)
    comment = scoped_or_404(
        ProjectComment.objects.for_organisation(organisation).select_related("project"),
        pk,
    )
    if not can_moderate(request.actor, organisation):
        raise PermissionDenied(_("Only the commune's moderators can do this."))
    form = ProjectCommentModerateForm(request.POST)
    if form.is_valid() and form.hide():
        # Hard to undo: a reason and "I confirm", or a page asking for them.
        hide_form = ProjectCommentHideForm(request.POST)
        if not hide_form.is_valid():
            return render(
                request,
                "budget/project_comment_hide.html",
                {"comment": comment, "form": hide_form},
                status=400,
            )
    try:
        if not form.is_valid():  # both fields are optional: a NUL is refused
            raise ValidationError([e for es in form.errors.values() for e in es])
        projects.project_comment_moderate(
            organisation=organisation,
            comment_id=comment.pk,
            actor=request.actor,
            hide=form.hide(),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The comment is hidden.")
            if form.hide()
            else _("The comment is shown again."),
        )
    url = comment.project.get_absolute_url()
    return redirect(f"{url}#commentaire-projet-{comment.pk}")


# Public pages -------------------------------------------------------------------------


def project_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
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


def _project_page(
    request: HttpRequest, pk: int, form: ProjectCommentForm, status: int = 200
) -> HttpResponse:
    organisation = organisation_or_404(request)
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
    return _project_page(request, pk, ProjectCommentForm(auto_id="id_comment_%s"))


@require_POST
def project_comment(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request)
    project = scoped_or_404(Project.objects.for_organisation(organisation), pk)
    if not request.user.is_authenticated:
        query = urlencode({"next": project.get_absolute_url()})
        return redirect(f"{reverse('account_login')}?{query}")
    form = ProjectCommentForm(request.POST, auto_id="id_comment_%s")
    if not permissions.can_comment_project(request.actor, project):
        form.is_valid()
        form.add_error(None, _("You cannot comment on this project."))
        return _project_page(request, pk, form, status=403)

    def too_fast() -> tuple[str, int] | None:
        try:
            ratelimit.hit(
                "comment", organisation_id=organisation.pk, user_id=request.user.pk
            )
        except ratelimit.RateLimitExceeded:
            return _("You are going too fast. Wait a minute, then try again."), 429
        return None

    return form_page(
        request,
        form,
        lambda data: projects.project_comment_post(
            organisation=organisation,
            project_id=project.pk,
            author=request.actor,
            body=data["body"],
        ),
        lambda status: _project_page(request, pk, form, status=status),
        success=_("Your comment is published."),
        next_url=lambda comment: (
            f"{project.get_absolute_url()}#commentaire-projet-{comment.pk}"
        ),
        check=too_fast,
    )
