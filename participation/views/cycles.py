"""The commune's cycles: the list (/budgets/), each cycle's page, and the back
office where the administrators date their phases."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carte.http import form_page, organisation_or_404, scoped_or_404
from carte.models import Organisation
from participation import ratelimit
from participation.forms.cycles import CycleForm
from participation.models import Cycle
from participation.permissions.cycles import can_manage_cycles
from participation.permissions.proposals import can_submit_at_counter
from participation.selectors import cycles as selectors
from participation.services.cycles import cycle_save

CYCLE_LIMIT = (60, 3600)  # saves per account per hour


def cycle_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    now = timezone.now()
    rows = selectors.cycles_for_list(organisation=organisation, now=now)
    return render(
        request,
        "participation/cycle_list.html",
        {
            "rows": rows,
            "now": now,
            "can_manage": can_manage_cycles(request.actor, organisation),
        },
    )


def cycle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request)
    now = timezone.now()
    try:
        row = selectors.cycle_for_page(organisation=organisation, slug=slug, now=now)
    except Cycle.DoesNotExist:
        raise Http404(_("No such cycle.")) from None
    return render(
        request,
        "participation/cycle_detail.html",
        {
            "row": row,
            "now": now,
            "cycle": row.cycle,
            # Anonymous visitors see the link too: the form asks them to log in
            # when they send, keeping what they typed.
            "propose_open": row.propose_open,
            "can_enter_at_counter": can_submit_at_counter(
                request.actor, row.cycle, phase=row.phase
            ),
        },
    )


def _manager(request: HttpRequest) -> Organisation:
    organisation = organisation_or_404(request)
    if not can_manage_cycles(request.actor, organisation):
        raise PermissionDenied(
            _("This page is reserved for the commune's administrators.")
        )
    return organisation


@login_required
def cycle_manage_list(request: HttpRequest) -> HttpResponse:
    """The back office's list of cycles, with a link to create one."""
    organisation = _manager(request)
    now = timezone.now()
    rows = selectors.cycles_for_list(organisation=organisation, now=now)
    return render(
        request, "participation/cycle_manage_list.html", {"rows": rows, "now": now}
    )


@login_required
def cycle_manage_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or change a cycle and its calendar."""
    organisation = _manager(request)
    cycle = None
    if pk is not None:
        cycle = scoped_or_404(
            selectors.cycles_with_phases(organisation=organisation), pk
        )
    initial = CycleForm.initial_from(cycle) if cycle else {}
    form = CycleForm(request.POST or None, initial=initial)

    def check() -> tuple[str, int] | None:
        if ratelimit.allow(
            request, action="cycle", limit=CYCLE_LIMIT[0], seconds=CYCLE_LIMIT[1]
        ):
            return None
        return _("Too many changes in a short time. Try again later."), 400

    return form_page(
        request,
        form,
        lambda data: cycle_save(
            organisation=organisation,
            actor=request.user,
            data=form.to_input(),
            periods=form.periods(),
            cycle_id=cycle.pk if cycle else None,
        ),
        "participation/cycle_manage_form.html",
        {"cycle": cycle},
        success=_("The cycle is saved."),
        next_url=lambda saved: reverse(
            "participation:cycle-detail", kwargs={"slug": saved.slug}
        ),
        check=check,
    )
