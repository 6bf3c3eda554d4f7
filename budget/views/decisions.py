"""Back office: the elected officials validate the list of projects put to the vote.

Open in the review phase only (the phase table's VALIDATE_LIST). Before saving,
a confirmation page sums the decision up with what is still pending; until the
vote starts the list can be reopened, after its own confirmation page.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget import permissions, selectors
from budget.forms.decisions import BallotListForm
from budget.services import decisions
from budget.views.projects import cycle_choice
from carte.http import backoffice_or_403, form_page
from participation.models import Cycle


def _validate_url(cycle: Cycle) -> str:
    return f"{reverse('budget:ballot-list-validate')}?{urlencode({'cycle': cycle.pk})}"


def _period(cycle: Cycle, phase):
    """The cycle's dated period of `phase`, or None."""
    return next((p for p in cycle.periods() if p.phase == phase), None)


@login_required
def ballot_list_validate(request: HttpRequest) -> HttpResponse:
    organisation = backoffice_or_403(request, permissions.can_decide_ballot_list)
    choice, cycle = cycle_choice(request, organisation)
    phase = cycle.phase_at(timezone.now()) if cycle else None
    is_open = cycle is not None and permissions.can_validate_ballot_list(
        request.actor, cycle, phase=phase
    )
    if request.method == "POST" and not is_open:
        raise PermissionDenied(
            _("The list put to the vote is decided during the review phase only.")
        )
    rows = (
        selectors.projects_to_decide(organisation=organisation, cycle=cycle)
        if cycle
        else []
    )
    form = BallotListForm(request.POST or None, projects=rows)
    context = {
        "cycle": cycle,
        "choice": choice,
        "is_open": is_open,
        "review": _period(cycle, "review") if cycle else None,
        "decision": (
            selectors.latest_decisions(
                organisation=organisation, cycle_ids=[cycle.pk]
            ).get(cycle.pk)
            if cycle
            else None
        ),
        "pending": (
            selectors.ballot_list_pending(organisation=organisation, cycle=cycle)
            if cycle
            else None
        ),
    }
    if request.method == "POST" and rows and form.is_valid():
        if "edit" in request.POST:  # back from the confirmation, input kept
            return render(
                request, "budget/ballot_list_validate.html", {"form": form, **context}
            )
        if "confirm" not in request.POST:
            chosen = form.decisions()
            context["on_ballot"] = [
                p for p in rows if chosen[p.pk].action == "put_on_ballot"
            ]
            context["set_aside"] = [
                (p, chosen[p.pk].reason)
                for p in rows
                if chosen[p.pk].action == "set_aside"
            ]
            context["total_cents"] = sum(
                p.cost_cents or 0 for p in context["on_ballot"]
            )
            return render(
                request, "budget/ballot_list_confirm.html", {"form": form, **context}
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
        context,
        success=_("The list put to the vote is validated and published."),
        next_url="budget:project-list",
        check=lambda: (
            None
            if rows
            else (_("No project of this cycle is waiting for a decision."), 400)
        ),
    )


@login_required
def ballot_list_reopen(request: HttpRequest) -> HttpResponse:
    """Confirm, then reopen the cycle's decided list (review phase only)."""
    organisation = backoffice_or_403(request, permissions.can_decide_ballot_list)
    _choice, cycle = cycle_choice(request, organisation)
    phase = cycle.phase_at(timezone.now()) if cycle else None
    is_open = cycle is not None and permissions.can_validate_ballot_list(
        request.actor, cycle, phase=phase
    )
    closed = _("The list can be reopened during the review phase only.")
    if request.method == "POST" and not is_open:
        raise PermissionDenied(closed)
    if cycle is None or not is_open:  # say why, with nothing to submit
        return render(
            request,
            "budget/ballot_list_reopen.html",
            {"cycle": cycle, "closed": closed},
        )
    decision = selectors.latest_decisions(
        organisation=organisation, cycle_ids=[cycle.pk]
    ).get(cycle.pk)
    status = 200
    error = ""
    if request.method == "POST":
        try:
            count = decisions.ballot_list_reopen(
                organisation=organisation, cycle_id=cycle.pk, actor=request.actor
            )
        except ValidationError as refusal:
            error, status = refusal.messages[0], 400
        else:
            messages.success(
                request,
                _("The list is reopened: %(count)s projects are back in preparation.")
                % {"count": count},
            )
            return redirect(_validate_url(cycle))
    return render(
        request,
        "budget/ballot_list_reopen.html",
        {"cycle": cycle, "decision": decision, "error": error},
        status=status,
    )
