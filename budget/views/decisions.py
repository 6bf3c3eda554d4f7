"""Back office: the elected officials validate the list of projects put to the vote."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.decisions import BallotListForm
from budget.models import BallotListDecision
from budget.services import decisions
from budget.views.projects import cycle_rows
from carte.http import backoffice_view, form_page
from carte.models import Organisation


@backoffice_view(permissions.can_decide_ballot_list)
def ballot_list_validate(
    request: HttpRequest, organisation: Organisation
) -> HttpResponse:
    choice, cycle, rows = cycle_rows(
        request, organisation, selectors.projects_to_decide
    )
    form = BallotListForm(request.POST or None, projects=rows)
    decision = (
        selectors.latest_decisions(organisation=organisation, cycle_ids=[cycle.pk]).get(
            cycle.pk
        )
        if cycle
        else None
    )

    def decide(data: dict) -> BallotListDecision:
        return decisions.ballot_list_decide(
            organisation=organisation,
            cycle_id=cycle.pk,
            decisions=form.decisions(),
            note=data["note"],
            actor=request.actor,
        )

    return form_page(
        request,
        form,
        decide,
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
