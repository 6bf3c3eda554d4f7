"""Back office: the elected officials validate the list of projects put to the vote."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.decisions import BallotListForm
from budget.services import decisions
from budget.views.projects import cycle_choice
from carte.http import backoffice_or_403, form_page


@login_required
def ballot_list_validate(request: HttpRequest) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_decide_ballot_list)
    choice, cycle = cycle_choice(request, organisation)
    rows = (
        selectors.projects_to_decide(organisation=organisation, cycle=cycle)
        if cycle
        else []
    )
    form = BallotListForm(request.POST or None, projects=rows)
    decision = (
        selectors.latest_decisions(organisation=organisation, cycle_ids=[cycle.pk]).get(
            cycle.pk
        )
        if cycle
        else None
    )
    return form_page(
        request,
        form,
        lambda data: decisions.ballot_list_decide(
            organisation=organisation,
            cycle_id=cycle.pk,
            decisions=form.decisions(),
            note=data["note"],
            actor=request.actor,
        ),
        "budget/ballot_list_validate.html",
        {"cycle": cycle, "choice": choice, "decision": decision},
        success=_("The list put to the vote is validated and published."),
        next_url="budget:project-list",
        check=lambda: (
            None
            if rows
            else (_("No project of this cycle is waiting for a decision."), 400)
        ),
    )
