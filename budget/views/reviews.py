"""Back office of the study: sending proposals to a city service, the worklist,
and the study itself."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.reviews import ReviewAssignForm, ReviewForm
from budget.models import Review
from budget.services import reviews
from carte.formats import parse_id
from carte.http import backoffice_view, form_page
from carte.models import Organisation
from participation.models import Proposal
from participation.views.proposals import proposal_point_map


@backoffice_view(permissions.can_assign_review)
def review_to_assign(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    proposals = selectors.proposals_awaiting_assignment(organisation=organisation)
    return render(request, "budget/review_to_assign.html", {"proposals": proposals})


@backoffice_view(permissions.can_assign_review, rows=selectors.proposals_for_assignment)
def review_assign(
    request: HttpRequest, organisation: Organisation, proposal: Proposal
) -> HttpResponse:
    review = selectors.review_of_proposal(proposal)
    form = ReviewAssignForm.for_row(request, review, organisation=organisation)

    def assign(data: dict) -> Review:
        return reviews.review_assign(
            organisation=organisation,
            proposal_id=proposal.pk,
            department_id=data["department"].pk,
            reviewer_id=data["reviewer"].pk if data["reviewer"] else None,
            due_on=data["due_on"],
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        assign,
        "budget/review_assign.html",
        {"proposal": proposal, "review": review},
        success=lambda assigned: (
            _("“%(title)s” has been sent to the service “%(name)s”.")
            % {"title": proposal.title, "name": assigned.department.name}
        ),
        next_url="budget:review-to-assign",
    )


@backoffice_view(permissions.can_see_worklist)
def review_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    see_all = permissions.can_manage_departments(request.actor, organisation)
    own = list(
        selectors.departments_of(
            organisation=organisation, user=request.user, see_all=see_all
        )
    )
    wanted = parse_id(request.GET.get("service", ""))
    chosen = next((d for d in own if d.pk == wanted), None)
    rows = list(
        selectors.reviews_for_worklist(
            organisation=organisation,
            user=request.user,
            see_all=see_all,
            department=chosen,
        )
    )
    completed = list(
        selectors.reviews_completed_for_worklist(
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
            "completed": completed,
            "departments": own,
            "chosen": chosen,
            "see_all": see_all,
            "today": today,
        },
    )


@backoffice_view(permissions.can_see_worklist)
def review_edit(
    request: HttpRequest, organisation: Organisation, pk: int
) -> HttpResponse:
    try:
        review = selectors.review_for_form(organisation=organisation, pk=pk)
    except Review.DoesNotExist:
        raise Http404(_("No such study.")) from None
    in_department = selectors.is_department_member(review, request.user.pk)
    can_complete = permissions.can_complete_review(
        request.actor, review, in_department=in_department
    )
    if review.completed_at is None and not can_complete:
        raise PermissionDenied(_("Only the service in charge can complete this study."))
    if review.completed_at is not None and not (
        in_department or permissions.can_manage_departments(request.actor, organisation)
    ):
        raise PermissionDenied(_("Only the service in charge can see this study."))
    form = ReviewForm.for_row(request, review)
    if request.method == "POST" and not can_complete:
        raise PermissionDenied(_("This study is already completed."))

    def complete(data: dict) -> Review:
        return reviews.review_complete(
            organisation=organisation,
            review_id=review.pk,
            feasible=data["feasible"] == ReviewForm.FEASIBLE,
            cost_cents=data["cost"],
            duration_weeks=data["duration_weeks"],
            internal_notes=data["internal_notes"],
            public_explanation=data["public_explanation"],
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        complete,
        "budget/review_form.html",
        {
            "review": review,
            "proposal": review.proposal,
            "map": proposal_point_map(organisation, review.proposal)
            if review.proposal.has_point
            else None,
        },
        success=_("The study is recorded and published on the idea's page."),
        next_url="budget:review-list",
    )
