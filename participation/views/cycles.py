"""The commune's cycles: the list (/budgets/) and each cycle's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import ratelimit
from participation.forms.proposals import CycleForm
from participation.models import Cycle
from participation.permissions import proposals as permissions
from participation.selectors import proposals as selectors
from participation.services import cycles as cycle_services


def organisation_or_404(request: HttpRequest):
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


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
            "can_manage": permissions.can_manage_cycles(request.actor, organisation.pk),
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
            "can_enter_at_counter": permissions.can_submit_at_counter(
                request.actor, row.cycle, phase=row.phase
            ),
        },
    )


def _manager(request: HttpRequest):
    organisation = organisation_or_404(request)
    if not permissions.can_manage_cycles(request.actor, organisation.pk):
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
        cycle = get_object_or_404(
            Cycle.objects.for_organisation(organisation).prefetch_related(
                "phase_periods"
            ),
            pk=pk,
        )
    initial = CycleForm.initial_from(cycle) if cycle else {}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if ratelimit.allow(request, action="cycle", limit=60, seconds=3600):
            if form.is_valid():
                try:
                    saved = cycle_services.cycle_save(
                        organisation=organisation,
                        actor=request.user,
                        data=form.to_input(),
                        periods=form.periods(),
                        cycle_id=cycle.pk if cycle else None,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The cycle is saved."))
                    return redirect("participation:cycle-detail", slug=saved.slug)
        else:
            form.add_error(
                None, _("Too many changes in a short time. Try again later.")
            )
        status = 400
    else:
        status = 200
    return render(
        request,
        "participation/cycle_manage_form.html",
        {"form": form, "cycle": cycle},
        status=status,
    )
