"""The commune's cycles: the list (/budgets/) and each cycle's page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import permissions, selectors
from participation.models import Cycle


def organisation_or_404(request: HttpRequest):
    if request.organisation is None:
        raise Http404(_("No organisation is served at this address."))
    return request.organisation


def cycle_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    now = timezone.now()
    rows = selectors.cycles_for_list(organisation=organisation, now=now)
    return render(request, "participation/cycle_list.html", {"rows": rows, "now": now})


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
