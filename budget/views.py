"""Back office of the review, projects and the list put to the vote (issue 6).

Each view parses, checks a predicate of `budget.permissions` (403 for a wrong
role), looks objects up in the request's commune (404 for another commune's
ids), calls one service and redirects, or re-renders its form with the input
kept (400).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms import (
    BallotListForm,
    CycleChoiceForm,
    DepartmentForm,
    ProjectForm,
    ReviewAssignForm,
    ReviewForm,
)
from budget.models import Department, Project, Review
from budget.services import decisions, departments, projects, reviews
from carte.models import Organisation
from participation.models import Proposal


def _organisation(request: HttpRequest) -> Organisation:
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


def _staff(request: HttpRequest, predicate: Callable) -> Organisation:
    organisation = _organisation(request)
    if not predicate(request.actor, organisation):
        raise PermissionDenied(_("This page is reserved for the commune's team."))
    return organisation


def _add_errors(form, error: ValidationError) -> None:
    """A service's errors on the form's fields when it has them, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest,
    template: str,
    context: dict,
    save: Callable[[dict], Any],
    success: str | Callable[[dict], str],
    to: str | Callable[[Any], str],
) -> HttpResponse:
    """Show `context["form"]`; on POST, a valid form's data goes to one service.

    Done: `success` (or `success(data)`) is said and the browser goes to `to`, or
    to `to(result)` with what the service returned. Refused: the service's errors
    go on the form and the page is shown again with what was typed (400).
    """
    if request.method != "POST":
        return render(request, template, context)
    form = context["form"]
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            data = form.cleaned_data
            messages.success(request, success(data) if callable(success) else success)
            return redirect(to(result) if callable(to) else to)
    return render(request, template, context, status=400)


def _cycle_choice(request: HttpRequest, organisation: Organisation):
    form = CycleChoiceForm(
        request.GET or None, cycles=selectors.cycles_for(organisation)
    )
    return form, form.chosen()


# City services --------------------------------------------------------------------


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_manage_departments)
    return render(
        request,
        "budget/department_list.html",
        {"departments": selectors.departments_for_list(organisation)},
    )


@login_required
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _staff(request, permissions.can_manage_departments)
    department = None
    initial = {}
    if pk is not None:
        department = get_object_or_404(
            Department.objects.for_organisation(organisation), pk=pk
        )
        initial = {
            "name": department.name,
            "members": list(department.members.values_list("pk", flat=True)),
        }
    form = DepartmentForm(
        request.POST or None, organisation=organisation, initial=initial
    )
    return _form_page(
        request,
        "budget/department_form.html",
        {"form": form, "department": department},
        lambda data: departments.department_save(
            organisation=organisation,
            department_id=department.pk if department else None,
            name=data["name"],
            member_ids=[user.pk for user in data["members"]],
            actor=request.user,
        ),
        _("The service has been saved."),
        "budget:department-list",
    )


# Assignment -----------------------------------------------------------------------


@login_required
def review_to_assign(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_assign_review)
    proposals = selectors.proposals_awaiting_assignment(organisation=organisation)
    return render(request, "budget/review_to_assign.html", {"proposals": proposals})


@login_required
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff(request, permissions.can_assign_review)
    proposal = get_object_or_404(
        Proposal.objects.for_organisation(organisation).select_related("cycle"), pk=pk
    )
    review = Review.objects.filter(proposal=proposal).first()
    initial = (
        {
            "department": review.department_id,
            "reviewer": review.reviewer_id,
            "due_on": review.due_on,
        }
        if review
        else {}
    )
    form = ReviewAssignForm(
        request.POST or None, organisation=organisation, initial=initial
    )
    return _form_page(
        request,
        "budget/review_assign.html",
        {"form": form, "proposal": proposal, "review": review},
        lambda data: reviews.review_assign(
            organisation=organisation,
            proposal_id=proposal.pk,
            department_id=data["department"].pk,
            reviewer_id=data["reviewer"].pk if data["reviewer"] else None,
            due_on=data["due_on"],
            actor=request.user,
        ),
        lambda data: (
            _("“%(title)s” has been sent to the service “%(name)s”.")
            % {"title": proposal.title, "name": data["department"].name}
        ),
        "budget:review-to-assign",
    )


# Worklist and study -----------------------------------------------------------------


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_see_worklist)
    see_all = permissions.can_manage_departments(request.actor, organisation)
    own = selectors.departments_of(
        organisation=organisation, user=request.user, see_all=see_all
    )
    chosen = None
    wanted = request.GET.get("service", "")
    if wanted.isdigit():
        chosen = own.filter(pk=int(wanted)).first()
    rows = list(
        selectors.reviews_for_worklist(
            organisation=organisation,
            user=request.user,
            see_all=see_all,
            department=chosen,
        )
    )
    today = timezone.localdate()
    for review in rows:
        review.is_overdue = review.due_on is not None and review.due_on < today
    return render(
        request,
        "budget/review_list.html",
        {
            "reviews": rows,
            "departments": list(own),
            "chosen": chosen,
            "see_all": see_all,
            "today": today,
        },
    )


def _review_initial(review: Review) -> dict:
    return {
        "feasible": ""
        if review.feasible is None
        else (ReviewForm.FEASIBLE if review.feasible else ReviewForm.NOT_FEASIBLE),
        "cost": review.cost_cents,
        "duration_weeks": review.duration_weeks,
        "internal_notes": review.internal_notes,
        "public_explanation": review.public_explanation,
    }


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff(request, permissions.can_see_worklist)
    try:
        review = selectors.review_for_form(organisation=organisation, pk=pk)
    except Review.DoesNotExist:
        raise Http404(_("No such study.")) from None
    in_department = reviews.is_department_member(review, request.user)
    can_complete = permissions.can_complete_review(
        request.actor, review, in_department=in_department
    )
    if review.completed_at is None and not can_complete:
        raise PermissionDenied(_("Only the service in charge can complete this study."))
    if review.completed_at is not None and not (
        in_department or permissions.can_manage_departments(request.actor, organisation)
    ):
        raise PermissionDenied(_("Only the service in charge can see this study."))
    form = ReviewForm(request.POST or None, initial=_review_initial(review))
    if request.method == "POST" and not can_complete:
        raise PermissionDenied(_("This study is already completed."))
    return _form_page(
        request,
        "budget/review_form.html",
        {"review": review, "proposal": review.proposal, "form": form},
        lambda data: reviews.review_complete(
            organisation=organisation,
            review_id=review.pk,
            feasible=data["feasible"] == ReviewForm.FEASIBLE,
            cost_cents=data["cost"],
            duration_weeks=data["duration_weeks"],
            internal_notes=data["internal_notes"],
            public_explanation=data["public_explanation"],
            actor=request.user,
        ),
        _("The study is recorded and published on the idea's page."),
        "budget:review-list",
    )


# Projects -----------------------------------------------------------------------------


@login_required
def project_manage_list(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_build_projects)
    choice, cycle = _cycle_choice(request, organisation)
    rows = (
        selectors.projects_for_list(organisation=organisation, cycle=cycle)
        if cycle
        else []
    )
    return render(
        request,
        "budget/project_manage_list.html",
        {"projects": rows, "cycle": cycle, "choice": choice},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_build_projects)
    choice, cycle = _cycle_choice(request, organisation)
    if cycle is None:
        raise Http404(_("No cycle yet."))
    groupable = selectors.proposals_for_grouping(organisation=organisation, cycle=cycle)
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        cycle=cycle,
        groupable=groupable,
    )
    return _form_page(
        request,
        "budget/project_form.html",
        {"form": form, "cycle": cycle, "choice": choice, "project": None},
        lambda data: projects.project_create(
            organisation=organisation,
            cycle_id=cycle.pk,
            proposal_ids=[p.pk for p in data["proposals"]],
            data=form.to_input(),
            photos=form.photos(),
            actor=request.user,
        ),
        _("The project is created; the authors of its ideas are told."),
        lambda project: project.get_absolute_url(),
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _staff(request, permissions.can_build_projects)
    project = get_object_or_404(
        Project.objects.for_organisation(organisation).select_related("cycle"), pk=pk
    )
    if not permissions.can_edit_project(request.actor, project):
        raise PermissionDenied(_("This project can no longer be edited."))
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        cycle=project.cycle,
        project=project,
        initial=ProjectForm.initial_from(project),
    )
    return _form_page(
        request,
        "budget/project_form.html",
        {"form": form, "cycle": project.cycle, "project": project},
        lambda data: projects.project_update(
            organisation=organisation,
            project_id=project.pk,
            data=form.to_input(),
            photos=form.photos(),
            remove_photo_ids=form.remove_photo_ids(),
            actor=request.user,
        ),
        _("The project has been saved."),
        project.get_absolute_url(),
    )


# The elected officials' decision --------------------------------------------------


@login_required
def ballot_list_validate(request: HttpRequest) -> HttpResponse:
    organisation = _staff(request, permissions.can_decide_ballot_list)
    choice, cycle = _cycle_choice(request, organisation)
    rows = (
        selectors.projects_to_decide(organisation=organisation, cycle=cycle)
        if cycle
        else []
    )
    form = BallotListForm(request.POST or None, projects=rows)
    context = {
        "form": form,
        "cycle": cycle,
        "choice": choice,
        "decision": selectors.latest_decisions(
            organisation=organisation, cycle_ids=[cycle.pk]
        ).get(cycle.pk)
        if cycle
        else None,
    }
    if request.method == "POST":
        if cycle is None or not rows:
            form.add_error(
                None, _("No project of this cycle is waiting for a decision.")
            )
        elif form.is_valid():
            try:
                decisions.ballot_list_decide(
                    organisation=organisation,
                    cycle_id=cycle.pk,
                    decisions=form.decisions(),
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("The list put to the vote is validated and published.")
                )
                return redirect("budget:project-list")
        return render(request, "budget/ballot_list_validate.html", context, status=400)
    return render(request, "budget/ballot_list_validate.html", context)
